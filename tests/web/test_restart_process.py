"""A real `dachu serve` killed (-9) at a random moment of a sustained ingest, or stopped by SIGTERM, then
started again: after the sender retries what was not acknowledged, the dashboard figures and the store equal
those of a war room that took the same events without stopping (the in-process property test covers every
cut point of small sequences; this one the real signals, snapshots written by the running server included).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import signal
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from dachu.app import Workspace
from dachu.app.live import LiveRoom, snapshot_json
from tests.web.process import serving
from tests.web.test_store_sink import tables

ENV = {"DACHU_INGEST_TOKEN": "in-token", "DACHU_DASHBOARD_TOKEN": "read-token"}
INGEST = {"Authorization": "Bearer in-token"}
READ = {"Authorization": "Bearer read-token"}


def day_events(day: dt.date, n: int, seed: int) -> list[list[dict[str, Any]]]:
    """`n` events of a busy day in batches of 200: orders (some pre-sale), payments, shipments, refunds, traffic."""
    rng = random.Random(seed)
    start = dt.datetime.combine(day, dt.time())
    events: list[dict[str, Any]] = []
    for i in range(n):
        at = start + dt.timedelta(seconds=i * 86_000 // n)
        order = f"O{rng.randrange(n // 3)}"
        kind = rng.choice(["order", "order", "payment", "payment", "shipment", "refund", "traffic"])
        e: dict[str, Any] = {"id": f"e{i}", "type": kind, "at": at.isoformat()}
        if kind == "order":
            placed = at - dt.timedelta(days=3) if rng.random() < 0.1 else at  # a pre-sale order
            e.update(at=placed.isoformat(), order_id=order, amount=f"{rng.randint(10, 900)}.50",
                     buyer_key=f"k{rng.randrange(n // 5)}", source=rng.choice(["直通车", "organic"]),
                     lines=[{"sku": rng.choice(["A", "B", "C"]), "quantity": rng.randint(1, 3)}])
        elif kind == "payment":
            e.update(order_id=order, amount=f"{rng.randint(10, 900)}.00",
                     stage=rng.choice(["full", "full", "deposit", "balance"]))
        elif kind == "shipment":
            e.update(order_id=order)
        elif kind == "refund":
            e.update(order_id=order, amount=f"{rng.randint(1, 50)}.00")
        else:
            e.update(page=rng.choice(["activity", "store"]), source=rng.choice(["直通车", "organic"]),
                     visitors=rng.randint(0, 40), page_views=rng.randint(0, 80))
        events.append(e)
    return [events[i : i + 200] for i in range(0, n, 200)]


def straight(ws: Workspace, folder: Path, batches: list[list[dict[str, Any]]]) -> tuple[Any, Any]:
    """The figures and store of one room that took every batch without stopping (in this process)."""
    folder.mkdir()
    room = LiveRoom(ws.plan(), folder / "events.ndjson", store_path=folder / "dachu.duckdb")
    for batch in batches:
        room.ingest(json.dumps(batch).encode())
    figures = json.loads(snapshot_json(room.snapshot()))
    room.close()
    return figures, tables(folder / "dachu.duckdb")


def send(url: str, batches: list[list[dict[str, Any]]], start: int = 0, then: Any = None) -> int:
    """Post batches from `start`; return the index of the first one not acknowledged (len when all were).

    `then(i)` is called after batch i was acknowledged.
    """
    for i in range(start, len(batches)):
        if then is not None and i > start:
            then(i - 1)
        try:
            r = httpx.post(f"{url}/api/events", content=json.dumps(batches[i]).encode(), headers=INGEST, timeout=30)
        except httpx.TransportError:
            return i
        if r.status_code != 200:
            return i
    return len(batches)


@pytest.mark.slow
@pytest.mark.parametrize("way", ["kill -9", "SIGTERM"])
def test_a_killed_or_stopped_server_comes_back_with_the_same_figures_and_store(tmp_path: Path, way: str) -> None:
    ws = Workspace(tmp_path / "shop")
    ws.init("double11", "en")
    batches = day_events(ws.plan().campaign.campaign.event_day, 12_000, seed=7)
    expected_figures, expected_store = straight(ws, tmp_path / "straight", batches)
    args = ("--snapshot-every", "0.2", "--flush-every", "0.1")
    with serving(ws.campaign_path, *args, env=ENV) as served:
        if way == "kill -9":  # at a random moment mid-ingest: maybe mid-append, mid-snapshot, mid-flush
            rng = random.Random()
            at = rng.randrange(5, len(batches) // 2)  # after a few snapshots, in the middle of a later post

            def kill_soon(i: int) -> None:
                if i == at:
                    threading.Timer(rng.uniform(0, 0.02), served.proc.kill).start()

            cut = send(served.url, batches, then=kill_soon)
        else:
            cut = send(served.url, batches[: len(batches) // 2])
            served.proc.send_signal(signal.SIGTERM)
        served.proc.wait(timeout=60)
    assert "Traceback" not in served.err.read_text()
    assert 0 < cut < len(batches), "the kill came before or after the ingest: nothing was cut"
    with serving(ws.campaign_path, *args, env=ENV) as served:
        health = httpx.get(f"{served.url}/healthz", headers=READ).json()
        assert health["ok"], health
        # the sender retries from the last batch it is unsure of (one acknowledged batch resent too)
        assert send(served.url, batches, max(0, cut - 1)) == len(batches)
        figures = httpx.get(f"{served.url}/api/snapshot", headers=READ).json()
        served.proc.send_signal(signal.SIGTERM)
        served.proc.wait(timeout=60)
    out = served.out.read_text()
    if way == "SIGTERM":  # a clean stop wrote a snapshot of the whole log: nothing to read past it
        assert "Restored" in out and "Rebuilt" not in out, out
    assert figures == expected_figures
    assert tables(ws.store_path) == expected_store
