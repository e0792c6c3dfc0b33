"""A signed generic webhook (通用 Webhook): POST JSON to a receiver that delivers the message its own way.

Body: `{"key", "channel", "to", "text", "subject"?, "kind"?, "template_code"?, "params"}` (`kind` and the rest of
`params` as the outbox gave them). Headers: `X-Dachu-Message-Key` (the outbox key, percent-encoded as UTF-8
where it is not ASCII: `listing:%E5%A4%A9%E7%8C%AB:A01:1`; the body's `key` is as is) and the war room's signature
scheme (`dachu.domain.live.signing.sign_headers`: `X-Dachu-Timestamp`, `X-Dachu-Signature` =
sha256=HMAC-SHA256(secret, "timestamp.body")). When `address` is itself an http(s) URL it is the endpoint and
`to` is left out; otherwise the configured URL is the endpoint and `to` carries the address.

**Receivers dedupe by `X-Dachu-Message-Key`**: a key seen before must be answered 2xx and not delivered again.
The sender calls once per key; the header makes a retry by the outbox after a timeout harmless.
Not reconcilable. A 2xx is `sent`; 4xx (but 408/429) is `failed` for good, 5xx/408/429, a timeout or a
network error `failed` retryable.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from dachu import clock
from dachu.domain.live.signing import sign_headers
from dachu.ops.senders.base import Outcome, Outgoing
from dachu.ops.senders.common import LoopThread, failed
from dachu.ops.senders.http_pool import HttpError, KeepAlivePool


class WebhookSender:
    """POSTs each message to `url` (or to the message's own URL address), signed with `secret`."""

    channel = "webhook"
    reconcilable = False
    needs_address = False

    def __init__(self, url: str, secret: str, *, concurrency: int = 32, timeout_seconds: float = 10.0) -> None:
        self.url = url
        self.secret = secret
        self.concurrency = concurrency
        self.timeout_seconds = timeout_seconds
        self._loop = LoopThread("dachu-webhook")
        self._pools: dict[str, KeepAlivePool] = {}

    def _pool(self, url: str) -> KeepAlivePool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._pools:
            self._pools[origin] = KeepAlivePool(url, size=self.concurrency, timeout=self.timeout_seconds)
        return self._pools[origin]

    async def _send_one(self, message: Outgoing) -> Outcome:
        own_url = message.address.startswith(("http://", "https://"))
        url = message.address if own_url else self.url
        body: dict[str, object] = {"key": message.key, "channel": message.channel, "text": message.text}
        if not own_url:
            body["to"] = message.address
        if message.subject:
            body["subject"] = message.subject
        if "kind" in message.params:
            body["kind"] = message.params["kind"]
        if message.template_code:
            body["template_code"] = message.template_code
        body["params"] = dict(message.params)
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        # a header is ASCII: a key naming a channel or a wave in Chinese goes percent-encoded (UTF-8)
        headers = {"Content-Type": "application/json", "X-Dachu-Message-Key": quote(message.key, safe=":-_.~")}
        headers.update(sign_headers(self.secret, raw, int(clock.timestamp())))
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            status, _ = await self._pool(url).request("POST", target, headers, raw)
        except TimeoutError:
            return failed(message.key, "senders.timeout", retryable=True)
        except (HttpError, ValueError) as exc:
            lost = isinstance(exc, HttpError) and exc.lost
            return failed(message.key, "senders.connection_lost" if lost else "senders.unreachable", retryable=True)
        if 200 <= status < 300:
            return Outcome(key=message.key, status="sent")
        return failed(message.key, f"senders.http_error {status}", retryable=status >= 500 or status in (408, 429))

    async def _send_all(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._send_one(m) for m in batch)))

    def send(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """One signed POST per message, concurrently; one outcome per message, in order."""
        return self._loop.run(self._send_all(batch)) if batch else []

    def reconcile(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """Not reconcilable: the outbox never calls this."""
        raise NotImplementedError("the webhook sender cannot be asked what it delivered")

    async def _aclose(self) -> None:
        for pool in self._pools.values():
            await pool.aclose()

    def close(self) -> None:
        """Close the connections and the private loop."""
        self._loop.close(self._aclose())
