"""The optimiser: least cost against a brute force, caps, flat slots, shortfalls."""

import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from dachu.domain.campaign.channels import CostStep, CpcChannel, FlatChannel, PricingContext
from dachu.domain.plan.allocation import plan_channels

CTX = PricingContext(conversion=Decimal("0.04"), order_value=Decimal(80))


def test_cheapest_first_then_dearer():
    cheap = CpcChannel(name="cheap", kind="cpc", cpc=Decimal("0.5"), cap=20000)
    dear = CpcChannel(name="dear", kind="cpc", cpc=Decimal(2))
    p = plan_channels([cheap, dear], 50000, CTX)
    # 20,000 at 0.5 = 10,000; 30,000 at 2 = 60,000
    assert [(line.name, line.traffic, line.budget) for line in p.lines] == [
        ("cheap", 20000, Decimal("10000.00")), ("dear", 30000, Decimal("60000.00"))]
    assert p.short == 0


def test_committed_budgets_count_first():
    booked = CpcChannel(name="booked", kind="cpc", cpc=Decimal(5), budget=Decimal(20000))  # 4,000 visitors
    open_ = CpcChannel(name="open", kind="cpc", cpc=Decimal(1))
    p = plan_channels([booked, open_], 10000, CTX)
    assert [(line.traffic, line.budget) for line in p.lines] == [(4000, Decimal(20000)), (6000, Decimal("6000.00"))]


def test_caps_too_low_say_how_many_visitors_are_short():
    a = CpcChannel(name="a", kind="cpc", cpc=Decimal(1), cap=1000)
    b = CpcChannel(name="b", kind="cpc", cpc=Decimal(2), cap=500)
    p = plan_channels([a, b], 2000, CTX)
    assert p.short == 500
    assert p.traffic == 1500


def test_flat_slot_bought_whole_when_it_beats_clicks():
    # 10,000 visitors: slot ¥3,000 for 8,000 + 2,000 clicks at ¥1 = 5,000 < 10,000 clicks = 10,000
    slot = FlatChannel(name="slot", kind="flat", fee=Decimal(3000), visitors=8000)
    clicks = CpcChannel(name="clicks", kind="cpc", cpc=Decimal(1))
    p = plan_channels([slot, clicks], 10000, CTX)
    assert p.budget == Decimal(5000)


def _brute_force(channels, demand):
    best = None
    caps = [c.cap or demand for c in channels]
    for split in itertools.product(*(range(0, cap + 1) for cap in caps)):
        if sum(split) >= demand:
            cost = sum(c.budget_for_traffic(v, CTX) for c, v in zip(channels, split, strict=True))
            best = cost if best is None else min(best, cost)
    return best


@settings(max_examples=40, deadline=None)
@given(
    prices=st.lists(st.integers(1, 9), min_size=2, max_size=3),
    caps=st.lists(st.integers(1, 12), min_size=3, max_size=3),
    step=st.integers(1, 6),
    demand=st.integers(1, 20),
)
def test_optimiser_matches_brute_force(prices, caps, step, demand):
    channels = [
        CpcChannel(name=f"c{i}", kind="cpc", cpc=Decimal(p), cap=caps[i],
                   rising=[CostStep(from_visitors=step, factor=Decimal("1.5"))])
        for i, p in enumerate(prices)
    ]
    demand = min(demand, sum(caps[: len(prices)]))
    assert plan_channels(channels, demand, CTX).budget == _brute_force(channels, demand)
