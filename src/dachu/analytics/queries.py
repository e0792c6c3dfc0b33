"""The metric queries (指标查询): one Ibis expression per metric family and breakdown.

Each function returns an unexecuted Ibis table expression; `Source.rows` runs it. The metric ids of
`dachu.domain.metrics` name the output columns, and each metric is computed here only: the review's
headline, hourly curve, channel table and calibration all call the same function with a different
grouping.

Period rules (see `dachu.domain.metrics`): paid metrics (orders_paid, gmv_paid, paying_buyers) count
orders by their payment time (`paid_at` in the period); placing metrics (orders_placed, unpaid share)
by their creation time. Traffic counts hourly rows whose hour starts in the period; a day's visitors are
the sum of its hourly UV (a visitor seen in two hours counts twice — the traffic export is hourly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
from ibis import _

from dachu.analytics.source import Period, Source
from dachu.domain.metrics import RETURNING_BUYER_DAYS, RETURNING_VISITOR_DAYS

HOUR_S = 3600
DAY_S = 86400


def _in(col: ir.TimestampColumn, period: Period) -> ir.BooleanColumn:
    return (col >= period.start) & (col < period.end)


def _secs(col: ir.TimestampColumn) -> ir.IntegerColumn:
    return col.epoch_seconds()


def _n(cond: ir.BooleanValue) -> ir.IntegerScalar:
    """How many rows meet `cond` (COUNT(*) FILTER, a 64-bit integer)."""
    return _.count(where=cond)


def paid(src: Source, period: Period) -> ir.Table:
    """Orders paid in the period (by `paid_at`), refunded ones included."""
    o = src.orders
    return o.filter(o.paid_at.notnull(), _in(o.paid_at, period))


def sales(src: Source, period: Period, **by: ir.Value) -> ir.Table:
    """orders_paid, gmv_paid, paying_buyers in the period, grouped by `by` (e.g. hour=_.paid_at.hour())."""
    metrics = {
        "orders_paid": _.count(),
        "gmv_paid": _.paid_amount.sum(),
        "paying_buyers": _.buyer_key.nunique(),
    }
    p = paid(src, period)
    return p.group_by(**by).aggregate(**metrics) if by else p.aggregate(**metrics)


def sales_by_hour(src: Source, period: Period) -> ir.Table:
    """`sales` per hour of payment (分时)."""
    return sales(src, period, hour=_.paid_at.hour())


def sales_by_day(src: Source, period: Period) -> ir.Table:
    """`sales` per day of payment."""
    return sales(src, period, day=_.paid_at.date())


def placing(src: Source, period: Period, **by: ir.Value) -> ir.Table:
    """Orders placed in the period and what became of their payment.

    Columns: orders_placed; placed_paid (paid at any time). unpaid_share = 1 − placed_paid / orders_placed.
    What reminders won back is measured from the outbox (`dachu.analytics.remind_queries`), not from here.
    """
    o = src.orders
    placed = o.filter(o.created_at.notnull(), _in(o.created_at, period))
    metrics = {
        "orders_placed": _.count(),
        "placed_paid": _.paid_at.count(),
    }
    return placed.group_by(**by).aggregate(**metrics) if by else placed.aggregate(**metrics)


def traffic(src: Source, period: Period, **by: ir.Value) -> ir.Table:
    """Visitors (UV, summed over hourly rows), page_views (PV) and the export's buyers, grouped by `by`."""
    t = src.traffic
    rows = t.filter(_in(t.hour, period))
    metrics = {
        "visitors": _.visitors.sum().cast("int64"),
        "page_views": _.page_views.sum().cast("int64"),
        "traffic_buyers": _.buyers.sum().cast("int64"),
    }
    return rows.group_by(**by).aggregate(**metrics) if by else rows.aggregate(**metrics)


def behaviour(src: Source, period: Period) -> ir.Table:
    """Behaviour events in the period (用户行为), and which of their visitors came back (老访客).

    Columns: event_visitors (visitors with an event in the period), returning_visitors (of those, visitors
    with an event in the `RETURNING_VISITOR_DAYS` days before the period), favouriters, favourites (fav
    events), cart_adders, engaged (visitors who favourited or carted), items_viewed (distinct items of pv
    events). One row; the counts are 0 and favourites NULL when the period has no event.

    Three narrow passes instead of one per column: the visitors grouped once over the period and the days
    before it, keeping only their first and last event (a visitor's last event falls in the period exactly
    when they have one there, their first before it exactly when they came back); the favourite and cart
    events alone (a few percent of the events) grouped by visitor; the viewed items.
    """
    e = src.events
    since = period.start - dt.timedelta(days=RETURNING_VISITOR_DAYS)
    span = e.filter(e.event_at >= since, e.event_at < period.end)
    per = span.group_by("visitor_id").aggregate(first=_.event_at.min(), last=_.event_at.max())
    now = _.last >= period.start
    visitors = per.aggregate(event_visitors=_n(now), returning_visitors=_n(now & (_.first < period.start)))
    acts = e.filter(_in(e.event_at, period), e.behaviour.isin(["fav", "cart"]))
    per_act = acts.group_by("visitor_id").aggregate(favs=_n(_.behaviour == "fav"), carts=_n(_.behaviour == "cart"))
    engaged = per_act.aggregate(
        favouriters=_n(_.favs > 0), favourites=_.favs.sum(), cart_adders=_n(_.carts > 0), engaged=_.count()
    )
    items = e.filter(_in(e.event_at, period), e.behaviour == "pv").aggregate(items_viewed=_.item_id.nunique())
    out = visitors.cross_join(engaged).cross_join(items)
    # favourites: 0 when the period has events but no favourite or cart, NULL when it has no event at all
    favourites = ibis.ifelse(_.event_visitors > 0, _.favourites.fill_null(0), ibis.null("int64"))
    return out.select(
        "event_visitors",
        "favouriters",
        favourites=favourites,
        cart_adders=_.cart_adders,
        engaged=_.engaged,
        items_viewed=_.items_viewed,
        returning_visitors=_.returning_visitors,
    )


def returning_visitors(src: Source, period: Period) -> ir.Table:
    """Visitors with an event in the period, and those of them with one in the 6 days before (老访客).

    The columns `visitors` and `returning_visitors` of `behaviour` (which the funnel reads directly).
    """
    return behaviour(src, period).select(visitors=_.event_visitors, returning_visitors=_.returning_visitors)


def ads(src: Source, first: dt.date, last: dt.date, **by: ir.Value) -> ir.Table:
    """spend, impressions, clicks and the channel's self-attributed orders and revenue, days first–last."""
    a = src.ads
    rows = a.filter(a.day >= first, a.day <= last)
    metrics = {
        "spend": _.spend.sum(),
        "impressions": _.impressions.sum().cast("int64"),
        "clicks": _.clicks.sum().cast("int64"),
        "attributed_orders": _.orders.sum().cast("int64"),
        "attributed_revenue": _.revenue.sum(),
    }
    return rows.group_by(**by).aggregate(**metrics) if by else rows.aggregate(**metrics)


def product_sales(src: Source, period: Period, **by: ir.Value) -> ir.Table:
    """units_sold and product_sales (unit price × quantity) of the lines of orders paid in the period."""
    p = paid(src, period).select("platform", "order_id", "paid_at")
    ln = src.lines
    joined = ln.join(p, [ln.platform == p.platform, ln.order_id == p.order_id])
    return joined.group_by(**by).aggregate(
        units_sold=_.quantity.sum().cast("int64"), product_sales=(_.unit_price * _.quantity).sum()
    )


def product_sales_by_hour(src: Source, period: Period) -> ir.Table:
    """`product_sales` per sku and hour of payment, with each sku's own totals over the period on every row.

    Columns: sku, hour, units_sold, product_sales (of that hour); sku_units_sold, sku_product_sales (of the
    whole period: the sums of the sku's hours, NULL only where every hour's is). One join of the lines to
    the paid orders gives both the sell-out hour and the product table.
    """
    h = product_sales(src, period, sku=_.sku, hour=_.paid_at.hour())
    return h.mutate(
        sku_units_sold=h.units_sold.sum().over(group_by=h.sku).cast("int64"),
        sku_product_sales=h.product_sales.sum().over(group_by=h.sku),
    )


def service(src: Source, period: Period, **by: ir.Value) -> ir.Table:
    """Customer service per grouping of the sessions started in the period (e.g. agent=_.agent).

    cs_sessions; cs_buyers (distinct buyers who chatted); chat_paid_buyers (of those, buyers who paid an
    order in the period, matched by buyer or by the order the session led to); cs_sales, cs_paying_buyers,
    cs_refund_amount, cs_orders (orders a session led to, paid in the period, each order once);
    first_response_seconds (mean over answered sessions); replies; avg_response_seconds (sum of the
    reply waits / replies, over the sessions that give both: 平均响应时间 weighted by replies).
    """
    s = src.cs.filter(_in(src.cs.started_at, period))
    # the chatting buyers who paid: a semi-join of the few chatting buyers against the period's payers, not
    # the distinct payers of the whole period (many more) joined afterwards
    chatting = s.select(pb=_.buyer_key).distinct()
    p = paid(src, period)
    payers = chatting.semi_join(p, chatting.pb == p.buyer_key)
    led = paid(src, period).select(oid=_.order_id, amount=_.paid_amount, refund=_.refund_amount, ob=_.buyer_key)
    wait = _secs(_.first_response_at) - _secs(_.started_at)
    j = s.left_join(payers, s.buyer_key == payers.pb).left_join(led, s.order_id == led.oid)
    per = j.mutate(wait=wait)
    metrics = {
        "cs_sessions": _.session_id.nunique(),
        "cs_buyers": _.buyer_key.nunique(),
        "chat_paid_buyers": _.buyer_key.nunique(where=_.pb.notnull() | _.oid.notnull()),
        "first_response_seconds": _.wait.mean(),
        "replies": _.replies.sum().cast("int64"),
        # avg_response_seconds: sessions that state their reply waits (older exports do not) weigh by replies
        "avg_response_seconds": _.reply_wait_seconds.sum(where=_.replies.notnull())
        / _.replies.sum(where=_.reply_wait_seconds.notnull()).nullif(0),
    }
    sessions = per.group_by(**by).aggregate(**metrics) if by else per.aggregate(**metrics)
    # an order led to by two sessions counts once: de-duplicate before summing money
    keys = list(by)
    orders = per.filter(_.oid.notnull()).mutate(**by).select(*keys, "oid", "amount", "refund", "ob").distinct()
    money = {
        "cs_sales": _.amount.sum(),
        "cs_paying_buyers": _.ob.nunique(),
        "cs_refund_amount": _.refund.sum(),
        "cs_orders": _.count(),
    }
    if not keys:
        return sessions.cross_join(orders.aggregate(**money))
    led_money = orders.group_by(keys).aggregate(**money).rename({f"k_{k}": k for k in keys})
    return sessions.left_join(led_money, [sessions[k] == led_money[f"k_{k}"] for k in keys]).drop(
        *[f"k_{k}" for k in keys]
    )


def shipping(src: Source, period: Period, cities: Sequence[str] = ()) -> ir.Table:
    """Orders paid in the period: how fast they shipped, and their refunds.

    Shipped within 24 h / 48 h / 7 days of payment; orders to `cities` and those of them shipped within
    2 days; refunded orders and refund_amount.
    """
    lag = _secs(_.shipped_at) - _secs(_.paid_at)
    shipped = _.shipped_at.notnull()
    pri = _.city.isin(list(cities)) if cities else ibis.literal(False)
    return paid(src, period).aggregate(
        orders_paid=_.count(),
        within_24h=_n(shipped & (lag <= 24 * HOUR_S)),
        within_48h=_n(shipped & (lag <= 48 * HOUR_S)),
        within_7d=_n(shipped & (lag <= 7 * DAY_S)),
        priority_orders=_n(pri),
        priority_within_2d=_n(pri & shipped & (lag <= 2 * DAY_S)),
        shipped_orders=_n(shipped),
        refunded_orders=_n(_.refund_amount > 0),
        refund_amount=_.refund_amount.sum(),
    )


def backlog_flows(src: Source, since: dt.date) -> tuple[ir.Table, ir.Table]:
    """Orders paid since `since` per day of payment, and those shipped per day of shipping.

    Orders refunded in full before they shipped never enter the queue and are left out. The backlog at
    the end of day d = paid up to d − shipped up to d (`dachu.analytics.review.logistics` adds the flows up).
    """
    o = src.orders
    start = dt.datetime.combine(since, dt.time())
    queued = o.filter(
        o.paid_at.notnull(),
        o.paid_at >= start,
        ~(o.shipped_at.isnull() & (o.refund_amount >= o.paid_amount) & (o.refund_amount > 0)),
    )
    paid_by_day = queued.group_by(day=_.paid_at.date()).aggregate(n=_.count())
    shipped_by_day = queued.filter(_.shipped_at.notnull()).group_by(day=_.shipped_at.date()).aggregate(n=_.count())
    return paid_by_day, shipped_by_day


def _payers(src: Source, period: Period) -> ir.Table:
    return paid(src, period).select("buyer_key").distinct()


def _earlier_payers(src: Source, period: Period, now: ir.Table) -> ir.Table:
    """Of the buyers `now` (column buyer_key), those who paid in the 365 days before the period (老买家).

    A semi-join: the year's paid orders are looked up in the period's payers (few) rather than grouped by
    buyer first (every buyer of the year).
    """
    before = paid(src, Period(period.start - dt.timedelta(days=RETURNING_BUYER_DAYS), period.start))
    return now.semi_join(before, now.buyer_key == before.buyer_key)


def buyer_kinds(src: Source, period: Period) -> ir.Table:
    """Paying buyers of the period, returning (paid in the 365 days before) or new (老买家/新买家).

    The `repurchase` cohorts' paying buyers added up (the review reads them from `repurchase` directly).
    """
    cohorts = repurchase(src, period, ())
    return cohorts.aggregate(
        paying_buyers=_.paying_buyers.sum().fill_null(0).cast("int64"),
        returning_buyers=_.paying_buyers.sum(where=_.returning).fill_null(0).cast("int64"),
    )


def repurchase(src: Source, period: Period, windows: Sequence[int]) -> ir.Table:
    """Repurchase per cohort (returning true/false) of the period's paying buyers.

    Columns: returning; buyers (the cohort's distinct buyer keys, an unknown buyer counting as one);
    paying_buyers (the same without the unknown buyer: the metric); `rep_<n>`: how many paid again within
    n days after the period ended.
    """
    now = _payers(src, period)
    earlier = _earlier_payers(src, period, now).select(eb=_.buyer_key)
    o = src.orders
    after = o.filter(o.paid_at.notnull(), o.paid_at >= period.end)
    later = (
        after.semi_join(now, after.buyer_key == now.buyer_key)  # only the period's payers: fewer groups
        .group_by(nb=_.buyer_key)
        .aggregate(next_paid=_.paid_at.min())
    )
    j = now.left_join(earlier, now.buyer_key == earlier.eb).left_join(later, now.buyer_key == later.nb)
    metrics: dict[str, ir.Value] = {"buyers": _.count(), "paying_buyers": _.buyer_key.count()}
    for n in windows:
        metrics[f"rep_{n}"] = _n(_.next_paid < period.end + dt.timedelta(days=n))
    return j.group_by(returning=_.eb.notnull()).aggregate(**metrics)


def data_end(src: Source) -> ir.Table:
    """The latest order time the store holds (`last_created`, `last_paid`): how far the data reaches.

    `covered_until` is when the data stops: the last order time, or the end of the last day (its next
    midnight) when every order time is a date alone (an export of dates: the whole last day is in it).
    """
    o = src.orders
    last = o.created_at.max()
    dates_only = (o.created_at == o.created_at.truncate("D")).all()
    return o.aggregate(
        last_created=last,
        last_paid=o.paid_at.max(),
        covered_until=ibis.ifelse(dates_only, last + ibis.interval(days=1), last),
    )


def message_cost(src: Source, period: Period) -> ir.Table:
    """`message_cost`: the cost of the outbox's messages sent (state sent) with their call in the period."""
    ob = src.outbox
    return ob.filter(ob.state == "sent", ob.called_at.notnull(), _in(ob.called_at, period)).aggregate(
        message_cost=_.cost.sum()
    )
