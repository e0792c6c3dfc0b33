"""Budget from the goal (docs/domain.md §1) and net of spend, against hand-worked numbers."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.budget import net_of_spend, seed_method, traffic_for_orders
from tests.conftest import CHECK_CAMPAIGN


def test_seed_example_200_orders_at_4_percent_need_5000_visitors():
    # "200/x = 4%" → x = 5,000
    assert traffic_for_orders(200, Decimal("0.04")) == 5000


def test_traffic_rounds_up_to_whole_visitors():
    # 201 / 0.04 = 5,025 exactly; 203 / 0.03 = 6,766.67 → 6,767
    assert traffic_for_orders(201, Decimal("0.04")) == 5025
    assert traffic_for_orders(203, Decimal("0.03")) == 6767


def test_seed_method_on_the_issue_check(check_campaign):
    # A: 0.6 × 100,000 / 50 = 1,200; B: 0.4 × 100,000 / 20 = 2,000
    # traffic: 1,200/0.04 = 30,000 + 2,000/0.04 = 50,000 = 80,000; incremental 80,000 − 30,000 = 50,000; × ¥1
    s = seed_method(check_campaign, "floor", Decimal(100000))
    assert [(p.sku, p.orders, p.traffic) for p in s.products] == [("A", 1200, 30000), ("B", 2000, 50000)]
    assert (s.traffic_needed, s.baseline, s.incremental) == (80000, 30000, 50000)
    assert s.budget == Decimal("50000.00")
    assert s.gross_profit == Decimal(100000)
    assert s.net_profit == Decimal(50000)  # the seed method forgets the spend


def test_net_of_spend_on_the_issue_check(check_campaign):
    # gross P: traffic 0.8P, cost 0.8P − 30,000, net 0.2P + 30,000 = 100,000 → P = 350,000
    # A 0.6 × 350,000 / 50 = 4,200; B 0.4 × 350,000 / 20 = 7,000; traffic 280,000; budget 250,000
    s = net_of_spend(check_campaign, "floor", Decimal(100000))
    assert [(p.sku, p.orders) for p in s.products] == [("A", 4200), ("B", 7000)]
    assert s.traffic_needed == 280000
    assert s.budget == Decimal("250000.00")
    assert s.net_profit == Decimal("100000.00")
    assert s.reachable


def test_fixed_products_shrink_what_share_products_must_earn():
    # a traffic driver losing 2 per order on 1,000 orders: share products must earn 100,000 + 2,000
    text = CHECK_CAMPAIGN + (
        "  - {sku: T, name: T, role: traffic, list_price: 20, promo_price: 10, unit_cost: 9, shipping_cost: 3,"
        " planned_orders: 1000}\n"
    )
    c = parse_campaign(text)
    s = seed_method(c, "floor", Decimal(100000))
    orders = {p.sku: p.orders for p in s.products}
    assert orders == {"A": 1224, "B": 2040, "T": 1000}  # 0.6 × 102,000 / 50; 0.4 × 102,000 / 20
    assert s.gross_profit == Decimal(1224 * 50 + 2040 * 20 - 2000)


def test_gmv_goal_uses_prices_and_both_methods_agree():
    text = CHECK_CAMPAIGN.replace("metric: profit", "metric: gmv")
    c = parse_campaign(text)
    s = seed_method(c, "floor", Decimal(100000))
    # A: 60,000 / 100 = 600; B: 40,000 / 30 = 1,333.33 → 1,334
    assert [p.orders for p in s.products] == [600, 1334]
    n = net_of_spend(c, "floor", Decimal(100000))
    assert [p.orders for p in n.products] == [600, 1334]
    assert n.note == "plan.net_same_for_metric"


def test_net_of_spend_unreachable_when_visitors_cost_more_than_they_earn():
    # profit per visitor: 1/k with k = 0.8 → 1.25; at ¥2 a visitor more traffic only loses money
    c = parse_campaign(CHECK_CAMPAIGN.replace("cost_per_visitor: 1", "cost_per_visitor: 2"))
    s = net_of_spend(c, "floor", Decimal(100000))
    assert not s.reachable
    assert s.note == "plan.net_unreachable_cost"
    # best: gross where paid traffic starts, 30,000 / 0.8 = 37,500, with no spend
    assert dict(s.note_params)["best"] == Decimal("37500.00")  # a value; the faces format it as in the tables


def test_net_of_spend_with_rising_cost_is_exact_and_minimal():
    text = CHECK_CAMPAIGN.replace("cost_per_visitor: 1}", "}") + (
        "channels:\n"
        "  - {name: ads, kind: cpc, cpc: 0.5, rising: [{from_visitors: 100000, factor: 2}]}\n"
    )
    c = parse_campaign(text)
    s = net_of_spend(c, "floor", Decimal(100000))
    # first 100,000 visitors at 0.5: net = P − 0.5(0.8P − 30,000) = 0.6P + 15,000 = 100,000 → P = 141,666.67
    # → D = 0.8P − 30,000 = 83,333 < 100,000: inside the cheap piece
    assert s.reachable
    assert s.net_profit >= Decimal(100000)
    # one order fewer of each product would miss the goal
    assert s.net_profit - Decimal(100000) < Decimal(50 + 20)


@settings(max_examples=30, deadline=None)
@given(a=st.integers(1_000, 400_000), b=st.integers(1_000, 400_000))
def test_a_bigger_goal_never_needs_fewer_orders_or_less_budget(a, b):
    c = parse_campaign(CHECK_CAMPAIGN)
    lo, hi = sorted((a, b))
    for method in (seed_method, net_of_spend):
        small, big = method(c, "floor", Decimal(lo)), method(c, "floor", Decimal(hi))
        assert small.orders <= big.orders
        assert small.budget <= big.budget


@settings(max_examples=30, deadline=None)
@given(goal=st.integers(1_000, 400_000))
def test_net_of_spend_meets_the_goal_and_seed_never_exceeds_it_net(goal):
    c = parse_campaign(CHECK_CAMPAIGN)
    net = net_of_spend(c, "floor", Decimal(goal))
    assert net.net_profit >= goal
    assert seed_method(c, "floor", Decimal(goal)).orders <= net.orders
