"""What every sender shares: masking an address, the reasons of a failed outcome, a private event loop.

A failed outcome's `reason` is either a catalogue key of `dachu.i18n.catalogue.senders` with its one
parameter after a space (`senders.timeout`, `senders.http_error 503`) or a provider's own error code
(`isv.MOBILE_NUMBER_ILLEGAL`, `smtp 550`); `describe_reason` turns either into a sentence in zh or en.
Reasons never hold an address: provider text is passed through `scrub` before it is kept.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

from dachu.i18n import Lang, has, t
from dachu.ops.senders.base import Outcome

T = TypeVar("T")
log = logging.getLogger("dachu.ops.senders")

_PHONE = re.compile(r"^\+?\d[\d -]{5,}\d$")


def mask_address(address: str) -> str:
    """The address as it may be shown: `138****1234`, `a***@x.com`, a URL's host only; `***` otherwise."""
    text = address.strip()
    if not text:
        return ""
    if "@" in text and "://" not in text:
        local, _, domain = text.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if _PHONE.match(text):
        digits = re.sub(r"\D", "", text)
        return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else "****"
    if "://" in text:
        scheme, _, rest = text.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}/***"
    return "***"


def scrub(text: str, address: str) -> str:
    """`text` with every occurrence of `address` (and its bare digits) replaced by its mask."""
    if not address:
        return text
    out = text.replace(address, mask_address(address))
    digits = re.sub(r"\D", "", address)
    if len(digits) >= 7:
        out = out.replace(digits, mask_address(address))
    return out


def failed(key: str, reason: str, *, retryable: bool, provider_id: str | None = None) -> Outcome:
    """A failed outcome, logged by key and reason only (never the address)."""
    log.info("send failed: key=%s reason=%s retryable=%s", key, reason, retryable)
    return Outcome(key=key, status="failed", reason=reason, retryable=retryable, provider_id=provider_id)


def describe_reason(reason: str | None, lang: Lang) -> str:
    """A failed outcome's reason as a sentence for the war room."""
    if not reason:
        return ""
    key, _, arg = reason.partition(" ")
    if has(key):
        return t(key, lang, status=arg, code=arg, detail=arg)
    return t("senders.provider_refused", lang, code=reason)


class LoopThread:
    """A private asyncio loop in a daemon thread.

    A sync `send` runs many calls concurrently on it and keeps its connections open between batches,
    whatever loop (if any) the caller runs in.
    """

    def __init__(self, name: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the private loop and wait for its result."""
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result()

    def close(self, final: Coroutine[Any, Any, Any] | None = None) -> None:
        """Run `final` (closing connections), then stop the loop and the thread."""
        if not self._loop.is_running():
            return
        if final is not None:
            self.run(final)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()
