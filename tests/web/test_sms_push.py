"""The SMS provider's pushes into the war room (`POST /api/sms/up`, `/api/sms/report`): the ingest token in
the header or in the URL (the provider calls a fixed URL), replies turned into opt-outs by buyer key."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from dachu.app import Workspace, example_text
from dachu.app.remind import LiveReminders
from dachu.data.store import Store
from tests.web.conftest import INGEST, start


def test_pushes_need_the_ingest_token_and_a_room_that_reminds(tmp_path: Path) -> None:
    srv = start(tmp_path)
    try:
        body = json.dumps([{"phone_number": "10000000001", "content": "TD"}]).encode()
        assert httpx.post(f"{srv.url}/api/sms/up", content=body).status_code == 401
        assert httpx.post(f"{srv.url}/api/sms/up?token=wrong", content=body).status_code == 401
        unknown = httpx.post(f"{srv.url}/api/sms/what?token={INGEST}", content=body)
        assert unknown.status_code == 404 and "/api/sms/up" in unknown.json()["error"]["en"]
        no = httpx.post(f"{srv.url}/api/sms/up?token={INGEST}", content=body)
        assert no.status_code == 404 and no.json()["error"]["code"] == "warroom.sms.not_reminding"
    finally:
        srv.running.stop()
        srv.room.close()


def test_a_td_reply_opts_the_phones_buyers_out_and_a_bad_body_is_refused(tmp_path: Path) -> None:
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(example_text("double11", "zh"), encoding="utf-8")
    store_path = tmp_path / "dachu.duckdb"
    with Store.open(store_path) as store:
        store.con.execute(
            "INSERT INTO contacts (platform, order_id, buyer_key, mobile) VALUES "
            "('tmall', 'P1', 'b1', '10000000001'), ('tmall', 'P2', 'b2', '10000000001'), "
            "('tmall', 'P3', 'b3', '10000000003')"
        )
    plan = Workspace.for_file(campaign).plan()
    srv = start(tmp_path, store=store_path, plan=plan,
                reminders=LiveReminders(campaign, {}, "test-address-key", every=3600))
    try:
        replies = [{"phone_number": "10000000001", "content": "TD", "send_time": "2026-11-11 10:30:00",
                    "sign_name": "测试店", "dest_code": "1234", "sequence_id": 1}]
        r = httpx.post(f"{srv.url}/api/sms/up?token={INGEST}", content=json.dumps(replies).encode())
        assert r.status_code == 200 and r.json()["code"] == 0, r.text
        bad = httpx.post(f"{srv.url}/api/sms/up", content=b"not json", headers={"Authorization": f"Bearer {INGEST}"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "warroom.sms.bad_body"
    finally:
        srv.running.stop()
        srv.room.close()
    with Store.open(store_path) as store:
        rows = store.con.execute("SELECT buyer_key, reply FROM opt_outs ORDER BY 1").fetchall()
        text = json.dumps(store.con.execute("SELECT * FROM opt_outs").fetchall(), default=str)
    assert rows == [("b1", "TD"), ("b2", "TD")]  # both buyers behind the number; b3 untouched
    assert "10000000001" not in text  # the number itself is never kept
