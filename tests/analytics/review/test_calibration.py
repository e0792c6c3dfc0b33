"""The calibration section of the review on the hand-built store (tests/analytics/conftest.py), worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dachu.analytics.review.calibration import calibrated_campaign
from dachu.analytics.review.common import Context
from dachu.analytics.review_model import Review
from dachu.analytics.source import Period, Source
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.campaign.measured import Measured
from dachu.domain.plan.plan import Plan


def test_calibration_measures_the_data(hand_review: Review) -> None:
    assert hand_review.calibrated_yaml is not None
    c = parse_campaign(hand_review.calibrated_yaml, "calibrated.yaml")
    assert c.campaign.event_day == dt.date(2027, 11, 11)
    assert c.store.event_conversion == Decimal("0.03")  # 3 paid orders (o1, o2, o3) / 100 visitors
    assert c.channels[0].cpc == Decimal("0.40")  # type: ignore[union-attr]  # 12.00 / 30 clicks
    assert c.service is not None and c.service.inquiry_rate == Decimal("0.03")  # 3 chatting buyers / 100
    m = c.measured
    assert m is not None
    assert m.unpaid_rate == Decimal("0.3333")  # 2 / 6
    # the hand store has no outbox: dachu sent no reminder, so nothing is measured (no proxy from payment delays)
    assert m.recovery_rate is None
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


def test_calibrated_conversion_is_paid_orders_over_visitors(hand_review: Review) -> None:
    # The plan needs visitors = orders ÷ conversion, so the measured conversion is orders ÷ visitors.
    # Event day 2026-11-11: orders paid o1 (00:11), o2 (01:30), o3 (20:05) = 3 (o5 was paid on 11-12, o4 and
    # o6 never); visitors 30 + 10 + 60 = 100 (the three traffic rows); 3 / 100 = 0.03. By paying buyers it
    # would be 2 / 100 (b1 paid twice): the headline's conversion, not the plan's.
    orders_paid, visitors = 3, 100
    expected = Decimal(orders_paid) / Decimal(visitors)
    assert expected == Decimal("0.03")
    section = hand_review.section("calibration")
    conversion = next(f for f in section.figures if f.id == "conversion")
    assert conversion.actual == pytest.approx(0.03)
    assert conversion.floor == pytest.approx(0.05)  # the plan's event_conversion in the hand campaign
    assert hand_review.calibrated_yaml is not None
    assert parse_campaign(hand_review.calibrated_yaml, "c.yaml").store.event_conversion == expected


def test_day_profile_measures_orders_and_order_value_as_the_plan_uses_them(
    hand_source: Source, hand_plan: Plan
) -> None:
    # given a day after the event (11-12, offset 1) with 200 visitors, 4 paid orders by 2 buyers, GMV 120.00;
    # the hand campaign's ordinary day: 100 visitors, conversion 0.02, order value 50
    day = dt.date(2026, 11, 12)
    daily = {
        "sales": {day: {"orders_paid": 4, "paying_buyers": 2, "gmv_paid": Decimal("120.00")}},
        "traffic": {day: {"visitors": 200}},
    }
    ctx = Context(
        hand_source, hand_plan, Period.day(hand_plan.campaign.campaign.event_day), Period.day(day), None, (), None
    )
    m = Measured(event_day=day)
    # when the campaign is calibrated
    data = calibrated_campaign(ctx, m, daily)
    # then the day's factors: visitors 200 / 100 = 2; conversion (4 / 200) / 0.02 = 1 (by buyers it would be
    # 0.5); order value (120 / 4) / 50 = 0.6 (by buyers it would be 1.2)
    (segment,) = data["daily_profile"]
    assert segment == {
        "from_day": 1,
        "to_day": 1,
        "uv_factor": Decimal("2.0000"),
        "conversion_factor": Decimal("1.0000"),
        "aov_factor": Decimal("0.6000"),
    }
