"""Loopback peers of the team-chat robots and the generic webhook, in one small threaded HTTP server.

- `/dingtalk/robot/send?access_token=T&timestamp=ms&sign=S`: the sign is recomputed here from the secret
  (base64 HMAC-SHA256 of "timestamp\\nsecret", URL-decoded first); wrong → errcode 310000; timestamp more
  than an hour off → 310000; unknown token → 300001.
- `/feishu/open-apis/bot/v2/hook/<token>`: `timestamp` + `sign` in the body, sign = base64 HMAC-SHA256 keyed
  by "timestamp\\nsecret" over nothing; wrong → code 19021; unknown token → 19001.
- `/wecom/cgi-bin/webhook/send?key=K`: unknown key → errcode 93000.
- `/hook`: the dachu webhook; `X-Dachu-Signature` checked (401 when wrong), deliveries deduped by
  `X-Dachu-Message-Key`; a `to` of `refuse@…` is answered 422.

`received` holds every accepted delivery's text (robots) or key (webhook), for "reached the peer once".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

TOKEN = "peer-token"
SECRET = "SECpeer-robot-secret"
HOOK_SECRET = "peer-webhook-secret"


class ChatPeer:
    def __init__(self) -> None:
        self.received: list[str] = []
        self.lock = threading.Lock()
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, answer = peer.handle(self.path, dict(self.headers), body)
                raw = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def count(self, marker: str) -> int:
        with self.lock:
            return sum(1 for item in self.received if marker in item)

    def _accept(self, item: str) -> None:
        with self.lock:
            self.received.append(item)

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        parts = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        data = json.loads(body or b"{}")
        if parts.path == "/dingtalk/robot/send":
            if query.get("access_token") != TOKEN:
                return 200, {"errcode": 300001, "errmsg": "token is not exist"}
            stamp = query.get("timestamp", "0")
            mac = hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest()
            given = query.get("sign", "")  # parse_qs already URL-decoded it once
            if abs(time.time() * 1000 - int(stamp)) > 3_600_000 or given != base64.b64encode(mac).decode():
                return 200, {"errcode": 310000, "errmsg": "sign not match"}
            content = data.get("text", {}).get("content") or data.get("markdown", {}).get("text")
            self._accept(str(content))
            return 200, {"errcode": 0, "errmsg": "ok"}
        if parts.path.startswith("/feishu/open-apis/bot/v2/hook/"):
            if parts.path.rsplit("/", 1)[1] != TOKEN:
                return 200, {"code": 19001, "msg": "param invalid: incoming webhook access token invalid", "data": {}}
            stamp = str(data.get("timestamp", "0"))
            mac = hmac.new(f"{stamp}\n{SECRET}".encode(), b"", hashlib.sha256).digest()
            if abs(time.time() - int(stamp)) > 3600 or data.get("sign") != base64.b64encode(mac).decode():
                return 200, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour", "data": {}}
            content = data.get("content", {})
            text = content.get("text") or json.dumps(content.get("post"), ensure_ascii=False)
            self._accept(str(text))
            return 200, {"code": 0, "msg": "success", "data": {}}
        if parts.path == "/wecom/cgi-bin/webhook/send":
            if query.get("key") != TOKEN:
                return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
            content = data.get("text", {}).get("content") or data.get("markdown", {}).get("content")
            self._accept(str(content))
            return 200, {"errcode": 0, "errmsg": "ok"}
        if parts.path == "/hook":
            lower = {k.lower(): v for k, v in headers.items()}
            stamp = lower.get("x-dachu-timestamp", "")
            expected = (
                "sha256=" + hmac.new(HOOK_SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
            )
            if not hmac.compare_digest(lower.get("x-dachu-signature", ""), expected):
                return 401, {"error": "bad signature"}
            key = lower.get("x-dachu-message-key", "")
            if str(data.get("to", "")).startswith("refuse@"):
                return 422, {"error": "unknown recipient"}
            if self.count(f"key={key};") == 0:  # dedupe by X-Dachu-Message-Key, as receivers must
                self._accept(f"key={key};")
            return 200, {"ok": True}
        return 404, {"error": unquote_plus(parts.path)}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
