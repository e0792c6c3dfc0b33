"""Promotion unit economics (淘客/直播推广核算, docs/domain.md §4).

    net received per order = list price − coupon − commission × promo price − service fee − gift cost
    profit per order       = net received − shipping − unit cost

A traffic driver may lose money by plan: the planner shows the loss, the break-even promo price and
commission, and what each loss buys (orders and, given a conversion, visitors).
The seed's four cases: 17.8 / −8.2, 24.6 / −1.4, 12.61 / −3.71, 17.3 / −0.02.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dachu.domain.campaign.model import Promotion
from dachu.domain.money import ceil_int, fen, fen_up


@dataclass(frozen=True)
class PromotionEconomics:
    """A promotion's figures per order and in total.

    `total_profit`: profit per order × planned orders (None without a plan). `break_even_price`: the
    lowest promo price (coupon adjusted, commission and fee unchanged) at which an order stops losing
    money, rounded up to the fen. `break_even_commission`: the highest commission at the current price
    that still breaks even (None when even 0% loses). `cost_per_visitor`: the loss spread over the
    visitors the orders need at `conversion` (None without a conversion or when not losing).
    """

    name: str
    sku: str | None
    net_per_order: Decimal
    profit_per_order: Decimal
    planned_orders: int | None
    total_profit: Decimal | None
    break_even_price: Decimal | None
    break_even_commission: Decimal | None
    visitors: int | None
    cost_per_visitor: Decimal | None


def net_per_order(p: Promotion) -> Decimal:
    """到手 per order: list − coupon − commission × promo price − service fee − gift."""
    return p.list_price - p.coupon - p.commission * p.promo_price - p.service_fee - p.gift_cost


def profit_per_order(p: Promotion) -> Decimal:
    """盈亏 per order: net received − shipping − unit cost."""
    return net_per_order(p) - p.shipping_cost - p.unit_cost


def break_even_price(p: Promotion) -> Decimal | None:
    """The promo price at which profit per order is zero: (fee + gift + shipping + cost) / (1 − commission)."""
    if p.commission >= 1:
        return None
    return fen_up((p.service_fee + p.gift_cost + p.shipping_cost + p.unit_cost) / (1 - p.commission))


def break_even_commission(p: Promotion) -> Decimal | None:
    """The commission at which profit per order is zero at the current price; None if below 0%."""
    margin = p.promo_price - p.service_fee - p.gift_cost - p.shipping_cost - p.unit_cost
    if margin < 0:
        return None
    return margin / p.promo_price


def economics(p: Promotion, default_conversion: Decimal | None = None) -> PromotionEconomics:
    """Every figure of one promotion."""
    net = net_per_order(p)
    profit = profit_per_order(p)
    total = profit * p.planned_orders if p.planned_orders is not None else None
    conversion = p.conversion if p.conversion is not None else default_conversion
    visitors = ceil_int(p.planned_orders / conversion) if p.planned_orders and conversion else None
    cost_per_visitor = fen(-total / visitors) if visitors and total is not None and total < 0 else None
    return PromotionEconomics(
        name=p.name, sku=p.sku, net_per_order=net, profit_per_order=profit, planned_orders=p.planned_orders,
        total_profit=total, break_even_price=break_even_price(p), break_even_commission=break_even_commission(p),
        visitors=visitors, cost_per_visitor=cost_per_visitor,
    )
