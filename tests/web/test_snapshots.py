"""The live state's snapshot: what a restart reads first, and what it refuses to trust.

Also the day rules a restart must keep, with figures worked by hand: a pre-sale order placed in the warm-up
and paid on the day (deposit and balance together), a shipment the day after, partial refunds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from dachu.app.live import LiveRoom
from dachu.i18n import t
from dachu.ops import snapshots
from dachu.ops.snapshots import read_snapshot, snapshot_path
from tests.web.conftest import PLAN

DAY = dt.datetime(2026, 11, 11)


def at(days: int = 0, minutes: int = 0) -> str:
    return (DAY + dt.timedelta(days=days, minutes=minutes)).isoformat()


EVENTS: list[dict[str, Any]] = [
    # a pre-sale order: placed and deposit paid in the warm-up, balance paid on the day
    {"id": "o1", "type": "order", "at": at(-2), "order_id": "P1", "amount": "300.00", "buyer_key": "k1",
     "lines": [{"sku": "A", "quantity": 1}]},
    {"id": "d1", "type": "payment", "at": at(-2, 1), "order_id": "P1", "amount": "50.00", "stage": "deposit"},
    {"id": "b1", "type": "payment", "at": at(0, 5), "order_id": "P1", "amount": "250.00", "stage": "balance"},
    # an order of the day, paid on the day, shipped the day after, refunded twice in part
    {"id": "o2", "type": "order", "at": at(0, 10), "order_id": "D2", "amount": "100.00", "buyer_key": "k2",
     "lines": [{"sku": "B", "quantity": 2}]},
    {"id": "p2", "type": "payment", "at": at(0, 11), "order_id": "D2", "amount": "100.00"},
    {"id": "s2", "type": "shipment", "at": at(1, 60), "order_id": "D2"},
    {"id": "r2a", "type": "refund", "at": at(1, 70), "order_id": "D2", "amount": "10.00"},
    {"id": "r2b", "type": "refund", "at": at(1, 80), "order_id": "D2", "amount": "20.00"},
    # an order of the day paid the day after: placed today, not today's sale
    {"id": "o3", "type": "order", "at": at(0, 20), "order_id": "L3", "amount": "40.00"},
    {"id": "p3", "type": "payment", "at": at(1, 1), "order_id": "L3", "amount": "40.00"},
]


def room(tmp_path: Path) -> LiveRoom:
    return LiveRoom(PLAN, tmp_path / "events.ndjson")


def totals(r: LiveRoom) -> dict[str, Any]:
    return r.snapshot()["totals"]  # type: ignore[no-any-return]


# worked by hand: the day's sales are P1 (50 + 250) and D2 (100); L3 was placed today but paid tomorrow
EXPECTED = {"gmv": 400.0, "orders": 2, "presale_orders": 1, "paid_orders": 2, "buyers": 2, "shipped": 1,
            "refunds": 1, "refund_amount": 30.0, "placed_amount": 140.0}


def test_the_day_rules_by_hand_and_after_a_restart_from_the_snapshot(tmp_path: Path) -> None:
    r = room(tmp_path)
    r.ingest(json.dumps(EVENTS).encode())
    got = totals(r)
    assert {k: got[k] for k in EXPECTED} == EXPECTED
    assert r.state.units == {"A": 1, "B": 2}  # stock taken by every order placed, the pre-sale one included
    assert r.state.units_paid == {"A": 1, "B": 2}
    r.close()
    again = room(tmp_path)
    assert (again.restored, again.rebuilt, again.snapshot_error) == (len(EVENTS), 0, None)
    assert {k: totals(again)[k] for k in EXPECTED} == EXPECTED
    # the ids came back too: a resend of the whole day counts nothing twice
    assert again.ingest(json.dumps(EVENTS).encode()).accepted == 0
    again.close()


def test_a_restart_reads_the_snapshot_and_only_the_log_after_it(tmp_path: Path) -> None:
    r = room(tmp_path)
    r.ingest(json.dumps(EVENTS[:4]).encode())
    assert r.save_snapshot()
    assert not r.save_snapshot()  # nothing new: not written again
    r.ingest(json.dumps(EVENTS[4:]).encode())
    r.close(flush=False)  # a crash: the snapshot is older than the log
    again = room(tmp_path)
    assert (again.restored, again.rebuilt) == (4, len(EVENTS) - 4)
    assert {k: totals(again)[k] for k in EXPECTED} == EXPECTED
    health = again.health()
    assert health["ok"] and health["snapshot"]["events"] == 4 and health["snapshot"]["behind"] == len(EVENTS) - 4
    again.close()


def flip(path: Path) -> None:
    """Damage a run of bytes in the middle of the file (a bad sector), leaving its size as it was."""
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 64):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["torn", "flipped", "foreign log", "past the log", "other day"])
def test_a_snapshot_it_cannot_trust_is_set_aside_with_its_reason_and_the_log_read_whole(
    tmp_path: Path, damage: str
) -> None:
    r = room(tmp_path)
    r.ingest(json.dumps(EVENTS[:4]).encode())  # two lines in the log
    r.ingest(json.dumps(EVENTS[4:]).encode())
    r.close()
    snap = snapshot_path(r.log.path)
    if damage == "torn":
        snap.write_bytes(snap.read_bytes()[:200])
    elif damage == "flipped":
        flip(snap)
    elif damage == "foreign log":  # the snapshot of another day's log copied beside this one
        (tmp_path / "other").mkdir()
        other = room(tmp_path / "other")
        other.ingest(json.dumps(EVENTS[3:]).encode())
        other.close()
        os.replace(snapshot_path(other.log.path), snap)
    elif damage == "past the log":  # the log was cut back (restored from an older copy)
        with r.log.path.open("r+b") as f:
            f.truncate(len(r.log.path.read_bytes().split(b"\n")[0]) + 1)
    elif damage == "other day":
        moved = dataclasses.replace(PLAN, day=PLAN.day + dt.timedelta(days=1))
        again = LiveRoom(moved, tmp_path / "events.ndjson")
        assert again.restored == 0 and "day" in (again.snapshot_error or "")
        assert again.snapshot_unused == "other_day"
        again.close(flush=False)
        return
    again = room(tmp_path)
    assert again.restored == 0 and again.snapshot_error is not None
    assert snap.name in again.snapshot_error
    kinds = {"torn": {"unreadable"}, "flipped": {"unreadable", "damaged"}, "foreign log": {"foreign"},
             "past the log": {"past_end"}}  # flipped bytes may break the zip itself, or only an array
    assert again.snapshot_unused in kinds[damage]
    assert t(f"warroom.snapshot.{again.snapshot_unused}", "zh").isascii() is False  # told in Chinese too
    health = again.health()
    assert not health["ok"] and not health["snapshot"]["ok"]  # told until a good snapshot is written
    if damage == "past the log":
        assert again.rebuilt == 4  # what the log still holds
    else:
        assert again.rebuilt == len(EVENTS)
        assert {k: totals(again)[k] for k in EXPECTED} == EXPECTED
    assert again.save_snapshot() and again.health()["ok"]
    again.close()


def test_a_snapshot_that_cannot_be_written_keeps_the_last_one_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = room(tmp_path)
    r.ingest(json.dumps(EVENTS[:4]).encode())
    assert r.save_snapshot()
    before = snapshot_path(r.log.path).read_bytes()
    r.ingest(json.dumps(EVENTS[4:]).encode())

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(snapshots.os, "fsync", full_disk)
    assert not r.save_snapshot()
    monkeypatch.undo()
    assert "No space left" in (r.snapshot_error or "") and not r.health()["ok"]
    assert snapshot_path(r.log.path).read_bytes() == before  # the old snapshot was never touched
    r.close(flush=False)
    again = room(tmp_path)
    assert (again.restored, again.rebuilt, again.snapshot_error) == (4, len(EVENTS) - 4, None)
    assert {k: totals(again)[k] for k in EXPECTED} == EXPECTED
    again.close()


def test_a_snapshot_holds_no_pickle_and_names_its_log(tmp_path: Path) -> None:
    r = room(tmp_path)
    r.ingest(json.dumps(EVENTS).encode())
    r.close()
    snap, why = read_snapshot(r.log.path)
    assert why is None and snap is not None
    assert snap.offset == r.log.path.stat().st_size and snap.events == len(EVENTS)
    assert all(a.dtype != object for a in snap.arrays.values())
