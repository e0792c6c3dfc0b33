"""The one clock: what the faces call "now" and "today" comes from `dachu.clock`, which a test can set."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from dachu import clock
from dachu.app import Workspace
from dachu.cli.main import app


def test_the_clock_is_the_one_a_test_sets(frozen_clock: Callable[[dt.datetime], None]) -> None:
    frozen_clock(dt.datetime(2026, 10, 20, 9, 30))
    assert clock.now() == dt.datetime(2026, 10, 20, 9, 30)
    assert clock.today() == dt.date(2026, 10, 20)


def test_the_calendar_is_as_of_the_clocks_today(tmp_path: Path, frozen_clock: Callable[[dt.datetime], None]) -> None:
    ws = Workspace(tmp_path)
    ws.init("double11", "en")
    frozen_clock(dt.datetime(2026, 10, 20, 9, 30))
    result = CliRunner().invoke(app, ["calendar", str(ws.campaign_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["today"] == "2026-10-20"
