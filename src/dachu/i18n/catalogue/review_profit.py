"""The review's profit section (利润): labels and notes. The lines' names are metrics (`metric.profit_*`)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "review.section.profit": ("利润", "Profit"),
    "review.table.profit_statement": ("扣除一切后的净利润", "Profit after everything"),
    "review.table.profit_goal": ("净利润对比目标（活动当天）", "Net profit against the targets (event day)"),
    "review.table.profit_by_product": ("按商品（活动当天，未扣广告与退款）", "By product (event day, before ads and refunds)"),
    "review.table.profit_by_channel": ("按渠道（活动当天）", "By channel (event day)"),
    "review.col.line": ("项目", "Line"),
    "review.col.event_day": ("活动当天", "Event day"),
    "review.col.campaign": ("整个活动期", "Whole campaign"),
    "review.col.target": ("目标", "Target"),
    "review.col.goal": ("目标值", "Goal"),
    "review.col.goal_met": ("是否达成", "Goal met"),
    "review.col.gap": ("差额（净利润 − 目标）", "Gap (net − goal)"),
    "review.col.contribution": ("商品贡献", "Contribution"),
    "review.col.cost_line": ("计入项目", "Cost line"),
    "review.note.profit_definition": (
        "净利润 = 支付金额 − 退款 − 商品成本 − 运费 − 平台扣点 − 佣金 − 广告花费 − 商家承担的优惠 − 坑位费 − 短信费用"
        "（见 dachu metrics）；满减和店铺券已从支付金额中扣除",
        "Net profit = paid GMV − refunds − product cost − shipping − platform fees − commissions − ad spend − "
        "merchant-borne offers − flat fees − message costs (see dachu metrics); threshold discounts and store "
        "coupons are already out of the paid GMV",
    ),
    "review.note.profit_planned": (
        "目标是 {metric}：保底和冲刺的净利润取计划中的净利润",
        "The goal is {metric}: the floor and stretch net profit are the plan's own",
    ),
    "review.note.profit_unknown": (
        "有一项费用未知（售出的商品在活动文件中没有成本，或有渠道却没有导入推广花费），净利润未知",
        "A cost line is unknown (a product sold has no cost in the campaign file, or the campaign has channels "
        "and no ad spend was imported), so the net profit is unknown",
    ),
}
