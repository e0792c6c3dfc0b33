"""The review's operational sections: products, service, logistics, after sale and customers.

Same rules as `dachu.analytics.review`: numbers from `dachu.analytics.queries`, plan figures from the
campaign, a note where the store lacks the data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ibis import _

from dachu.analytics import queries as q
from dachu.analytics.review import Context, col, fig, money, money_ratio, note, ratio, whole
from dachu.analytics.review_model import Chart, Section, Series, Table, Value
from dachu.data.schema import DSR_ITEMS
from dachu.domain.metrics import REPURCHASE_DAYS, RFM_SEGMENTS, rfm_segment
from dachu.domain.money import ZERO, fen


def _promotion_cost(ctx: Context, sku: str, units: int) -> Decimal:
    """Merchant-borne cost of the campaign's promotions on `sku` for `units` sold (佣金、服务费、赠品).

    Each promotion of the sku is taken to have brought its planned orders (capped by the units left).
    """
    cost = ZERO
    left = units
    for p in ctx.plan.campaign.promotions:
        if p.sku != sku or left <= 0:
            continue
        n = min(left, p.planned_orders if p.planned_orders is not None else left)
        cost += n * (p.commission * p.promo_price + p.service_fee + p.gift_cost)
        left -= n
    return fen(cost)


def products(ctx: Context) -> Section:
    """Per product: sales, sell-through against stock, sell-out hour, contribution and margin; per role."""
    src = ctx.src
    hourly = src.rows(q.product_sales_by_hour(src, ctx.day))
    sales = {r["sku"]: {"units_sold": r["sku_units_sold"], "product_sales": r["sku_product_sales"]} for r in hourly}
    total = sum((Decimal(r["product_sales"] or 0) for r in sales.values()), ZERO)
    catalogue = {p.sku: p for p in ctx.plan.campaign.products}
    skus = list(catalogue) + sorted(s for s in sales if s not in catalogue and s is not None)
    rows = []
    by_role: dict[str, list[Any]] = {}
    for sku in skus:
        s, p = sales.get(sku, {}), catalogue.get(sku)
        units = whole(s.get("units_sold"))
        amount = money(s.get("product_sales")) or ZERO
        stock = p.stock if p else None
        sell_out = None
        if stock:
            acc = 0
            for r in sorted((r for r in hourly if r["sku"] == sku), key=lambda r: r["hour"]):
                acc += whole(r["units_sold"])
                if acc >= stock:
                    sell_out = int(r["hour"])
                    break
        margin = None
        if p:
            margin = fen(
                amount * (1 - p.platform_fee_rate)
                - units * (p.unit_cost + p.shipping_cost)
                - _promotion_cost(ctx, sku, units)
            )
        role = p.role if p else None
        rows.append(
            (
                sku,
                p.name if p else None,
                role,
                units,
                amount,
                stock,
                ratio(units, stock),
                sell_out,
                ratio(amount, total),
                margin,
            )
        )
        if role:
            acc_role = by_role.setdefault(role, [0, ZERO, ZERO])
            acc_role[0] += units
            acc_role[1] += amount
            acc_role[2] += margin or ZERO
    columns = (
        col("sku", "text"),
        col("product", "text"),
        col("role", "text"),
        col("units_sold", "count", "units_sold"),
        col("product_sales", "yuan", "product_sales"),
        col("stock", "count"),
        col("sell_through", "rate", "sell_through"),
        col("sell_out_hour", "hour", "sell_out_hour"),
        col("sales_share", "rate", "sales_share"),
        col("margin_after_promotion", "yuan", "margin_after_promotion"),
    )
    role_rows = tuple((role, v[0], v[1], ratio(v[1], total), v[2]) for role, v in by_role.items())
    role_cols = (
        col("role", "text"),
        col("units_sold", "count", "units_sold"),
        col("product_sales", "yuan", "product_sales"),
        col("sales_share", "rate", "sales_share"),
        col("margin_after_promotion", "yuan", "margin_after_promotion"),
    )
    chart = Chart(
        "by_role",
        "review.chart.by_role",
        "pie",
        col("role", "text"),
        tuple(r[0] for r in role_rows),
        (Series("product_sales", "metric.product_sales.name", "yuan", tuple(r[2] for r in role_rows)),),
    )
    notes = [note("margin_estimate")]
    if not sales:
        notes.insert(0, note("no_lines"))
    return Section(
        "products",
        "review.section.products",
        tables=(
            Table("products", "review.table.products", columns, tuple(rows)),
            Table("roles", "review.table.roles", role_cols, role_rows),
        ),
        charts=(chart,),
        notes=tuple(notes),
    )


def service(ctx: Context) -> Section:
    """Per agent: sessions, inquiry conversion, sales, order value, response times, refunds; CS share."""
    src = ctx.src
    total = src.one(q.service(src, ctx.day))
    agents = sorted(src.rows(q.service(src, ctx.day, agent=_.agent)), key=lambda r: str(r["agent"]))
    gmv = src.one(q.sales(src, ctx.day)).get("gmv_paid")

    def values(r: dict[str, Any]) -> tuple[Value, ...]:
        return (
            whole(r.get("cs_sessions")),
            whole(r.get("cs_buyers")),
            ratio(r.get("chat_paid_buyers"), r.get("cs_buyers")),
            money(r.get("cs_sales")) or ZERO,
            money_ratio(r.get("cs_sales"), r.get("cs_paying_buyers")),
            r.get("first_response_seconds"),
            r.get("avg_response_seconds"),
            money(r.get("cs_refund_amount")) or ZERO,
        )

    rows = tuple((_agent_label(r["agent"]), *values(r)) for r in agents)
    columns = (
        col("agent", "text"),
        col("cs_sessions", "count", "cs_sessions"),
        col("cs_buyers", "count", "cs_buyers"),
        col("inquiry_conversion", "rate", "inquiry_conversion"),
        col("cs_sales", "yuan", "cs_sales"),
        col("cs_aov", "yuan", "cs_aov"),
        col("first_response_seconds", "seconds", "first_response_seconds"),
        col("avg_response_seconds", "seconds", "avg_response_seconds"),
        col("cs_refund_amount", "yuan", "cs_refund_amount"),
    )
    t = values(total) if total else (0, 0, None, ZERO, None, None, None, ZERO)
    figures = (
        fig("cs_sessions", "count", t[0]),
        fig("inquiry_conversion", "rate", t[2]),
        fig("cs_sales", "yuan", t[3]),
        fig("cs_sales_share", "rate", ratio(t[3], gmv)),
        fig("first_response_seconds", "seconds", t[5]),
        fig("avg_response_seconds", "seconds", t[6]),
    )
    notes = []
    if not agents:
        notes.append(note("no_cs"))
    elif t[6] is None:
        notes.append(note("no_reply_waits"))
    return Section(
        "service",
        "review.section.service",
        figures=figures,
        tables=(Table("agents", "review.table.agents", columns, rows),),
        notes=tuple(notes),
    )


def _agent_label(agent: Any) -> str:
    """The agent's work handle; a `shop:handle` account keeps the handle only."""
    text = str(agent) if agent is not None else "-"
    return text.split(":")[-1]


def logistics(ctx: Context) -> Section:
    """The event day's paid orders: shipped within 24 h / 48 h / 7 days; priority cities; backlog per day."""
    src = ctx.src
    s = src.one(q.shipping(src, ctx.day, ctx.priority_cities))
    paid = whole(s.get("orders_paid"))
    shipped_any = whole(s.get("shipped_orders")) > 0
    notes = []
    if not shipped_any:
        notes.append(note("no_shipping_times"))

    def share(key: str, den: Any = paid) -> float | None:
        return ratio(s.get(key), den) if shipped_any else None

    figures = (
        fig("shipped_within_24h", "rate", share("within_24h")),
        fig("shipped_within_48h", "rate", share("within_48h")),
        fig("shipped_within_7d", "rate", share("within_7d")),
        fig("priority_within_2d", "rate", share("priority_within_2d", s.get("priority_orders"))),
    )
    notes.append(note("priority_cities", cities="、".join(ctx.priority_cities)))
    tables: tuple[Table, ...] = ()
    if shipped_any:
        first = ctx.campaign.start.date()
        paid_flow, shipped_flow = q.backlog_flows(src, first)
        paid_by = {r["day"]: whole(r["n"]) for r in src.rows(paid_flow)}
        shipped_by = {r["day"]: whole(r["n"]) for r in src.rows(shipped_flow)}
        last = ctx.campaign.end.date() - dt.timedelta(days=1)
        if ctx.data_end is not None:
            last = min(last, ctx.data_end.date())
        rows = []
        backlog = 0
        d = first
        while d <= last:
            backlog += paid_by.get(d, 0) - shipped_by.get(d, 0)
            if d >= ctx.event_day:
                rows.append((d, paid_by.get(d, 0), shipped_by.get(d, 0), backlog))
            d += dt.timedelta(days=1)
        columns = (
            col("day", "date"),
            col("paid_orders", "count"),
            col("shipped_orders", "count"),
            col("backlog", "count", "backlog"),
        )
        tables = (Table("backlog", "review.table.backlog", columns, tuple(rows)),)
    return Section("logistics", "review.section.logistics", figures=figures, tables=tables, notes=tuple(notes))


def after_sale(ctx: Context) -> Section:
    """Refund rate and amount of the event day's paid orders; complaints and DSR when the store has them.

    The complaint rate follows the event day's paid orders to the data's end; the DSR is the 180 days'
    mean as of the day of the latest rating in the store (`dachu.analytics.after_sale_queries`).
    """
    from dachu.analytics import after_sale_queries as aq

    src = ctx.src
    s = src.one(q.shipping(src, ctx.day, ()))
    c = src.one(aq.complaints(src, ctx.day))
    has_complaints = whole(src.one(aq.complaint_count(src)).get("n")) > 0
    last = src.one(aq.last_rating(src)).get("last_rated")
    d: dict[str, Any] = {}
    if last is not None:
        as_of = dt.datetime.combine(last.date() + dt.timedelta(days=1), dt.time())
        d = src.one(aq.dsr(src, as_of))
    has_dsr = whole(d.get("ratings")) > 0
    figures = (
        fig("refund_rate", "rate", ratio(s.get("refunded_orders"), s.get("orders_paid"))),
        fig("refund_amount", "yuan", money(s.get("refund_amount")) or ZERO),
        fig("complaint_rate", "rate", c.get("complaint_rate") if has_complaints else None),
        fig("dsr", "ratio", d.get("dsr") if has_dsr else None),
        fig("dsr_low_score_buyers", "count", whole(d.get("dsr_low_score_buyers")) if has_dsr else None),
    )
    tables: list[Table] = []
    notes = []
    if has_complaints:
        tables.append(_complaint_table(ctx, whole(c.get("orders_paid"))))
    else:
        notes.append(note("no_complaints"))
    if has_dsr and last is not None:
        tables.append(_dsr_table(ctx, d, as_of))
        notes.append(note("dsr_window", first=aq.dsr_window(as_of).start.date(), last=last.date()))
    else:
        notes.append(note("no_dsr"))
    return Section("after_sale", "review.section.after_sale", figures=figures, tables=tuple(tables), notes=tuple(notes))


def _complaint_table(ctx: Context, orders_paid: int) -> Table:
    """Cases about the event day's paid orders per kind and reason, with their share of orders paid."""
    from dachu.analytics import after_sale_queries as aq

    rows = sorted(
        (
            (r["kind"], r["reason"], whole(r["complaints"]))
            for r in ctx.src.rows(aq.complaint_reasons(ctx.src, ctx.day))
        ),
        key=lambda r: (-r[2], str(r[0]), str(r[1])),
    )
    columns = (
        col("complaint_kind", "text"),
        col("complaint_reason", "text"),
        col("complaints", "count"),
        col("share_of_orders_paid", "rate"),
    )
    return Table("complaints", "review.table.complaints", columns, tuple((*r, ratio(r[2], orders_paid)) for r in rows))


def _dsr_table(ctx: Context, d: dict[str, Any], as_of: dt.datetime) -> Table:
    """Per DSR item: mean, ratings, and the shares of 5 and of 1–3."""
    from dachu.analytics import after_sale_queries as aq

    counts: dict[tuple[str, int], int] = {
        (r["item"], int(r["score"])): whole(r["ratings"]) for r in ctx.src.rows(aq.dsr_scores(ctx.src, as_of))
    }
    rows = []
    for item in DSR_ITEMS:
        n = whole(d.get(f"{item}_ratings"))
        low = sum(counts.get((item, k), 0) for k in (1, 2, 3))
        rows.append((f"review.dsr_item.{item}", d.get(item), n, ratio(counts.get((item, 5), 0), n), ratio(low, n)))
    columns = (
        col("dsr_item", "text", labels=True),
        col("dsr_mean", "ratio"),
        col("ratings", "count"),
        col("share_5", "rate"),
        col("share_1_3", "rate"),
    )
    return Table("dsr", "review.table.dsr", columns, tuple(rows))


def customers(ctx: Context) -> Section:
    """New against returning buyers; RFM segments; repurchase 15/30/60 days after by cohort."""
    src = ctx.src
    # one query gives both the cohorts' repurchase and their paying buyers (new + returning = all)
    cohorts = {bool(r["returning"]): r for r in src.rows(q.repurchase(src, ctx.day, REPURCHASE_DAYS))}
    returning = whole(cohorts.get(True, {}).get("paying_buyers"))
    buyers = returning + whole(cohorts.get(False, {}).get("paying_buyers"))
    figures = (
        fig("paying_buyers", "count", buyers),
        fig("new_buyers", "count", buyers - returning),
        fig("returning_buyers", "count", returning),
        fig("returning_buyer_share", "rate", ratio(returning, buyers)),
    )
    notes = []
    complete = {
        n: ctx.data_end is not None and ctx.data_end >= ctx.day.end + dt.timedelta(days=n) for n in REPURCHASE_DAYS
    }
    if not all(complete.values()):
        notes.append(note("repurchase_incomplete", day=ctx.data_end.date() if ctx.data_end else None))
    rep_rows = []
    for is_ret, label in ((False, "review.cohort.new"), (True, "review.cohort.returning")):
        r = cohorts.get(is_ret, {})
        n = whole(r.get("buyers"))
        rep_rows.append((label, n, *(ratio(r.get(f"rep_{d}"), n) if complete[d] else None for d in REPURCHASE_DAYS)))
    rep_cols = (
        col("cohort", "text", labels=True),
        col("buyers", "count", "paying_buyers"),
        *(col(f"repurchase_{d}d", "rate", f"repurchase_{d}d") for d in REPURCHASE_DAYS),
    )
    seg: dict[str, list[Any]] = {name: [0, ZERO] for name in RFM_SEGMENTS}
    for r in src.rows(q.rfm(src, ctx.day.end)):
        acc = seg[rfm_segment(int(r["r"]), int(r["f"]), int(r["m"]))]
        acc[0] += whole(r["buyers"])
        acc[1] += Decimal(r["monetary"] or 0)
    rfm_total = sum(v[0] for v in seg.values())
    rfm_rows = tuple(
        (f"review.rfm.{name}", v[0], ratio(v[0], rfm_total), fen(v[1]), money_ratio(v[1], v[0]))
        for name, v in seg.items()
    )
    rfm_cols = (
        col("segment", "text", labels=True),
        col("buyers", "count"),
        col("share", "rate"),
        col("monetary", "yuan"),
        col("monetary_per_buyer", "yuan"),
    )
    notes.append(note("rfm_scoring"))
    chart = Chart(
        "rfm",
        "review.chart.rfm",
        "pie",
        col("segment", "text", labels=True),
        tuple(r[0] for r in rfm_rows),
        (Series("buyers", "review.col.buyers", "count", tuple(r[1] for r in rfm_rows)),),
    )
    return Section(
        "customers",
        "review.section.customers",
        figures=figures,
        tables=(
            Table("repurchase", "review.table.repurchase", rep_cols, tuple(rep_rows)),
            Table("rfm", "review.table.rfm", rfm_cols, rfm_rows),
        ),
        charts=(chart,),
        notes=tuple(notes),
    )
