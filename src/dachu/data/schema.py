"""The canonical tables of the store, defined once (规范表结构).

Every importer maps a platform's export onto these tables; analytics read only these. Personal data
(names, phones, addresses, buyer nicknames, e-mails) lives in `contacts` alone: the analytics tables hold a
`buyer_key` (a one-way hash of platform and buyer account) and, for logistics, the province and city.

Conventions:
- Money is DECIMAL(18,2), exact to the fen (分); amounts are never negative (a refund is its own column).
- Times are the shop's wall-clock time (TIMESTAMP without zone) as the platform shows it; `tz_offset_min`
  holds the UTC offset in minutes when the export states one (Shopify) and 480 (UTC+8) for the Chinese
  platforms, so hours of the event day group correctly without a time-zone database.
- `platform` (taobao, tmall, jd, shopify, tianchi, generic) is part of every order key: ids of two
  platforms may collide.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MONEY = "DECIMAL(18,2)"


class OrderStatus(StrEnum):
    """The canonical order status (订单状态) every platform's values map onto."""

    PENDING_PAYMENT = "pending_payment"  # placed, not paid (等待买家付款)
    PAID = "paid"  # paid, not shipped (买家已付款，等待卖家发货)
    PARTIALLY_SHIPPED = "partially_shipped"  # some items shipped (卖家部分发货)
    SHIPPED = "shipped"  # shipped, waiting for the buyer to confirm (卖家已发货，等待买家确认)
    DELIVERED = "delivered"  # signed for, not yet confirmed (买家已签收)
    COMPLETED = "completed"  # confirmed / trade succeeded (交易成功)
    CLOSED = "closed"  # closed by buyer or seller, e.g. never paid or fully refunded (交易关闭)
    CLOSED_BY_PLATFORM = "closed_by_platform"  # closed by the platform (交易被淘宝关闭)
    REFUNDED = "refunded"  # paid then refunded in full (Shopify "refunded")
    PARTIALLY_REFUNDED = "partially_refunded"  # Shopify "partially_refunded"
    UNKNOWN = "unknown"  # a value no mapping knows; the raw value is kept in `status_raw`


STATUS_MAP: dict[str, OrderStatus] = {
    # Taobao / Tmall 订单报表 and 宝贝报表
    "等待买家付款": OrderStatus.PENDING_PAYMENT,
    "买家已付款，等待卖家发货": OrderStatus.PAID,
    "买家已付款,等待卖家发货": OrderStatus.PAID,
    "卖家部分发货": OrderStatus.PARTIALLY_SHIPPED,
    "卖家已发货，等待买家确认": OrderStatus.SHIPPED,
    "卖家已发货,等待买家确认": OrderStatus.SHIPPED,
    "买家已签收": OrderStatus.DELIVERED,
    "交易成功": OrderStatus.COMPLETED,
    "交易关闭": OrderStatus.CLOSED,
    "交易被淘宝关闭": OrderStatus.CLOSED_BY_PLATFORM,
    # JD 京东
    "等待付款": OrderStatus.PENDING_PAYMENT,
    "等待出库": OrderStatus.PAID,
    "等待发货": OrderStatus.PAID,
    "等待确认收货": OrderStatus.SHIPPED,
    "已发货": OrderStatus.SHIPPED,
    "完成": OrderStatus.COMPLETED,
    "已完成": OrderStatus.COMPLETED,
    "已取消": OrderStatus.CLOSED,
    "锁定": OrderStatus.CLOSED_BY_PLATFORM,
    # Shopify financial status (fulfilment refines paid → shipped in the importer)
    "pending": OrderStatus.PENDING_PAYMENT,
    "authorized": OrderStatus.PENDING_PAYMENT,
    "paid": OrderStatus.PAID,
    "partially_paid": OrderStatus.PAID,
    "refunded": OrderStatus.REFUNDED,
    "partially_refunded": OrderStatus.PARTIALLY_REFUNDED,
    "voided": OrderStatus.CLOSED,
}
"""Platform status text → canonical status. Unknown values map to `unknown`, never to a guess."""

BEHAVIOURS = ("pv", "fav", "cart", "buy")
"""Behaviour event types (浏览, 收藏, 加购, 购买), as in the Tianchi UserBehavior layout."""


@dataclass(frozen=True)
class Table:
    """One canonical table: its columns (name, DuckDB type) and the key an upsert matches on."""

    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    doc: str

    @property
    def column_names(self) -> tuple[str, ...]:
        """The column names in order."""
        return tuple(name for name, _ in self.columns)

    def ddl(self) -> str:
        """`CREATE TABLE IF NOT EXISTS` for this table."""
        cols = ",\n  ".join(f"{name} {typ}" for name, typ in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {cols}\n)"


ORDERS = Table(
    "orders",
    (
        ("platform", "VARCHAR NOT NULL"),
        ("order_id", "VARCHAR NOT NULL"),
        ("buyer_key", "VARCHAR"),  # hash of platform + buyer account; never the account itself
        ("status", "VARCHAR NOT NULL"),  # an OrderStatus value
        ("status_raw", "VARCHAR"),  # the platform's own status text
        ("close_reason", "VARCHAR"),
        ("created_at", "TIMESTAMP"),
        ("paid_at", "TIMESTAMP"),
        ("shipped_at", "TIMESTAMP"),
        ("completed_at", "TIMESTAMP"),
        ("tz_offset_min", "SMALLINT"),
        ("goods_amount", MONEY),  # goods payable before shipping (买家应付货款)
        ("shipping_fee", MONEY),  # shipping payable (买家应付邮费)
        ("total_amount", MONEY),  # order total (总金额)
        ("paid_amount", MONEY),  # what the buyer actually paid (买家实际支付金额); 0 when unpaid
        ("refund_amount", MONEY),  # refunded so far (退款金额)
        ("item_count", "INTEGER"),  # units in the order (宝贝总数量)
        ("title", "VARCHAR"),  # item titles as the platform lists them (宝贝标题)
        ("province", "VARCHAR"),  # shipping province, for logistics analytics
        ("city", "VARCHAR"),
        ("carrier", "VARCHAR"),  # 物流公司
        ("tracking_no", "VARCHAR"),  # 物流单号
        ("shop_id", "VARCHAR"),
        ("is_mobile", "BOOLEAN"),
        ("channel", "VARCHAR"),  # order source / channel as exported (订单来源, Source)
        # the deposit (定金) of a pre-sale order (预售), included in paid_amount once the balance is paid;
        # NULL for an ordinary order (migration 3)
        ("deposit_amount", MONEY),
    ),
    ("platform", "order_id"),
    "One row per order (订单). Amounts include shipping only in total/paid; refunds are not subtracted.",
)

ORDER_LINES = Table(
    "order_lines",
    (
        ("platform", "VARCHAR NOT NULL"),
        ("order_id", "VARCHAR NOT NULL"),
        ("line_no", "INTEGER NOT NULL"),  # 1-based position of the line within its order in the export
        ("sku", "VARCHAR"),  # merchant code (商家编码) or platform item id
        ("title", "VARCHAR"),
        ("attributes", "VARCHAR"),  # 商品属性 / variant
        ("unit_price", MONEY),
        ("quantity", "INTEGER"),
        ("status", "VARCHAR"),
        ("status_raw", "VARCHAR"),
    ),
    ("platform", "order_id", "line_no"),
    "One row per item line of an order (宝贝/商品行). unit_price is per unit before order discounts.",
)

PRODUCTS = Table(
    "products",
    (
        ("platform", "VARCHAR NOT NULL"),
        ("sku", "VARCHAR NOT NULL"),
        ("title", "VARCHAR"),
        ("last_price", MONEY),  # the latest unit price seen in an import
    ),
    ("platform", "sku"),
    "Products (商品) seen in imported order lines.",
)

TRAFFIC = Table(
    "traffic",
    (
        ("hour", "TIMESTAMP NOT NULL"),  # start of the hour, shop time
        ("source", "VARCHAR NOT NULL"),  # traffic source (流量来源)
        ("visitors", "BIGINT"),  # unique visitors (访客数, UV)
        ("page_views", "BIGINT"),  # 浏览量 (PV)
        ("buyers", "BIGINT"),  # paying buyers (支付买家数)
        # the page the visits landed on, `activity` or `store`, as the war room was told (migration 3); NULL
        # for imported traffic, whose export does not say
        ("page", "VARCHAR"),
    ),
    ("hour", "source"),
    "Traffic by hour and source (分时段流量).",
)

BEHAVIOUR_EVENTS = Table(
    "behaviour_events",
    (
        ("visitor_id", "VARCHAR NOT NULL"),
        ("item_id", "VARCHAR NOT NULL"),
        ("category_id", "VARCHAR"),
        ("behaviour", "VARCHAR NOT NULL"),  # pv | fav | cart | buy
        ("event_at", "TIMESTAMP NOT NULL"),  # UTC+8 wall time of the event
    ),
    ("visitor_id", "item_id", "behaviour", "event_at"),
    "Behaviour events (用户行为): a visitor viewed, favourited, carted or bought an item.",
)

AD_SPEND = Table(
    "ad_spend",
    (
        ("day", "DATE NOT NULL"),
        ("channel", "VARCHAR NOT NULL"),  # e.g. 直通车, 引力魔方, Google Ads
        ("campaign", "VARCHAR NOT NULL"),  # ad campaign name; '' when the file has none
        ("spend", MONEY),
        ("impressions", "BIGINT"),
        ("clicks", "BIGINT"),
        ("orders", "BIGINT"),  # orders the channel attributes to itself
        ("revenue", MONEY),  # revenue the channel attributes to itself
    ),
    ("day", "channel", "campaign"),
    "Advertising spend (推广花费) by day, channel and ad campaign.",
)

CS_SESSIONS = Table(
    "cs_sessions",
    (
        ("session_id", "VARCHAR NOT NULL"),
        ("agent", "VARCHAR"),  # customer-service agent (客服)
        ("buyer_key", "VARCHAR"),  # hashed buyer account
        ("started_at", "TIMESTAMP"),
        ("first_response_at", "TIMESTAMP"),
        ("replies", "INTEGER"),
        ("order_id", "VARCHAR"),  # the order the session led to, if any
        # sum over the agent's replies of the seconds each reply waited (migration 2); avg response time =
        # sum(reply_wait_seconds) / sum(replies). From the export's per-session 平均响应时间 × replies.
        ("reply_wait_seconds", "DOUBLE"),
    ),
    ("session_id",),
    "Customer-service sessions (客服接待).",
)

COMPLAINTS = Table(
    "complaints",
    (
        ("complaint_id", "VARCHAR NOT NULL"),  # 投诉/维权编号
        ("platform", "VARCHAR"),  # the platform of the order complained about; the store's when not given
        ("order_id", "VARCHAR"),  # 订单编号; NULL for a complaint about no order
        ("buyer_key", "VARCHAR"),  # hashed buyer account
        ("opened_at", "TIMESTAMP"),  # 发起时间
        ("kind", "VARCHAR"),  # 类型: 投诉, 维权 (售后纠纷), 小二介入 … as exported
        ("reason", "VARCHAR"),  # 原因 as exported
        ("status", "VARCHAR"),  # 状态 as exported (处理中, 已完结, 已撤销 …)
        ("closed_at", "TIMESTAMP"),  # 完结时间
    ),
    ("complaint_id",),
    "Complaints and disputes (投诉/维权), one row per case (migration 2).",
)

DSR_RATINGS = Table(
    "dsr_ratings",
    (
        ("platform", "VARCHAR NOT NULL"),
        ("order_id", "VARCHAR NOT NULL"),  # the order rated (one DSR rating per order)
        ("buyer_key", "VARCHAR"),  # hashed buyer account
        ("rated_at", "TIMESTAMP"),  # 评价时间
        ("description", "SMALLINT"),  # 描述相符, 1–5; NULL when not rated
        ("service", "SMALLINT"),  # 服务态度, 1–5
        ("logistics", "SMALLINT"),  # 物流服务, 1–5
    ),
    ("platform", "order_id"),
    "Shop ratings (店铺评分 DSR), one row per rated order, scores 1–5 (migration 2).",
)

SHIPMENTS = Table(
    "shipments",
    (
        ("platform", "VARCHAR NOT NULL"),  # the platform of the order shipped (taken from the store's orders)
        ("order_id", "VARCHAR NOT NULL"),  # 订单编号; an order the store holds (others are quarantined)
        ("carrier", "VARCHAR"),  # 物流公司
        ("tracking_no", "VARCHAR"),  # 运单号
        ("shipped_at", "TIMESTAMP"),  # 发货时间
        ("delivered_at", "TIMESTAMP"),  # 签收时间
    ),
    ("platform", "order_id"),
    "Shipments (发货明细) from the warehouse/ERP export, one row per shipped order (migration 2). Importing "
    "them sets `orders.shipped_at`.",
)

SHIPMENT_EVENTS = Table(
    "shipment_events",
    (
        ("tracking_no", "VARCHAR NOT NULL"),  # 运单号: matched to `shipments.tracking_no` when read
        ("carrier", "VARCHAR"),  # the tracker's carrier code (kuaidi100 `com`: shentong) or name (申通快递)
        ("event_at", "TIMESTAMP NOT NULL"),  # 轨迹时间, shop time
        ("code", "VARCHAR"),  # the tracker's state code (kuaidi100: 1001 到达派件城市, 204 派件异常…); '' if none
        ("status", "VARCHAR NOT NULL"),  # the tracker's state name (在途, 派件, 派件异常, 签收…)
        ("area", "VARCHAR"),  # the place of the event (kuaidi100 areaName: 广东,深圳市)
        ("source", "VARCHAR"),  # kuaidi100 (the push) or file (an imported 物流轨迹 download)
    ),
    ("tracking_no", "event_at", "status"),
    "Parcel tracking events (物流轨迹), one row per tracking event (migration 5). The event's free text (the "
    "courier's name and phone, a locker code) is not kept: the state, its code and the area say what the "
    "logistics notices need.",
)

DSR_ITEMS = ("description", "service", "logistics")
"""The three DSR items (描述相符, 服务态度, 物流服务), as columns of `dsr_ratings`."""

CONTACTS = Table(
    "contacts",
    (
        ("platform", "VARCHAR NOT NULL"),
        ("order_id", "VARCHAR NOT NULL"),
        ("buyer_key", "VARCHAR"),
        ("buyer_account", "VARCHAR"),  # 买家会员名 / 下单帐号 / Email
        ("receiver_name", "VARCHAR"),  # 收货人姓名
        ("phone", "VARCHAR"),  # 联系电话
        ("mobile", "VARCHAR"),  # 联系手机
        ("province", "VARCHAR"),
        ("city", "VARCHAR"),
        ("district", "VARCHAR"),
        ("street", "VARCHAR"),  # the rest of the address after the district
        ("address_raw", "VARCHAR"),  # the address as exported
    ),
    ("platform", "order_id"),
    "Personal data (联系人) per order, kept apart: no analytics query or report reads this table.",
)

QUARANTINE = Table(
    "quarantine",
    (
        ("file", "VARCHAR NOT NULL"),
        ("file_hash", "VARCHAR"),
        ("line", "BIGINT"),  # 1-based line in the file (the header is line 1)
        ("col", "VARCHAR"),  # the column as named in the file's header; '' for the whole row
        ("raw_value", "VARCHAR"),
        ("reason", "VARCHAR NOT NULL"),  # catalogue key, e.g. data_import.reason.bad_date
        ("reason_zh", "VARCHAR"),
        ("reason_en", "VARCHAR"),
        ("source", "VARCHAR"),  # the importer that read the file
        ("imported_at", "TIMESTAMP"),
        # migration 6: the row's table and key (`orders:2026…`; NULL when the key itself was the problem),
        # and when a later import brought the row in accepted (NULL: still open)
        ("row_key", "VARCHAR"),
        ("resolved_at", "TIMESTAMP"),
    ),
    (),
    "Rejected rows (隔离区): one row per rejected input row, naming the first problem found.",
)

IMPORT_LOG = Table(
    "import_log",
    (
        ("file", "VARCHAR NOT NULL"),
        ("file_hash", "VARCHAR NOT NULL"),
        ("source", "VARCHAR"),
        ("rows_read", "BIGINT"),
        ("inserted", "BIGINT"),
        ("updated", "BIGINT"),
        ("unchanged", "BIGINT"),
        ("rejected", "BIGINT"),
        ("seconds", "DOUBLE"),
        ("imported_at", "TIMESTAMP"),
    ),
    (),
    "One row per imported file (导入记录).",
)

OUTBOX = Table(
    "outbox",
    (
        ("key", "VARCHAR NOT NULL"),  # unique message key: <kind>:<recipient>:<day>
        ("seq", "BIGINT NOT NULL"),  # the row's number in planning order (1, 2, …): how the dispatcher names it
        ("kind", "VARCHAR NOT NULL"),  # payment_reminder, pre_close_reminder, notice, logistics_notice, team_alert
        ("recipient", "VARCHAR NOT NULL"),  # a buyer key or a robot's name; never a phone or an e-mail
        ("channel", "VARCHAR NOT NULL"),  # sms, email, webhook, dingtalk, feishu, wecom, file
        ("template", "VARCHAR"),
        ("variables", "VARCHAR"),  # the template's variables, JSON
        ("message_class", "VARCHAR"),  # notice or marketing
        ("reason", "VARCHAR"),  # the rule that planned it (catalogue key)
        ("order_ids", "VARCHAR[]"),  # the orders it is about, as planned (at send: those still unpaid)
        ("not_before", "TIMESTAMP NOT NULL"),  # shop time; quiet hours already applied
        ("expires_at", "TIMESTAMP"),  # not sent after this (the order closes)
        ("state", "VARCHAR NOT NULL"),  # planned, claimed, provider_called, sent, failed, skipped
        ("state_reason", "VARCHAR"),  # why skipped or failed: a catalogue key or the provider's code
        ("attempts", "INTEGER NOT NULL"),  # provider calls made that did not land (timeouts, 5xx)
        ("planned_at", "TIMESTAMP"),
        ("called_at", "TIMESTAMP"),  # marked provider_called (the last call)
        ("finished_at", "TIMESTAMP"),  # sent, failed or skipped
        # the orders the sent text was about when some planned ones were paid before it went; NULL: all of
        # order_ids (readers take coalesce(sent_order_ids, order_ids))
        ("sent_order_ids", "VARCHAR[]"),
        ("text", "VARCHAR"),  # the text as sent (templates carry no personal data)
        ("segments", "INTEGER"),  # SMS segments (计费条数) of the text
        ("cost", MONEY),  # segments × the SMS channel's price; 0 for other channels
        ("provider_id", "VARCHAR"),  # the provider's id (SMS BizId), for support tickets
        ("phone_digest", "VARCHAR"),  # keyed hash of the address, for the per-phone daily cap; never the address
    ),
    ("key",),
    "Messages (发件箱): one row per message a rule planned, moving planned → claimed → provider_called → "
    "sent | failed | skipped (migration 4). Rows are never deleted; no personal data.",
)

OPT_OUTS = Table(
    "opt_outs",
    (
        ("buyer_key", "VARCHAR NOT NULL"),
        ("channel", "VARCHAR"),  # the channel the reply came on (sms)
        ("reply", "VARCHAR"),  # the reply as received, when it is an opt-out word (TD, R, 退订)
        ("replied_at", "TIMESTAMP"),
    ),
    (),
    "Buyers who asked for no more messages (退订), by buyer key, honoured forever (migration 4).",
)

TABLES: tuple[Table, ...] = (
    ORDERS,
    ORDER_LINES,
    PRODUCTS,
    TRAFFIC,
    BEHAVIOUR_EVENTS,
    AD_SPEND,
    CS_SESSIONS,
    COMPLAINTS,
    DSR_RATINGS,
    SHIPMENTS,
    SHIPMENT_EVENTS,
    CONTACTS,
    QUARANTINE,
    IMPORT_LOG,
    OUTBOX,
    OPT_OUTS,
)
BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}
ANALYTICS_TABLES = tuple(t.name for t in TABLES if t.name not in ("contacts", "quarantine", "import_log"))
"""Tables analytics may read. `contacts` is not one of them; quarantine holds raw (possibly personal) text."""
ADDED_LATER: dict[str, tuple[str, ...]] = {
    "cs_sessions": ("reply_wait_seconds",),
    "orders": ("deposit_amount",),
    "traffic": ("page",),
    "quarantine": ("row_key", "resolved_at"),
    "complaints": COMPLAINTS.column_names,
    "dsr_ratings": DSR_RATINGS.column_names,
    "shipments": SHIPMENTS.column_names,
    "outbox": OUTBOX.column_names,
    "opt_outs": OPT_OUTS.column_names,
    "shipment_events": SHIPMENT_EVENTS.column_names,
}
"""Tables and columns a later migration added (table: columns; a whole table when all its columns are named).

A store written before that migration and opened read-only (the review) reads them as empty/NULL."""

LATER_TABLES: tuple[str, ...] = tuple(name for name, cols in ADDED_LATER.items() if cols == BY_NAME[name].column_names)
"""The tables a later migration added whole (a store without one of them is old, not foreign)."""
