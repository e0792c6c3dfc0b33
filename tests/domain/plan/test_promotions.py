"""Promotion unit economics: the seed's four cases exactly, and break-evens worked by hand."""

from decimal import Decimal

import pytest

from dachu.domain.campaign.model import Promotion
from dachu.domain.plan.promotions import economics


def promo(**kw):
    return Promotion(name="x", **{k: Decimal(str(v)) if not isinstance(v, int) else v for k, v in kw.items()})


CASES = {
    # list, coupon, promo, commission, fee, gift, shipping, cost → net, profit (seed 000, 第四篇)
    "淘客1 野菊蜜": (dict(list_price=69, coupon=40, promo_price=29, commission="0.30", service_fee="2.5",
                       shipping_cost=5, unit_cost=21), "17.8", "-8.2"),
    "淘客2 野菊蜜": (dict(list_price=68, coupon=30, promo_price=38, commission="0.30", service_fee=2,
                       shipping_cost=5, unit_cost=21), "24.6", "-1.4"),
    "直播1 白筷子": (dict(list_price=39, coupon=10, promo_price=29, commission="0.30", service_fee=3,
                       gift_cost="4.69", shipping_cost=5, unit_cost="11.32"), "12.61", "-3.71"),
    "直播2 彩虹筒": (dict(list_price=39, coupon=10, promo_price=29, commission="0.30", service_fee=3,
                       shipping_cost=5, unit_cost="12.32"), "17.3", "-0.02"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_seed_cases_exactly(case):
    fields, net, profit = CASES[case]
    e = economics(promo(**fields))
    assert e.net_per_order == Decimal(net)
    assert e.profit_per_order == Decimal(profit)


def test_plan_2_thousand_orders_lose_1400():
    fields, _, _ = CASES["淘客2 野菊蜜"]
    assert economics(promo(**fields, planned_orders=1000)).total_profit == Decimal(-1400)


def test_plan_1_uses_its_own_500_orders_not_the_seeds_200():
    # the seed plans 500 orders but writes 200 × 8.2 = 1,640; computed from the inputs: 500 × −8.2 = −4,100
    fields, _, _ = CASES["淘客1 野菊蜜"]
    assert economics(promo(**fields, planned_orders=500)).total_profit == Decimal(-4100)


def test_break_even_price_and_commission_by_hand():
    fields, _, _ = CASES["淘客1 野菊蜜"]
    e = economics(promo(**fields))
    # price p with 0.7p − 2.5 − 5 − 21 = 0 → p = 28.5 / 0.7 = 40.714… → 40.72 (rounded up: never a loss)
    assert e.break_even_price == Decimal("40.72")
    # commission c with 29 − 29c − 28.5 = 0 → c = 0.5 / 29 = 1.724…%
    assert e.break_even_commission == Decimal("0.5") / Decimal(29)


def test_no_commission_breaks_even_when_the_price_is_below_cost():
    fields, _, _ = CASES["直播1 白筷子"]
    # 29 − 3 − 4.69 − 5 − 11.32 = 4.99 ≥ 0 → break-even commission 4.99/29
    assert economics(promo(**fields)).break_even_commission == Decimal("4.99") / Decimal(29)
    low = dict(fields, list_price=25, promo_price=15, coupon=10)
    assert economics(promo(**low)).break_even_commission is None


def test_what_a_loss_buys_in_visitors():
    fields, _, _ = CASES["淘客2 野菊蜜"]
    # 1,000 orders at 4% → 25,000 visitors; −1,400 / 25,000 = ¥0.056 → 0.06 a visitor
    e = economics(promo(**fields, planned_orders=1000), default_conversion=Decimal("0.04"))
    assert e.visitors == 25000
    assert e.cost_per_visitor == Decimal("0.06")
