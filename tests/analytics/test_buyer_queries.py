"""New and returning buyers and their repurchase at the edges of the windows, on a tiny store worked out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dachu.analytics import queries as q
from dachu.analytics.source import Period, Source
from dachu.data.store import Store

DAY = Period.day(dt.date(2026, 11, 11))  # the 365 days before open 2025-11-11 00:00:00; the day ends 11-12 00:00

PAID = [  # (order, buyer, paid at)
    ("1", "b1", "2026-11-11 10:00:00"),
    ("2", "b1", "2026-03-01 10:00:00"),  # b1 paid twice in the year before: returning, once
    ("3", "b1", "2026-04-01 10:00:00"),
    ("4", "b2", "2026-11-11 11:00:00"),
    ("5", "b2", "2025-11-11 00:00:00"),  # exactly when the 365 days open: b2 returning
    ("6", "b3", "2026-11-11 12:00:00"),
    ("7", "b3", "2025-11-10 23:59:59"),  # a second before: b3 new
    ("8", None, "2026-11-11 13:00:00"),  # an order without a buyer
    ("9", "b3", "2026-11-12 00:00:00"),  # b3 again exactly at the day's end: within 15 days
    ("10", "b1", "2026-11-27 00:00:00"),  # b1 again exactly 15 days after the end: not within 15, within 30
    ("11", "b4", "2026-11-13 00:00:00"),  # b4 did not pay on the day: in no cohort
    ("12", None, "2026-11-14 00:00:00"),  # a later order without a buyer matches nobody
]


def make(path: Path) -> Path:
    with Store.open(path) as st:
        for oid, buyer, at in PAID:
            st.con.execute(
                "INSERT INTO orders (platform, order_id, buyer_key, status, paid_at, paid_amount) "
                "VALUES ('tmall', ?, ?, 'paid', ?, 10)",
                [oid, buyer, at],
            )
    return path


def test_buyer_kinds_count_each_buyer_once_and_the_window_half_open(tmp_path: Path) -> None:
    # paying buyers b1, b2, b3 = 3 (the order without a buyer is no buyer); returning b1, b2 = 2
    with Source.open(make(tmp_path / "s.duckdb")) as src:
        k = src.one(q.buyer_kinds(src, DAY))
    assert k == {"paying_buyers": 3, "returning_buyers": 2}


def test_repurchase_cohorts_at_the_window_edges(tmp_path: Path) -> None:
    # returning cohort b1, b2: within 15 days nobody (b1's 11-27 00:00 is not before 11-12 + 15 d), within 30 b1;
    # new cohort b3 and the buyerless order's NULL key (a row of its own, as ever, but no paying buyer):
    # b3 within 15 and 30 days
    with Source.open(make(tmp_path / "s.duckdb")) as src:
        rows = {r["returning"]: r for r in src.rows(q.repurchase(src, DAY, (15, 30)))}
    assert rows == {
        True: {"returning": True, "buyers": 2, "paying_buyers": 2, "rep_15": 0, "rep_30": 1},
        False: {"returning": False, "buyers": 2, "paying_buyers": 1, "rep_15": 1, "rep_30": 1},
    }


def test_buyer_kinds_of_a_day_without_payers_are_zero(tmp_path: Path) -> None:
    # nobody paid on 11-10: 0 paying, 0 returning (not unknown)
    with Source.open(make(tmp_path / "s.duckdb")) as src:
        k = src.one(q.buyer_kinds(src, Period.day(dt.date(2026, 11, 10))))
    assert k == {"paying_buyers": 0, "returning_buyers": 0}
