"""The after sale section of the review on the hand-built store (tests/analytics/conftest.py), worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dachu.analytics.review_model import Review
from tests.analytics.review.tables import figures, table


def test_after_sale(hand_review: Review) -> None:
    f = figures(hand_review.section("after_sale"))
    assert f["refund_rate"] == pytest.approx(1 / 3)  # o2 of o1..o3
    assert f["refund_amount"] == Decimal("50.00")
    # event-day paid orders o1, o2, o3; o2 (two cases) and o3 drew complaints; c4 is about o5 (paid 11-12)
    # and c5 about no order: 2 / 3
    assert f["complaint_rate"] == pytest.approx(2 / 3)
    # ratings of 05-30…11-25 (the latest rating's day): o1, o2, o3, o10, o12, o9 (o7's is older)
    # description 5, 2, 5, 4, 3, 1 = 20 / 6; service 5, 3, 4, 4, 1 = 17 / 5; logistics 5, 4, 4, 3, 1 = 17 / 5
    assert f["dsr"] == pytest.approx((20 / 6 + 17 / 5 + 17 / 5) / 3)
    # per buyer, all scores in the window: b1 (5 5 5, 5 4) 24/5 = 4.8; b2 (2 3 4, 4 4 4) 21/6 = 3.5;
    # b6 (3, 3) = 3; o9's rating has no buyer: b2 and b6 are below 4
    assert f["dsr_low_score_buyers"] == 2
    section = hand_review.section("after_sale")
    assert [k for k, _ in section.notes] == ["review.note.dsr_window"]
    assert section.notes[0][1] == {"first": dt.date(2026, 5, 30), "last": dt.date(2026, 11, 25)}
    cases = {(r["complaint_kind"], r["complaint_reason"]): r for r in table(section, "complaints")}
    assert set(cases) == {("维权", "退款纠纷"), ("投诉", "服务态度"), ("投诉", "延迟发货")}  # c1, c2, c3
    assert all(r["complaints"] == 1 and r["share_of_orders_paid"] == pytest.approx(1 / 3) for r in cases.values())
    items = {r["dsr_item"]: r for r in table(section, "dsr")}
    d = items["review.dsr_item.description"]
    assert (d["dsr_mean"], d["ratings"]) == (pytest.approx(20 / 6), 6)
    assert d["share_5"] == pytest.approx(2 / 6) and d["share_1_3"] == pytest.approx(3 / 6)  # 5 5; 2 3 1
    lg = items["review.dsr_item.logistics"]
    assert lg["ratings"] == 5 and lg["share_5"] == pytest.approx(1 / 5) and lg["share_1_3"] == pytest.approx(2 / 5)
