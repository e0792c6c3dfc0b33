"""Section 2, the event day hour by hour (分时) and the cumulative GMV against the plan's pace."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ibis import _

from dachu.analytics import queries as q
from dachu.analytics.review.common import Context, col, money, ratio, whole
from dachu.analytics.review_model import Chart, Section, Series, Table
from dachu.domain.day_profile import ORDER_SHARES, cumulative
from dachu.domain.money import ZERO, fen


def hourly(ctx: Context) -> Section:
    """The event day hour by hour (分时) and the cumulative GMV against the plan's pace."""
    sales = {r["hour"]: r for r in ctx.src.rows(q.sales_by_hour(ctx.src, ctx.day))}
    placed = {r["hour"]: r for r in ctx.src.rows(q.placing(ctx.src, ctx.day, hour=_.created_at.hour()))}
    traffic = {r["hour"]: r for r in ctx.src.rows(q.traffic(ctx.src, ctx.day, hour=_.hour.hour()))}
    prev: dict[int, Any] = {}
    if ctx.previous:
        prev = {r["hour"]: r for r in ctx.src.rows(q.sales_by_hour(ctx.src, ctx.previous))}
    pace = cumulative(ORDER_SHARES)
    floor_gmv, stretch_gmv = ctx.plan.floor.gmv, ctx.plan.stretch.gmv
    total = sum((Decimal(r["gmv_paid"]) for r in sales.values()), ZERO)
    rows = []
    acc = acc_prev = ZERO
    cum, cum_floor, cum_stretch, cum_prev, gmv_by_hour = [], [], [], [], []
    for h in range(24):
        s, t = sales.get(h, {}), traffic.get(h, {})
        gmv = money(s.get("gmv_paid")) or ZERO
        acc += gmv
        acc_prev += money(prev.get(h, {}).get("gmv_paid")) or ZERO
        visitors = whole(t.get("visitors"))
        fl, st = fen(floor_gmv * pace[h]), fen(stretch_gmv * pace[h])
        rows.append(
            (
                h,
                visitors,
                whole(t.get("page_views")),
                whole(placed.get(h, {}).get("orders_placed")),
                whole(s.get("orders_paid")),
                gmv,
                whole(s.get("paying_buyers")),
                ratio(s.get("paying_buyers"), visitors),
                acc,
                ratio(acc, total),
                fl,
                st,
            )
        )
        cum.append(acc)
        cum_floor.append(fl)
        cum_stretch.append(st)
        cum_prev.append(acc_prev)
        gmv_by_hour.append(gmv)
    hour = col("hour", "hour")
    columns = (
        hour,
        col("visitors", "count", "visitors"),
        col("page_views", "count", "page_views"),
        col("orders_placed", "count", "orders_placed"),
        col("orders_paid", "count", "orders_paid"),
        col("gmv_paid", "yuan", "gmv_paid"),
        col("paying_buyers", "count", "paying_buyers"),
        col("conversion", "rate", "conversion"),
        col("cumulative_gmv", "yuan"),
        col("cumulative_share", "rate"),
        col("floor_pace", "yuan"),
        col("stretch_pace", "yuan"),
    )
    series = [
        Series("cumulative_gmv", "review.col.cumulative_gmv", "yuan", tuple(cum)),
        Series("floor_pace", "review.col.floor_pace", "yuan", tuple(cum_floor), "floor"),
        Series("stretch_pace", "review.col.stretch_pace", "yuan", tuple(cum_stretch), "stretch"),
    ]
    if ctx.previous:
        series.append(Series("previous", "review.series.previous", "yuan", tuple(cum_prev), "previous"))
    charts = (
        Chart(
            "gmv_by_hour",
            "review.chart.gmv_by_hour",
            "bar",
            hour,
            tuple(range(24)),
            (Series("gmv_paid", "metric.gmv_paid.name", "yuan", tuple(gmv_by_hour)),),
        ),
        Chart("pace", "review.chart.pace", "line", hour, tuple(range(24)), tuple(series)),
    )
    return Section(
        "hourly",
        "review.section.hourly",
        tables=(Table("by_hour", "review.table.by_hour", columns, tuple(rows)),),
        charts=charts,
    )
