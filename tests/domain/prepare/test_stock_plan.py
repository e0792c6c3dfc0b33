"""The stock plan against hand-worked numbers: listing, reorder point, hero share, sell-out hour."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dachu.domain.campaign.file import parse_campaign
from dachu.domain.campaign.warehouse import StockItem, StockSettings
from dachu.domain.plan.plan import make_plan
from dachu.domain.prepare.stock_plan import (
    SellOut,
    listed_quantity,
    reorder_point,
    sell_out_time,
    stock_line,
    stock_plan,
)
from dachu.errors import CampaignFileError
from tests.domain.prepare.fixtures import CAMPAIGN_YAML


@pytest.mark.parametrize(
    ("planned", "ratio", "listed"),
    [(3000, "0.95", 2850), (1001, "0.95", 950), (1001, "0.9", 900), (19, "0.95", 18), (0, "0.95", 0)],
    ids=["round", "floor-950.95", "floor-900.9", "floor-18.05", "nothing"],
)
def test_listed_quantity_floors_to_whole_units(planned, ratio, listed):
    assert listed_quantity(planned, Decimal(ratio)) == listed


@pytest.mark.parametrize(
    ("daily", "lead", "safety", "rop"),
    [(1200, "3", "0", 3600), (1200, "0.5", "100", 700), (333, "1.5", "0", 500), (10, "0", "5", 5)],
    ids=["3-days", "half-day+safety", "499.5-up", "no-lead"],
)
def test_reorder_point_is_demand_times_lead_time_plus_safety(daily, lead, safety, rop):
    assert reorder_point(daily, Decimal(lead), Decimal(safety)) == rop


# ORDER_SHARES cumulative by hand: 0h .18, 1h .24, 2h .265, 3h .277, 4h .285, 5h .291, 6h .298, 7h .309,
# 8h .329, 9h .364, 10h .406, 11h .449, 12h .489, 13h .529 … 22h .933 (= 1 − .067), 23h 1.
@pytest.mark.parametrize(
    ("listed", "demand", "expected"),
    [
        (200, 1000, SellOut(1, 20)),    # 180 gone by 01:00; 20 more at 60/h → 20 min
        (500, 1000, SellOut(13, 16)),   # 489 by 13:00; 11 more at 40/h → 16.5 min
        (950, 1000, SellOut(23, 15)),   # 933 by 23:00; 17 more at 67/h → 15.2 min
        (180, 1000, SellOut(1, 0)),     # all of hour 0's orders: gone at 01:00
        (0, 10, SellOut(0, 0)),
        (1000, 1000, None),
        (5000, 1000, None),
    ],
    ids=["01:20", "13:16", "23:15", "01:00", "nothing-listed", "exact", "plenty"],
)
def test_sell_out_time_on_the_planned_curve(listed, demand, expected):
    assert sell_out_time(listed, demand) == expected


@given(demand=st.integers(1, 10**6), a=st.integers(0, 10**6), b=st.integers(0, 10**6))
def test_more_stock_never_sells_out_earlier(demand, a, b):
    low, high = sorted((a, b))
    first, second = sell_out_time(low, demand), sell_out_time(high, demand)
    if first is not None and second is not None:
        assert (first.hour, first.minute) <= (second.hour, second.minute)
    if first is None:
        assert second is None


def test_stock_line_with_stock_on_hand_above_the_need():
    # 1,200 a day × 2 = 2,400 needed; 3,000 on hand → plan 3,000, list 2,850, reserve 150;
    # reorder point 1,200 × 3 days = 3,600; but the need within the 3-day lead time is the event's 2,400
    # (one event day, × min(3, 1)) and 3,000 on hand cover it: no reorder alert
    settings = StockSettings(items={"A01": StockItem(lead_time_days=Decimal(3), supplier="蜂场")})
    line = stock_line("A01", "野菊蜜", "hero", 1200, Decimal(2), 3000, settings)
    assert (line.units, line.planned, line.listed, line.reserve, line.short) == (2400, 3000, 2850, 150, 0)
    assert line.reorder_point == 3600 and line.lead_need == 2400 and line.reorder_now is False
    assert line.sell_out is None


def test_stock_line_short_of_the_need_and_safety_days():
    # 1,000 on hand against 2,400 needed: buy 1,400; safety 0.5 day × 1,200 = 600; lead 1 day → ROP 1,800;
    # within the lead time 2,400 + 600 = 3,000 are needed and 1,000 are on hand: order now
    settings = StockSettings(safety_days=Decimal("0.5"), items={"A01": StockItem(lead_time_days=Decimal(1))})
    line = stock_line("A01", "x", "hero", 1200, Decimal(2), 1000, settings)
    assert (line.short, line.planned, line.reorder_point, line.reorder_now) == (1400, 2400, 1800, True)
    assert line.lead_need == 3000


@pytest.mark.parametrize(
    ("on_hand", "lead", "safety", "alert"),
    [
        (7200, "3", None, False),   # three times the 2,400 needed, lead 3 days: the old rule alerted (ROP 3,600)
        (3601, "3", None, False),   # above the old reorder point too
        (2400, "3", None, False),   # exactly the need within the lead time
        (2399, "3", None, True),    # one unit short of it
        (2399, "10", None, True),   # a longer lead time needs no more: the event is one day
        (1200, "0.5", None, False),  # half a day's lead: 2,400 × 0.5 = 1,200 needed before a refill arrives
        (1199, "0.5", None, True),
        (2500, "3", 200, True),     # 2,400 + 200 safety stock = 2,600 > 2,500
        (None, "3", None, False),   # no stock on hand given: nothing to compare
    ],
    ids=["3x-need", "above-old-rop", "exact", "one-short", "long-lead", "half-day", "half-day-short",
         "safety", "unknown-stock"],
)
def test_reorder_alert_only_when_on_hand_is_short_of_the_lead_time_need(on_hand, lead, safety, alert):
    # given 1,200 units on the day × multiplier 2 = 2,400 to prepare for (hand-worked in each id above)
    item = StockItem(lead_time_days=Decimal(lead), safety_stock=safety)
    line = stock_line("A01", "x", "hero", 1200, Decimal(2), on_hand, StockSettings(items={"A01": item}))
    assert line.reorder_now is alert


def test_no_lead_time_no_reorder_alert():
    line = stock_line("A01", "x", "hero", 1200, Decimal(2), 10, StockSettings())
    assert line.lead_need is None and line.reorder_now is False


def test_listing_below_demand_sells_out_and_is_flagged():
    # multiplier 1, no stock given: plan 1,000, list 950 < the day's 1,000 → gone at 23:15
    line = stock_line("B", "y", "traffic", 1000, Decimal(1), None, StockSettings())
    assert line.sell_out == SellOut(23, 15)
    assert line.reorder_point is None


def test_plan_stock_and_hero_share():
    # stretch 2,000 orders: A01 60% = 1,200 a day, B02 800; × 2 → 2,400 and 1,600.
    # A01 has 3,000 on hand → planned 3,000; hero share 3,000 / 4,600 = 65.2% > 60%: flagged
    sp = stock_plan(make_plan(parse_campaign(CAMPAIGN_YAML)))
    assert [(x.sku, x.day_units, x.units, x.planned, x.listed) for x in sp.lines] == [
        ("A01", 1200, 2400, 3000, 2850), ("B02", 800, 1600, 1600, 1520)]
    assert sp.total_planned == 4600 and sp.hero_planned == 3000
    assert sp.hero_share == Decimal(3000) / 4600
    assert sp.hero_share_ok is False
    assert sp.lines[0].reorder_point == 3600 and sp.lines[0].supplier == "蜂场"
    assert sp.sell_outs == ()


def test_hero_band_inside():
    text = CAMPAIGN_YAML.replace("goal_share: 0.6, stock: 3000", "goal_share: 0.6")
    sp = stock_plan(make_plan(parse_campaign(text)))
    # 2,400 / 4,000 = 60%: on the band's edge, inside
    assert sp.hero_share == Decimal("0.6") and sp.hero_share_ok is True


def test_band_reversed_is_a_file_problem():
    text = CAMPAIGN_YAML.replace("  stock:\n", "  stock:\n    hero_share_min: 0.7\n")
    with pytest.raises(CampaignFileError):
        parse_campaign(text)
