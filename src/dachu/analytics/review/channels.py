"""Section 4, the channels (渠道): per channel the plan's spend, visitors and orders against the actual.

The planned visitors and orders are the plan's own (`plan.floor_channels`), never derived again here.
"""

from __future__ import annotations

from ibis import _

from dachu.analytics import queries as q
from dachu.analytics.review.common import Context, col, money, money_ratio, note, ratio, whole
from dachu.analytics.review_model import Chart, Section, Series, Table
from dachu.domain.money import ZERO, fen

SOURCE_KEYS: dict[str, str] = {"organic": "review.source.organic"}
"""Traffic sources the exports name by an English code, shown by their catalogue name (自然流量 / organic)."""


def channels(ctx: Context) -> Section:
    """Per channel, plan against actual: spend, visitors, orders, GMV, ROI, cost per order, CTR, CPC."""
    day = ctx.event_day
    ads = {r["channel"]: r for r in ctx.src.rows(q.ads(ctx.src, day, day, channel=_.channel))}
    traffic = {r["source"]: r for r in ctx.src.rows(q.traffic(ctx.src, ctx.day, source=_.source))}
    floor = ctx.plan.floor
    plan_aov = floor.gmv / floor.orders if floor.orders else ZERO
    lines = {ln.name: ln for ln in ctx.plan.floor_channels}
    names = list(lines) + [n for n in ads if n not in lines] + [n for n in traffic if n not in lines and n not in ads]
    rows = []
    for name in names:
        a, t, ln = ads.get(name, {}), traffic.get(name, {}), lines.get(name)
        label = SOURCE_KEYS.get(name, name)  # the platforms' English source codes as catalogue keys
        spend = money(a.get("spend"))
        orders = whole(a["attributed_orders"]) if a else None
        revenue = money(a.get("attributed_revenue"))
        plan_orders = ln.orders if ln else None
        plan_gmv = fen(plan_orders * plan_aov) if plan_orders is not None else None
        rows.append(
            (
                label,
                fen(ln.budget) if ln else None,
                spend,
                ln.visitors if ln else None,
                whole(t.get("visitors")) if t else None,
                plan_orders,
                orders,
                plan_gmv,
                revenue,
                ratio(plan_gmv, ln.budget) if ln else None,
                ratio(revenue, spend),
                money_ratio(ln.budget, plan_orders) if ln else None,
                money_ratio(spend, orders),
                ratio(a.get("clicks"), a.get("impressions")),
                money_ratio(spend, a.get("clicks")),
            )
        )
    columns = (
        col("channel", "text"),
        col("plan_spend", "yuan"),
        col("spend", "yuan", "spend"),
        col("plan_visitors", "count"),
        col("visitors", "count", "visitors"),
        col("plan_orders", "count"),
        col("attributed_orders", "count"),
        col("plan_gmv", "yuan"),
        col("attributed_revenue", "yuan"),
        col("plan_roi", "ratio"),
        col("roi", "ratio", "roi"),
        col("plan_cost_per_order", "yuan"),
        col("cost_per_order", "yuan", "cost_per_order"),
        col("ctr", "rate", "ctr"),
        col("cost_per_click", "yuan", "cost_per_click"),
    )
    notes = [] if ads else [note("no_ad_spend")]
    chart = Chart(
        "spend",
        "review.chart.spend",
        "bar",
        col("channel", "text"),
        tuple(r[0] for r in rows),
        (
            Series("plan_spend", "review.col.plan_spend", "yuan", tuple(r[1] for r in rows), "plan"),
            Series("spend", "metric.spend.name", "yuan", tuple(r[2] for r in rows)),
        ),
    )
    return Section(
        "channels",
        "review.section.channels",
        tables=(Table("channels", "review.table.channels", columns, tuple(rows)),),
        charts=(chart,),
        notes=tuple(notes),
    )
