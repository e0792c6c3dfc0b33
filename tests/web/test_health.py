"""/healthz tells the truth, and a damaged log line never stops the war room from starting."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from dachu.app.live import LiveRoom
from dachu.data.live_sink import StoreSink
from tests.web.conftest import DASH, INGEST, PLAN, Server, at, start

BEARER = {"Authorization": f"Bearer {INGEST}"}
READ = {"Authorization": f"Bearer {DASH}"}


def _line(*ids: str) -> bytes:
    return json.dumps([{"id": i, "type": "order", "at": at(5), "order_id": i.upper(), "amount": "10.00"}
                       for i in ids]).encode()


def test_a_damaged_line_is_set_aside_with_its_offset_and_the_rest_loads(tmp_path: Path) -> None:
    log = tmp_path / "events.ndjson"
    damaged = b'[{"id": "x", "type": "order", "at": "2026-11-11T00:05:00", "order_id": "X", "amount": "1\xff'
    log.write_bytes(_line("o1", "o2") + b"\n" + damaged + b"\n" + _line("o3") + b"\n")
    offset = len(_line("o1", "o2")) + 1
    room = LiveRoom(PLAN, log)
    try:
        assert room.state.placed == 3 and room.rebuilt == 3
        assert list(room.log.bad) == [offset]
        entries = [json.loads(x) for x in (tmp_path / "events.ndjson.bad").read_text().splitlines()]
        assert [e["offset"] for e in entries] == [offset]
        health = room.health()
        assert health["ok"] and health["log"]["set_aside"] == 1
        shown = [a for a in room.snapshot()["alerts"] if a["kind"] == "log_set_aside"]
        assert shown and "events.ndjson.bad" in shown[0]["message"]["en"] and "无法读取" in shown[0]["message"]["zh"]
    finally:
        room.close()
    again = LiveRoom(PLAN, log)  # a restart: the same line is not set aside twice, nothing is counted twice
    try:
        assert again.state.placed == 3
        assert len((tmp_path / "events.ndjson.bad").read_text().splitlines()) == 1
    finally:
        again.close()


def test_a_damaged_line_does_not_block_the_store_writer(tmp_path: Path) -> None:
    log = tmp_path / "events.ndjson"
    log.write_bytes(_line("o1") + b"\nnot json at all\n" + _line("o2") + b"\n")
    room = LiveRoom(PLAN, log, store_path=tmp_path / "dachu.duckdb", flush_every=3600)
    try:
        assert room.flush() == 2
        assert room.health()["store"] == {"ok": True, "error": None, "behind_bytes": 0}
    finally:
        room.close()


def test_healthz_is_a_bare_up_for_strangers(server: Server) -> None:
    r = httpx.get(f"{server.url}/healthz", timeout=10)
    assert (r.status_code, r.json()) == (200, {"up": True})  # not even the event count


def test_healthz_with_the_token_reports_each_part_and_fails_when_the_store_writer_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srv = start(tmp_path, store=tmp_path / "dachu.duckdb", flush_every=0.05)
    try:
        deadline = time.monotonic() + 10
        while (r := httpx.get(f"{srv.url}/healthz", headers=READ, timeout=10)).json()["snapshot_age_seconds"] is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        report = r.json()
        assert r.status_code == 200 and report["ok"] and report["log"]["ok"] and report["store"]["ok"]

        def broken(self: StoreSink, lines: object, end: int) -> int:
            raise OSError("disk I/O error")

        monkeypatch.setattr(StoreSink, "apply", broken)
        body = _line("o1")
        assert httpx.post(f"{srv.url}/api/events", content=body, headers=BEARER, timeout=10).status_code == 200
        deadline = time.monotonic() + 10
        while (r := httpx.get(f"{srv.url}/healthz", headers=READ, timeout=10)).status_code == 200:
            assert time.monotonic() < deadline, "healthz never noticed the failing store writer"
            time.sleep(0.05)
        report = r.json()
        assert r.status_code == 503 and not report["ok"]
        assert "disk I/O error" in report["store"]["error"]
        assert report["store"]["behind_bytes"] == srv.log.stat().st_size
    finally:
        srv.running.stop()
        monkeypatch.undo()
        srv.room.close()
