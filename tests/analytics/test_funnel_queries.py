"""The funnel's behaviour query at the edges of its windows, on tiny stores worked out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dachu.analytics import queries as q
from dachu.analytics.source import Period, Source
from dachu.data.store import Store

DAY = Period.day(dt.date(2026, 11, 11))  # the returning window opens 6 days before: 2026-11-05 00:00:00


def make(path: Path, events: list[tuple[str, str, str, str]]) -> Path:
    with Store.open(path) as st:
        for visitor, item, what, at in events:
            st.con.execute("INSERT INTO behaviour_events VALUES (?, ?, 'c', ?, ?)", [visitor, item, what, at])
    return path


EDGES = [  # (visitor, item, behaviour, time)
    ("a", "I1", "pv", "2026-11-05 00:00:00"),  # exactly when the 6 days open: seen before
    ("a", "I1", "pv", "2026-11-11 00:00:00"),  # exactly at the day's start: in the day → a returns
    ("b", "I9", "pv", "2026-11-04 23:59:59"),  # a second before the 6 days: not seen before
    ("b", "I2", "pv", "2026-11-11 23:59:59"),  # last second of the day → b is new
    ("c", "I4", "pv", "2026-11-10 23:59:59"),  # c only before the day …
    ("c", "I4", "fav", "2026-11-12 00:00:00"),  # … and exactly at its end (out): not a visitor of the day
    ("d", "X", "fav", "2026-11-11 10:00:00"),  # d favourites X twice and carts Y: 1 favouriter, 2 favourites
    ("d", "X", "fav", "2026-11-11 10:01:00"),
    ("d", "Y", "cart", "2026-11-11 10:02:00"),
    ("e", "Z", "cart", "2026-11-11 11:00:00"),  # e carts in the day …
    ("e", "Z", "fav", "2026-11-10 09:00:00"),  # … favourited the day before (not a favouriter of the day)
    ("f", "I1", "pv", "2026-11-11 12:00:00"),  # f views I1 (already viewed by a) …
    ("f", "I1", "fav", "2026-11-12 00:00:00"),  # … and favourites it at the day's end (out)
]


def test_behaviour_counts_each_window_half_open(tmp_path: Path) -> None:
    # visitors of the day: a, b, d, e, f = 5 (c's events are before and at the end);
    # returning: a (11-05 00:00 is inside the 6 days), e (11-10) = 2; b's 11-04 23:59:59 is outside.
    # favouriters: d = 1 (e's and f's favourites fall outside the day); favourites: d's 2;
    # cart adders: d, e = 2; engaged (favourited or carted): d, e = 2; items viewed in the day: I1, I2 = 2
    path = make(tmp_path / "s.duckdb", EDGES)
    with Source.open(path) as src:
        b = src.one(q.behaviour(src, DAY))
        rv = src.one(q.returning_visitors(src, DAY))
    assert b == {
        "event_visitors": 5,
        "returning_visitors": 2,
        "favouriters": 1,
        "favourites": 2,
        "cart_adders": 2,
        "engaged": 2,
        "items_viewed": 2,
    }
    assert rv == {"visitors": 5, "returning_visitors": 2}


def test_a_day_with_views_only_has_zero_favourites(tmp_path: Path) -> None:
    # one visitor viewed twice: 1 visitor, nobody engaged, favourites 0 (not unknown)
    path = make(
        tmp_path / "s.duckdb", [("v", "I", "pv", "2026-11-11 08:00:00"), ("v", "J", "pv", "2026-11-11 09:00:00")]
    )
    with Source.open(path) as src:
        b = src.one(q.behaviour(src, DAY))
    assert b == {
        "event_visitors": 1,
        "returning_visitors": 0,
        "favouriters": 0,
        "favourites": 0,
        "cart_adders": 0,
        "engaged": 0,
        "items_viewed": 2,
    }


def test_a_day_without_events_counts_nobody(tmp_path: Path) -> None:
    # events the day before only (a favourite among them): nobody in the day, favourites unknown (NULL)
    path = make(
        tmp_path / "s.duckdb", [("v", "I", "pv", "2026-11-10 08:00:00"), ("v", "I", "fav", "2026-11-10 08:01:00")]
    )
    with Source.open(path) as src:
        b = src.one(q.behaviour(src, DAY))
    assert b == {
        "event_visitors": 0,
        "returning_visitors": 0,
        "favouriters": 0,
        "favourites": None,
        "cart_adders": 0,
        "engaged": 0,
        "items_viewed": 0,
    }
