"""Messages of the automation faces: `dachu remind`, the outbox and the dispatcher (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "automation.remind.help": (
        "催付：从数据仓读取未付款订单，按 remind: 规则排期，发送已到时间的提醒（--dry-run 只看不发）",
        "Payment reminders: plan from the store's unpaid orders by the remind: rules and send those due "
        "(--dry-run shows them without sending)",
    ),
    "automation.arg.file": ("活动方案文件（campaign.yaml）", "The campaign file (campaign.yaml)"),
    "automation.opt.store": ("数据仓文件（默认为方案旁的 dachu.duckdb）", "The store (default: dachu.duckdb beside the campaign)"),
    "automation.opt.now": (
        "按此店铺时间运行（ISO 8601，如 2026-11-11T10:30；默认现在）",
        "Run as of this shop time (ISO 8601, e.g. 2026-11-11T10:30; default now)",
    ),
    "automation.opt.dry_run": ("只列出将发送的提醒与跳过原因，不写发件箱、不发送", "List what would be sent and why orders are skipped; write and send nothing"),
    "automation.opt.explain": ("解释某个订单：哪条规则触发、哪个条件拦下、何时发送", "Explain one order: which rule fired, which filter stopped it, when it will send"),
    "automation.no_store": (
        "找不到数据仓 {path}：先用 dachu import 导入订单，或用 --store 指定",
        "No store at {path}: import orders first (dachu import) or name one with --store",
    ),
    "automation.bad_now": ("--now 的值 {value} 不是时间：请写成 2026-11-11T10:30", "--now {value} is not a time: write it like 2026-11-11T10:30"),
    "automation.not_unpaid": (
        "订单 {order_id} 不在数据仓的未付款订单中（已付款、已关闭或不存在），无需催付",
        "Order {order_id} is not among the store's unpaid orders (paid, closed or unknown): nothing to remind",
    ),
    "automation.explain.title": ("订单 {order} 于 {now} 的催付判定：", "Payment reminders for order {order} as of {now}:"),
    "automation.remind.summary": (
        "{now}：计划提醒 {actions} 条（已到时间 {due} 条，稍后 {later} 条），跳过订单 {skipped} 笔",
        "{now}: {actions} reminders planned ({due} due, {later} later); {skipped} orders skipped",
    ),
    "automation.remind.sent": (
        "已发送 {sent} 条，失败 {failed} 条，发送时跳过 {skipped} 条，待服务商回执确认 {waiting} 条",
        "Sent {sent}, failed {failed}, skipped at send time {skipped}, waiting for the provider's record {waiting}",
    ),
    "automation.remind.dry_run": ("试运行：未写入发件箱，未发送任何消息", "Dry run: nothing written to the outbox, nothing sent"),
    "automation.remind.reasons": ("跳过与失败原因", "Why skipped or failed"),
    "automation.col.reason": ("原因", "Reason"),
    "automation.col.count": ("数量", "Count"),
    "outbox.no_sender": (
        "没有为该渠道配置发送通道：在方案的 senders: 段中配置",
        "No sender is configured for this channel: add it to the campaign's senders: section",
    ),
    "outbox.unconfirmed": (
        "崩溃前已调用服务商，但该渠道无法查询是否送达：为避免重复发送，不再重发",
        "The provider was called before a crash and this channel cannot say whether it landed: not sent again",
    ),
    "outbox.no_address": ("联系人中没有该买家的手机号或邮箱", "No phone or e-mail for this buyer in contacts"),
    "outbox.unknown_kind": ("没有该类消息的发送检查，未发送", "No send-time check knows this kind of message: not sent"),
    "outbox.gave_up": ("多次发送失败，已放弃", "Failed on every try; given up"),
    "outbox.not_received": ("服务商没有该消息的记录：重新发送", "The provider has no record of it: sent again"),
}
