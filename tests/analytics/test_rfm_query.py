"""The RFM query scores buyers exactly as `dachu.analytics.rfm.rfm_score` does, ties included."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

from dachu.analytics.rfm import rfm, rfm_score
from dachu.analytics.source import Source
from dachu.data.store import Store

AS_OF = dt.datetime(2026, 11, 12)


def test_rfm_query_matches_the_domain_scores_on_many_ties(tmp_path: Path) -> None:
    rnd = random.Random(7)
    path = tmp_path / "rfm.duckdb"
    buyers: dict[str, list[tuple[dt.datetime, int]]] = {}
    with Store.open(path) as store:
        for n in range(300):
            buyer = f"b{rnd.randrange(60)}"
            # few distinct days and amounts, so recency, frequency and money tie a lot
            paid = AS_OF - dt.timedelta(days=rnd.choice((0, 0, 1, 5, 30, 200, 364)), hours=rnd.choice((1, 5)))
            amount = rnd.choice((10, 20, 20, 50))
            buyers.setdefault(buyer, []).append((paid, amount))
            store.con.execute(
                "INSERT INTO orders (platform, order_id, buyer_key, status, created_at, paid_at, paid_amount) "
                "VALUES ('t', ?, ?, 'paid', ?, ?, ?)",
                [f"o{n}", buyer, paid, paid, amount],
            )
    # the expected cells, from the domain function and a brute-force k (buyers no better, ties included)
    recency = {b: min((AS_OF - p).days for p, _ in rows) for b, rows in buyers.items()}
    freq = {b: len(rows) for b, rows in buyers.items()}
    money = {b: sum(a for _, a in rows) for b, rows in buyers.items()}
    n = len(buyers)
    expected: Counter[tuple[int, int, int]] = Counter()
    for b in buyers:
        r = rfm_score(sum(1 for x in buyers if recency[x] >= recency[b]), n)
        f = rfm_score(sum(1 for x in buyers if freq[x] <= freq[b]), n)
        m = rfm_score(sum(1 for x in buyers if money[x] <= money[b]), n)
        expected[(r, f, m)] += 1
    with Source.open(path) as src:
        got = Counter({(c["r"], c["f"], c["m"]): c["buyers"] for c in src.rows(rfm(src, AS_OF))})
    assert got == expected
    assert len(set(recency.values())) < n  # the data does tie
