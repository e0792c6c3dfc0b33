"""The after-sale metric queries (售后指标): complaint rate, DSR and DSR low-score buyers.

Same rules as `dachu.analytics.queries`: each function returns an unexecuted Ibis expression, and each
metric is computed here only.

- complaint_rate (投诉率) = paid orders of the period with at least one complaint case (投诉/维权) /
  orders paid in the period. A cohort rate: complaints about the event day's orders count whenever they
  were opened (up to the data's end); cases about no order, or about an order paid another day, do not.
  An order with two cases counts once (the `complaints` column counts cases).
- dsr (店铺评分): over the ratings of the `DSR_DAYS` days up to `as_of` (docs/domain.md §8), the mean of each
  item (描述相符, 服务态度, 物流服务) over the ratings that gave it, and `dsr` the mean of the items' means.
- dsr_low_score_buyers (DSR 低分买家): buyers whose mean of the DSR items they rated in that window, all
  their ratings together, is below `DSR_LOW_SCORE` (docs/domain.md §9). Ratings without a buyer are left out.
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir
from ibis import _

from dachu.analytics.queries import paid
from dachu.analytics.source import Period, Source
from dachu.data.schema import DSR_ITEMS
from dachu.domain.metrics import DSR_DAYS, DSR_LOW_SCORE


def complaints(src: Source, period: Period) -> ir.Table:
    """orders_paid, complained_orders, complaints (cases) and complaint_rate of the orders paid in `period`."""
    p = paid(src, period)
    # the complaints per order first (small), then joined to the period's paid orders (large)
    c = src.complaints.filter(_.order_id.notnull()).group_by(cp=_.platform, co=_.order_id).aggregate(cases=_.count())
    hit = p.select("platform", "order_id").join(c, [p.platform == c.cp, p.order_id == c.co])
    found = hit.aggregate(complained_orders=_.count(), complaints=_.cases.sum().cast("int64"))
    total = p.aggregate(orders_paid=_.count())
    return total.cross_join(found).mutate(
        complaint_rate=_.complained_orders.cast("float64") / _.orders_paid.nullif(0)
    )


def complaint_count(src: Source) -> ir.Table:
    """How many complaint cases the store holds at all (`n`): none means the data was never imported."""
    return src.complaints.aggregate(n=_.count())


def complaint_reasons(src: Source, period: Period) -> ir.Table:
    """Cases about the orders paid in `period`, per kind and reason as exported (reason, kind, complaints)."""
    p = paid(src, period).select(pp=_.platform, po=_.order_id)
    c = src.complaints
    j = c.join(p, [c.platform == p.pp, c.order_id == p.po])
    return j.group_by("kind", "reason").aggregate(complaints=_.count())


def dsr_window(as_of: dt.datetime) -> Period:
    """The DSR window: the `DSR_DAYS` days before `as_of`."""
    return Period(as_of - dt.timedelta(days=DSR_DAYS), as_of)


def dsr(src: Source, as_of: dt.datetime) -> ir.Table:
    """DSR over the window to `as_of`: `<item>` mean and `<item>_ratings` per item, `dsr`, `ratings`.

    `dsr_low_score_buyers` and `rated_buyers` (buyers with at least one score) come in the same row.
    """
    w = dsr_window(as_of)
    r = src.dsr.filter(_.rated_at >= w.start, _.rated_at < w.end)
    metrics: dict[str, ir.Value] = {"ratings": _.count()}
    for item in DSR_ITEMS:
        metrics[item] = _[item].cast("float64").mean()
        metrics[f"{item}_ratings"] = _[item].count()
    items = r.aggregate(**metrics)
    means = [items[i] for i in DSR_ITEMS]
    given = sum((m.notnull().cast("int64") for m in means), ibis.literal(0))
    total = sum((m.fill_null(0) for m in means), ibis.literal(0.0))
    items = items.mutate(dsr=total / given.nullif(0))
    score_sum = sum((r[i].cast("int64").fill_null(0) for i in DSR_ITEMS), ibis.literal(0))
    score_n = sum((r[i].notnull().cast("int64") for i in DSR_ITEMS), ibis.literal(0))
    per = (
        r.filter(r.buyer_key.notnull())
        .mutate(s=score_sum, n=score_n)
        .group_by("buyer_key")
        .aggregate(s=_.s.sum(), n=_.n.sum())
        .filter(_.n > 0)
    )
    low = per.aggregate(
        rated_buyers=_.count(),
        dsr_low_score_buyers=_.count(where=_.s.cast("float64") / _.n < DSR_LOW_SCORE),
    )
    return items.cross_join(low)


def dsr_scores(src: Source, as_of: dt.datetime) -> ir.Table:
    """Ratings in the window per item and score: item, score, ratings (for the shares of 5 … 1)."""
    w = dsr_window(as_of)
    r = src.dsr.filter(_.rated_at >= w.start, _.rated_at < w.end)
    parts = [
        r.filter(r[i].notnull()).group_by(score=r[i]).aggregate(ratings=_.count()).mutate(item=ibis.literal(i))
        for i in DSR_ITEMS
    ]
    return parts[0].union(*parts[1:])


def last_rating(src: Source) -> ir.Table:
    """The latest rating time the store holds (`last_rated`): the DSR is measured as of that day's end."""
    return src.dsr.aggregate(last_rated=_.rated_at.max())
