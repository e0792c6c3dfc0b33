"""Messages of `dachu simulate` (模拟大促数据)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "simulate.help": (
        "按活动方案模拟一场完整大促（预热、零点爆发、晚高峰、未付款、退款、发货积压、客服、行为日志），"
        "写成各平台真实的导出格式，可任意规模流式生成。",
        "Simulate a whole campaign from the campaign file (warm-up, the midnight rush, the evening peak, "
        "unpaid orders, refunds, shipping backlog, CS, behaviour logs) and write it in the platforms' real "
        "export formats; streams to any size.",
    ),
    "simulate.arg.file": ("活动方案文件（YAML）", "the campaign file (YAML)"),
    "simulate.opt.orders": (
        "活动期订单数（不含往年订单）",
        "campaign orders to generate (the year before not included)",
    ),
    "simulate.opt.history": (
        "往年订单数（默认为活动订单的一半）",
        "orders of the year before (default: half the campaign's)",
    ),
    "simulate.opt.seed": (
        "随机种子：同一种子生成完全相同的文件",
        "random seed: the same seed writes the same bytes",
    ),
    "simulate.opt.out": ("输出目录", "output folder"),
    "simulate.opt.platform": (
        "平台：tmall、jd 或 shopify（默认取活动方案）",
        "platform: tmall, jd or shopify (default: the campaign's)",
    ),
    "simulate.opt.formats": (
        "导出格式，逗号分隔：{choices}，或 all",
        "formats, comma-separated: {choices}, or all",
    ),
    "simulate.opt.xlsx": (
        "同时写 XLSX 版本（Excel 日期序列号）",
        "also write XLSX versions (Excel serial dates)",
    ),
    "simulate.opt.excel_quirks": (
        "模拟 Excel 另存后的样子：日期 yyyy/MM/dd HH:mm、金额带“元”、表头尾随空格",
        "reproduce an Excel re-save: dates yyyy/MM/dd HH:mm, amounts with 元, "
        "header names with trailing spaces",
    ),
    "simulate.opt.encoding": (
        "中文 CSV 的编码：gbk、gb18030 或 utf-8-sig",
        "encoding of the Chinese CSVs: gbk, gb18030 or utf-8-sig",
    ),
    "simulate.opt.chunk": ("每批订单数（内存只保留一批）", "orders per batch (memory holds one batch)"),
    "simulate.progress": ("生成订单", "generating orders"),
    "simulate.col.file": ("文件", "File"),
    "simulate.col.rows": ("行数", "Rows"),
    "simulate.summary": (
        "已生成 {orders} 个订单（其中往年 {history} 个），写入 {out}",
        "generated {orders} orders ({history} of them from the year before) into {out}",
    ),
    "simulate.bad_orders": ("订单数必须至少为 1，而不是 {value}", "--orders must be at least 1, not {value}"),
    "simulate.bad_orders.fix": ("例如 --orders 100000", "for example --orders 100000"),
    "simulate.bad_platform": ("不支持的平台 {value}", "unknown platform {value}"),
    "simulate.bad_platform.fix": ("可选：{choices}", "choose one of: {choices}"),
    "simulate.bad_formats": ("不支持的导出格式 {value}", "unknown format {value}"),
    "simulate.bad_formats.fix": ("可选：{choices}", "choose from: {choices}"),
    "simulate.bad_encoding": ("不支持的编码 {value}", "unknown encoding {value}"),
    "simulate.bad_encoding.fix": ("可选：{choices}", "choose one of: {choices}"),
}
