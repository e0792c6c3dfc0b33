"""The customers section of the review on the hand-built store (tests/analytics/conftest.py), worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from dachu.analytics import queries as q
from dachu.analytics.review import build_review
from dachu.analytics.review_model import Review
from dachu.analytics.source import Source
from dachu.data.store import Store
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import make_plan
from tests.analytics.conftest import CAMPAIGN
from tests.analytics.review.tables import figures, table


def test_customers(hand_review: Review) -> None:
    section = hand_review.section("customers")
    f = figures(section)
    # b1 paid on 2026-05-01 (within 365 days): returning; b2 last paid 2025-06-01 (529 days before): new
    assert (f["new_buyers"], f["returning_buyers"]) == (1, 1)
    rep = {r["cohort"]: r for r in table(section, "repurchase")}
    # b2 (new) paid again on 11-20, 8 days after the event day ended; b1 (returning) never again
    assert rep["review.cohort.new"]["repurchase_15d"] == pytest.approx(1.0)
    assert rep["review.cohort.new"]["repurchase_60d"] == pytest.approx(1.0)
    assert rep["review.cohort.returning"]["repurchase_30d"] == pytest.approx(0.0)


def test_rfm_segments_with_ties(hand_review: Review) -> None:
    # Buyers paying in the 365 days to 11-12 00:00: b1 (3 orders, 330.50, last 11-11), b2 (1, 50.00, last
    # 11-11), b6 (1, 50.00, last 08-01: 102 days). n = 3.
    # R: b1, b2 tie at 0 days → k = 3 → 5; b6 k = 1 → ceil(5/3) = 2.
    # F: b1 → 5; b2, b6 tie at 1 → k = 2 → ceil(10/3) = 4.  M: b1 → 5; b2, b6 tie at 50 → 4.
    # Segments: b1 (5,5,5) champions; b2 (5,4,4) champions; b6 (2,4,4) at_risk.
    rows = {r["segment"]: r for r in table(hand_review.section("customers"), "rfm")}
    assert rows["review.rfm.champions"]["buyers"] == 2
    assert rows["review.rfm.champions"]["monetary"] == Decimal("380.50")
    assert rows["review.rfm.at_risk"]["buyers"] == 1
    assert rows["review.rfm.loyal"]["buyers"] == 0


def test_date_only_orders_cover_their_whole_last_day(tmp_path: Path) -> None:
    # orders exported with dates alone: the last is 2026-11-26, so the data reaches 11-27 00:00 and the
    # 15-day window after the event day (11-12 00:00 + 15 days = 11-27 00:00) is complete
    path = tmp_path / "dates.duckdb"
    with Store.open(path) as store:
        store.con.execute(
            "INSERT INTO orders (platform, order_id, buyer_key, status, created_at, paid_at, paid_amount) VALUES "
            "('taobao', 'd1', 'b1', 'paid', '2026-11-11', '2026-11-11', 10), "
            "('taobao', 'd2', 'b1', 'paid', '2026-11-26', '2026-11-26', 10)"
        )
    with Source.open(path) as src:
        end = src.one(q.data_end(src))
        review = build_review(src, make_plan(parse_campaign(CAMPAIGN, "hand.yaml")))
    assert end["covered_until"] == dt.datetime(2026, 11, 27)
    rep = {r["cohort"]: r for r in table(review.section("customers"), "repurchase")}
    assert rep["review.cohort.new"]["repurchase_15d"] == pytest.approx(1.0)  # complete, and b1 came back
    assert rep["review.cohort.new"]["repurchase_30d"] is None  # 30 days are not in the data yet


def test_orders_with_times_reach_only_their_last_time(tmp_path: Path) -> None:
    path = tmp_path / "times.duckdb"
    with Store.open(path) as store:
        store.con.execute(
            "INSERT INTO orders (platform, order_id, status, created_at) VALUES "
            "('taobao', 't1', 'paid', '2026-11-11 10:00:00'), ('taobao', 't2', 'paid', '2026-11-26 00:00:00'), "
            "('taobao', 't3', 'paid', '2026-11-20 08:30:00')"
        )
    with Source.open(path) as src:
        assert src.one(q.data_end(src))["covered_until"] == dt.datetime(2026, 11, 26)
