"""The review's payment-reminder section (复盘·催付): its title, tables, columns, notes and the points unit.

The section is `dachu.analytics.review.reminders`; its metrics' names and definitions are `metric.<id>.*` in
`dachu.i18n.catalogue.metrics`.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "review.section.reminders": ("催付", "Payment reminders"),
    "review_report.unit.points": ("{v} 个百分点", "{v} pp"),
    # tables
    "review.table.reminder_messages": ("催付消息：发送、失败、跳过与费用", "Reminder messages: sent, failed, skipped, cost"),
    "review.table.reminder_effect": ("催付效果：与对照组相比", "What reminders won back, against the holdout"),
    "review.table.reminder_reasons": ("失败与跳过的原因", "Why messages failed or were skipped"),
    # columns
    "review.col.remind_kind": ("催付类型", "Reminder"),
    "review.col.failed": ("失败条数", "Failed"),
    "review.col.skipped": ("跳过条数", "Skipped"),
    "review.col.paid_after": ("催付后付款单数", "Paid after"),
    "review.col.holdout_paid": ("对照组后来付款单数", "Holdout paid later"),
    "review.col.lift_low": ("提升下限（95%）", "Lift, low (95%)"),
    "review.col.lift_high": ("提升上限（95%）", "Lift, high (95%)"),
    "review.col.verdict": ("结论", "Verdict"),
    "review.col.remind_state": ("状态", "State"),
    "review.col.remind_reason": ("原因", "Reason"),
    "review.col.messages": ("消息条数", "Messages"),
    # row labels
    "review.remind.kind.payment_reminder": ("催付（下单后）", "Payment reminder (after placing)"),
    "review.remind.kind.pre_close_reminder": ("临关单催付", "Before-close reminder"),
    "review.remind.kind.total": ("合计", "Total"),
    "review.remind.state.failed": ("失败", "Failed"),
    "review.remind.state.skipped": ("跳过", "Skipped"),
    "review.remind.reason.none": ("未注明", "Not given"),
    "review.remind.verdict.raised": ("催付提高了付款率", "Reminders raised the paid share"),
    "review.remind.verdict.lowered": ("催付后付款率反而更低", "The paid share was lower after reminders"),
    "review.remind.verdict.unclear": ("与对照组差异不显著", "Not distinguishable from the holdout"),
    "review.remind.verdict.too_few": ("对照组订单太少，无法判断", "Too few holdout orders to tell"),
    # notes
    "review.note.remind_not_sent": (
        "店铺数据的发件箱中没有催付消息：本次活动的催付不是由 dachu 发出的，因此这里不给出催付效果",
        "The store's outbox holds no reminder: dachu sent no payment reminders for this campaign, so none of "
        "their effect is reported here",
    ),
    "review.note.remind_holdout": (
        "对照组：按买家固定抽取 {share} 从不催付。对照组订单指活动当天下单、下单 {first} 分钟后仍未付款的订单"
        "（临关单催付：关闭前 {before} 分钟仍未付款）；催付订单指已发出的催付消息所涉及的当天订单，"
        "付款时间晚于消息发出时间才算催付后付款。提升 = 催付订单付款率 − 对照组付款率；"
        "挽回金额 = 提升 × 催付订单金额（只算催付带来的增量）；投入产出比 = 挽回金额 / 发送费用",
        "Holdout: a fixed {share} of buyers are never reminded. Holdout orders are the event day's orders of "
        "those buyers still unpaid {first} minutes after placing ({before} minutes before the close for the "
        "before-close reminder); reminded orders are the day's orders a sent reminder was about, paid after the "
        "reminder when paid after the message went out. Lift = reminded paid share − holdout paid share; "
        "recovered GMV = lift × the reminded orders' amount (the increment only); ROI = recovered GMV / cost",
    ),
    "review.note.remind_lift_raised": (
        "催付使付款率提高 {lift} 个百分点（95% 置信区间 {low} 至 {high}），提升在统计上显著",
        "Reminders raised the paid share by {lift} pp (95% interval {low} to {high} pp): a real lift",
    ),
    "review.note.remind_lift_lowered": (
        "催付订单的付款率比对照组低 {lift} 个百分点（95% 置信区间 {low} 至 {high}）",
        "Reminded orders paid {lift} pp less often than the holdout (95% interval {low} to {high} pp)",
    ),
    "review.note.remind_lift_unclear": (
        "提升 {lift} 个百分点，但 95% 置信区间 {low} 至 {high} 包含 0：与对照组的差异不显著",
        "Lift {lift} pp, but the 95% interval {low} to {high} pp includes 0: not distinguishable from the holdout",
    ),
    "review.note.remind_too_few": (
        "对照组只有 {orders} 笔订单（少于 {minimum} 笔），无法判断催付的效果，不计算提升与挽回金额",
        "The holdout has only {orders} orders (fewer than {minimum}): too few to tell what reminders won back; "
        "no lift or recovered GMV is stated",
    ),
    "review.note.remind_no_lift": (
        "没有可比较的催付订单或对照组订单，无法计算提升",
        "No reminded or no holdout orders to compare: no lift",
    ),
}
