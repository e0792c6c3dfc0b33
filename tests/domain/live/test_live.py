"""War-room state and alert rules, against figures worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dachu.domain.campaign.live import LiveSettings
from dachu.domain.live.alerts import evaluate
from dachu.domain.live.events import EVENTS
from dachu.domain.live.state import LivePlan, LiveProduct, LiveState, pace
from dachu.domain.live.view import snapshot

DAY = dt.date(2026, 11, 11)
PLAN = LivePlan(
    day=DAY,
    floor_gmv=Decimal(100_000),
    stretch_gmv=Decimal(150_000),
    products=(LiveProduct("A", "围巾", 100), LiveProduct("B", "杯子", None)),
    budgets=(("直通车", Decimal(1000)),),
)
NOT_BEHIND = LiveSettings(behind_after_minutes=1440)  # the floor-pace rule waits for the day's end: other rules alone


def at(minute: int, second: int = 0) -> str:
    return (dt.datetime.combine(DAY, dt.time()) + dt.timedelta(minutes=minute, seconds=second)).isoformat()


def state_of(*events: dict[str, object]) -> LiveState:
    state = LiveState(PLAN.start)
    state.apply(EVENTS.validate_python(list(events)))
    return state


def order(n: int, minute: int, amount: str, buyer: str, sku: str = "B", qty: int = 1) -> dict[str, object]:
    return {"id": f"o{n}", "type": "order", "at": at(minute), "order_id": f"O{n}", "amount": amount,
            "buyer_key": buyer, "lines": [{"sku": sku, "quantity": qty}], "source": "直通车"}


def pay(n: int, minute: int, amount: str) -> dict[str, object]:
    return {"id": f"p{n}", "type": "payment", "at": at(minute), "order_id": f"O{n}", "amount": amount}


def test_aov_is_paid_amount_over_paying_buyers_and_conversion_buyers_over_visitors() -> None:
    # buyer x pays 100 + 50, buyer y pays 30, buyer z places 20 and does not pay:
    # paid 180 / 2 paying buyers = AOV 90; 2 buyers / 40 visitors = 5%; 1 of 4 orders unpaid.
    state = state_of(
        order(1, 1, "100", "x"), order(2, 2, "50", "x"), order(3, 3, "30", "y"), order(4, 4, "20", "z"),
        pay(1, 2, "100"), pay(2, 3, "50"), pay(3, 5, "30"),
        {"id": "t1", "type": "traffic", "at": at(0), "page": "activity", "source": "直通车", "visitors": 30},
        {"id": "t2", "type": "traffic", "at": at(0), "page": "store", "source": "organic", "visitors": 10},
    )
    snap = snapshot(state, PLAN)
    assert snap["metrics"]["gmv_paid"] == 180.0
    assert snap["metrics"]["aov"] == 90.0
    assert snap["metrics"]["conversion"] == pytest.approx(0.05)
    assert snap["metrics"]["unpaid_share"] == pytest.approx(0.25)
    assert snap["visits"] == {"activity": 30, "store": 10, "activity_share": 0.75}
    # placement 直通车: 2 paying buyers of 30 visitors
    assert snap["placements"][0] == {"source": "直通车", "visitors": 30, "buyers": 2, "conversion": 2 / 30}


def test_payment_before_its_order_still_counts_once() -> None:
    state = state_of(pay(1, 1, "100"), order(1, 0, "100", "x"), pay(1, 2, "100"))
    assert (state.paid, state.paid_fen, state.buyers, sum(state.paid_of_placed)) == (1, 10_000, 1, 1)


def test_pace_is_linear_within_the_hour() -> None:
    # 90 minutes: hour 0 (0.18) + half of hour 1 (0.06 / 2) = 0.21
    assert pace(PLAN.order_shares, 90) == Decimal("0.21")
    assert pace(PLAN.order_shares, 1440) == 1


def test_behind_floor_after_half_an_hour() -> None:
    # at minute 60 the floor pace is 100,000 × 0.18 = 18,000; 5% tolerance → alert below 17,100
    behind = state_of(order(1, 59, "17000", "x"), pay(1, 59, "17000"))
    assert [a.kind for a in evaluate(behind, PLAN, 60)] == ["behind_floor"]
    on_pace = state_of(order(1, 59, "17200", "x"), pay(1, 59, "17200"))
    assert evaluate(on_pace, PLAN, 60) == []


def test_sellout_projects_from_the_last_window() -> None:
    # stock 100; 70 units ordered in the last 15 minutes → 30 left at 70/15 a minute = 6.4 minutes
    state = state_of(order(1, 50, "0", "x", "A", 70))
    alerts = evaluate(state, PLAN, 60, NOT_BEHIND)
    assert [(a.kind, dict(a.params)["left"], dict(a.params)["minutes"]) for a in alerts] == [("sellout", "30", "6")]
    slow = state_of(order(1, 50, "0", "x", "A", 10))  # 90 left at 10/15 a minute = 135 minutes
    assert evaluate(slow, PLAN, 60, NOT_BEHIND) == []
    # the snapshot reads at its own clock: last event 00:50 → minute 51; 51 + 6.43 = 57.4 → 00:57
    snap = snapshot(state, PLAN)
    assert snap["products"][0]["left"] == 30 and snap["products"][0]["sellout_at"] == "00:57"


@pytest.mark.parametrize(("paid", "alert"), [(12, True), (14, False)], ids=["40pct-unpaid", "30pct-unpaid"])
def test_unpaid_surge(paid: int, alert: bool) -> None:
    # 20 orders placed at minute 40; at minute 50 the window is minutes 30–44
    events = [order(i, 40, "10", f"b{i}") for i in range(20)] + [pay(i, 41, "10") for i in range(paid)]
    kinds = [a.kind for a in evaluate(state_of(*events), PLAN, 50, NOT_BEHIND)]
    assert ("unpaid_surge" in kinds) is alert


@pytest.mark.parametrize(("wait", "alert"), [("50", True), ("40", False)], ids=["50s", "40s"])
def test_cs_response_over_45_seconds(wait: str, alert: bool) -> None:
    events = [{"id": f"c{i}", "type": "cs", "at": at(10), "session_id": f"s{i}", "response_seconds": wait}
              for i in range(5)]
    kinds = [a.kind for a in evaluate(state_of(*events), PLAN, 12, NOT_BEHIND)]
    assert ("cs_slow" in kinds) is alert


@pytest.mark.parametrize(("spent", "alert"), [("100", True), ("97", False)], ids=["ahead", "within-10pct"])
def test_spend_ahead_of_plan(spent: str, alert: bool) -> None:
    # by minute 60 the day's visitors are 8.9% in → 1,000 × 0.089 = 89 planned; +10% → 97.90 allowed
    state = state_of({"id": "a", "type": "ad_spend", "at": at(30), "channel": "直通车", "spend": spent})
    kinds = [a.kind for a in evaluate(state, PLAN, 60, NOT_BEHIND)]
    assert ("spend_ahead" in kinds) is alert


def test_hourly_pace_ends_at_the_targets() -> None:
    snap = snapshot(state_of(), PLAN)
    assert snap["hourly"]["floor"][0] == 18_000.0 and snap["hourly"]["floor"][-1] == 100_000.0
    assert snap["hourly"]["stretch"][-1] == 150_000.0


def test_units_ordered_leave_the_stock_and_units_sold_count_paid_orders_only() -> None:
    # A: order 1 (2 units) unpaid; order 2 (3 units) paid, its payment arriving before the order;
    # order 3 (4 units) placed then paid → ordered 2+3+4 = 9, sold (units_sold: paid orders) 3+4 = 7
    state = state_of(order(1, 5, "10.00", "x", "A", 2), pay(2, 6, "10.00"), order(2, 7, "10.00", "y", "A", 3),
                     order(3, 8, "10.00", "z", "A", 4), pay(3, 9, "10.00"))
    row = next(p for p in snapshot(state, PLAN)["products"] if p["sku"] == "A")
    assert (row["ordered"], row["units_sold"]) == (9, 7)
    assert row["left"] == 91  # stock 100 − 9 ordered
