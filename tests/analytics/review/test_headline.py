"""The headline section of the review on the hand-built store (tests/analytics/conftest.py), worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dachu.analytics.review_model import Review
from dachu.domain.plan.plan import Plan
from tests.analytics.review.tables import figures, table


def test_headline(hand_review: Review, hand_plan: Plan) -> None:
    f = figures(hand_review.section("headline"))
    assert f["gmv_paid"] == Decimal("180.50")  # 100 + 50 + 30.50
    assert f["orders_placed"] == 6  # o1..o6 created on the day
    assert f["orders_paid"] == 3  # o1, o2, o3
    assert f["paying_buyers"] == 2  # b1, b2
    assert f["aov"] == Decimal("90.25")  # 180.50 / 2 buyers
    assert f["visitors"] == 100  # 30 + 10 + 60
    assert f["conversion"] == pytest.approx(0.02)  # 2 buyers / 100 visitors
    assert f["pv_per_visitor"] == pytest.approx(2.1)  # (90 + 20 + 100) / 100
    gmv = hand_review.section("headline").figures[0]
    assert gmv.floor == hand_plan.scenario("floor", "seed").gmv  # net of spend is unreachable here
    assert gmv.previous == Decimal("60.00")  # o9 on 2025-11-11


def test_day_table_spans_the_plan(hand_review: Review) -> None:
    rows = table(hand_review.section("headline"), "by_day")
    assert rows[0]["day"] == dt.date(2026, 10, 10) and rows[-1]["day"] == dt.date(2026, 11, 20)
    by_day = {r["day"]: r for r in rows}
    assert by_day[dt.date(2026, 11, 12)]["gmv_paid"] == Decimal("80.00")  # o5 paid on 11-12
    assert by_day[dt.date(2026, 11, 20)]["orders_paid"] == 1  # o10
