"""Abuse of the ingest: giant or endless bodies, no credentials, too many events — refused before the work.

Each test proves the order of the checks, not only the answer: a stranger's 256 MB declaration is answered
before a byte of its body is sent; a batch over the event limit is refused even though its first event is
invalid (validation would have answered 422 first).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx

from dachu.web.server import MAX_BODY
from tests.web.conftest import INGEST, Server, at

BEARER = {"Authorization": f"Bearer {INGEST}"}


def _headers_only(srv: Server, headers: dict[str, str]) -> tuple[int, bytes]:
    """Send a POST's headers and no body; return the status and body the server answers with."""
    parts = urlsplit(srv.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        lines = ["POST /api/events HTTP/1.1", f"Host: {parts.hostname}", "Content-Type: application/json",
                 *(f"{k}: {v}" for k, v in headers.items()), "", ""]
        sock.sendall("\r\n".join(lines).encode())
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, rest = data.partition(b"\r\n\r\n")
        fields = dict(line.split(b":", 1) for line in head.split(b"\r\n")[1:])
        length = int(next(v for k, v in fields.items() if k.lower() == b"content-length"))
        while len(rest) < length:
            rest += sock.recv(65536)
    return int(head.split(b" ")[1]), rest


def test_a_stranger_declaring_256_mb_is_answered_401_before_sending_a_byte(server: Server) -> None:
    status, body = _headers_only(server, {"Content-Length": str(256 << 20)})
    assert status == 401
    assert json.loads(body)["error"]["code"] == "warroom.auth.missing"


def test_a_wrong_token_is_refused_before_the_body(server: Server) -> None:
    status, body = _headers_only(server, {"Content-Length": str(256 << 20), "Authorization": "Bearer nope"})
    assert (status, json.loads(body)["error"]["code"]) == (401, "warroom.auth.bad_token")


def test_a_declared_giant_from_a_sender_with_the_token_is_413_before_its_body(server: Server) -> None:
    status, body = _headers_only(server, {"Content-Length": str(MAX_BODY + 1), **BEARER})
    assert (status, json.loads(body)["error"]["code"]) == (413, "warroom.ingest.too_large")


def test_a_chunked_body_is_cut_off_as_it_passes_the_limit(server: Server) -> None:
    sent = 0

    def endless() -> Iterator[bytes]:
        nonlocal sent
        piece = b" " * (1 << 20)
        while sent < 4 * MAX_BODY:  # a sender that would go on far past the limit
            sent += len(piece)
            yield piece

    r = httpx.post(f"{server.url}/api/events", content=endless(), headers=BEARER, timeout=60)
    assert r.status_code == 413 and r.json()["error"]["code"] == "warroom.ingest.too_large"
    assert server.room.state.seq == 0


def test_the_event_limit_comes_before_validation(server: Server) -> None:
    bad_first = {"id": "x0", "type": "order", "at": at(5), "order_id": "O0", "amount": "-1"}  # 422 if validated
    rest = [{"id": f"x{i}", "type": "cs", "at": at(5), "session_id": f"S{i}"} for i in range(1, 20_001)]
    r = httpx.post(f"{server.url}/api/events", content=json.dumps([bad_first, *rest]).encode(), headers=BEARER,
                   timeout=60)
    assert r.status_code == 413 and r.json()["error"]["code"] == "warroom.ingest.too_many"
    # at the limit exactly, the same batch is validated (and its bad first event named)
    r = httpx.post(f"{server.url}/api/events", content=json.dumps([bad_first, *rest[:19_999]]).encode(),
                   headers=BEARER, timeout=60)
    assert r.status_code == 422 and r.json()["error"]["field"] == "[0].amount"
