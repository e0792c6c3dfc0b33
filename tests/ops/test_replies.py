"""The provider's pushes into the store: replies become opt-outs by buyer key, failed deliveries failed rows.

Worked by hand on a real store, then end to end: messages through `AliyunSmsSender` to the loopback gateway,
its delivery reports pushed to a little HTTP server here, the body recorded as the war room records it.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from dachu.data.store import Store
from dachu.ops.outbox import Called, Final, Outbox
from dachu.ops.replies import record_sms_reports, record_sms_up
from dachu.ops.senders.aliyun_sms import AliyunSmsSender, AliyunSmsSettings
from dachu.ops.senders.base import Outgoing
from tests.ops.test_outbox import T0, message
from tests.peers.aliyun_sms import SmsPeer

NOW = dt.datetime(2026, 11, 11, 11, 0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "s.duckdb") as s:
        yield s


def contacts(store: Store, *rows: tuple[str, str, str]) -> None:
    """(order id, buyer key, mobile) rows of `contacts`."""
    store.con.executemany(
        "INSERT INTO contacts (platform, order_id, buyer_key, mobile) VALUES ('tmall', ?, ?, ?)",
        [list(r) for r in rows],
    )


def opt_outs(store: Store) -> list[tuple[object, ...]]:
    return store.con.execute("SELECT buyer_key, channel, reply, replied_at FROM opt_outs ORDER BY 1").fetchall()


def up(*replies: tuple[str, str]) -> str:
    return json.dumps(
        [
            {"phone_number": phone, "content": content, "send_time": "2026-11-11 10:30:00", "sign_name": "测试店"}
            for phone, content in replies
        ],
        ensure_ascii=False,
    )


def test_an_opt_out_reply_opts_out_every_buyer_behind_the_phone_and_keeps_no_number(store: Store) -> None:
    contacts(store, ("P1", "b1", "10000000001"), ("P2", "b2", "10000000001"), ("P3", "b3", "10000000003"))
    assert record_sms_up(store.con, up(("10000000001", " td "), ("10000000003", "你好")), NOW) == 2
    assert opt_outs(store) == [("b1", "sms", "TD", NOW), ("b2", "sms", "TD", NOW)]  # 你好 opts no one out
    kept = repr(store.con.execute("SELECT * FROM opt_outs").fetchall())
    assert "10000000001" not in kept


def test_a_reply_that_is_not_an_opt_out_word_opts_no_one_out(store: Store) -> None:
    contacts(store, ("P1", "b1", "10000000001"))
    assert record_sms_up(store.con, up(("10000000001", "你好"), ("10000000001", "什么时候发货")), NOW) == 0
    assert opt_outs(store) == []


def test_a_number_with_the_country_code_finds_the_buyer_and_a_stranger_finds_no_one(store: Store) -> None:
    contacts(store, ("P1", "b1", "13800138000"))
    assert record_sms_up(store.con, up(("+8613800138000", "退订"), ("13900139000", "R")), NOW) == 1
    assert opt_outs(store) == [("b1", "sms", "退订", NOW)]


def test_the_same_push_twice_opts_out_once(store: Store) -> None:
    contacts(store, ("P1", "b1", "10000000001"), ("P2", "b1", "10000000001"))  # two orders, one buyer
    body = up(("10000000001", "TD"), ("10000000001", "R"))
    assert record_sms_up(store.con, body, NOW) == 1
    assert record_sms_up(store.con, body, NOW + dt.timedelta(minutes=5)) == 0
    assert opt_outs(store) == [("b1", "sms", "TD", NOW)]


def reports(*items: tuple[str, bool]) -> str:
    return json.dumps(
        [
            {
                "out_id": key,
                "success": ok,
                "err_code": "DELIVERED" if ok else "UNDELIV",
                "phone_number": "10000000001",
                "biz_id": f"{n}^0",
            }
            for n, (key, ok) in enumerate(items)
        ]
    )


def states(store: Store) -> list[tuple[object, ...]]:
    return store.con.execute("SELECT recipient, state, state_reason FROM outbox ORDER BY 1").fetchall()


def test_an_undelivered_report_fails_the_sent_row_and_an_unknown_key_changes_nothing(store: Store) -> None:
    Outbox(store.con).plan([message("b1"), message("b2")], T0)
    store.con.execute("UPDATE outbox SET state = 'sent'")
    body = reports(
        ("payment_reminder:b1:2026-11-11", False),
        ("payment_reminder:b2:2026-11-11", True),
        ("payment_reminder:nobody:2026-11-11", False),
    )
    assert record_sms_reports(store.con, body, NOW) == 1
    assert states(store) == [("b1", "failed", "senders.delivery_failed UNDELIV"), ("b2", "sent", None)]
    finished = store.con.execute("SELECT finished_at FROM outbox WHERE recipient = 'b1'").fetchone()
    assert finished == (NOW,)


def test_a_report_changes_only_a_sent_row_and_only_once(store: Store) -> None:
    Outbox(store.con).plan([message("b1"), message("b2")], T0)  # b2 stays planned: never called
    store.con.execute("UPDATE outbox SET state = 'sent' WHERE recipient = 'b1'")
    body = reports(("payment_reminder:b1:2026-11-11", False), ("payment_reminder:b2:2026-11-11", False))
    assert record_sms_reports(store.con, body, NOW) == 1
    assert record_sms_reports(store.con, body, NOW) == 0  # the provider pushing again
    assert states(store) == [("b1", "failed", "senders.delivery_failed UNDELIV"), ("b2", "planned", None)]


class _Receiver:
    """A stdlib HTTP server on loopback that keeps the bodies POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.arrived = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.bodies.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver.arrived.set()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/report"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def sms_peer() -> Iterator[SmsPeer]:
    peer = SmsPeer()
    yield peer
    peer.stop()


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    r = _Receiver()
    yield r
    r.stop()


def test_the_gateways_delivery_reports_end_to_end(store: Store, sms_peer: SmsPeer, receiver: _Receiver) -> None:
    """Two messages to numbers the gateway fails, one it delivers: the push fails exactly the two rows."""
    phones = {"b1": "13800000001", "b2": "13800000002", "b3": "13800000003"}
    sms_peer.control(reset=True, fail_numbers=[phones["b1"], phones["b2"]])
    box = Outbox(store.con)
    box.plan([message(b) for b in phones], T0)
    claimed = box.claim(T0, 10)
    box.mark_called([Called(c.seq, "【测试店】", 1, Decimal("0.05"), None, None) for c in claimed], T0)
    sender = AliyunSmsSender(
        AliyunSmsSettings(sms_peer.access_key_id, sms_peer.secret, "测试店", endpoint=sms_peer.url, timeout_seconds=5)
    )
    try:
        batch = [
            Outgoing(c.key, "sms", phones[c.recipient], "【测试店】", template_code="SMS_000001", called_at=T0)
            for c in claimed
        ]
        outcomes = sender.send(batch)
    finally:
        sender.close()
    assert [o.status for o in outcomes] == ["sent"] * 3  # the gateway took all three: delivery is later
    box.finish([Final(c.seq, "sent", provider_id=o.provider_id) for c, o in zip(claimed, outcomes, strict=True)], T0)

    assert sms_peer.push_reports(receiver.url) == 3
    assert receiver.arrived.wait(10), "the gateway's push never arrived"
    [body] = receiver.bodies
    assert record_sms_reports(store.con, body, NOW) == 2
    assert states(store) == [
        ("b1", "failed", "senders.delivery_failed UNDELIV"),
        ("b2", "failed", "senders.delivery_failed UNDELIV"),
        ("b3", "sent", None),
    ]
    assert all(p not in repr(states(store)) for p in phones.values())
