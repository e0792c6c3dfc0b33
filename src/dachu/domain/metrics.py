"""The metrics dictionary (指标字典): every figure dachu reports, defined once.

Each `Metric` has an id, a unit, a formula written over other metric ids or store columns, and catalogue
keys for its name and definition (`metric.<id>.name`, `metric.<id>.definition`, in
`dachu.i18n.catalogue.metrics`). Definitions follow docs/domain.md §9 (the seed's "117 operating indicators"):
客单价 AOV = paid amount / paying buyers, 支付转化率 = paying buyers / visitors, 老访客 = visited in the 6 days
before, 老买家 = paid in the 365 days before the period, 询单转化率 = buyers who chatted and paid / buyers who
chatted. `dachu.analytics` computes each metric in exactly one function; the faces (`dachu metrics`, the
review's tables) show these definitions.

Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MetricUnit = Literal[
    "yuan", "count", "rate", "points", "seconds", "hours", "days", "ratio", "text", "date", "datetime", "hour"
]
"""Same vocabulary as `dachu.analytics.review_model.Unit` (rate = share 0–1, ratio = plain multiple)."""

Group = Literal[
    "traffic",
    "sales",
    "funnel",
    "reminders",
    "channels",
    "products",
    "service",
    "logistics",
    "after_sale",
    "customers",
    "profit",
]

RETURNING_VISITOR_DAYS = 6
"""A visitor is 老访客 (returning) when they visited in the 6 days before this visit (docs/domain.md §9)."""
RETURNING_BUYER_DAYS = 365
"""A buyer is 老买家 (returning) when they paid in the 365 days before the period (docs/domain.md §9)."""
REPURCHASE_DAYS = (15, 30, 60)
"""Repurchase windows after the event day (docs/domain.md §7: care for new customers 15–20 days later)."""
PRIORITY_CITY_DAYS = 2
"""Priority cities are measured on delivery-side shipping within 2 days of payment."""
DSR_LOW_SCORE = 4
"""A DSR low-score buyer rates the DSR items at a mean below 4 (docs/domain.md §9)."""
DSR_DAYS = 180
"""DSR is the mean of the ratings of the last 180 days (docs/domain.md §8)."""


@dataclass(frozen=True)
class Metric:
    """One defined metric.

    `formula` is language-neutral text over other metric ids (`gmv_paid / paying_buyers`) or, for base
    counts, over store columns (`sum(orders.paid_amount) where paid`). `numerator`/`denominator` are the two sides
    of a ratio as written in the formula (metric ids where they are metrics; None for base measures).
    """

    id: str
    unit: MetricUnit
    group: Group
    formula: str
    numerator: str | None = None
    denominator: str | None = None

    @property
    def name_key(self) -> str:
        """Catalogue key of the metric's name (zh and en)."""
        return f"metric.{self.id}.name"

    @property
    def definition_key(self) -> str:
        """Catalogue key of the metric's definition (what it includes and excludes)."""
        return f"metric.{self.id}.definition"


def _ratio(mid: str, unit: MetricUnit, group: Group, num: str, den: str) -> Metric:
    return Metric(mid, unit, group, f"{num} / {den}", num, den)


PAID = "paid_at in the period"

METRICS: tuple[Metric, ...] = (
    # traffic (流量)
    Metric(
        "visitors", "count", "traffic", "count(distinct visitor) over store and item pages; all devices = PC + mobile"
    ),
    Metric("page_views", "count", "traffic", "count(page views), repeats counted"),
    _ratio("pv_per_visitor", "ratio", "traffic", "page_views", "visitors"),
    Metric(
        "returning_visitors", "count", "traffic", f"visitors who visited in the {RETURNING_VISITOR_DAYS} days before"
    ),
    Metric("new_visitors", "count", "traffic", "visitors - returning_visitors"),
    _ratio("returning_visitor_share", "rate", "traffic", "returning_visitors", "new_visitors + returning_visitors"),
    Metric("favouriters", "count", "traffic", "count(distinct visitor) with a fav event"),
    Metric("favourites", "count", "traffic", "count(fav events)"),
    Metric("cart_adders", "count", "traffic", "count(distinct visitor) with a cart event"),
    Metric("items_viewed", "count", "traffic", "count(distinct item) with UV > 0"),
    # sales (销售)
    Metric("orders_placed", "count", "sales", "count(orders) created in the period"),
    Metric("orders_paid", "count", "sales", f"count(orders) where {PAID}"),
    Metric("paying_buyers", "count", "sales", f"count(distinct buyer_key) where {PAID}"),
    Metric("gmv_paid", "yuan", "sales", f"sum(paid_amount) where {PAID}"),
    _ratio("aov", "yuan", "sales", "gmv_paid", "paying_buyers"),
    _ratio("paid_per_order", "yuan", "sales", "gmv_paid", "orders_paid"),
    _ratio("conversion", "rate", "sales", "paying_buyers", "visitors"),
    # funnel (漏斗)
    _ratio("unpaid_share", "rate", "funnel", "orders placed and never paid", "orders_placed"),
    # payment reminders (催付), measured from the outbox (dachu.analytics.remind_queries)
    Metric("reminders_sent", "count", "reminders", "count(outbox rows) of reminder kinds where state = sent"),
    Metric("reminder_segments", "count", "reminders", "sum(outbox.segments) of sent reminders"),
    Metric("reminder_cost", "yuan", "reminders", "sum(outbox.cost) of sent reminders"),
    Metric("reminded_orders", "count", "reminders", "count(distinct outbox.sent_order_ids) of sent reminders"),
    _ratio(
        "paid_after_reminder",
        "rate",
        "reminders",
        "reminded_orders with orders.paid_at > the reminder's outbox.called_at",
        "reminded_orders",
    ),
    Metric(
        "paid_after_reminder_gmv",
        "yuan",
        "reminders",
        "sum(paid_amount) of reminded_orders with orders.paid_at > the reminder's outbox.called_at",
    ),
    Metric(
        "holdout_orders",
        "count",
        "reminders",
        "orders of holdout buyers unpaid at created_at + remind.first_after_minutes (before close: at close - "
        "remind.before_close_minutes)",
    ),
    _ratio("holdout_paid_rate", "rate", "reminders", "holdout_orders paid after that moment", "holdout_orders"),
    Metric("reminder_lift", "points", "reminders", "paid_after_reminder - holdout_paid_rate"),
    Metric("recovered_gmv", "yuan", "reminders", "reminder_lift * sum(total_amount) of reminded_orders"),
    _ratio("reminder_roi", "ratio", "reminders", "recovered_gmv", "reminder_cost"),
    # channels (渠道)
    Metric("spend", "yuan", "channels", "sum(ad_spend.spend)"),
    Metric("clicks", "count", "channels", "sum(ad_spend.clicks)"),
    Metric("impressions", "count", "channels", "sum(ad_spend.impressions)"),
    _ratio("ctr", "rate", "channels", "clicks", "impressions"),
    _ratio("cost_per_click", "yuan", "channels", "spend", "clicks"),
    _ratio("roi", "ratio", "channels", "attributed_revenue", "spend"),
    _ratio("cost_per_order", "yuan", "channels", "spend", "attributed_orders"),
    # products (商品)
    Metric("units_sold", "count", "products", f"sum(order_lines.quantity) where the order is {PAID}"),
    Metric("product_sales", "yuan", "products", "sum(unit_price * quantity) of paid lines"),
    _ratio("sell_through", "rate", "products", "units_sold", "stock"),
    Metric("sell_out_hour", "hour", "products", "first hour of the event day when cumulative units_sold >= stock"),
    _ratio("sales_share", "rate", "products", "product_sales", "sum(product_sales)"),
    Metric("margin_after_promotion", "yuan", "products", "product_sales - units_sold * unit_cost - promotion cost"),
    # service (客服)
    Metric("cs_sessions", "count", "service", "count(cs_sessions)"),
    Metric("cs_buyers", "count", "service", "count(distinct buyer_key) with a CS session"),
    _ratio("inquiry_rate", "rate", "service", "cs_buyers", "visitors"),
    _ratio("inquiry_conversion", "rate", "service", "cs_buyers who paid", "cs_buyers"),
    Metric("cs_sales", "yuan", "service", "sum(paid_amount) of paid orders a CS session led to"),
    _ratio("cs_aov", "yuan", "service", "cs_sales", "cs paying buyers"),
    Metric("first_response_seconds", "seconds", "service", "mean(first_response_at - started_at)"),
    Metric(
        "avg_response_seconds",
        "seconds",
        "service",
        "sum(cs_sessions.reply_wait_seconds) / sum(replies) of sessions with reply waits",
    ),
    Metric("cs_refund_amount", "yuan", "service", "sum(refund_amount) of orders a CS session led to"),
    _ratio("cs_sales_share", "rate", "service", "cs_sales", "gmv_paid"),
    # logistics (物流)
    _ratio("shipped_within_24h", "rate", "logistics", "paid orders shipped within 24 h of payment", "orders_paid"),
    _ratio("shipped_within_48h", "rate", "logistics", "paid orders shipped within 48 h of payment", "orders_paid"),
    _ratio("shipped_within_7d", "rate", "logistics", "paid orders shipped within 7 days of payment", "orders_paid"),
    _ratio(
        "priority_within_2d",
        "rate",
        "logistics",
        f"paid orders to priority cities shipped within {PRIORITY_CITY_DAYS} days",
        "paid orders to priority cities",
    ),
    Metric("backlog", "count", "logistics", "paid orders not shipped at the end of the day"),
    # after sale (售后)
    _ratio("refund_rate", "rate", "after_sale", "paid orders with refund_amount > 0", "orders_paid"),
    Metric("refund_amount", "yuan", "after_sale", "sum(refund_amount) of paid orders"),
    _ratio("complaint_rate", "rate", "after_sale", "paid orders with a complaint (投诉/维权)", "orders_paid"),
    Metric(
        "dsr", "ratio", "after_sale", f"mean of the {DSR_DAYS} days' mean ratings on description, service, logistics"
    ),
    Metric("dsr_low_score_buyers", "count", "after_sale", f"buyers whose mean rated DSR item < {DSR_LOW_SCORE}"),
    # customers (客户)
    Metric(
        "returning_buyers",
        "count",
        "customers",
        f"paying_buyers who paid in the {RETURNING_BUYER_DAYS} days before the period",
    ),
    Metric("new_buyers", "count", "customers", "paying_buyers - returning_buyers"),
    _ratio("returning_buyer_share", "rate", "customers", "returning_buyers", "paying_buyers"),
    *(
        _ratio(
            f"repurchase_{n}d",
            "rate",
            "customers",
            f"event buyers who paid again within {n} days after",
            "paying_buyers",
        )
        for n in REPURCHASE_DAYS
    ),
    Metric("rfm_segment", "text", "customers", "R, F, M each scored ceil(5 k / n); segment by R and (F + M) / 2"),
    # profit after everything (扣除一切后的净利润): dachu.domain.profit, the lines in its order
    Metric("profit_product_cost", "yuan", "profit", "sum(quantity * unit_cost) of paid lines"),
    Metric("profit_shipping", "yuan", "profit", "sum(quantity * shipping_cost) of paid lines"),
    Metric("profit_platform_fees", "yuan", "profit", "sum(unit_price * quantity * platform_fee_rate) of paid lines"),
    Metric(
        "profit_commissions",
        "yuan",
        "profit",
        "sum(ad_spend.spend) of cps channels + promotion orders * (commission * promo_price + service_fee)",
    ),
    Metric("profit_ad_spend", "yuan", "profit", "sum(ad_spend.spend) of cpc, cpm and other paid channels"),
    Metric("profit_offers", "yuan", "profit", "promotion orders * gift_cost"),
    Metric("profit_flat_fees", "yuan", "profit", "sum(ad_spend.spend) of flat channels"),
    Metric(
        "profit_message_costs",
        "yuan",
        "profit",
        "sum(ad_spend.spend) of sms channels + sum(outbox.cost) of sent messages",
    ),
    Metric(
        "net_profit",
        "yuan",
        "profit",
        "gmv_paid - refund_amount - profit_product_cost - profit_shipping - profit_platform_fees - profit_commissions"
        " - profit_ad_spend - profit_offers - profit_flat_fees - profit_message_costs",
    ),
)
"""Every metric, in the order `dachu metrics` prints them."""

RFM_SEGMENTS = ("champions", "loyal", "promising", "needs_attention", "at_risk", "hibernating")
"""RFM segments (客户分层), best first; names are catalogue keys `review.rfm.<segment>`. The scores and the
segment rule are `dachu.analytics.rfm` (`rfm_score`, `rfm_segment`); here they are only named and defined."""


BY_ID: dict[str, Metric] = {m.id: m for m in METRICS}


def metric(metric_id: str) -> Metric:
    """The metric with this id; KeyError if there is none."""
    return BY_ID[metric_id]
