"""Payment reminders inside the war room: ingested unpaid orders are reminded at the room's clock, the
dashboard gets the day's reminder figures, and a failing sender raises an alert (zh and en).

The room writes to its store in-process here (the store writer's process runs the same pass through its
`job` request; tests/web/test_restart_process.py starts that one); the SMS goes to the loopback Alibaba
Cloud gateway, which refuses one number as the provider would.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from dachu.app import Workspace, example_text
from dachu.app.live import LiveRoom
from dachu.app.remind import LiveReminders
from dachu.data.store import Store
from tests.peers.aliyun_sms import SmsPeer

KEY_ID, SECRET = "LTAI-live-test", "live-test-secret"
ENV = {"LIVE_SMS_KEY_ID": KEY_ID, "LIVE_SMS_SECRET": SECRET}
REFUSED = "10000000003"  # buyer b3's number: the gateway answers isv.MOBILE_NUMBER_ILLEGAL


@pytest.fixture
def peer() -> Iterator[SmsPeer]:
    started = SmsPeer(secret=SECRET, access_key_id=KEY_ID)
    started.control(refuse_numbers=[REFUSED])
    yield started
    started.stop()


def order(i: int, at: str, buyer: str) -> dict[str, object]:
    return {"id": f"o{i}", "type": "order", "at": at, "order_id": f"L{i}", "amount": "59.00", "buyer_key": buyer,
            "lines": [{"sku": "A02"}]}


def test_the_room_reminds_at_its_clock_shows_the_figures_and_alerts_a_failing_sender(
    tmp_path: Path, peer: SmsPeer
) -> None:
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(
        example_text("double11", "zh")
        + f"\nsenders:\n  sms:\n    sign_name: 测试店\n    endpoint: {peer.url}\n"
        + "    access_key_id_env: LIVE_SMS_KEY_ID\n    access_key_secret_env: LIVE_SMS_SECRET\n",
        encoding="utf-8",
    )
    store_path = tmp_path / "dachu.duckdb"
    with Store.open(store_path) as store:  # the buyers' numbers, from an earlier import of past orders
        for b in (1, 2, 3):
            store.con.execute(
                "INSERT INTO contacts (platform, order_id, buyer_key, mobile) VALUES ('tmall', ?, ?, ?)",
                [f"P{b}", f"b{b}", f"1000000000{b}"],
            )
    plan = Workspace.for_file(campaign).plan()
    room = LiveRoom(plan, tmp_path / "live" / "events.ndjson", store_path=store_path,
                    reminders=LiveReminders(campaign, ENV, "test-address-key", every=3600))
    try:
        assert room.remind() is None  # no event yet: the room has no clock
        events = [order(1, "2026-11-11T10:00:00", "b1"), order(2, "2026-11-11T10:02:00", "b1"),
                  order(3, "2026-11-11T10:05:00", "b2"), order(4, "2026-11-11T10:06:00", "b3"),
                  {"id": "p3", "type": "payment", "at": "2026-11-11T10:07:00", "order_id": "L3", "amount": "59.00"},
                  {"id": "t1", "type": "traffic", "at": "2026-11-11T10:30:00", "page": "activity", "source": "首页",
                   "visitors": 10}]
        room.ingest(json.dumps(events).encode())
        room.flush()
        result = room.remind()
        assert result is not None and result["now"] == "2026-11-11T10:30:00"
        # b1: one message for L1 and L2; b2 paid: none; b3: refused by the gateway
        calls = peer.calls()
        assert set(calls) == {"payment_reminder:b1:2026-11-11", "payment_reminder:b3:2026-11-11"}
        assert result["pass"]["sent"] == 1 and result["pass"]["failed"] == 1
        assert result["figures"]["reminders_sent"] == 1
        assert result["failures"] == [{"channel": "sms", "kind": "payment_reminder",
                                       "reason": "isv.MOBILE_NUMBER_ILLEGAL", "count": 1}]
        snap = room.snapshot()
        assert snap["reminders"]["figures"]["reminded_orders"] == 2  # L1 and L2
        alert = next(a for a in snap["alerts"] if a["kind"] == "sender_failing")
        assert alert["params"]["channel"] == "sms" and "1" in alert["message"]["zh"]
        assert "isv.MOBILE_NUMBER_ILLEGAL" in alert["message"]["en"]
        assert REFUSED not in json.dumps(snap, ensure_ascii=False)  # no number on the page
        again = room.remind()  # the next pass: nothing new is due, nothing is sent twice
        assert again is not None and again["pass"]["sent"] == 0 and peer.calls() == calls
        assert room.health()["reminders"]["ok"]
    finally:
        room.close()
    assert dt.datetime.fromisoformat(result["now"]).date() == plan.campaign.campaign.event_day


@pytest.mark.slow
def test_a_real_war_room_reminds_from_ingested_orders_in_its_store_process(tmp_path: Path) -> None:
    """`dachu serve --remind-every 1`: the store writer's process runs the pass; with no provider configured
    the messages go to the CSV for 千牛 (no number needed), and the snapshot carries the figures."""
    import csv
    import time

    import httpx

    from tests.web.process import serving

    ws = Workspace(tmp_path / "shop")
    ws.init("double11", "zh")
    env = {"DACHU_INGEST_TOKEN": "in-token", "DACHU_DASHBOARD_TOKEN": "read-token"}
    events = [order(1, "2026-11-11T10:00:00", "b1"), order(2, "2026-11-11T10:01:00", "b2"),
              {"id": "p2", "type": "payment", "at": "2026-11-11T10:03:00", "order_id": "L2", "amount": "59.00"},
              {"id": "t1", "type": "traffic", "at": "2026-11-11T10:20:00", "page": "activity", "source": "首页",
               "visitors": 5}]
    with serving(ws.campaign_path, "--remind-every", "1", "--flush-every", "0.1", env=env) as served:
        r = httpx.post(f"{served.url}/api/events", content=json.dumps(events).encode(),
                       headers={"Authorization": "Bearer in-token"}, timeout=30)
        assert r.status_code == 200, r.text
        deadline = time.monotonic() + 60
        snap: dict[str, object] = {}
        while time.monotonic() < deadline:
            snap = httpx.get(f"{served.url}/api/snapshot", headers={"Authorization": "Bearer read-token"}).json()
            reminders = snap.get("reminders")
            if isinstance(reminders, dict) and reminders["figures"].get("reminders_sent"):
                break
            time.sleep(0.3)
        reminders = snap["reminders"]
        assert isinstance(reminders, dict)
        assert reminders["figures"]["reminders_sent"] == 1 and reminders["now"] >= "2026-11-11T10:10:00"
        health = httpx.get(f"{served.url}/healthz", headers={"Authorization": "Bearer read-token"}).json()
    assert health["reminders"]["ok"] and health["reminders"]["now"] == reminders["now"]
    sheet = ws.root / "out" / "reminders.csv"
    rows = list(csv.reader(sheet.read_text(encoding="utf-8-sig").splitlines()))[1:]
    assert [(r[0], r[1]) for r in rows] == [("payment_reminder:b1:2026-11-11", "L1")]  # b2 paid
