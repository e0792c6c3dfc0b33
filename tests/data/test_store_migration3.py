"""Migration 3 (orders.deposit_amount, traffic.page) on a store written before it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from dachu.analytics.source import Source
from dachu.data.live_source import replay_events
from dachu.data.store import MIGRATIONS, Store


def v2_store(path: Path) -> None:
    """A store as migration 2 left it: one paid order of 11-11 and one hour of paid-search traffic."""
    with Store.open(path) as st:
        con = st.con
        con.execute("ALTER TABLE orders DROP COLUMN deposit_amount")
        con.execute("ALTER TABLE traffic DROP COLUMN page")
        con.execute("DELETE FROM schema_version WHERE version > 2")
        con.execute(
            "INSERT INTO orders (platform, order_id, status, created_at, paid_at, total_amount, paid_amount) "
            "VALUES ('taobao', 'A1', 'paid', '2026-11-11 00:05:00', '2026-11-11 00:06:00', 99.50, 99.50)"
        )
        con.execute(
            "INSERT INTO traffic (hour, source, visitors, page_views) VALUES ('2026-11-11 00:00', 'search', 60, 90)"
        )


def test_migration_3_adds_the_deposit_and_the_page_keeping_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    v2_store(path)
    with Store.open(path) as st:
        assert st.version == MIGRATIONS[-1][0] >= 3
        assert st.con.execute("SELECT order_id, paid_amount, deposit_amount FROM orders").fetchall() == [
            ("A1", Decimal("99.50"), None)
        ]
        assert st.con.execute("SELECT source, visitors, page FROM traffic").fetchall() == [("search", 60, None)]


def test_a_v2_store_replays_with_the_page_guessed_and_reads_without_migrating(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    v2_store(path)
    # the replay reads the file read-only: no page stored, so paid search lands on the activity page
    events = replay_events(path, dt.date(2026, 11, 11))
    traffic = [e for e in events if e["type"] == "traffic"]
    assert {e["page"] for e in traffic} == {"activity"}
    assert sum(e["visitors"] for e in traffic) == 60
    assert [e["type"] for e in events if e["type"] in ("order", "payment")] == ["order", "payment"]
    with Source.open(path) as src:  # the review reads the later columns as NULL
        assert src.con.execute("SELECT count(*) FROM orders WHERE deposit_amount IS NULL").fetchone() == (1,)
    with Store.open(path) as st:
        assert st.version == MIGRATIONS[-1][0]
