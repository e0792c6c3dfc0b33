"""Messages of the importers and `dachu import`."""

MESSAGES: dict[str, tuple[str, str]] = {
    "data_import.help": (
        "导入平台导出的订单/流量/行为文件到本地数据仓（自动识别格式，重复导入安全）",
        "import the platforms' exports (orders, traffic, behaviour) into the store "
        "(format detected; re-import is safe)",
    ),
    "data_import.server_refused": ("作战室拒绝了 {file}（HTTP {status}）：{why}", "The war room refused {file} (HTTP {status}): {why}"),
    "data_import.opt.server": ("交给运行中的作战室导入（它占用着数据仓），如 http://127.0.0.1:8000", "hand the files to the running war room (which holds the store) to import, e.g. http://127.0.0.1:8000"),
    "data_import.opt.token": ("作战室的写入令牌（默认 DACHU_INGEST_TOKEN）", "the war room's ingest token (default: DACHU_INGEST_TOKEN)"),
    "data_import.opt.hmac_secret": ("作战室的 HMAC 密钥，签名上传（默认 DACHU_HMAC_SECRET）", "the war room's HMAC secret, to sign the upload (default: DACHU_HMAC_SECRET)"),
    "store.not_a_store": ("{path} 不是 dachu 的数据仓（DuckDB 文件）", "{path} is not a dachu store (a DuckDB file)"),
    "store.not_a_store.fix": ("用 --store 指向 dachu import 建的 .duckdb 文件，或给一个新文件名", "point --store at the .duckdb file `dachu import` made, or give a new file name"),
    "store.locked": ("数据仓 {path} 正被另一个进程占用（PID {pid}：{holder}）", "the store {path} is held by another process (PID {pid}: {holder})"),
    "store.locked.fix": ("等它结束，或先停止它（运行中的 dachu serve 会一直占用自己的数据仓），再重新运行本命令", "wait for it to finish or stop it (a running dachu serve holds its store until it stops), then run this again"),
    "data_import.opt.files": ("要导入的文件（CSV/XLSX/Parquet）", "files to import (CSV/XLSX/Parquet)"),
    "data_import.opt.source": ("强制使用某个导入器：{choices}", "force an importer: {choices}"),
    "data_import.opt.store": ("数据仓文件（默认 ./dachu.duckdb）", "store file (default ./dachu.duckdb)"),
    "data_import.opt.mapping": ("通用表格的 YAML 映射文件", "YAML mapping file for generic tables"),
    "data_import.opt.force": ("已导入过的文件也重新导入", "import again files already imported"),
    "data_import.opt.rejected": (
        "显示隔离区里被拒绝的行（可配合 --export 导出 CSV）",
        "show rejected rows in quarantine (with --export to write a CSV)",
    ),
    "data_import.opt.export": ("把隔离区导出为 CSV 文件", "export the quarantine to this CSV file"),
    "data_import.no_files": ("没有给出要导入的文件", "no files to import"),
    "data_import.no_files.fix": (
        "例如：dachu import ExportOrderList*.csv",
        "e.g. dachu import ExportOrderList*.csv",
    ),
    "data_import.no_file": ("找不到文件 {file}", "file not found: {file}"),
    "data_import.no_file.fix": ("检查路径是否正确", "check the path"),
    "data_import.bad_suffix": ("不支持的文件类型：{file}", "unsupported file type: {file}"),
    "data_import.bad_suffix.fix": ("支持：{choices}", "supported: {choices}"),
    "data_import.bad_source": ("没有名为 {source} 的导入器", "no importer named {source}"),
    "data_import.bad_source.fix": ("可选：{choices}", "choose one of: {choices}"),
    "data_import.unknown_format": (
        "认不出 {file} 的格式（表头：{header}）",
        "cannot tell the format of {file} (header: {header})",
    ),
    "data_import.unknown_format.fix": (
        "用 --source 指定导入器，或为通用表格写一个 --mapping 映射文件",
        "force an importer with --source, or give a --mapping file for a generic table",
    ),
    "data_import.unreadable": ("{file} 读不了：{detail}", "{file} cannot be read: {detail}"),
    "data_import.unreadable.fix": (
        "确认它是平台导出的原始文件（CSV/XLSX/Parquet），没有被截断",
        "check it is the platform's export as downloaded (CSV/XLSX/Parquet), not truncated",
    ),
    "data_import.missing_column": (
        "{file} 缺少必需的列「{column}」（找到的表头：{header}）",
        "{file} lacks the required column '{column}' (header found: {header})",
    ),
    "data_import.missing_column.fix": (
        "请从平台重新导出完整的报表；如果找到的表头不是真正的表头，删掉表头上方多余的行再导入",
        "export the full report from the platform again; if the header found is not the real one, delete the "
        "extra lines above the header and import again",
    ),
    "data_import.mapping_missing": (
        "通用表格 {file} 需要映射文件",
        "generic file {file} needs a mapping file",
    ),
    "data_import.mapping_missing.fix": (
        "用 --mapping 指定，或放一个 {file}.mapping.yaml 在旁边",
        "pass --mapping, or put {file}.mapping.yaml next to it",
    ),
    "data_import.mapping_bad": (
        "映射文件 {file} 读不了：{detail}",
        "mapping file {file} cannot be read: {detail}",
    ),
    "data_import.mapping_table": (
        "映射文件 {file} 的 table 是「{table}」",
        "mapping file {file} has table '{table}'",
    ),
    "data_import.mapping_table.fix": ("table 可选：{choices}", "table must be one of: {choices}"),
    "data_import.mapping_column": (
        "映射文件 {file} 里的列「{column}」不存在",
        "mapping file {file} names an unknown column '{column}'",
    ),
    "data_import.mapping_column.fix": ("可用的列：{choices}", "known columns: {choices}"),
    "data_import.reason.missing_id": ("缺少编号", "missing id"),
    "data_import.reason.missing_value": ("缺少必填值", "missing required value"),
    "data_import.reason.bad_amount": ("金额不是数字", "amount is not a number"),
    "data_import.reason.bad_number": ("数量不是整数", "quantity is not a whole number"),
    "data_import.reason.negative_amount": ("金额或数量为负数", "negative amount or quantity"),
    "data_import.reason.bad_date": ("日期时间格式不对", "bad date or time"),
    "data_import.reason.bad_behaviour": ("行为类型不是 pv/fav/cart/buy", "behaviour is not pv/fav/cart/buy"),
    "data_import.reason.excel_scientific": (
        "编号被 Excel 改成了科学计数法（如 4.00000000000001E+15），末尾的数字已经丢失；请重新导出，或在 Excel 里把这一列设为「文本」格式后再保存",
        "the id was changed to scientific notation by Excel (such as 4.00000000000001E+15) and its last digits are "
        "lost; export again or format the column as text",
    ),
    "data_import.reason.broken_encoding": ("文字编码损坏（乱码）", "broken text encoding"),
    "data_import.reason.short_row": ("这一行的列数比表头少", "row has fewer columns than the header"),
    "data_import.reason.long_row": ("这一行的列数比表头多", "row has more columns than the header"),
    "data_import.col.file": ("文件", "file"),
    "data_import.col.source": ("格式", "format"),
    # the importers by name (`--source` values stay these codes; the import summary shows the names)
    "data_import.format.taobao_orders": ("淘宝/天猫订单", "Taobao/Tmall orders"),
    "data_import.format.taobao_lines": ("淘宝/天猫订单明细", "Taobao/Tmall order lines"),
    "data_import.format.jd_orders": ("京东订单", "JD orders"),
    "data_import.format.shopify_orders": ("Shopify 订单", "Shopify orders"),
    "data_import.format.tianchi_behaviour": ("用户行为日志（天池格式）", "behaviour log (Tianchi)"),
    "data_import.format.generic": ("通用表格（按列名映射）", "generic table (mapped by column)"),
    "data_import.col.read": ("读取", "read"),
    "data_import.col.inserted": ("新增", "inserted"),
    "data_import.col.updated": ("更新", "updated"),
    "data_import.col.unchanged": ("未变", "unchanged"),
    "data_import.col.rejected": ("拒绝", "rejected"),
    "data_import.col.seconds": ("秒", "seconds"),
    "data_import.col.line": ("行", "line"),
    "data_import.col.column": ("列", "column"),
    "data_import.col.value": ("原值", "raw value"),
    "data_import.col.reason": ("原因", "reason"),
    "data_import.title": ("导入结果", "Import summary"),
    "data_import.already": (
        "{file} 已经导入过（内容相同），跳过；要重新导入请加 --force",
        "{file} was imported before (same content), skipped; use --force to import again",
    ),
    "data_import.where_rejected": (
        "共 {count} 行被拒绝，已放入隔离区。查看：dachu import --rejected --store {store}"
        "（加 --export rejected.csv 导出）",
        "{count} rows rejected and kept in quarantine. See them: dachu import --rejected --store {store} "
        "(add --export rejected.csv)",
    ),
    "data_import.none_rejected": ("没有被拒绝的行。", "No rows rejected."),
    "data_import.exported": (
        "隔离区已导出到 {file}（{count} 行）",
        "quarantine exported to {file} ({count} rows)",
    ),
    "data_import.reading": ("读取 {file}", "reading {file}"),
    "data_import.conflict": (
        "{file}：{key} 在第 {lines} 行出现了多次且内容不同（{columns}），保留了第 {kept} 行：同一编号以文件里最后一行为准（导出文件把较新的状态排在后面）",
        "{file}: {key} is on lines {lines} with different values ({columns}); line {kept} was kept: the last row "
        "of an id in a file wins (an export lists the later state lower down)",
    ),
    "data_import.conflict.fix": (
        "如果应以另一行为准，改好文件后用 --force 重新导入",
        "if another line is right, correct the file and import it again with --force",
    ),
    "data_import.resolved": (
        "之前被拒绝的 {count} 行这次已正确导入，在隔离区标为已解决",
        "{count} rows rejected before came in accepted this time and are marked resolved in the quarantine",
    ),
    "data_import.opt.all": (
        "与 --rejected 一起用：连已解决的行一起显示（全部历史）",
        "with --rejected: show resolved rows too (the whole history)",
    ),
    "data_import.col.resolved": ("已解决", "resolved"),
    "data_import.none_open": (
        "隔离区里没有待处理的行（加 --all 查看历史）。",
        "No open rows in quarantine (add --all for the history).",
    ),
    "data_import.mapping_status": (
        "映射文件 {file} 给 status 的常量「{value}」不是订单状态",
        "mapping file {file} gives status the constant '{value}', which is no order status",
    ),
    "data_import.mapping_status.fix": (
        "可用：{choices}，或平台的状态文字（如 交易成功）",
        "use one of: {choices}, or a platform's status word (such as 交易成功)",
    ),
    "data_import.mapping_join": (
        "映射文件 {file} 的 join 里「{column}」需要一组列名",
        "mapping file {file}: join of '{column}' needs a list of header names",
    ),
    "data_import.mapping_join.fix": (
        "例如 join: {{campaign: [推广计划名称, 关键词]}}",
        "e.g. join: {{campaign: [推广计划名称, 关键词]}}",
    ),
}
