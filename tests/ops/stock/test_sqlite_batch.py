"""The SQLite ledger's batch (the war room's events of one batch in one transaction): all steps or none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dachu.domain.stock.model import Line
from dachu.ops.stock.sqlite_backend import SqliteStock

T0 = dt.datetime(2026, 11, 11)
HOLD = T0 + dt.timedelta(minutes=30)


def test_a_batch_answers_each_step_and_commits_them_together(tmp_path: Path) -> None:
    stock = SqliteStock(tmp_path / "s.sqlite")
    stock.count("A", 3, now=T0)
    with stock.batch():
        answers = [stock.reserve(f"o{i}", [Line("A", 1)], hold_until=HOLD, now=T0).ok for i in range(5)]
        assert stock.commit("o0", [], now=T0).ok
    assert answers == [True, True, True, False, False]  # each step checked against the ones before it
    other = SqliteStock(tmp_path / "s.sqlite")  # another connection sees the batch once committed
    b = other.balances(T0, ["A"])[0]
    assert (b.reserved, b.allocated, b.available) == (2, 1, 0)
    other.close()
    stock.close()


def test_a_batch_that_fails_leaves_nothing(tmp_path: Path) -> None:
    stock = SqliteStock(tmp_path / "s.sqlite")
    stock.count("A", 3, now=T0)
    with pytest.raises(RuntimeError), stock.batch():
        stock.reserve("o1", [Line("A", 2)], hold_until=HOLD, now=T0)
        raise RuntimeError("the room failed mid-batch")
    assert stock.balances(T0, ["A"])[0].available == 3
    assert [r.reason for r in stock.ledger()] == ["count"]
    assert stock.reserve("o1", [Line("A", 2)], hold_until=HOLD, now=T0).ok  # given again: taken afresh
    stock.close()
