"""Calibration helpers and the JSON of a review: hour shares sum to 1, values keep their exactness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dachu.analytics.review.calibration import hour_shares
from dachu.analytics.review_model import Column, Figure, Review, Section, Table
from dachu.report.review_json import review_dict


@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=24, max_size=24))
def test_hour_shares_sum_to_exactly_one(counts: list[int]) -> None:
    shares = hour_shares(counts)
    if sum(counts) == 0:
        assert shares is None
        return
    assert shares is not None
    assert sum(shares) == Decimal(1)
    assert all(s.as_tuple().exponent >= -4 for s in shares)
    # each share is within one 0.0001 step of the exact one
    total = sum(counts)
    assert all(abs(s - Decimal(c) / total) < Decimal("0.0001") for s, c in zip(shares, counts, strict=True))


def test_hour_shares_by_hand() -> None:
    # 1, 1, 1 orders: 0.3333 each and the leftover 0.0001 to the first of the equal remainders
    shares = hour_shares([1, 1, 1] + [0] * 21)
    assert shares is not None and shares[:3] == [Decimal("0.3334"), Decimal("0.3333"), Decimal("0.3333")]


def test_review_json_keeps_money_exact_and_dates_iso() -> None:
    section = Section(
        "headline", "review.section.headline",
        figures=(Figure("gmv_paid", "metric.gmv_paid.name", "yuan", Decimal("1234.5"), floor=Decimal("0.10"),
                        metric="gmv_paid"),),
        tables=(Table("t", "review.table.by_day", (Column("day", "review.col.day", "date"),),
                      ((dt.date(2026, 11, 11),),)),),
        notes=(("review.note.previous", {"day": dt.date(2025, 11, 11)}),),
    )
    data = review_dict(Review("c", dt.date(2026, 11, 11), (section,)), "en")
    fig = data["sections"][0]["figures"][0]
    assert (fig["actual"], fig["floor"], fig["stretch"]) == ("1234.50", "0.10", None)
    assert data["sections"][0]["tables"][0]["rows"] == [["2026-11-11"]]
    assert data["sections"][0]["notes"][0] == {
        "key": "review.note.previous", "params": {"day": "2025-11-11"},
        "text": "Compared with 2025-11-11 (the same day last year)",
    }
