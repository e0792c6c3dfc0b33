"""The service section of the review on the hand-built store (tests/analytics/conftest.py), worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dachu.analytics.review_model import Review
from tests.analytics.review.tables import figures, table


def test_service(hand_review: Review) -> None:
    section = hand_review.section("service")
    agents = {r["agent"]: r for r in table(section, "agents")}
    a1, b2 = agents["A1"], agents["B2"]  # the shop prefix of 店:A1 is dropped
    assert (a1["cs_sessions"], a1["cs_buyers"]) == (2, 2)  # b1, b3
    assert a1["inquiry_conversion"] == pytest.approx(0.5)  # b1 paid, b3 did not
    assert (a1["cs_sales"], a1["cs_aov"]) == (Decimal("100.00"), Decimal("100.00"))  # o1
    assert a1["first_response_seconds"] == pytest.approx(20.0)  # (10 + 30) / 2
    assert a1["avg_response_seconds"] == pytest.approx(32.0)  # (90 + 70) s of waits / (3 + 2) replies
    assert b2["avg_response_seconds"] is None  # s3 gives no response times
    assert b2["cs_refund_amount"] == Decimal("50.00")  # o2 refunded
    f = figures(section)
    assert f["cs_sessions"] == 3
    assert f["inquiry_conversion"] == pytest.approx(2 / 3)
    assert f["cs_sales"] == Decimal("150.00")
    assert f["cs_sales_share"] == pytest.approx(150 / 180.5)
    assert f["first_response_seconds"] == pytest.approx(20.0)  # (10 + 30 + 20) / 3
    assert f["avg_response_seconds"] == pytest.approx(32.0)  # s3's 4 replies left out: 160 s / 5 replies
    assert section.notes == ()  # response times are there
