"""`dachu replay` over HTTP: a simulated day goes in once; sent again, every event is a duplicate."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from dachu.cli.main import app
from dachu.data.live_source import busiest_day, replay_events
from dachu.data.store import Store
from tests.web.conftest import DASH, DAY, INGEST, Server, start

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
    orders = [e for e in events if e["type"] == "order"]
    # an order placed before the day is sent too when it shipped (or was paid) on the day; it counts apart
    earlier = sum(1 for e in orders if e["at"] < day.isoformat())
    assert earlier > 0
    assert (server.room.state.placed, server.room.state.presale_orders) == (len(orders) - earlier, earlier)


def test_replay_names_an_unreachable_server(tmp_path: Path) -> None:
    (tmp_path / "sim").mkdir()
    result = CliRunner().invoke(app, ["replay", str(tmp_path / "sim"), "--url", "http://127.0.0.1:9"])
    assert result.exit_code == 1


def _import_simulated_day(tmp_path: Path) -> Path:
    """`dachu simulate` (1,500 orders, the platform's export files) then `dachu import` into a fresh store."""
    runner = CliRunner()
    out = tmp_path / "sim"
    done = runner.invoke(app, ["simulate", str(CAMPAIGN), "--orders", "1500", "--out", str(out), "--format", "json"])
    assert done.exit_code == 0, done.output
    files = [str(p) for p in sorted(out.iterdir()) if not p.name.startswith("UserBehavior")]
    store = tmp_path / "imported.duckdb"
    done = runner.invoke(app, ["import", *files, "--store", str(store), "--format", "json"])
    assert done.exit_code == 0, done.output
    return store


def _sql_figures(store: Path, day: dt.date) -> dict[str, Any]:
    """The day's figures summed straight from the store's canonical tables."""
    start, end = dt.datetime.combine(day, dt.time()), dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    with Store.open(store) as opened:
        con = opened.con
        orders = (con.execute("SELECT count(*) FROM orders WHERE created_at >= $1 AND created_at < $2",
                              [start, end]).fetchone() or (0,))[0]
        # paid and shipped on the day, whenever placed (a pre-sale order paid today is today's sale)
        paid_orders, gmv = con.execute("SELECT count(*), sum(paid_amount) FROM orders WHERE paid_at >= $1 "
                                       "AND paid_at < $2", [start, end]).fetchone() or (0, 0)
        shipped = (con.execute("SELECT count(*) FROM orders WHERE shipped_at >= $1 AND shipped_at < $2",
                               [start, end]).fetchone() or (0,))[0]
        visitors = (con.execute("SELECT sum(visitors) FROM traffic WHERE hour >= $1 AND hour < $2",
                                [start, end]).fetchone() or (0,))[0]
        spend = (con.execute("SELECT sum(spend) FROM ad_spend WHERE day = ?", [day]).fetchone() or (0,))[0]
        cs = (con.execute("SELECT count(*) FROM cs_sessions WHERE first_response_at >= $1 AND first_response_at < $2",
                          [start, end]).fetchone() or (0,))[0]
    return {"orders": orders, "paid_orders": paid_orders, "gmv": round(float(gmv), 2), "shipped": shipped,
            "visitors": int(visitors), "spend": round(float(spend), 2), "cs_sessions": cs}


def _dashboard(srv: Server) -> dict[str, Any]:
    snap = httpx.get(f"{srv.url}/api/snapshot", headers={"Authorization": f"Bearer {DASH}"}).json()
    return {k: snap["totals"][k] for k in ("orders", "paid_orders", "gmv", "shipped", "visitors", "spend",
                                           "cs_sessions")}


def test_replay_from_an_imported_store_matches_a_sql_sum(server: Server, tmp_path: Path) -> None:
    store = _import_simulated_day(tmp_path)
    assert busiest_day(store) == DAY
    expected = _sql_figures(store, DAY)
    assert expected["orders"] > 300 and expected["spend"] > 0 and expected["visitors"] > 0
    done = CliRunner().invoke(app, ["replay", str(store), "--url", server.url, "--token", INGEST, "--speed", "0",
                                    "--format", "json"])
    assert done.exit_code == 0, done.output
    assert _dashboard(server) == expected


def test_serve_over_an_imported_store_shows_what_was_sent_and_keeps_it_over_a_restart(tmp_path: Path) -> None:
    """The store does not feed the figures (the log does): imported rows show once replayed, and stay."""
    store = _import_simulated_day(tmp_path)
    expected = _sql_figures(store, DAY)
    source = tmp_path / "copy.duckdb"  # the room holds its store: replay a copy of it
    shutil.copy(store, source)
    srv = start(tmp_path, store=store)
    try:
        assert srv.room.state.seq == 0 and _dashboard(srv)["orders"] == 0
        done = CliRunner().invoke(app, ["replay", str(source), "--url", srv.url, "--token", INGEST, "--speed", "0",
                                        "--format", "json"])
        assert done.exit_code == 0, done.output
        assert _dashboard(srv) == expected
    finally:
        srv.running.stop()
        srv.room.close()
    again = start(tmp_path, store=store)
    try:
        assert again.room.restored > 0 and again.room.rebuilt == 0  # the closing snapshot, no log re-read
        assert _dashboard(again) == expected
    finally:
        again.running.stop()
        again.room.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--from-hour", "24"], "--from-hour must be between 0 and 23, got 24"),
     (["--from-hour", "-1"], "--from-hour must be between 0 and 23, got -1"),
     (["--day", "11-11"], "--day is not a date: 11-11")],
    ids=["hour-24", "hour-negative", "bad-day"],
)
def test_replay_options_out_of_range_get_a_message(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["replay", str(tmp_path), *args, "--lang", "en"])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_replay_day_has_help() -> None:
    result = CliRunner().invoke(app, ["replay", "--help"], env={"COLUMNS": "200"})
    assert "YYYY-MM-DD" in result.output


def test_a_store_replays_the_pre_sale_order_but_only_the_refund_of_an_old_order(tmp_path: Path) -> None:
    # given a pre-sale order placed in the warm-up and paid on the day, and an order of March refunded today
    path = tmp_path / "dachu.duckdb"
    with Store.open(path) as st:
        st.con.execute(
            "INSERT INTO orders (platform, order_id, status, created_at, paid_at, completed_at, total_amount, "
            "paid_amount, refund_amount) VALUES "
            "('taobao', 'PRE', 'paid', '2026-11-05 20:00', '2026-11-11 00:30', NULL, 300, 300, 0), "
            "('taobao', 'OLD', 'refunded', '2026-03-01 10:00', '2026-03-01 10:05', '2026-11-11 09:00', 80, 80, 80)"
        )
    events = replay_events(path, DAY)
    assert [(e["type"], e["order_id"], e["at"]) for e in events] == [
        ("order", "taobao:PRE", "2026-11-05T20:00:00"),
        ("payment", "taobao:PRE", "2026-11-11T00:30:00"),
        ("refund", "taobao:OLD", "2026-11-11T09:00:00"),
    ]
