"""`dachu replay` over HTTP: a simulated day goes in once; sent again, every event is a duplicate."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from dachu.cli.main import app
from dachu.data.live_source import busiest_day, replay_events
from tests.web.conftest import INGEST, Server

CAMPAIGN = Path(__file__).resolve().parents[1] / "data" / "simulate_campaign.yaml"


def test_replay_a_simulated_day_twice(server: Server, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "sim"
    done = runner.invoke(app, ["simulate", str(CAMPAIGN), "--orders", "1500", "--formats", "parquet,ad_spend",
                               "--out", str(out), "--format", "json"])
    assert done.exit_code == 0, done.output
    day = busiest_day(out)
    assert day == dt.date(2026, 11, 11)
    events = replay_events(out, day)
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert {e["type"] for e in events} >= {"order", "payment", "shipment", "traffic", "ad_spend", "cs"}
    args = ["replay", str(out), "--url", server.url, "--token", INGEST, "--speed", "0", "--batch", "400",
            "--format", "json"]
    first = json.loads(runner.invoke(app, args).output)
    assert first["events"] == len(events) == first["accepted"] and first["duplicates"] == 0
    again = json.loads(runner.invoke(app, args).output)
    assert again["accepted"] == 0 and again["duplicates"] == len(events)
    assert server.room.state.placed == sum(1 for e in events if e["type"] == "order")


def test_replay_names_an_unreachable_server(tmp_path: Path) -> None:
    (tmp_path / "sim").mkdir()
    result = CliRunner().invoke(app, ["replay", str(tmp_path / "sim"), "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 1
