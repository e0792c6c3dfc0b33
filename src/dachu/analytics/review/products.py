"""Section 5, the products (商品): sales, sell-through, sell-out hour, contribution and margin; per role."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dachu.analytics import queries as q
from dachu.analytics.review.common import Context, col, money, note, ratio, whole
from dachu.analytics.review_model import Chart, Section, Series, Table
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
        role = f"plan.role.{p.role}" if p else None  # a catalogue key: the report shows it translated
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
