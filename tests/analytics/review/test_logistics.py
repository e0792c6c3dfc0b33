"""The logistics section of the review on the hand-built store (tests/analytics/conftest.py), worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dachu.analytics.review_model import Review
from tests.analytics.review.tables import figures, table


def test_logistics(hand_review: Review) -> None:
    section = hand_review.section("logistics")
    f = figures(section)
    assert f["shipped_within_24h"] == pytest.approx(1 / 3)  # o1 (10 h)
    assert f["shipped_within_48h"] == pytest.approx(2 / 3)  # o1, o2 (34.5 h)
    assert f["shipped_within_7d"] == pytest.approx(1.0)  # o3 after 4 days
    assert f["priority_within_2d"] == pytest.approx(1.0)  # Beijing o1 and Shanghai o2 both within 48 h
    backlog = {r["day"]: r["backlog"] for r in table(section, "backlog")}
    # paid since 10-10: 11-11 o1 o2 o3, 11-12 o5, 11-20 o10; shipped 11-11 o1, 11-12 o2, 11-13 o5, 11-15 o3,
    # 11-20 o10
    assert backlog[dt.date(2026, 11, 11)] == 2
    assert backlog[dt.date(2026, 11, 12)] == 2
    assert backlog[dt.date(2026, 11, 13)] == 1
    assert backlog[dt.date(2026, 11, 15)] == 0
    assert max(backlog) == dt.date(2026, 11, 20)
