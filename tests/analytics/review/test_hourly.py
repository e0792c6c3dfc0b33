"""The hourly section of the review on the hand-built store (tests/analytics/conftest.py), worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dachu.analytics.review_model import Review
from tests.analytics.review.tables import table


def test_hourly_and_pace(hand_review: Review) -> None:
    rows = table(hand_review.section("hourly"), "by_hour")
    assert [r["gmv_paid"] for r in rows if r["gmv_paid"]] == [Decimal("100.00"), Decimal("50.00"), Decimal("30.50")]
    assert rows[0]["visitors"] == 40 and rows[20]["visitors"] == 60
    assert rows[0]["orders_placed"] == 2  # o1 00:10, o2 00:20
    assert rows[23]["cumulative_gmv"] == Decimal("180.50")
    assert rows[1]["cumulative_share"] == pytest.approx(150 / 180.5)
    assert rows[23]["floor_pace"] == rows[23]["floor_pace"].quantize(Decimal("0.01"))
