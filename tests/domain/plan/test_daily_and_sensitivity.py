"""The daily plan table and the sensitivity grid, against hand-worked numbers."""

import datetime as dt
from decimal import Decimal

from dachu.domain.plan.daily import daily_plan
from dachu.domain.plan.plan import make_plan
from dachu.domain.plan.sensitivity import sensitivity


def test_daily_plan_days_and_event_row(check_campaign):
    plan = make_plan(check_campaign)
    days = plan.daily
    # 10.10 (−32) to 11.20 (+9): 42 days
    assert len(days) == 42
    assert days[0].date == dt.date(2026, 10, 10)
    event = next(d for d in days if d.offset == 0)
    net = plan.scenario("floor", "net_of_spend")
    assert (event.visitors, event.orders, event.gmv) == (net.traffic_needed, net.orders, net.gmv)


def test_warm_up_day_by_the_default_profile(check_campaign):
    plan = make_plan(check_campaign)
    s = plan.scenario("floor", "seed")
    day = next(d for d in daily_plan(check_campaign, s) if d.offset == -5)
    # 30,000 × 1.3 = 39,000 visitors; conversion 3% × 0.7 = 2.1%; orders 819
    # order value defaults to the event day's: GMV (1,200×100 + 2,000×30 = 180,000) / 3,200 = 56.25
    assert (day.phase, day.visitors, day.conversion, day.orders) == ("warm_up", 39000, Decimal("0.021"), 819)
    assert day.order_value == Decimal("56.25")
    assert day.gmv == Decimal("46068.75")


def test_sensitivity_by_hand(check_campaign):
    plan = make_plan(check_campaign)
    seed = plan.scenario("floor", "seed")
    grid = {(c.conversion_change, c.cost_change): c for c in sensitivity(check_campaign, seed)}
    assert len(grid) == 25
    same = grid[(Decimal(0), Decimal(0))]
    assert (same.budget, same.net_profit) == (Decimal(50000), Decimal(50000))
    # conversion −20% → 3.2%: 1,200/0.032 = 37,500 + 2,000/0.032 = 62,500 = 100,000; − 30,000 = 70,000
    # cost +10% → ¥1.1: budget 77,000; net 100,000 − 77,000 = 23,000
    cell = grid[(Decimal("-0.2"), Decimal("0.1"))]
    assert (cell.traffic, cell.budget, cell.net_profit) == (100000, Decimal("77000.00"), Decimal("23000.00"))


def test_capacity_is_stretch_times_multiplier(check_campaign):
    plan = make_plan(check_campaign)
    # stretch 150,000 net of spend: 0.2P + 30,000 = 150,000 → P = 600,000 → A 7,200, B 12,000; × 2
    assert plan.capacity.orders == (7200 + 12000) * 2
    assert [n.units for n in plan.capacity.stock] == [14400, 24000]
