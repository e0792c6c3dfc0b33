"""The ingest API over real HTTP: auth, signatures, replays, duplicates, malformed bodies, durability, SSE."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dachu import clock
from dachu.app.live import LiveRoom
from dachu.domain.live.signing import sign_headers
from dachu.web.auth import Guard
from tests.web.conftest import DASH, INGEST, PLAN, SECRET, Server, at, start

BEARER = {"Authorization": f"Bearer {INGEST}"}


def order(n: int, minute: int = 5, amount: str = "129.00", **extra: Any) -> dict[str, Any]:
    return {"id": f"o{n}", "type": "order", "at": at(minute), "order_id": f"O{n}", "amount": amount,
            "buyer_key": f"secret-buyer-{n}", "lines": [{"sku": "B", "quantity": 1}], **extra}


def post(srv: Server, body: Any, headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.post(f"{srv.url}/api/events", content=content, headers=headers if headers is not None else BEARER,
                      **kw)


def test_bearer_ingest_then_duplicates_are_ignored(server: Server) -> None:
    first = post(server, [order(1), order(2)])
    assert first.status_code == 200 and first.json() == {"accepted": 2, "duplicates": 0, "seq": 2}
    again = post(server, [order(2), order(3), order(3)])
    assert again.json() == {"accepted": 1, "duplicates": 2, "seq": 3}
    assert server.room.state.placed == 3


def test_ndjson_and_single_object(server: Server) -> None:
    body = b"\n".join(json.dumps(order(n)).encode() for n in range(3)) + b"\n"
    r = post(server, body, {**BEARER, "Content-Type": "application/x-ndjson"})
    assert r.json()["accepted"] == 3
    assert post(server, order(9)).json()["accepted"] == 1


@pytest.mark.parametrize(
    ("headers", "code"),
    [({}, "warroom.auth.missing"), ({"Authorization": f"Bearer {DASH}"}, "warroom.auth.bad_token"),
     ({"Authorization": "Bearer nope"}, "warroom.auth.bad_token")],
    ids=["none", "dashboard-token", "wrong-token"],
)
def test_ingest_refuses_without_the_ingest_token(server: Server, headers: dict[str, str], code: str) -> None:
    r = post(server, [order(1)], headers)
    assert r.status_code == 401 and r.json()["error"]["code"] == code
    assert server.room.state.seq == 0


def test_dashboard_needs_its_own_token(server: Server) -> None:
    assert httpx.get(f"{server.url}/api/snapshot", headers=BEARER).status_code == 401
    assert httpx.get(f"{server.url}/api/snapshot?token={DASH}").status_code == 200
    assert httpx.get(f"{server.url}/?token={INGEST}").status_code == 401
    assert httpx.get(f"{server.url}/?token={DASH}").status_code == 200


def test_signed_webhook_accepted_once_then_replay_and_stale_refused(server: Server) -> None:
    body = json.dumps([order(1)]).encode()
    signed = sign_headers(SECRET, body, int(time.time()))
    assert post(server, body, signed).json()["accepted"] == 1
    replayed = post(server, body, signed)
    assert replayed.status_code == 401 and replayed.json()["error"]["code"] == "warroom.auth.replayed"
    stale = post(server, body, sign_headers(SECRET, body, int(time.time()) - 600))
    assert stale.status_code == 401 and stale.json()["error"]["code"] == "warroom.auth.stale"
    forged = sign_headers("other-secret", body, int(time.time()))
    assert post(server, body, forged).json()["error"]["code"] == "warroom.auth.bad_signature"
    tampered = post(server, body.replace(b"129.00", b"999.00"), sign_headers(SECRET, body, int(time.time())))
    assert tampered.json()["error"]["code"] == "warroom.auth.bad_signature"
    assert server.room.state.seq == 1


def test_signatures_are_checked_against_the_one_clock(server: Server) -> None:
    body = json.dumps([order(1)]).encode()
    shop_time = 1_794_355_200.0  # 2026-11-11 00:00 UTC
    clock.set_clock(lambda: shop_time)
    try:
        assert post(server, body, sign_headers(SECRET, body, int(shop_time) - 60)).json()["accepted"] == 1
        now = sign_headers(SECRET, body, int(time.time()))  # the machine's clock, far from the set one
        assert post(server, body, now).json()["error"]["code"] == "warroom.auth.stale"
    finally:
        clock.reset_clock()


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        (b"[{\"id\": ", 400, "warroom.ingest.bad_json", ""),
        (b"", 400, "warroom.ingest.empty", ""),
        ([order(1), order(2, amount="-5")], 422, "warroom.ingest.bad_value", "[1].amount"),
        ([order(1, amount="1.234")], 422, "warroom.ingest.bad_value", "[0].amount"),
        ([order(1, phone="13812341234")], 422, "warroom.ingest.unknown_field", "[0].phone"),
        ([{"id": "x", "type": "coupon", "at": at(1)}], 422, "warroom.ingest.bad_type", "[0].type"),
        ([{"id": "x", "type": "payment", "at": at(1), "order_id": "O1"}], 422, "warroom.ingest.missing",
         "[0].amount"),
        ([order(1, lines=[{"sku": "A", "quantity": 0}])], 422, "warroom.ingest.bad_value", "[0].lines[0].quantity"),
        ([order(1, minute=1) | {"at": "yesterday"}], 422, "warroom.ingest.bad_value", "[0].at"),
    ],
    ids=["broken-json", "empty", "negative", "three-decimals", "personal-field", "unknown-type", "missing",
         "zero-quantity", "bad-time"],
)
def test_bad_bodies_get_a_4xx_naming_the_field(server: Server, body: Any, status: int, code: str,
                                               field: str) -> None:
    r = post(server, body, {**BEARER, "Accept-Language": "zh-CN"})
    error = r.json()["error"]
    assert (r.status_code, error["code"], error["field"]) == (status, code, field)
    assert error["zh"] and error["en"] and error["message"] == error["zh"].split(" — ")[0]
    assert server.room.state.seq == 0  # nothing of a refused batch is kept


def test_accepted_events_are_on_disk_before_the_answer_and_rebuilt_on_restart(server: Server, tmp_path: Path) -> None:
    post(server, [order(1), order(2), {"id": "p1", "type": "payment", "at": at(6), "order_id": "O1",
                                       "amount": "129.00"}])
    logged = server.log.read_bytes()
    assert b'"o1"' in logged and b'"p1"' in logged
    copy = tmp_path / "copy.ndjson"
    copy.write_bytes(logged + b'[{"id": "torn')  # a crash in the middle of a write, never acknowledged
    restarted = LiveRoom(PLAN, copy)
    try:
        assert (restarted.rebuilt, restarted.state.placed, restarted.state.paid_fen) == (3, 2, 12_900)
        assert restarted.ingest(json.dumps([order(1)]).encode()).duplicates == 1  # ids survive a restart
    finally:
        restarted.close()


def test_no_personal_data_in_any_response(server: Server) -> None:
    post(server, [order(1), {"id": "p1", "type": "payment", "at": at(6), "order_id": "O1", "amount": "129"}])
    texts = [httpx.get(f"{server.url}/api/snapshot?token={DASH}").text, httpx.get(f"{server.url}/?token={DASH}").text]
    assert all("secret-buyer" not in text for text in texts)


def read_snapshots(url: str, found: list[dict[str, Any]], stop: threading.Event) -> None:
    try:
        with httpx.stream("GET", url, timeout=10) as r:
            for line in r.iter_lines():
                if line.startswith("data: "):
                    found.append({"at": time.monotonic(), **json.loads(line[6:])})
                if stop.is_set():
                    return
    except httpx.HTTPError:  # the server stopped at the end of the test
        return


def test_sse_shows_an_ingested_event_within_a_second(server: Server) -> None:
    found: list[dict[str, Any]] = []
    stop = threading.Event()
    reader = threading.Thread(target=read_snapshots, args=(f"{server.url}/api/stream?token={DASH}", found, stop),
                              daemon=True)
    reader.start()
    deadline = time.monotonic() + 5
    while not found and time.monotonic() < deadline:
        time.sleep(0.01)
    assert found and found[0]["seq"] == 0
    sent = time.monotonic()
    post(server, [order(1, amount="88.00"), {"id": "p1", "type": "payment", "at": at(6), "order_id": "O1",
                                              "amount": "88.00"}])
    while time.monotonic() < sent + 2 and not any(s["seq"] == 2 for s in found):
        time.sleep(0.01)
    stop.set()
    update = next(s for s in found if s["seq"] == 2)
    assert update["metrics"]["gmv_paid"] == 88.0
    assert update["at"] - sent < 1.0


class Hook(http.server.BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    raw: list[tuple[bytes, str | None, str | None, float]] = []  # body, timestamp, signature, arrival

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.raw.append((body, self.headers.get("X-Dachu-Timestamp"), self.headers.get("X-Dachu-Signature"),
                         time.time()))
        Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[str]:
    Hook.received = []
    Hook.raw = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/hook"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_alerts_are_shown_and_posted_to_the_webhook_once(tmp_path: Path, hook: str) -> None:
    srv = start(tmp_path, webhook=hook, webhook_secret=SECRET)
    try:
        # product A: stock 100, 95 ordered in a minute → sells out within the 30-minute rule
        post(srv, [order(1, minute=10, lines=[{"sku": "A", "quantity": 95}])])
        deadline = time.monotonic() + 5
        while not Hook.received and time.monotonic() < deadline:
            time.sleep(0.05)
        post(srv, [order(2, minute=11)])
        time.sleep(0.5)
        snap = httpx.get(f"{srv.url}/api/snapshot?token={DASH}").json()
    finally:
        srv.running.stop()
        srv.room.close()
    sent = [a for payload in Hook.received for a in payload["alerts"]]
    assert [a["key"] for a in sent] == ["sellout:A"]  # once, although it still holds
    assert sent[0]["message"]["zh"].startswith("羊毛围巾（A）即将售罄：剩 5 件")
    assert "sellout:A" in [a["key"] for a in snap["alerts"]]

    # every post is signed like a signed ingest: HMAC-SHA256(secret, "<timestamp>.<body>"), fresh timestamp
    for body, timestamp, signature, arrived in Hook.raw:
        assert timestamp is not None and abs(arrived - int(timestamp)) < 5
        assert signature == "sha256=" + hmac.new(SECRET.encode(), timestamp.encode() + b"." + body,
                                                 hashlib.sha256).hexdigest()
        assert Guard("i", "d", hmac_secret=SECRET).check_ingest(None, timestamp, signature, body, arrived) is None


def test_alert_posts_are_unsigned_without_a_secret(tmp_path: Path, hook: str) -> None:
    srv = start(tmp_path, webhook=hook)
    try:
        post(srv, [order(1, minute=10, lines=[{"sku": "A", "quantity": 95}])])
        deadline = time.monotonic() + 5
        while not Hook.raw and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        srv.running.stop()
        srv.room.close()
    assert Hook.raw and all(sig is None and ts is None for _, ts, sig, _ in Hook.raw)
