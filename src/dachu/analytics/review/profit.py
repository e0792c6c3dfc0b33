"""Section 11, profit after everything (扣除一切后的净利润): the statement, by product and by channel.

The formula is `dachu.domain.profit` (defined once; the lines are metrics of `dachu.domain.metrics`); this
module only measures its lines for the event day and the whole campaign (the plan's days) and sets the
event day's net profit against the floor and the stretch.

- Product cost, shipping and the platform's cut come from the paid lines and the campaign's products; a
  product sold that the campaign file does not price makes them unknown.
- Ad spend is split by the campaign's channel kind: cps → commissions, flat → flat fees, sms → message
  costs, every other (and any channel the file does not name) → ad spend. With channels in the file and no
  ad spend in the store, those lines are unknown.
- Promotions (推广核算) bring their planned orders of their sku, capped by the units sold, as the products
  section counts them: commission and service fee → commissions, gifts → offers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ibis import _

from dachu.analytics import queries as q
from dachu.analytics.review.common import Context, col, fig, money, note, whole
from dachu.analytics.review_model import Section, Table, Value
from dachu.analytics.source import Period
from dachu.domain.money import ZERO, fen
from dachu.domain.profit import COST_LINES, LINE_METRICS, ProfitReview, ProfitStatement, against, statement

KIND_LINE = {"cps": "commissions", "flat": "flat_fees", "sms": "message_costs"}
"""Which cost line a channel kind's spend belongs to; every other kind is ad spend."""


def _promotions(ctx: Context, sku: str, units: int) -> tuple[Decimal, Decimal]:
    """Commission + service fee, and gifts, of the promotions on `sku` for `units` sold."""
    commission = gifts = ZERO
    left = units
    for p in ctx.plan.campaign.promotions:
        if p.sku != sku or left <= 0:
            continue
        n = min(left, p.planned_orders if p.planned_orders is not None else left)
        commission += n * (p.commission * p.promo_price + p.service_fee)
        gifts += n * p.gift_cost
        left -= n
    return commission, gifts


def _products(ctx: Context, period: Period) -> list[dict[str, Any]]:
    """Per sku sold in the period: units, sales and its cost lines (None where the campaign has no price)."""
    catalogue = {p.sku: p for p in ctx.plan.campaign.products}
    out = []
    for r in sorted(ctx.src.rows(q.product_sales(ctx.src, period, sku=_.sku)), key=lambda r: str(r["sku"])):
        sku, units = r["sku"], whole(r["units_sold"])
        sales = money(r["product_sales"]) or ZERO
        p = catalogue.get(sku)
        row: dict[str, Any] = {"sku": sku, "name": p.name if p else None, "units": units, "sales": sales}
        if p is None:
            row.update(product_cost=None, shipping=None, platform_fees=None, commissions=None, offers=None)
        else:
            commission, gifts = _promotions(ctx, sku, units)
            row.update(
                product_cost=units * p.unit_cost,
                shipping=units * p.shipping_cost,
                platform_fees=sales * p.platform_fee_rate,
                commissions=commission,
                offers=gifts,
            )
        parts = [row[k] for k in ("product_cost", "shipping", "platform_fees", "commissions", "offers")]
        row["contribution"] = None if any(v is None for v in parts) else fen(sales - sum(parts, ZERO))
        out.append(row)
    return out


def _channels(ctx: Context, period: Period) -> list[dict[str, Any]]:
    """Per channel with ad spend in the period: its cost line and spend."""
    kinds = {c.name: c.lookup_name for c in ctx.plan.campaign.channels}
    first, last = period.start.date(), (period.end - dt.timedelta(microseconds=1)).date()  # ad spend is per day
    rows = ctx.src.rows(q.ads(ctx.src, first, last, channel=_.channel))
    return [
        {
            "channel": r["channel"],
            "line": KIND_LINE.get(kinds.get(r["channel"], ""), "ad_spend"),
            "spend": money(r["spend"]) or ZERO,
            "revenue": money(r["attributed_revenue"]),
        }
        for r in sorted(rows, key=lambda r: str(r["channel"]))
    ]


def _sum(values: list[Any]) -> Decimal | None:
    return None if any(v is None for v in values) else sum(values, ZERO)


def measure(ctx: Context, period: Period) -> tuple[ProfitStatement, list[dict[str, Any]], list[dict[str, Any]]]:
    """The period's profit statement, with its product and channel rows."""
    src = ctx.src
    gmv = money(src.one(q.sales(src, period)).get("gmv_paid")) or ZERO
    refunds = money(src.one(q.shipping(src, period, ())).get("refund_amount")) or ZERO
    products = _products(ctx, period)
    channels = _channels(ctx, period)
    spend: dict[str, Decimal | None] = dict.fromkeys(("commissions", "ad_spend", "flat_fees", "message_costs"), ZERO)
    if not channels and ctx.plan.campaign.channels:  # channels planned, no spend imported: unknown, not 0
        spend = dict.fromkeys(spend)
    for c in channels:
        spend[c["line"]] = (spend[c["line"]] or ZERO) + c["spend"]
    messages = money(src.one(q.message_cost(src, period)).get("message_cost")) or ZERO
    msg = spend["message_costs"]
    lines: dict[str, Decimal | None] = {
        "refunds": refunds,
        "product_cost": _sum([p["product_cost"] for p in products]),
        "shipping": _sum([p["shipping"] for p in products]),
        "platform_fees": _sum([p["platform_fees"] for p in products]),
        "commissions": _add(spend["commissions"], [p["commissions"] for p in products]),
        "ad_spend": spend["ad_spend"],
        "offers": _sum([p["offers"] for p in products]),
        "flat_fees": spend["flat_fees"],
        "message_costs": None if msg is None else msg + messages,
    }
    if gmv and not products:  # sales without item lines: the goods' cost cannot be known
        for k in ("product_cost", "shipping", "platform_fees", "offers"):
            lines[k] = None
        lines["commissions"] = None
    return statement(gmv, **lines), products, channels


def _add(base: Decimal | None, parts: list[Any]) -> Decimal | None:
    rest = _sum(parts)
    return None if rest is None or base is None else base + rest


def profit_review(ctx: Context) -> tuple[ProfitReview, list[dict[str, Any]], list[dict[str, Any]]]:
    """The event day's and the campaign's statements against the floor and stretch (with the day's rows)."""
    day, products, channels = measure(ctx, ctx.day)
    whole_campaign, _p, _c = measure(ctx, ctx.campaign)
    goal = ctx.plan.campaign.goal
    if goal.metric == "profit":
        floor, stretch = goal.floor, goal.stretch
    else:  # a GMV or order goal: the plan's own net profit is what the profit was planned at
        floor, stretch = fen(ctx.plan.floor.net_profit), fen(ctx.plan.stretch.net_profit)
    review = ProfitReview(day, whole_campaign, goal.metric, against(day.net, floor), against(day.net, stretch))
    return review, products, channels


def _yes_no(met: bool | None) -> str | None:
    """A catalogue key the report translates (是 / 否); None (—) when unknown."""
    return None if met is None else "common.yes" if met else "common.no"


def profit(ctx: Context) -> tuple[Section, ProfitReview]:
    """The profit section and its figures for the review's JSON (`Review.profit`)."""
    review, products, channels = profit_review(ctx)
    day, camp = review.event_day, review.campaign
    figures = (
        fig("net_profit", "yuan", day.net, floor=review.floor.goal, stretch=review.stretch.goal),
    )
    statement_rows: list[tuple[Value, ...]] = [("metric.gmv_paid.name", day.gmv_paid, camp.gmv_paid)]
    statement_rows += [(f"metric.{LINE_METRICS[k]}.name", day.line(k), camp.line(k)) for k in COST_LINES]
    statement_rows.append(("metric.net_profit.name", day.net, camp.net))
    goal_rows: list[tuple[Value, ...]] = [
        (f"plan.scenario.{name}", a.goal, day.net, _yes_no(a.goal_met), a.gap)
        for name, a in (("floor", review.floor), ("stretch", review.stretch))
    ]
    tables = (
        Table(
            "statement",
            "review.table.profit_statement",
            (col("line", "text", labels=True), col("event_day", "yuan"), col("campaign", "yuan")),
            tuple(statement_rows),
        ),
        Table(
            "goal",
            "review.table.profit_goal",
            (
                col("target", "text", labels=True),
                col("goal", "yuan"),
                col("net_profit", "yuan", "net_profit"),
                col("goal_met", "text", labels=True),
                col("gap", "yuan"),
            ),
            tuple(goal_rows),
        ),
        Table(
            "by_product",
            "review.table.profit_by_product",
            (
                col("sku", "text"),
                col("product", "text"),
                col("units_sold", "count", "units_sold"),
                col("product_sales", "yuan", "product_sales"),
                col("product_cost", "yuan", "profit_product_cost"),
                col("shipping", "yuan", "profit_shipping"),
                col("platform_fees", "yuan", "profit_platform_fees"),
                col("commissions", "yuan", "profit_commissions"),
                col("offers", "yuan", "profit_offers"),
                col("contribution", "yuan"),
            ),
            tuple(
                (p["sku"], p["name"], p["units"], p["sales"], *(money(p[k]) for k in (
                    "product_cost", "shipping", "platform_fees", "commissions", "offers")), p["contribution"])
                for p in products
            ),
        ),
        Table(
            "by_channel",
            "review.table.profit_by_channel",
            (
                col("channel", "text"),
                col("cost_line", "text", labels=True),
                col("spend", "yuan", "spend"),
                col("attributed_revenue", "yuan"),
            ),
            tuple((c["channel"], f"metric.{LINE_METRICS[c['line']]}.name", c["spend"], c["revenue"]) for c in channels),
        ),
    )
    notes = [note("profit_definition")]
    if review.goal_metric != "profit":
        notes.append(note("profit_planned", metric=review.goal_metric))
    if day.net is None:
        notes.append(note("profit_unknown"))
    return Section("profit", "review.section.profit", figures=figures, tables=tables, notes=tuple(notes)), review
