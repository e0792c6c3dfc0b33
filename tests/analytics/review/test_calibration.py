"""The calibration section of the review on the hand-built store (tests/analytics/conftest.py), worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dachu.analytics.review_model import Review
from dachu.domain.campaign.file import parse_campaign


def test_calibration_measures_the_data(hand_review: Review) -> None:
    assert hand_review.calibrated_yaml is not None
    c = parse_campaign(hand_review.calibrated_yaml, "calibrated.yaml")
    assert c.campaign.event_day == dt.date(2027, 11, 11)
    assert c.store.event_conversion == Decimal("0.02")  # 2 buyers / 100 visitors
    assert c.channels[0].cpc == Decimal("0.40")  # type: ignore[union-attr]  # 12.00 / 30 clicks
    assert c.service is not None and c.service.inquiry_rate == Decimal("0.03")  # 3 chatting buyers / 100
    m = c.measured
    assert m is not None
    assert m.unpaid_rate == Decimal("0.3333")  # 2 / 6
    assert m.recovery_rate == Decimal("0.5")  # 2 / 4
    # orders paid per hour: 1 at 0, 1 at 1, 1 at 20; the leftover 0.0001 goes to the first hour
    assert m.hour_order_shares is not None
    assert (m.hour_order_shares[0], m.hour_order_shares[1], m.hour_order_shares[20]) == (
        Decimal("0.3334"),
        Decimal("0.3333"),
        Decimal("0.3333"),
    )
    assert m.hour_visitor_shares is not None and m.hour_visitor_shares[20] == Decimal("0.6")  # 60 / 100
    # the day profile: 11-12 has no traffic row, so no segment; the event day is never a segment
    assert c.daily_profile is None or all(s.from_day != 0 for s in c.daily_profile)
