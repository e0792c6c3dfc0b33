from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dachu.data import schema
from dachu.data.store import MIGRATIONS, Store


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as st:
        yield st


def test_a_new_store_has_every_canonical_table_at_the_latest_version(store: Store) -> None:
    tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {t.name for t in schema.TABLES} <= tables
    assert store.version == MIGRATIONS[-1][0]


def test_reopening_a_store_applies_no_migration_twice(tmp_path: Path) -> None:
    path = tmp_path / "dachu.duckdb"
    with Store.open(path) as first:
        assert first.version == MIGRATIONS[-1][0]
    with Store.open(path) as again:
        assert again.migrate() == []
        assert again.con.execute("SELECT count(*) FROM schema_version").fetchone() == (len(MIGRATIONS),)


def test_money_columns_are_decimal_18_2() -> None:
    assert dict(schema.ORDERS.columns)["paid_amount"] == "DECIMAL(18,2)"
    assert dict(schema.AD_SPEND.columns)["spend"] == "DECIMAL(18,2)"


def test_analytics_tables_hold_no_personal_data() -> None:
    personal = {"receiver_name", "phone", "mobile", "buyer_account", "street", "address_raw", "district"}
    for name in schema.ANALYTICS_TABLES:
        assert not personal & set(schema.BY_NAME[name].column_names), name


def test_upsert_counts_inserted_updated_unchanged_and_keeps_known_times(store: Store) -> None:
    # given two traffic rows
    store.con.execute(
        "CREATE TEMP TABLE s1 AS SELECT TIMESTAMP '2026-11-11 00:00' AS hour, 'search' AS source, "
        "10 AS visitors, 20 AS page_views, 1 AS buyers, 'store' AS page UNION ALL "
        "SELECT TIMESTAMP '2026-11-11 01:00', 'search', 5, 9, NULL, 'store'"
    )
    first = store.upsert(schema.TRAFFIC, "s1")
    # when one row changes, one stays and one is new; buyers NULL must not erase a known value
    store.con.execute(
        "CREATE TEMP TABLE s2 AS SELECT TIMESTAMP '2026-11-11 00:00' AS hour, 'search' AS source, "
        "11 AS visitors, 20 AS page_views, NULL AS buyers, 'store' AS page UNION ALL "
        "SELECT TIMESTAMP '2026-11-11 01:00', 'search', 5, 9, NULL, 'store' UNION ALL "
        "SELECT TIMESTAMP '2026-11-11 02:00', 'search', 1, 1, 0, 'store'"
    )
    second = store.upsert(schema.TRAFFIC, "s2", keep=("buyers",))
    # then
    assert (first.inserted, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (1, 1, 1)
    assert store.con.execute(
        "SELECT visitors, buyers FROM traffic WHERE hour = '2026-11-11 00:00'"
    ).fetchone() == (11, 1)
