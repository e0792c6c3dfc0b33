"""RFM cells from the per-value histograms of `dachu.analytics.rfm.rfm`, against scores worked out by hand.

Scoring (`dachu.analytics.rfm.rfm_score`): score = ceil(5k / n), k the buyers whose value is no better than
the buyer's own (the buyer and ties included), n all buyers who paid in the 365 days before AS_OF.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dachu.analytics.rfm import rfm, rfm_score
from dachu.analytics.source import Source
from dachu.data.store import Store

AS_OF = dt.datetime(2026, 11, 12)
Order = tuple[str, dt.datetime | None, int | None]  # buyer, paid_at, paid_amount


def _source(orders: list[Order]) -> Source:
    store = Store.open(":memory:")
    for n, (buyer, paid, amount) in enumerate(orders):
        store.con.execute(
            "INSERT INTO orders (platform, order_id, buyer_key, status, created_at, paid_at, paid_amount) "
            "VALUES ('t', ?, ?, 'paid', ?, ?, ?)",
            [f"o{n}", buyer, paid or AS_OF - dt.timedelta(days=1), paid, amount],
        )
    return Source(store.con, "memory")


@pytest.fixture
def hand() -> Iterator[Source]:
    d = dt.datetime
    orders: list[Order] = [
        ("b1", d(2026, 11, 11, 10), 100),
        ("b1", d(2026, 11, 11, 12), 100),
        ("b1", d(2026, 11, 1), 50),
        ("b2", d(2026, 11, 11, 20), 250),
        ("b3", d(2026, 11, 10, 8), 30),
        ("b3", d(2026, 11, 5), 30),
        ("b4", d(2026, 11, 5, 12), 60),
        ("b5", d(2026, 1, 1), 10),
        ("b6", d(2026, 10, 1), 40),
        ("b7", d(2026, 11, 11, 1), 5),
        ("b7", d(2026, 11, 11, 2), 5),
        ("b8", d(2025, 11, 11, 23), 999),  # paid 365 days and 1 hour before AS_OF: outside the window
        ("b9", None, 0),  # never paid
    ]
    src = _source(orders)
    yield src
    src.close()


def test_rfm_cells_match_the_hand_scores_with_ties(hand: Source) -> None:
    # given 7 buyers in the window (b8 paid too early, b9 never paid): n = 7
    #   recency (whole days to AS_OF): b1 0 (12:00), b2 0, b7 0, b3 1 (1 d 16 h), b4 6 (6 d 12 h), b6 42, b5 315
    #   frequency: b1 3, b3 2, b7 2, b2 b4 b5 b6 1;  money: b1 250, b2 250, b3 60, b4 60, b6 40, b5 10, b7 10
    # R, k = buyers with recency >= own: zeros 7 -> ceil(35/7)=5; b3 4 -> ceil(20/7)=3; b4 3 -> ceil(15/7)=3;
    #   b6 2 -> ceil(10/7)=2; b5 1 -> ceil(5/7)=1
    # F, k = buyers with freq <= own: b1 7 -> 5; b3, b7 6 -> ceil(30/7)=5; the four 1s 4 -> ceil(20/7)=3
    # M, k = buyers with money <= own: b1, b2 7 -> 5; b3, b4 5 -> ceil(25/7)=4; b6 3 -> ceil(15/7)=3;
    #   b5, b7 2 -> ceil(10/7)=2
    expected = {
        (5, 5, 5): (1, Decimal(250)),  # b1
        (5, 3, 5): (1, Decimal(250)),  # b2
        (3, 5, 4): (1, Decimal(60)),  # b3
        (3, 3, 4): (1, Decimal(60)),  # b4
        (1, 3, 2): (1, Decimal(10)),  # b5
        (2, 3, 3): (1, Decimal(40)),  # b6
        (5, 5, 2): (1, Decimal(10)),  # b7
    }

    # when
    cells = hand.rows(rfm(hand, AS_OF))

    # then
    assert {(c["r"], c["f"], c["m"]): (c["buyers"], c["monetary"]) for c in cells} == expected


def test_a_buyer_without_an_amount_ranks_after_every_amount() -> None:
    # given 4 buyers paid the same day, once each: money 100, 50, NULL, NULL (n = 4)
    # a rank puts NULL after every value (NULLS LAST): k = 4, 3, 2, 2 -> M = ceil(20/4)=5, ceil(15/4)=4,
    #   ceil(10/4)=3 twice; R and F all tie: k = 4 -> 5 and 5
    paid = AS_OF - dt.timedelta(hours=3)
    src = _source([("a", paid, 100), ("b", paid, 50), ("c", paid, None), ("d", paid, None)])

    # when
    cells = src.rows(rfm(src, AS_OF))

    # then
    assert {(c["r"], c["f"], c["m"]): c["buyers"] for c in cells} == {(5, 5, 5): 1, (5, 5, 4): 1, (5, 5, 3): 2}
    src.close()


def test_no_buyers_no_cells() -> None:
    src = _source([("a", AS_OF + dt.timedelta(hours=1), 10)])  # paid after AS_OF
    assert src.rows(rfm(src, AS_OF)) == []
    src.close()


buyer_orders = st.lists(
    st.tuples(
        st.sampled_from([f"b{i}" for i in range(12)]),
        st.integers(min_value=0, max_value=370 * 24),  # hours before AS_OF: a few fall outside the window
        st.sampled_from([1, 5, 5, 20, 300]),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(buyer_orders)
def test_rfm_cells_equal_brute_force_ranking(orders: list[tuple[str, int, int]]) -> None:
    # given orders; expected: every buyer's k counted pairwise, scored by the domain function
    paid = [(b, AS_OF - dt.timedelta(hours=h), a) for b, h, a in orders if h > 0]
    since = AS_OF - dt.timedelta(days=365)
    per: dict[str, list[tuple[dt.datetime, int]]] = {}
    for b, at, a in paid:
        if at >= since:
            per.setdefault(b, []).append((at, a))
    recency = {b: (AS_OF - max(at for at, _ in rows)) // dt.timedelta(days=1) for b, rows in per.items()}
    freq = {b: len(rows) for b, rows in per.items()}
    money = {b: sum(a for _, a in rows) for b, rows in per.items()}
    n = len(per)
    expected: Counter[tuple[int, int, int]] = Counter()
    for b in per:
        expected[
            (
                rfm_score(sum(recency[x] >= recency[b] for x in per), n),
                rfm_score(sum(freq[x] <= freq[b] for x in per), n),
                rfm_score(sum(money[x] <= money[b] for x in per), n),
            )
        ] += 1
    src = _source([(b, at, a) for b, at, a in paid])

    # when
    got = Counter({(c["r"], c["f"], c["m"]): c["buyers"] for c in src.rows(rfm(src, AS_OF))})
    src.close()

    # then
    assert got == expected
