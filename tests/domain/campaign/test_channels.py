"""Channel kinds: the 2013 seed table, round trips, and a contract every registered kind keeps."""

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dachu.domain.campaign.channels import (
    CHANNEL_KINDS,
    CostStep,
    CpcChannel,
    CpmChannel,
    CpsChannel,
    FlatChannel,
    PricingContext,
    SmsChannel,
)

CTX = PricingContext(conversion=Decimal("0.04"), order_value=Decimal("80"))


def test_the_2013_table(seed2013):
    # 短信 5,000/0.05 × 5% = 5,000; 直通车 20,000/5 = 4,000; 钻展 5,000/10 × 1,000 × 1% = 5,000; 聚效 10,000/0.5
    got = {c.name: c.traffic_for_budget(c.budget, CTX) for c in seed2013.channels}
    assert got == {"短信营销": 5000, "直通车": 4000, "钻石展位": 5000, "聚效": 20000}
    assert sum(got.values()) == 34000
    assert sum(c.budget for c in seed2013.channels) == 40000


def test_cps_cost_per_visitor_by_hand():
    # (30% × 80 + 2.5) × 4% = 26.5 × 0.04 = 1.06
    ch = CpsChannel(name="tk", kind="cps", commission=Decimal("0.3"), service_fee=Decimal("2.5"))
    assert ch.cost_per_visitor(CTX) == Decimal("1.06")


def test_rising_steps_make_volume_dearer():
    ch = CpcChannel(name="ztc", kind="cpc", cpc=Decimal(2), rising=[CostStep(from_visitors=100, factor=Decimal("1.5"))])
    # 100 × 2 + 50 × 3 = 350
    assert ch.budget_for_traffic(150, CTX) == Decimal("350.00")
    assert ch.traffic_for_budget(Decimal(350), CTX) == 150
    assert ch.traffic_for_budget(Decimal("352.99"), CTX) == 150


def test_cap_limits_traffic():
    ch = CpcChannel(name="jx", kind="cpc", cpc=Decimal("0.5"), cap=1000)
    assert ch.traffic_for_budget(Decimal(10000), CTX) == 1000


def test_flat_slot_is_all_or_nothing():
    ch = FlatChannel(name="jhs", kind="flat", fee=Decimal(30000), visitors=50000)
    assert ch.traffic_for_budget(Decimal(29999), CTX) == 0
    assert ch.traffic_for_budget(Decimal(30000), CTX) == 50000
    assert ch.budget_for_traffic(1, CTX) == Decimal(30000)


EXAMPLES = {
    "cpc": CpcChannel(
        name="a", kind="cpc", cpc=Decimal("0.37"), rising=[CostStep(from_visitors=500, factor=Decimal("1.3"))]
    ),
    "cpm": CpmChannel(name="b", kind="cpm", cpm=Decimal(7), ctr=Decimal("0.013")),
    "sms": SmsChannel(name="c", kind="sms", cost_per_message=Decimal("0.045"), click_rate=Decimal("0.03")),
    "cps": CpsChannel(name="d", kind="cps", commission=Decimal("0.2"), service_fee=Decimal(1)),
    "flat": FlatChannel(name="e", kind="flat", fee=Decimal(5000), visitors=8000),
}


def test_every_registered_kind_has_a_contract_example():
    assert set(EXAMPLES) == set(CHANNEL_KINDS)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
@given(visitors=st.integers(min_value=0, max_value=2_000_000))
def test_budget_for_traffic_buys_at_least_that_traffic(kind, visitors):
    ch = EXAMPLES[kind]
    if not ch.is_divisible():
        visitors = min(visitors, ch.visitors)  # type: ignore[attr-defined]
    budget = ch.budget_for_traffic(visitors, CTX)
    assert ch.traffic_for_budget(budget, CTX) >= visitors


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
@given(budget=st.decimals(min_value=0, max_value=1_000_000, places=2))
# 17,524 visitors at CPM 7, CTR 1.3% cost exactly 9,436: 17,524 × 7 = 122,668 = 13 × 9,436
@example(budget=Decimal("9436.00"))
def test_traffic_for_budget_never_costs_more_than_the_budget(kind, budget):
    ch = EXAMPLES[kind]
    assert ch.budget_for_traffic(ch.traffic_for_budget(budget, CTX), CTX) <= budget


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
@given(a=st.integers(0, 500_000), b=st.integers(0, 500_000))
def test_more_traffic_never_costs_less(kind, a, b):
    ch = EXAMPLES[kind]
    lo, hi = sorted((a, b))
    assert ch.budget_for_traffic(lo, CTX) <= ch.budget_for_traffic(hi, CTX)
