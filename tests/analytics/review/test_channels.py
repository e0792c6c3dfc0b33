"""The channels section of the review on the hand-built store (tests/analytics/conftest.py), worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dachu.analytics.review_model import Review
from tests.analytics.review.tables import table


def test_channels(hand_review: Review) -> None:
    row = next(r for r in table(hand_review.section("channels"), "channels") if r["channel"] == "Search")
    assert row["spend"] == Decimal("12.00")
    assert row["visitors"] == 30
    assert row["attributed_orders"] == 1
    assert row["roi"] == pytest.approx(100 / 12)
    assert row["cost_per_order"] == Decimal("12.00")
    assert row["ctr"] == pytest.approx(0.03)  # 30 / 1000
    assert row["cost_per_click"] == Decimal("0.40")  # 12 / 30
