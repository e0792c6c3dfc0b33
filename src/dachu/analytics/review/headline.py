"""Section 1, the headline (核心指标): GMV, orders, buyers, order value, visitors and conversion.

Set against the plan's working floor and stretch (`plan.floor`, `plan.stretch`) and the same day a year
before; the day table spans the plan's days.
"""

from __future__ import annotations

from ibis import _

from dachu.analytics import queries as q
from dachu.analytics.review.common import Context, col, fig, money, money_ratio, note, ratio, whole
from dachu.analytics.review_model import Section, Table, Unit, Value
from dachu.analytics.source import Period
from dachu.domain.money import ZERO, fen
from dachu.domain.plan.budget import Scenario


def _headline_figures(ctx: Context, period: Period) -> dict[str, Value]:
    s = ctx.src.one(q.sales(ctx.src, period))
    p = ctx.src.one(q.placing(ctx.src, period))
    t = ctx.src.one(q.traffic(ctx.src, period))
    visitors = whole(t.get("visitors"))
    buyers = whole(s.get("paying_buyers"))
    return {
        "gmv_paid": money(s.get("gmv_paid")) or ZERO,
        "orders_placed": whole(p.get("orders_placed")),
        "orders_paid": whole(s.get("orders_paid")),
        "paying_buyers": buyers,
        "aov": money_ratio(s.get("gmv_paid"), buyers),
        "visitors": visitors,
        "page_views": whole(t.get("page_views")),
        "pv_per_visitor": ratio(t.get("page_views"), visitors),
        "conversion": ratio(buyers, visitors),
    }


def headline(ctx: Context) -> Section:
    """GMV, orders, buyers, order value, visitors, conversion against floor, stretch and last year."""
    actual = _headline_figures(ctx, ctx.day)
    previous = _headline_figures(ctx, ctx.previous) if ctx.previous else {}
    floor, stretch = ctx.plan.floor, ctx.plan.stretch
    conv = float(ctx.event_conversion)

    def plan_of(sc: Scenario) -> dict[str, Value]:
        return {
            "gmv_paid": fen(sc.gmv),
            "orders_paid": sc.orders,
            "paying_buyers": sc.orders,
            "aov": money_ratio(sc.gmv, sc.orders),
            "visitors": sc.traffic_needed,
            "conversion": conv,
        }

    pf, ps = plan_of(floor), plan_of(stretch)
    units: dict[str, Unit] = {"gmv_paid": "yuan", "aov": "yuan", "conversion": "rate", "pv_per_visitor": "ratio"}
    figures = tuple(
        fig(m, units.get(m, "count"), actual[m], floor=pf.get(m), stretch=ps.get(m), previous=previous.get(m))
        for m in (
            "gmv_paid",
            "orders_placed",
            "orders_paid",
            "paying_buyers",
            "aov",
            "visitors",
            "conversion",
            "pv_per_visitor",
        )
    )
    notes = [] if actual["orders_paid"] else [note("no_orders", day=ctx.event_day)]
    if ctx.previous:
        notes.append(note("previous", day=ctx.previous.start.date()))
    return Section("headline", "review.section.headline", figures=figures, tables=(_by_day(ctx),), notes=tuple(notes))


def _by_day(ctx: Context) -> Table:
    sales = {r["day"]: r for r in ctx.src.rows(q.sales_by_day(ctx.src, ctx.campaign))}
    traffic = {r["day"]: r for r in ctx.src.rows(q.traffic(ctx.src, ctx.campaign, day=_.hour.date()))}
    rows = []
    for d in ctx.plan.daily:
        s, t = sales.get(d.date, {}), traffic.get(d.date, {})
        visitors = whole(t.get("visitors"))
        rows.append(
            (
                d.date,
                f"plan.phase.{d.phase}",  # a catalogue key: the report shows it translated
                visitors,
                d.visitors,
                whole(s.get("orders_paid")),
                d.orders,
                money(s.get("gmv_paid")) or ZERO,
                fen(d.gmv),
                ratio(s.get("paying_buyers"), visitors),
            )
        )
    columns = (
        col("day", "date"),
        col("phase", "text"),
        col("visitors", "count", "visitors"),
        col("plan_visitors", "count"),
        col("orders_paid", "count", "orders_paid"),
        col("plan_orders", "count"),
        col("gmv_paid", "yuan", "gmv_paid"),
        col("plan_gmv", "yuan"),
        col("conversion", "rate", "conversion"),
    )
    return Table("by_day", "review.table.by_day", columns, tuple(rows))
