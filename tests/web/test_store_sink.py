"""Accepted events reach the store's canonical tables in batches; a restart neither loses nor repeats any."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from dachu.app.live import LiveRoom
from dachu.data.live_sink import StoreSink
from dachu.data.store import Store
from tests.web.conftest import INGEST, PLAN, Server, at, start

BEARER = {"Authorization": f"Bearer {INGEST}"}
T0 = dt.datetime(2026, 11, 11)

BATCH_1: list[dict[str, Any]] = [
    {"id": "o1", "type": "order", "at": at(5), "order_id": "O1", "amount": "129.00", "buyer_key": "k1",
     "source": "直通车", "lines": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}]},
    {"id": "o2", "type": "order", "at": at(6), "order_id": "taobao:T2", "amount": "59.90"},
    {"id": "p1", "type": "payment", "at": at(7), "order_id": "O1", "amount": "120.00"},
    {"id": "t1", "type": "traffic", "at": at(1), "page": "activity", "source": "直通车", "visitors": 40,
     "page_views": 90},
    {"id": "a1", "type": "ad_spend", "at": at(2), "channel": "直通车", "spend": "10.05", "clicks": 7},
]
BATCH_2: list[dict[str, Any]] = [
    {"id": "s1", "type": "shipment", "at": at(30), "order_id": "O1"},
    {"id": "r1", "type": "refund", "at": at(40), "order_id": "O1", "amount": "20.00"},
    {"id": "r2", "type": "refund", "at": at(41), "order_id": "O1", "amount": "100.00"},
    {"id": "p2", "type": "payment", "at": at(50), "order_id": "taobao:T2", "amount": "59.90"},
    {"id": "p3", "type": "payment", "at": at(51), "order_id": "O3", "amount": "10.00"},  # before its order
    {"id": "t2", "type": "traffic", "at": at(20), "page": "store", "source": "直通车", "visitors": 2,
     "page_views": 3},
    {"id": "t3", "type": "traffic", "at": at(61), "page": "store", "source": "organic", "visitors": 5},
    {"id": "a2", "type": "ad_spend", "at": at(70), "channel": "直通车", "spend": "0.95", "clicks": 1},
    {"id": "c1", "type": "cs", "at": at(80), "session_id": "S1", "response_seconds": "12.5"},
]


def post(srv: Server, events: list[dict[str, Any]]) -> dict[str, Any]:
    r = httpx.post(f"{srv.url}/api/events", content=json.dumps(events).encode(), headers=BEARER)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with Store.open(path) as store:
        return {
            name: store.con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
            for name in ("orders", "order_lines", "traffic", "ad_spend", "cs_sessions")
        }


def test_ingested_events_land_in_the_canonical_tables(tmp_path: Path) -> None:
    srv = start(tmp_path, store=tmp_path / "dachu.duckdb", flush_every=0.05)
    try:
        post(srv, BATCH_1)
        post(srv, BATCH_2)
        post(srv, BATCH_1)  # duplicates: nothing twice
    finally:
        srv.running.stop()
        srv.room.close()
    got = tables(tmp_path / "dachu.duckdb")
    orders = {(r[0], r[1]): r for r in got["orders"]}
    o1, t2, o3 = orders[("live", "O1")], orders[("taobao", "T2")], orders[("live", "O3")]
    # columns: platform, order_id, buyer_key, status, _, _, created, paid, shipped, _, tz, _, _, total, paid, refund,
    # item_count, ..., channel
    assert (o1[3], o1[6], o1[7], o1[8], o1[13], o1[14], o1[15], o1[16], o1[24]) == (
        "refunded", T0 + dt.timedelta(minutes=5), T0 + dt.timedelta(minutes=7), T0 + dt.timedelta(minutes=30),
        Decimal("129.00"), Decimal("120.00"), Decimal("120.00"), 3, "直通车")  # 20 + 100 = 120 = paid
    assert (t2[3], t2[13], t2[14], t2[15]) == ("paid", Decimal("59.90"), Decimal("59.90"), Decimal(0))
    assert (o3[3], o3[6], o3[14]) == ("paid", None, Decimal("10.00"))
    assert [(r[1], r[2], r[3], r[7]) for r in got["order_lines"]] == [("O1", 1, "A", 2), ("O1", 2, "B", 1)]
    # traffic adds increments per hour and source: hour 0 直通车 40+2 visitors, 90+3 views; hour 1 organic 5
    assert [(r[0], r[1], r[2], r[3]) for r in got["traffic"]] == [
        (T0, "直通车", 42, 93), (T0 + dt.timedelta(hours=1), "organic", 5, 0)]
    assert [(r[1], r[3], r[5]) for r in got["ad_spend"]] == [("直通车", Decimal("11.00"), 8)]  # 10.05 + 0.95
    started = T0 + dt.timedelta(minutes=80) - dt.timedelta(seconds=12.5)
    assert [(r[0], r[3]) for r in got["cs_sessions"]] == [("S1", started)]


def test_a_restart_mid_way_converges_to_the_same_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # reference: one clean run
    ref = tmp_path / "ref"
    ref.mkdir()
    srv = start(ref, store=ref / "dachu.duckdb", flush_every=0.05)
    post(srv, BATCH_1)
    post(srv, BATCH_2)
    srv.running.stop()
    srv.room.close()
    expected = tables(ref / "dachu.duckdb")
    # run 1: batch 1 reaches the store; batch 2 is logged, then the store write fails half-way and the
    # process dies before another try
    run = tmp_path / "run"
    run.mkdir()
    srv = start(run, store=run / "dachu.duckdb", flush_every=3600)
    post(srv, BATCH_1)
    assert srv.room.flush() == len(BATCH_1)
    post(srv, BATCH_2)

    def fail(self: StoreSink, events: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(StoreSink, "_ad_spend", fail)  # after orders and traffic were written
    with pytest.raises(OSError):
        srv.room.flush()
    monkeypatch.undo()
    srv.running.stop()
    srv.room.close(flush=False)  # a crash: nothing more written
    assert tables(run / "dachu.duckdb")["cs_sessions"] == []  # the failed batch left nothing behind
    # run 2: restart on the same log and store; the figures hold both batches and the store converges
    srv = start(run, store=run / "dachu.duckdb", flush_every=0.05)
    try:
        # no snapshot was written (the crash): the whole log is read again, the store only catches up
        assert srv.room.rebuilt == len(BATCH_1) + len(BATCH_2) and srv.room.restored == 0
        assert (srv.room.state.placed, srv.room.state.paid_fen, srv.room.state.visitors) == (2, 18_990, 47)
        assert post(srv, BATCH_2)["duplicates"] == len(BATCH_2)
    finally:
        srv.running.stop()
        srv.room.close()
    assert tables(run / "dachu.duckdb") == expected
    # and a restart with nothing new changes nothing
    again = LiveRoom(PLAN, run / "events.ndjson", store_path=run / "dachu.duckdb")
    try:
        # the clean close wrote a snapshot: nothing is read from the log
        assert (again.restored, again.rebuilt) == (len(BATCH_1) + len(BATCH_2), 0)
        assert again.state.paid_fen == 18_990  # 120.00 + 59.90 + 10.00
    finally:
        again.close()
    assert tables(run / "dachu.duckdb") == expected


def test_two_events_of_one_order_in_a_batch_write_it_once_as_the_figures_count_it(tmp_path: Path) -> None:
    store = tmp_path / "dachu.duckdb"
    batch = [
        {"id": "o1", "type": "order", "at": at(5), "order_id": "O1", "amount": "30.00",
         "lines": [{"sku": "A", "quantity": 1}, {"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}]},
        {"id": "o1-resent", "type": "order", "at": at(6), "order_id": "O1", "amount": "99.00",
         "lines": [{"sku": "B", "quantity": 5}]},
        {"id": "p1", "type": "payment", "at": at(7), "order_id": "O1", "amount": "30.00"},
        {"id": "p1-again", "type": "payment", "at": at(8), "order_id": "O1", "amount": "31.00"},
    ]
    srv = start(tmp_path, store=store, flush_every=3600)
    try:
        post(srv, batch)  # one request: one log line, one store batch
        live_units = dict(srv.room.state.units)
        live_paid = srv.room.state.paid_fen
    finally:
        srv.running.stop()
        srv.room.close()
    assert live_units == {"A": 3, "B": 1} and live_paid == 3000  # the first order event and payment count
    with Store.open(store) as st:
        lines = st.con.execute("SELECT sku, quantity FROM order_lines ORDER BY sku").fetchall()
        order = st.con.execute("SELECT total_amount, paid_amount, created_at FROM orders").fetchall()
    assert lines == [("A", 3), ("B", 1)]  # one line per sku, once
    assert order == [(Decimal("30.00"), Decimal("30.00"), T0 + dt.timedelta(minutes=5))]
    again = LiveRoom(PLAN, tmp_path / "events.ndjson", store_path=store)  # restored from the snapshot
    try:
        assert dict(again.state.units) == live_units and again.state.paid_fen == live_paid
    finally:
        again.close()


def test_events_handed_over_in_memory_or_read_back_from_the_log_write_the_same_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # reference: every batch handed to the store writer in memory
    ref = tmp_path / "ref"
    ref.mkdir()
    room = LiveRoom(PLAN, ref / "events.ndjson", store_path=ref / "dachu.duckdb", flush_every=3600)
    for batch in (BATCH_1, BATCH_2):
        room.ingest(json.dumps(batch).encode())
    assert room.flush() == len(BATCH_1) + len(BATCH_2)
    room.close()
    expected = tables(ref / "dachu.duckdb")
    # the store fails while batches arrive: the hand-over overflows (a small cap) and is dropped
    run = tmp_path / "run"
    run.mkdir()
    monkeypatch.setattr("dachu.app.live.PENDING_MAX", 6)
    room = LiveRoom(PLAN, run / "events.ndjson", store_path=run / "dachu.duckdb", flush_every=3600)

    def broken(self: StoreSink, events: object, end: int) -> int:
        raise OSError("disk I/O error")

    with monkeypatch.context() as m:
        m.setattr(StoreSink, "apply", broken)
        room.ingest(json.dumps(BATCH_1).encode())
        with pytest.raises(OSError):
            room.flush()
        room.ingest(json.dumps(BATCH_2).encode())  # 5 + 9 events > 6: the hand-over was dropped
    assert room._pending_events == 0
    assert room.flush() == len(BATCH_1) + len(BATCH_2)  # read back from the log, nothing lost or repeated
    room.close()
    assert tables(run / "dachu.duckdb") == expected
