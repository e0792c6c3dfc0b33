"""Migration 2 (CS reply waits, complaints, DSR ratings, shipments) on a store written before it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dachu.analytics import after_sale_queries as aq
from dachu.analytics import queries as q
from dachu.analytics.source import Period, Source
from dachu.data.store import MIGRATIONS, Store

LATEST = MIGRATIONS[-1][0]


def v1_store(path: Path) -> None:
    """A store as migration 1 left it, holding one CS session."""
    with Store.open(path) as st:
        con = st.con
        con.execute("ALTER TABLE cs_sessions DROP COLUMN reply_wait_seconds")
        con.execute("ALTER TABLE orders DROP COLUMN deposit_amount")
        con.execute("ALTER TABLE traffic DROP COLUMN page")
        for name in ("complaints", "dsr_ratings", "shipments"):
            con.execute(f"DROP TABLE {name}")
        con.execute("DELETE FROM schema_version WHERE version > 1")
        con.execute(
            "INSERT INTO cs_sessions VALUES ('s1', 'A', 'b1', '2026-11-11 00:00:00', '2026-11-11 00:00:10', 3, NULL)"
        )


def test_migration_2_upgrades_a_v1_store_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    v1_store(path)
    with Store.open(path) as st:
        assert st.version == LATEST
        assert st.con.execute("SELECT session_id, replies, reply_wait_seconds FROM cs_sessions").fetchall() == [
            ("s1", 3, None)
        ]
        assert st.con.execute("SELECT count(*) FROM complaints").fetchone() == (0,)


def test_the_review_reads_a_v1_store_without_migrating_it(tmp_path: Path) -> None:
    # given a v1 store, opened read-only (the review never writes): the later tables read as empty
    path = tmp_path / "old.duckdb"
    v1_store(path)
    with Source.open(path) as src:
        day = Period.day(dt.date(2026, 11, 11))
        s = src.one(q.service(src, day))
        assert s["cs_sessions"] == 1 and s["avg_response_seconds"] is None
        assert src.one(aq.complaint_count(src)) == {"n": 0}
        assert src.one(aq.last_rating(src)) == {"last_rated": None}
        assert src.counts()["shipments"] == 0
    with Store.open(path) as st:  # the file itself was left as it was until a writer opened it
        assert st.version == LATEST


def test_a_store_missing_an_older_table_is_still_refused(tmp_path: Path) -> None:
    # the stand-ins are for tables added later only; orders missing still means "not a dachu store"
    from dachu.errors import InputError

    path = tmp_path / "odd.duckdb"
    v1_store(path)
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("DROP TABLE orders")
    con.close()
    with pytest.raises(InputError) as err:
        Source.open(path)
    assert err.value.key == "review.store_not_dachu"
