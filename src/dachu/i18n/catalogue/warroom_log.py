"""Messages of the war room's event log: a write that failed, a disk that is full."""

MESSAGES: dict[str, tuple[str, str]] = {
    "warroom.log.full": ("事件日志写不进去：磁盘已满（{detail}），这批事件没有被接收", "The event log cannot write: the disk is full ({detail}); this batch was not accepted"),
    "warroom.log.full.fix": ("腾出磁盘空间后重发这批事件（已接收的事件都在，不会重复计算）", "free disk space, then send the batch again (accepted events are all kept; none is counted twice)"),
    "warroom.log.set_aside": ("事件日志中有 {count} 行无法读取，已另存到 {file}，其余事件已载入", "{count} line(s) of the event log could not be read and were set aside in {file}; the rest is loaded"),
    "warroom.store.writer_failed": ("数据仓写入进程没有启动（退出码 {code}）", "The store writer process did not start (exit code {code})"),
    "warroom.store.writer_failed.fix": ("用 --debug 重新启动看原因；数据仓可能被另一个进程占用", "start again with --debug to see why; another process may hold the store"),
    "warroom.import.no_store": ("这个作战室没有数据仓，无法导入", "This war room runs without a store and cannot import"),
    "warroom.import.no_store.fix": ("用 dachu serve --store 启动作战室，或直接运行 dachu import", "start the war room with dachu serve --store, or run dachu import directly"),
    "warroom.import.no_name": ("缺少文件名（?name=）", "The file name is missing (?name=)"),
    "warroom.import.no_name.fix": ("用 dachu import --server 发送文件", "send files with dachu import --server"),
    "warroom.import.too_large": ("文件超过 {limit} 字节", "The file is larger than {limit} bytes"),
    "warroom.import.too_large.fix": ("把导出按日期拆成几个文件再导入", "split the export by date into several files and import them"),
    "warroom.log.write_failed": ("事件日志写入失败（{detail}），这批事件没有被接收", "The event log failed to write ({detail}); this batch was not accepted"),
    "warroom.log.write_failed.fix": ("稍后重发这批事件；若持续失败，检查磁盘", "send the batch again shortly; if it keeps failing, check the disk"),
}
