"""A normal stop flushes: SIGTERM (systemd, docker) and SIGINT (Ctrl-C) sent to a real `dachu serve` process.

Every acknowledged event must be in the store when the process has exited, so a `dachu review` right after
the day sees all of it.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import httpx
import pytest

from dachu.app import Workspace
from dachu.data.store import Store
from tests.web.process import serving


def _orders(n: int) -> list[dict[str, object]]:
    return [
        {"id": f"o{i}", "type": "order", "at": f"2026-11-11T10:{i % 60:02d}:00", "order_id": f"O{i}",
         "amount": "99.00", "lines": [{"sku": "A01", "quantity": 1}]}
        for i in range(n)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_normal_stop_writes_every_acknowledged_event_to_the_store(tmp_path: Path, sig: signal.Signals) -> None:
    ws = Workspace(tmp_path)
    ws.init("double11", "en")
    env = {"DACHU_INGEST_TOKEN": "in-token", "DACHU_DASHBOARD_TOKEN": "read-token"}
    # a flush interval far longer than the test: only the stop itself can carry the events into the store
    with serving(ws.campaign_path, "--flush-every", "3600", env=env) as served:
        accepted = 0
        events = _orders(3000)
        for i in range(0, len(events), 500):
            r = httpx.post(f"{served.url}/api/events", content=json.dumps(events[i : i + 500]).encode(),
                           headers={"Authorization": "Bearer in-token"}, timeout=30)
            assert r.status_code == 200, r.text
            accepted += r.json()["accepted"]
        assert accepted == 3000
        served.proc.send_signal(sig)
        served.proc.wait(timeout=60)
    assert "Traceback" not in served.err.read_text()
    with Store.open(ws.store_path) as store:
        row = store.con.execute("SELECT count(*) FROM orders").fetchone()
    assert row is not None and row[0] == 3000
