"""Promotion unit economics (淘客/直播推广核算, docs/domain.md §4).

    net received per order = list price − coupon − (commission + platform fee rate) × promo price
                             − service fee − gift cost
    profit per order       = net received − shipping − unit cost

The platform's cut (技术服务费) is the promotion's `platform_fee_rate`, else its product's (the seed's cases
carry none, so their numbers stand).
A traffic driver may lose money by plan: the planner shows the loss, the break-even promo price and
commission, and what each loss buys (orders and, given a conversion, visitors).
The seed's four cases: 17.8 / −8.2, 24.6 / −1.4, 12.61 / −3.71, 17.3 / −0.02.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dachu.domain.campaign.model import Campaign, Promotion
from dachu.domain.money import ZERO, ceil_int, fen, fen_up


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


def net_per_order(p: Promotion, platform_fee_rate: Decimal = ZERO) -> Decimal:
    """到手 per order: list − coupon − (commission + platform fee rate) × promo price − service fee − gift."""
    return p.list_price - p.coupon - (p.commission + platform_fee_rate) * p.promo_price - p.service_fee - p.gift_cost


def profit_per_order(p: Promotion, platform_fee_rate: Decimal = ZERO) -> Decimal:
    """盈亏 per order: net received − shipping − unit cost."""
    return net_per_order(p, platform_fee_rate) - p.shipping_cost - p.unit_cost


def break_even_price(p: Promotion, platform_fee_rate: Decimal = ZERO) -> Decimal | None:
    """The promo price at which profit per order is zero: (fee + gift + shipping + cost) / (1 − commission − rate)."""
    if p.commission + platform_fee_rate >= 1:
        return None
    costs = p.service_fee + p.gift_cost + p.shipping_cost + p.unit_cost
    return fen_up(costs / (1 - p.commission - platform_fee_rate))


def break_even_commission(p: Promotion, platform_fee_rate: Decimal = ZERO) -> Decimal | None:
    """The commission at which profit per order is zero at the current price; None if below 0%."""
    margin = p.promo_price * (1 - platform_fee_rate) - p.service_fee - p.gift_cost - p.shipping_cost - p.unit_cost
    if margin < 0:
        return None
    return margin / p.promo_price


def promotion_fee_rate(campaign: Campaign, p: Promotion) -> Decimal:
    """The platform's cut on a promotion's orders: its own rate, else its product's, else 0."""
    if p.platform_fee_rate is not None:
        return p.platform_fee_rate
    product = next((x for x in campaign.products if x.sku == p.sku), None)
    return product.platform_fee_rate if product is not None else ZERO


def economics(
    p: Promotion, default_conversion: Decimal | None = None, platform_fee_rate: Decimal = ZERO
) -> PromotionEconomics:
    """Every figure of one promotion (`platform_fee_rate`: see `promotion_fee_rate`)."""
    net = net_per_order(p, platform_fee_rate)
    profit = profit_per_order(p, platform_fee_rate)
    total = profit * p.planned_orders if p.planned_orders is not None else None
    conversion = p.conversion if p.conversion is not None else default_conversion
    visitors = ceil_int(p.planned_orders / conversion) if p.planned_orders and conversion else None
    cost_per_visitor = fen(-total / visitors) if visitors and total is not None and total < 0 else None
    return PromotionEconomics(
        name=p.name, sku=p.sku, net_per_order=net, profit_per_order=profit, planned_orders=p.planned_orders,
        total_profit=total, break_even_price=break_even_price(p, platform_fee_rate),
        break_even_commission=break_even_commission(p, platform_fee_rate),
        visitors=visitors, cost_per_visitor=cost_per_visitor,
    )
