"""The after-sale queries at their edges, on tiny stores worked out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dachu.analytics import after_sale_queries as aq
from dachu.analytics import queries as q
from dachu.analytics.source import Period, Source
from dachu.data.store import Store

DAY = Period.day(dt.date(2026, 11, 11))


def make(path: Path, sql: list[str]) -> Path:
    with Store.open(path) as st:
        for stmt in sql:
            st.con.execute(stmt)
    return path


def test_complaints_about_other_days_orders_give_a_zero_rate(tmp_path: Path) -> None:
    # two orders paid on the day, one the day after; the only case is about the later one: 0 / 2
    path = make(
        tmp_path / "s.duckdb",
        [
            "INSERT INTO orders (platform, order_id, status, paid_at, paid_amount) VALUES "
            "('tmall', '1', 'paid', '2026-11-11 01:00:00', 10), ('tmall', '2', 'paid', '2026-11-11 02:00:00', 10), "
            "('tmall', '3', 'paid', '2026-11-12 02:00:00', 10)",
            "INSERT INTO complaints (complaint_id, platform, order_id, opened_at) VALUES "
            "('c1', 'tmall', '3', '2026-11-13 00:00:00')",
        ],
    )
    with Source.open(path) as src:
        c = src.one(aq.complaints(src, DAY))
    assert (c["orders_paid"], c["complained_orders"], c["complaint_rate"]) == (2, 0, 0.0)


def test_a_complaint_on_another_platforms_order_of_the_same_number_does_not_count(tmp_path: Path) -> None:
    # JD order '1' and Tmall order '1' share a number; the case is about the JD one: Tmall's paid 1 / 2
    path = make(
        tmp_path / "s.duckdb",
        [
            "INSERT INTO orders (platform, order_id, status, paid_at, paid_amount) VALUES "
            "('tmall', '1', 'paid', '2026-11-11 01:00:00', 10), ('jd', '1', 'paid', '2026-11-11 02:00:00', 10)",
            "INSERT INTO complaints (complaint_id, platform, order_id) VALUES ('c1', 'jd', '1'), ('c2', 'jd', '1')",
        ],
    )
    with Source.open(path) as src:
        c = src.one(aq.complaints(src, DAY))
    assert (c["orders_paid"], c["complained_orders"], c["complaints"]) == (2, 1, 2)
    assert c["complaint_rate"] == pytest.approx(0.5)


def test_dsr_window_is_the_180_days_before_as_of(tmp_path: Path) -> None:
    # as of 2026-11-26 00:00 the window opens 2026-05-30 00:00: a rating at 05-29 23:59 is out, 05-30 in
    path = make(
        tmp_path / "s.duckdb",
        [
            "INSERT INTO dsr_ratings VALUES ('tmall', '1', 'b1', '2026-05-29 23:59:59', 1, 1, 1), "
            "('tmall', '2', 'b1', '2026-05-30 00:00:00', 4, 5, NULL), "
            "('tmall', '3', NULL, '2026-11-25 23:00:00', 5, 5, 5)",
        ],
    )
    as_of = dt.datetime(2026, 11, 26)
    assert aq.dsr_window(as_of).start == dt.datetime(2026, 5, 30)
    with Source.open(path) as src:
        d = src.one(aq.dsr(src, as_of))
    assert d["ratings"] == 2
    # description (4 + 5) / 2 = 4.5, service 5, logistics 5 (one rating): (4.5 + 5 + 5) / 3
    assert d["dsr"] == pytest.approx(14.5 / 3)
    # b1's in-window scores 4 and 5: mean 4.5, not low; rating 3 has no buyer
    assert (d["rated_buyers"], d["dsr_low_score_buyers"]) == (1, 0)


def test_avg_response_weighs_sessions_by_their_replies(tmp_path: Path) -> None:
    # 1 reply waiting 10 s and 9 replies waiting 270 s in all: 280 / 10 = 28 s (not (10 + 30) / 2 = 20)
    path = make(
        tmp_path / "s.duckdb",
        [
            "INSERT INTO cs_sessions (session_id, agent, started_at, first_response_at, replies, reply_wait_seconds) "
            "VALUES ('s1', 'A', '2026-11-11 01:00:00', '2026-11-11 01:00:10', 1, 10), "
            "('s2', 'A', '2026-11-11 02:00:00', '2026-11-11 02:00:10', 9, 270)",
        ],
    )
    with Source.open(path) as src:
        assert src.one(q.service(src, DAY))["avg_response_seconds"] == pytest.approx(28.0)
