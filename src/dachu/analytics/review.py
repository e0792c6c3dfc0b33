"""`build_review`: measure the campaign from the store and set it against the plan (复盘).

The review covers the event day (`campaign.event_day`, shop time) unless a section says otherwise: the
headline's day table spans the plan's days, logistics follows the event day's orders until they ship,
customers look back 365 days and forward 15/30/60 days. Every number comes from `dachu.analytics.queries`
(one function per metric); this module only arranges them into `Section`s, divides ratios and adds the
plan's figures. Where the store lacks the data for a section, the section carries a note (catalogue key)
instead of numbers. No buyer id, name, phone or address is ever put in the review.

"An earlier campaign" is the same calendar day one year before the event day (or `previous_day`), used
when the store holds paid orders on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ibis import _

from dachu.analytics import queries as q
from dachu.analytics.review_model import Chart, Column, Figure, Review, Section, Series, Table, Unit, Value
from dachu.analytics.source import Period, Source
from dachu.domain.day_profile import ORDER_SHARES, cumulative
from dachu.domain.money import ZERO, fen
from dachu.domain.plan.budget import Scenario
from dachu.domain.plan.plan import Plan

DEFAULT_PRIORITY_CITIES = ("北京市", "上海市", "广州市", "深圳市", "杭州市")
"""Priority cities (重点城市) when the caller names none: the first-tier cities and Hangzhou."""


def ratio(num: Any, den: Any) -> float | None:
    """The ratio num / den as a float; None when either is unknown or den is 0."""
    if num is None or den is None or den == 0:
        return None
    return float(num) / float(den)


def money(value: Any) -> Decimal | None:
    """A money value exact to the fen (half-up), None stays None."""
    return None if value is None else fen(Decimal(value))


def money_ratio(num: Any, den: Any) -> Decimal | None:
    """The ratio num / den as money to the fen; None when den is 0 or unknown."""
    if num is None or den is None or den == 0:
        return None
    return fen(Decimal(num) / Decimal(den))


def whole(value: Any) -> int:
    """A count as an int, 0 for None (a SQL sum over no rows is NULL; sums of integers arrive as int)."""
    return int(value or 0)


def col(cid: str, unit: Unit, metric: str | None = None, *, labels: bool = False) -> Column:
    """A column labelled by its metric's name, or by `review.col.<id>`; `labels`: values are catalogue keys."""
    return Column(cid, f"metric.{metric}.name" if metric else f"review.col.{cid}", unit, metric, labels)


def fig(metric: str, unit: Unit, actual: Value, **plan: Value) -> Figure:
    """A headline figure of a defined metric."""
    return Figure(metric, f"metric.{metric}.name", unit, actual, metric=metric, **plan)


def note(key: str, **params: Value) -> tuple[str, dict[str, Value]]:
    """A section note: a catalogue key under `review.note.` and its parameters."""
    return (f"review.note.{key}", dict(params))


@dataclass(frozen=True)
class Context:
    """What every section needs: the store, the plan and the periods."""

    src: Source
    plan: Plan
    day: Period
    campaign: Period
    previous: Period | None
    priority_cities: tuple[str, ...]
    data_end: dt.datetime | None

    @property
    def event_day(self) -> dt.date:
        """The event day."""
        return self.day.start.date()

    def scenario(self, name: str) -> Scenario:
        """The plan's working floor or stretch (both by one method, chosen by the plan)."""
        return self.plan.floor if name == "floor" else self.plan.stretch


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
    floor, stretch = ctx.scenario("floor"), ctx.scenario("stretch")
    conv = float(ctx.plan.campaign.store.event_conversion)

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
                d.phase,
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


def hourly(ctx: Context) -> Section:
    """The event day hour by hour (分时) and the cumulative GMV against the plan's pace."""
    sales = {r["hour"]: r for r in ctx.src.rows(q.sales_by_hour(ctx.src, ctx.day))}
    placed = {r["hour"]: r for r in ctx.src.rows(q.placing(ctx.src, ctx.day, hour=_.created_at.hour()))}
    traffic = {r["hour"]: r for r in ctx.src.rows(q.traffic(ctx.src, ctx.day, hour=_.hour.hour()))}
    prev: dict[int, Any] = {}
    if ctx.previous:
        prev = {r["hour"]: r for r in ctx.src.rows(q.sales_by_hour(ctx.src, ctx.previous))}
    pace = cumulative(ORDER_SHARES)
    floor_gmv, stretch_gmv = ctx.scenario("floor").gmv, ctx.scenario("stretch").gmv
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


def funnel(ctx: Context) -> Section:
    """Visitors → favourited or carted → orders placed → paid; unpaid share; paid after a reminder."""
    t = ctx.src.one(q.traffic(ctx.src, ctx.day))
    b = ctx.src.one(q.behaviour(ctx.src, ctx.day))
    p = ctx.src.one(q.placing(ctx.src, ctx.day))
    s = ctx.src.one(q.sales(ctx.src, ctx.day))
    placed = whole(p.get("orders_placed"))
    notes = []
    has_events = whole(b.get("event_visitors")) > 0
    if not has_events:
        notes.append(note("no_behaviour"))
    engaged = whole(b.get("engaged")) if has_events else None
    figures = (
        fig("visitors", "count", whole(t.get("visitors"))),
        fig("favouriters", "count", whole(b.get("favouriters")) if has_events else None),
        fig("cart_adders", "count", whole(b.get("cart_adders")) if has_events else None),
        fig("orders_placed", "count", placed),
        fig("orders_paid", "count", whole(s.get("orders_paid"))),
        fig("unpaid_share", "rate", ratio(placed - whole(p.get("placed_paid")), placed)),
        fig("paid_after_reminder", "rate", ratio(p.get("paid_late"), placed - whole(p.get("paid_quick")))),
        fig("returning_visitor_share", "rate", ratio(b.get("returning_visitors"), b.get("event_visitors"))),
        fig("items_viewed", "count", whole(b.get("items_viewed")) if has_events else None),
    )
    stages = ("visitors", "engaged", "orders_placed", "orders_paid")
    values = (whole(t.get("visitors")), engaged, placed, whole(s.get("orders_paid")))
    chart = Chart(
        "funnel",
        "review.chart.funnel",
        "funnel",
        col("stage", "text", labels=True),
        tuple(f"review.stage.{x}" for x in stages),
        (Series("count", "review.col.count", "count", values),),
    )
    return Section("funnel", "review.section.funnel", figures=figures, charts=(chart,), notes=tuple(notes))


def channels(ctx: Context) -> Section:
    """Per channel, plan against actual: spend, visitors, orders, GMV, ROI, cost per order, CTR, CPC."""
    day = ctx.event_day
    ads = {r["channel"]: r for r in ctx.src.rows(q.ads(ctx.src, day, day, channel=_.channel))}
    traffic = {r["source"]: r for r in ctx.src.rows(q.traffic(ctx.src, ctx.day, source=_.source))}
    floor = ctx.scenario("floor")
    plan_aov = floor.gmv / floor.orders if floor.orders else ZERO
    lines = {ln.name: ln for ln in ctx.plan.floor_channels}
    names = list(lines) + [n for n in ads if n not in lines] + [n for n in traffic if n not in lines and n not in ads]
    rows = []
    for name in names:
        a, t, ln = ads.get(name, {}), traffic.get(name, {}), lines.get(name)
        spend = money(a.get("spend"))
        orders = whole(a["attributed_orders"]) if a else None
        revenue = money(a.get("attributed_revenue"))
        plan_orders = ln.orders if ln else None
        plan_gmv = fen(plan_orders * plan_aov) if plan_orders is not None else None
        rows.append(
            (
                name,
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
        tuple(names),
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


def build_review(
    src: Source,
    plan: Plan,
    *,
    previous_day: dt.date | None = None,
    priority_cities: Sequence[str] = DEFAULT_PRIORITY_CITIES,
    calibrate: bool = True,
) -> Review:
    """Measure the campaign in `src` against `plan`: the ten sections of the review."""
    from dachu.analytics import review_more as more
    from dachu.analytics.calibrate import calibration

    campaign = plan.campaign
    event_day = campaign.campaign.event_day
    day = Period.day(event_day)
    first = plan.daily[0].date if plan.daily else event_day
    last = plan.daily[-1].date if plan.daily else event_day
    if previous_day is None:
        try:
            previous_day = event_day.replace(year=event_day.year - 1)
        except ValueError:  # 29 February
            previous_day = event_day - dt.timedelta(days=365)
    prev = Period.day(previous_day)
    has_prev = whole(src.one(q.sales(src, prev)).get("orders_paid")) > 0
    end = src.one(q.data_end(src)).get("last_created")
    ctx = Context(src, plan, day, Period.days(first, last), prev if has_prev else None, tuple(priority_cities), end)
    sections = [
        headline(ctx),
        hourly(ctx),
        funnel(ctx),
        channels(ctx),
        more.products(ctx),
        more.service(ctx),
        more.logistics(ctx),
        more.after_sale(ctx),
        more.customers(ctx),
    ]
    section, yaml_text = calibration(ctx) if calibrate else (Section("calibration", "review.section.calibration"), None)
    sections.append(section)
    source: dict[str, int | str] = {"store": src.name, **src.counts()}
    return Review(campaign.campaign.name, event_day, tuple(sections), source, yaml_text)
