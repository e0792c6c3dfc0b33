"""The provider's pushes into the store: replies become opt-outs by buyer key, failed deliveries failed rows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from dachu.data.store import Store
from dachu.ops.outbox import Outbox
from dachu.ops.replies import record_sms_reports, record_sms_up
from tests.ops.test_outbox import T0, message

NOW = dt.datetime(2026, 11, 11, 11, 0)


def test_an_opt_out_reply_opts_out_every_buyer_behind_the_phone_and_keeps_no_number(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        store.con.execute(
            "INSERT INTO contacts (platform, order_id, buyer_key, mobile) VALUES "
            "('tmall', 'P1', 'b1', '10000000001'), ('tmall', 'P2', 'b2', '10000000001'), "
            "('tmall', 'P3', 'b3', '10000000003')"
        )
        body = json.dumps([
            {"phone_number": "10000000001", "content": " td ", "send_time": "2026-11-11 10:30:00"},
            {"phone_number": "10000000003", "content": "你好", "send_time": "2026-11-11 10:31:00"},
        ])
        assert record_sms_up(store.con, body, NOW) == 2
        rows = store.con.execute("SELECT buyer_key, channel, reply, replied_at FROM opt_outs ORDER BY 1").fetchall()
    assert rows == [("b1", "sms", "TD", NOW), ("b2", "sms", "TD", NOW)]  # 你好 opts no one out


def test_an_undelivered_report_fails_the_sent_row_and_an_unknown_key_changes_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.duckdb") as store:
        box = Outbox(store.con)
        box.plan([message("b1"), message("b2")], T0)
        store.con.execute("UPDATE outbox SET state = 'sent'")
        body = json.dumps([
            {"out_id": "payment_reminder:b1:2026-11-11", "success": False, "err_code": "UNDELIV",
             "phone_number": "10000000001", "biz_id": "9"},
            {"out_id": "payment_reminder:b2:2026-11-11", "success": True, "biz_id": "10"},
            {"out_id": "payment_reminder:nobody:2026-11-11", "success": False, "err_code": "UNDELIV"},
        ])
        assert record_sms_reports(store.con, body, NOW) == 1
        rows = store.con.execute("SELECT recipient, state, state_reason FROM outbox ORDER BY 1").fetchall()
    assert rows == [("b1", "failed", "senders.delivery_failed UNDELIV"), ("b2", "sent", None)]
