"""The products section of the review on the hand-built store (tests/analytics/conftest.py), worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dachu.analytics.review_model import Review
from tests.analytics.review.tables import table


def test_products(hand_review: Review) -> None:
    rows = {r["sku"]: r for r in table(hand_review.section("products"), "products")}
    a, b = rows["A"], rows["B"]
    assert (a["units_sold"], a["product_sales"]) == (3, Decimal("130.00"))  # 2 × 40 + 1 × 50 (o4 unpaid)
    assert a["sell_through"] == pytest.approx(1.0)  # 3 of 3
    assert a["sell_out_hour"] == 1  # 2 units by hour 0, the 3rd at 01:30
    assert a["margin_after_promotion"] == Decimal("100.00")  # 130 − 3 × 10
    assert (b["units_sold"], b["product_sales"]) == (2, Decimal("50.50"))
    assert b["sell_out_hour"] is None
    assert b["margin_after_promotion"] == Decimal("35.45")  # 50.50 × 0.9 − 2 × 5
    assert a["sales_share"] == pytest.approx(130 / 180.5)
    roles = {r["role"]: r for r in table(hand_review.section("products"), "roles")}
    assert roles["plan.role.profit"]["product_sales"] == Decimal("50.50")
