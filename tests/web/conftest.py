"""A war room running on a loopback port in a thread, over a small campaign with stock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dachu.app.live import LiveRoom
from dachu.domain.live.state import LivePlan, LiveProduct
from dachu.domain.plan.plan import Plan
from dachu.web.auth import Guard
from dachu.web.run import Running, start_in_thread
from dachu.web.server import create_app

DAY = dt.date(2026, 11, 11)
INGEST, DASH, SECRET = "ingest-token", "dash-token", "webhook-secret"
PLAN = LivePlan(
    day=DAY,
    floor_gmv=Decimal(100_000),
    stretch_gmv=Decimal(150_000),
    products=(LiveProduct("A", "羊毛围巾", 100), LiveProduct("B", "保温杯", 5000)),
    budgets=(("直通车", Decimal(1000)),),
)


def at(minute: int) -> str:
    return (dt.datetime.combine(DAY, dt.time()) + dt.timedelta(minutes=minute)).isoformat()


@dataclass
class Server:
    url: str
    room: LiveRoom
    log: Path
    running: Running


def start(tmp_path: Path, webhook: str | None = None, store: Path | None = None, plan: Plan | LivePlan = PLAN,
          **room_options: Any) -> Server:
    log = tmp_path / "events.ndjson"
    room = LiveRoom(plan, log, webhook=webhook, store_path=store, **room_options)
    guard = Guard(ingest_token=INGEST, dashboard_token=DASH, hmac_secret=SECRET)
    running = start_in_thread(create_app(room, guard, tick=0.05))
    return Server(running.url, room, log, running)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = start(tmp_path)
    try:
        yield srv
    finally:
        srv.running.stop()
        srv.room.close()
