"""快递100's tracking pushes into the war room (`POST /api/logistics/kuaidi100`): the ingest token in the URL,
the signature with the subscription's salt, the track kept once however often it is re-sent, and the
war room's pass sending the arrived-in-the-city and exception notices from it (through the CSV for 千牛).

Buyer b1's order T9 ships to 深圳市 by 顺丰 (SF900); the fake number 10000000001 is no real phone.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from dachu.app import Workspace, example_text
from dachu.app.remind import LiveReminders
from dachu.data.store import Store
from dachu.ops.trackers.kuaidi100 import sign
from tests.web.conftest import INGEST, start

SALT = "test-salt"


def param(*events: tuple[str, str, str, str]) -> str:
    data = [{"context": f"【深圳市】快递员（10000000000）{status}", "time": at, "ftime": at, "status": status,
             "statusCode": code, "areaName": area} for at, code, status, area in reversed(events)]
    return json.dumps({"status": "polling", "message": "", "lastResult": {
        "message": "ok", "state": data[0]["statusCode"], "status": "200", "ischeck": "0", "com": "shunfeng",
        "nu": "SF900", "data": data}}, ensure_ascii=False)


ARRIVED = ("2026-11-11 15:00:00", "1001", "到达派件城市", "广东,深圳市")
EXCEPTION = ("2026-11-11 18:00:00", "204", "派件异常", "广东,深圳市")


def form(text: str, salt: str = SALT) -> bytes:
    return urlencode({"param": text, "sign": sign(text, salt)}).encode()


def post(url: str, body: bytes) -> httpx.Response:
    return httpx.post(url, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})


def shop(tmp_path: Path) -> tuple[Path, Path]:
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(example_text("double11", "zh"), encoding="utf-8")
    store_path = tmp_path / "dachu.duckdb"
    with Store.open(store_path) as store:
        store.con.execute(
            "INSERT INTO orders (platform, order_id, buyer_key, status, created_at, paid_at, total_amount, "
            "paid_amount, city) VALUES ('tmall', 'T9', 'b1', 'shipped', TIMESTAMP '2026-11-11 00:10', "
            "TIMESTAMP '2026-11-11 00:11', 59.00, 59.00, '深圳市')"
        )
        store.con.execute("INSERT INTO contacts (platform, order_id, buyer_key, mobile) "
                          "VALUES ('tmall', 'T9', 'b1', '10000000001')")
        store.con.execute(
            "INSERT INTO shipments VALUES ('tmall', 'T9', '顺丰', 'SF900', TIMESTAMP '2026-11-11 10:00', NULL)"
        )
    return campaign, store_path


def test_a_signed_push_is_kept_once_and_the_room_sends_its_notices(tmp_path: Path) -> None:
    campaign, store_path = shop(tmp_path)
    srv = start(tmp_path, store=store_path, plan=Workspace.for_file(campaign).plan(), tracking_salt=SALT,
                reminders=LiveReminders(campaign, {}, "test-address-key", every=3600))
    url = f"{srv.url}/api/logistics/kuaidi100?token={INGEST}"
    try:
        assert post(f"{srv.url}/api/logistics/kuaidi100", form(param(ARRIVED))).status_code == 401  # no token
        forged = post(url, form(param(ARRIVED), salt="another-salt"))
        assert forged.status_code == 401 and forged.json()["error"]["code"] == "warroom.tracking.bad_sign"
        bad = post(url, form("not json"))
        assert bad.status_code == 400 and "param" in bad.json()["error"]["en"] and "param" in bad.json()["error"]["zh"]
        first = post(url, form(param(ARRIVED)))
        assert first.status_code == 200, first.text
        assert first.json() == {"result": True, "returnCode": "200", "message": "成功", "added": 1}
        again = post(url, form(param(ARRIVED, EXCEPTION)))  # the whole track again, one event newer
        assert again.json()["added"] == 1
        assert post(url, form(param(ARRIVED, EXCEPTION))).json()["added"] == 0  # a retried push writes nothing
        srv.room.ingest(json.dumps([{"id": "t1", "type": "traffic", "at": "2026-11-11T18:30:00", "page": "activity",
                                     "source": "首页", "visitors": 3}]).encode())
        srv.room.flush()
        result = srv.room.remind()
        assert result is not None and result["pass"]["sent"] == 2
        assert srv.room.remind()["pass"]["sent"] == 0  # type: ignore[index]  # exactly once
    finally:
        srv.running.stop()
        srv.room.close()
    with Store.open(store_path) as store:
        kept = store.con.execute("SELECT code, status, area, source FROM shipment_events ORDER BY event_at").fetchall()
        everything = json.dumps(store.con.execute("SELECT * FROM shipment_events").fetchall(), default=str)
    assert kept == [("1001", "到达派件城市", "广东,深圳市", "kuaidi100"),
                    ("204", "派件异常", "广东,深圳市", "kuaidi100")]
    assert "10000000000" not in everything and "快递员" not in everything  # the courier's text is not kept
    rows = list(csv.reader((tmp_path / "out" / "reminders.csv").read_text("utf-8-sig").splitlines()))[1:]
    assert sorted(r[0] for r in rows) == ["logistics_notice:arrived_city:T9", "logistics_notice:exception:T9"]
    assert all("10000000001" not in r[2] for r in rows)  # masked


@pytest.mark.slow
def test_a_real_war_room_keeps_pushes_in_its_store_process(tmp_path: Path) -> None:
    """`dachu serve` with DACHU_KUAIDI100_SALT: the store writer's process records the push (its job)."""
    from tests.web.process import serving

    ws = Workspace(tmp_path / "shop")
    ws.init("double11", "zh")
    env = {"DACHU_INGEST_TOKEN": "in-token", "DACHU_DASHBOARD_TOKEN": "read-token", "DACHU_KUAIDI100_SALT": SALT}
    with serving(ws.campaign_path, env=env) as served:
        url = f"{served.url}/api/logistics/kuaidi100?token=in-token"
        assert post(url, form(param(ARRIVED), salt="wrong")).status_code == 401
        r = post(url, form(param(ARRIVED, EXCEPTION)))
        assert r.status_code == 200 and r.json()["added"] == 2, r.text
        assert post(url, form(param(ARRIVED, EXCEPTION))).json()["added"] == 0
        served.proc.terminate()  # a clean stop: the store writer finishes and lets the file go
        served.proc.wait(timeout=60)
    assert "Traceback" not in served.err.read_text()
    with Store.open(ws.store_path) as store:
        assert store.con.execute("SELECT count(*) FROM shipment_events").fetchall() == [(2,)]
