"""Honest plans (issue #15): totals from deliverable traffic only, one plain line for an unreachable target,
CPS priced at the plan's order value, promotions paying the platform's cut, no negative zero.

Every number is worked by hand below; CHECK_CAMPAIGN: A earns 50 an order at 100, B 20 at 30, conversion 4%,
30,000 visitors of the store's own.
"""

from decimal import Decimal

from rich.console import Console

from dachu.cli.plan_view import render_plan, yuan
from dachu.domain.campaign.channels import CpcChannel, PricingContext
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.budget import seed_method
from dachu.domain.plan.plan import make_plan
from dachu.report.plan_json import scenario_note
from tests.conftest import CHECK_CAMPAIGN

CAPPED = CHECK_CAMPAIGN.replace("cost_per_visitor: 1}", "}") + (
    "channels:\n  - {name: ads, kind: cpc, cpc: 1, cap: 10000}\n"
)
"""One channel of ¥1 visitors that brings at most 10,000."""


def test_a_short_scenario_counts_only_the_visitors_the_channels_deliver():
    # seed at 100,000: A 1,200 orders (30,000 visitors), B 2,000 (50,000); needed 80,000 = 30,000 own + 50,000
    # the channel brings 10,000: reach 40,000 = half of what is needed, 40,000 short
    # A: ⌊30,000 × ½⌋ = 15,000 visitors → ⌊15,000 × 4%⌋ = 600 orders; B: 25,000 → 1,000 orders
    # gross 600 × 50 + 1,000 × 20 = 50,000; spend 10,000 × ¥1 = 10,000; net 40,000 (not 100,000 − 10,000)
    s = seed_method(parse_campaign(CAPPED), "floor", Decimal(100000))
    assert not s.reachable
    assert (s.traffic_needed, s.reach, s.channels.short) == (80000, 40000, 40000)
    assert [(p.sku, p.target_orders, p.orders, p.traffic) for p in s.products] == [
        ("A", 1200, 600, 15000),
        ("B", 2000, 1000, 25000),
    ]
    assert s.orders == 1600
    assert s.gmv == Decimal(600 * 100 + 1000 * 30)
    assert s.gross_profit == Decimal(50000)
    assert s.budget == Decimal("10000.00")
    assert s.net_profit == Decimal(40000)


def test_an_unreachable_target_says_so_in_one_line_with_the_table_numbers():
    # net of spend: k = 0.6/(50 × 4%) + 0.4/(20 × 4%) = 0.8 visitors per yuan; the cap runs out at
    # 0.8 P − 30,000 = 10,000 → P = 50,000, net 50,000 − 10,000 = 40,000: the best reachable, as the seed row
    plan = make_plan(parse_campaign(CAPPED))
    seed, net = plan.scenario("floor", "seed"), plan.scenario("floor", "net_of_spend")
    assert net.note == "plan.net_unreachable_cap"
    assert net.net_profit == Decimal(40000)
    assert scenario_note(seed, "en") == (
        "the target is out of reach: the channels bring 40,000 of the 80,000 visitors it needs (40,000 short); "
        "the best reachable net profit is 40,000.00"
    )
    assert scenario_note(net, "en") == (
        "net of spend the target is out of reach: the channels' caps run out first; the best reachable net "
        "profit is 40,000.00"
    )
    assert "40,000.00" in scenario_note(seed, "zh")
    assert yuan(seed.net_profit) == "40,000.00"  # the table cell


def test_the_comparison_never_reads_as_reaching_an_unreachable_target():
    # stretch 150,000 with search ads capped at 150,000 visitors at ¥1: seed needs 120,000 + 30,000 own, fine
    # (A 1,800 orders / 45,000 visitors, B 3,000 / 75,000: 120,000 needed, 90,000 bought: net 150,000 − 90,000);
    # net of spend would need 0.8 P − 30,000 visitors with P − (0.8 P − 30,000) ≥ 150,000 → P = 600,000,
    # 450,000 visitors > the cap: out of reach, best at the cap: P = 225,000, net 225,000 − 150,000 = 75,000
    text = CHECK_CAMPAIGN.replace("cost_per_visitor: 1}", "}") + (
        "channels:\n  - {name: ads, kind: cpc, cpc: 1, cap: 150000}\n"
    )
    plan = make_plan(parse_campaign(text))
    assert plan.scenario("stretch", "seed").net_profit == Decimal(60000)
    assert plan.scenario("stretch", "net_of_spend").net_profit == Decimal(75000)
    out = Console(record=True, width=400)
    render_plan(plan, "en", out)
    text_out = out.export_text()
    line = next(x for x in text_out.splitlines() if x.startswith("stretch: the seed method"))
    assert "more orders" not in line
    assert line.endswith("net of spend the target is out of reach, the best reachable net profit being 75,000.00.")
    assert "-0.00" not in text_out


def test_no_negative_zero_for_a_channel_that_buys_nothing():
    # 0 visitors cost 0; the tolerance against repeating decimals used to round −0.000…01 up to −0.00
    ctx = PricingContext(conversion=Decimal("0.05"), order_value=Decimal(50))
    budget = CpcChannel(name="search", kind="cpc", cpc=Decimal("0.9")).budget_for_traffic(0, ctx)
    assert str(budget) == "0.00"
    assert yuan(Decimal("-0.00")) == "0.00"


def test_cps_is_priced_at_the_plans_order_value():
    # seed at 100,000: 1,200 × 100 + 2,000 × 30 = 180,000 over 3,200 orders → order value 56.25
    # (the mean of the two prices, 65, is not what an order is worth)
    # a visitor costs (20% × 56.25 + ¥1) × 4% = 0.49; 50,000 incremental visitors → 24,500.00
    text = CHECK_CAMPAIGN.replace("cost_per_visitor: 1}", "}") + (
        "channels:\n  - {name: taoke, kind: cps, commission: 0.2, service_fee: 1}\n"
    )
    s = seed_method(parse_campaign(text), "floor", Decimal(100000))
    assert s.order_value == Decimal("56.25")
    assert s.budget == Decimal("24500.00")


def test_a_promotion_pays_its_products_platform_fee():
    # seed case 淘客 2 on a product with a 5% platform fee:
    # net = 68 − 30 − (30% + 5%) × 38 − 2 = 68 − 30 − 13.30 − 2 = 22.70; profit = 22.70 − 5 − 21 = −3.30
    # break-even price = (2 + 5 + 21) / (1 − 0.35) = 28 / 0.65 = 43.0769… → 43.08 (rounded up)
    # break-even commission = (38 × 0.95 − 2 − 5 − 21) / 38 = 8.10 / 38
    text = CHECK_CAMPAIGN.replace("goal_share: 0.4}", "goal_share: 0.4, platform_fee_rate: 0.05}") + (
        "promotions:\n"
        "  - {name: taoke 2, sku: B, list_price: 68, coupon: 30, promo_price: 38, commission: 0.30,\n"
        "     service_fee: 2, shipping_cost: 5, unit_cost: 21, planned_orders: 1000}\n"
    )
    (e,) = make_plan(parse_campaign(text)).promotions
    assert e.net_per_order == Decimal("22.70")
    assert e.profit_per_order == Decimal("-3.30")
    assert e.total_profit == Decimal(-3300)
    assert e.break_even_price == Decimal("43.08")
    assert e.break_even_commission == Decimal("8.10") / 38


def test_sensitivity_centre_counts_only_delivered_visitors_too():
    # the unmoved cell is the floor itself: budget 10,000, net 40,000 (see the first test)
    plan = make_plan(parse_campaign(CAPPED))
    centre = next(c for c in plan.sensitivity if c.conversion_change == 0 and c.cost_change == 0)
    assert (centre.budget, centre.net_profit, centre.short) == (Decimal("10000.00"), Decimal(40000), 40000)
