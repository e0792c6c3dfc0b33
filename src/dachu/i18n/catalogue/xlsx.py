"""Labels used only in workbooks."""

MESSAGES: dict[str, tuple[str, str]] = {
    "xlsx.unknown_kind": ("渠道“{channel}”的类型 {kind} 还不能写进工作簿（已支持：{known}）", "channel '{channel}' is of kind {kind}, which the workbook cannot write yet (known: {known})"),
    "xlsx.unknown_kind.fix": ("在 report/plan_xlsx.py 的 KIND_CELLS 里为这种类型加上参数和公式", "add the kind's parameters and formula to KIND_CELLS in report/plan_xlsx.py"),
    "xlsx.multiplier": ("资源倍数", "Resource multiplier"),
    "xlsx.baseline_conversion": ("平日转化率", "Baseline conversion"),
    "xlsx.event_conversion": ("活动当天转化率", "Event-day conversion"),
    "xlsx.channel_order_value": ("渠道计价用客单价", "Order value used to price CPS channels"),
    "xlsx.platform_fee_rate": ("平台扣点", "Platform fee rate"),
    "xlsx.share_goal": ("份额商品需完成的目标", "Goal left to the share products"),
    "xlsx.param1": ("参数1（单价/费率）", "Parameter 1 (price or rate)"),
    "xlsx.param2": ("参数2（点击率/服务费/访客）", "Parameter 2 (CTR, fee or visitors)"),
    "xlsx.param3": ("参数3（客单价）", "Parameter 3 (order value)"),
    "xlsx.param4": ("参数4（转化率）", "Parameter 4 (conversion)"),
    "xlsx.cost_change": ("点击单价变动", "Cost-per-click change"),
    "xlsx.uv_factor": ("访客系数", "Visitor factor"),
    "xlsx.conversion_factor": ("转化系数", "Conversion factor"),
}
