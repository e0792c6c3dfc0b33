"""The funnel section of the review on the hand-built store (tests/analytics/conftest.py), worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

import pytest

from dachu.analytics.review_model import Review
from tests.analytics.review.tables import figures


def test_funnel(hand_review: Review) -> None:
    f = figures(hand_review.section("funnel"))
    assert f["favouriters"] == 1 and f["cart_adders"] == 1  # v1 fav, v2 cart
    assert f["unpaid_share"] == pytest.approx(2 / 6)  # o4, o6 never paid of 6 placed
    # what reminders won back is measured from the outbox (the reminders section), not guessed from delays
    assert "paid_after_reminder" not in f
    assert f["returning_visitor_share"] == pytest.approx(1 / 3)  # v1 of v1, v2, v3
    assert f["items_viewed"] == 2  # X, Y
    chart = hand_review.section("funnel").charts[0]
    assert chart.series[0].values == (100, 2, 6, 3)  # visitors, engaged (v1, v2), placed, paid
