r"""Team-chat robots (群机器人): DingTalk custom robot, Feishu/Lark custom bot, WeCom group robot.

The address is the robot's webhook URL (it holds the robot's token: masked in anything shown); a sender
has a default URL from the configuration for messages without one.

- DingTalk (钉钉自定义机器人, 加签): `timestamp` (ms) and `sign` =
  urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))) appended as query parameters;
  body `msgtype` text (or markdown when the message has a subject); answer `errcode` 0.
- Feishu/Lark (飞书自定义机器人, 签名校验): `timestamp` (s) and `sign` =
  base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")) inside the JSON body; `msg_type` text (or a
  `post` with the subject as its title); answer `code` 0 (older bots: `StatusCode` 0).
- WeCom (企业微信群机器人): the `key` is in the URL; `msgtype` text or markdown; answer `errcode` 0.

Calls go through `KeepAlivePool` (not httpx: its request log line would carry the robot's token), a few at
once. Not reconcilable.
Throttling (DingTalk 130101, WeCom 45009, Feishu 11232) and 5xx, timeouts and network errors are retryable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote_plus, urlsplit

from dachu import clock
from dachu.ops.senders.base import Outcome, Outgoing
from dachu.ops.senders.common import LoopThread, failed
from dachu.ops.senders.http_pool import HttpError, KeepAlivePool

THROTTLED = {"dingtalk": {130101}, "feishu": {11232, 9499}, "wecom": {45009}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's `sign` query value, already URL-encoded."""
    mac = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256)
    return quote_plus(base64.b64encode(mac.digest()))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    r"""Feishu's `sign` body value: the HMAC is keyed by "timestamp\\nsecret" over an empty message."""
    mac = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


class _Robot:
    channel = ""
    reconcilable = False
    needs_address = False

    def __init__(self, url: str | None, secret: str | None = None, *, timeout_seconds: float = 10.0) -> None:
        self.url = url
        self.secret = secret
        self.timeout_seconds = timeout_seconds
        self._loop = LoopThread(f"dachu-{self.channel}")
        self._pools: dict[str, KeepAlivePool] = {}

    def _request(self, url: str, message: Outgoing) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def _code(self, answer: dict[str, Any]) -> int | None:
        value = answer.get("errcode")
        return int(value) if isinstance(value, int) else None

    async def _post(self, url: str, body: dict[str, Any]) -> tuple[int, bytes]:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._pools:
            self._pools[origin] = KeepAlivePool(url, size=4, timeout=self.timeout_seconds)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        raw = json.dumps(body, ensure_ascii=False).encode()
        return await self._pools[origin].request("POST", target, {"Content-Type": "application/json"}, raw)

    async def _send_one(self, message: Outgoing) -> Outcome:
        url = message.address or self.url
        if not url:
            return failed(message.key, "senders.no_address", retryable=False)
        target, body = self._request(url, message)
        try:
            status, raw = await self._post(target, body)
        except TimeoutError:
            return failed(message.key, "senders.timeout", retryable=True)
        except (HttpError, ValueError) as exc:
            lost = isinstance(exc, HttpError) and exc.lost
            return failed(message.key, "senders.connection_lost" if lost else "senders.unreachable", retryable=True)
        if status >= 400:
            return failed(message.key, f"senders.http_error {status}", retryable=status >= 500 or status == 429)
        try:
            answer = json.loads(raw)
        except ValueError:
            return failed(message.key, "senders.bad_response", retryable=False)
        code = self._code(answer) if isinstance(answer, dict) else None
        if code == 0:
            return Outcome(key=message.key, status="sent")
        if code is None:
            return failed(message.key, "senders.bad_response", retryable=False)
        return failed(message.key, f"{self.channel} {code}", retryable=code in THROTTLED[self.channel])

    async def _send_all(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        # one after another: a chat robot allows ~20 messages a minute, and order matters in a chat
        return [await self._send_one(m) for m in batch]

    def send(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """One call per message, in order."""
        return self._loop.run(self._send_all(batch)) if batch else []

    def reconcile(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """Not reconcilable: the outbox never calls this."""
        raise NotImplementedError("a chat robot cannot be asked what it posted")

    async def _aclose(self) -> None:
        for pool in self._pools.values():
            await pool.aclose()

    def close(self) -> None:
        """Close the connections and the private loop."""
        self._loop.close(self._aclose())


class DingTalkRobot(_Robot):
    """DingTalk custom robot; `secret` (SEC…) signs when the robot has 加签 on."""

    channel = "dingtalk"

    def _request(self, url: str, message: Outgoing) -> tuple[str, dict[str, Any]]:
        if self.secret:
            stamp = int(clock.timestamp() * 1000)
            url = f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={dingtalk_sign(self.secret, stamp)}"
        if message.subject:
            return url, {"msgtype": "markdown", "markdown": {"title": message.subject, "text": message.text}}
        return url, {"msgtype": "text", "text": {"content": message.text}}


class FeishuRobot(_Robot):
    """Feishu/Lark custom bot; `secret` signs when the bot has 签名校验 on."""

    channel = "feishu"

    def _code(self, answer: dict[str, Any]) -> int | None:
        value = answer.get("code", answer.get("StatusCode"))
        return int(value) if isinstance(value, int) else None

    def _request(self, url: str, message: Outgoing) -> tuple[str, dict[str, Any]]:
        body: dict[str, Any]
        if message.subject:
            post = {"title": message.subject, "content": [[{"tag": "text", "text": message.text}]]}
            body = {"msg_type": "post", "content": {"post": {"zh_cn": post}}}
        else:
            body = {"msg_type": "text", "content": {"text": message.text}}
        if self.secret:
            stamp = int(clock.timestamp())
            body = {"timestamp": str(stamp), "sign": feishu_sign(self.secret, stamp), **body}
        return url, body


class WeComRobot(_Robot):
    """WeCom group robot: the URL's `key` is its only credential."""

    channel = "wecom"

    def _request(self, url: str, message: Outgoing) -> tuple[str, dict[str, Any]]:
        if message.subject:
            return url, {"msgtype": "markdown", "markdown": {"content": f"**{message.subject}**\n{message.text}"}}
        return url, {"msgtype": "text", "text": {"content": message.text}}
