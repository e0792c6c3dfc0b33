"""The replay client (回放): send events to a war room's ingest API over HTTP at N× speed.

Events go as NDJSON in batches on one kept-alive connection. With `speed` > 0 an event is sent when the
replay clock reaches its time (the clock runs `speed` times faster than the wall clock from the first
event); with `speed` 0 every batch goes as soon as the last one was acknowledged (load testing). A
request the server refuses stops the replay with the server's message (nothing is skipped silently);
a network error is retried (the ingest is idempotent, so a retry never counts twice).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from dachu import clock
from dachu.domain.live.signing import sign_headers
from dachu.errors import InputError


@dataclass
class ReplayStats:
    """What a replay sent: events, of them accepted (new) and duplicates, requests, seconds."""

    events: int = 0
    accepted: int = 0
    duplicates: int = 0
    requests: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Events per second of wall time."""
        return self.events / self.seconds if self.seconds > 0 else 0.0


def encode(events: Sequence[dict[str, Any]]) -> bytes:
    """Events as an NDJSON body."""
    return "\n".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in events).encode()


class Sender:
    """Posts NDJSON bodies to `url`/api/events with the ingest token or an HMAC signature."""

    def __init__(self, url: str, *, token: str | None = None, secret: str | None = None,
                 timeout: float = 30.0, tries: int = 3) -> None:
        self.url = url.rstrip("/") + "/api/events"
        self.token = token
        self.secret = secret
        self.tries = tries
        self.client = httpx.Client(timeout=timeout)

    def post(self, body: bytes) -> dict[str, Any]:
        """Send one body; return the server's JSON answer. Raises InputError if refused or unreachable."""
        for attempt in range(self.tries):
            headers = {"Content-Type": "application/x-ndjson"}
            if self.secret:
                headers.update(sign_headers(self.secret, body, int(clock.timestamp())))
            elif self.token:
                headers["Authorization"] = f"Bearer {self.token}"
            try:
                response = self.client.post(self.url, content=body, headers=headers)
            except httpx.TransportError:
                if attempt + 1 == self.tries:
                    raise InputError("warroom.replay.unreachable", url=self.url) from None
                time.sleep(0.5)
                continue
            if response.status_code != 200:
                try:
                    message = response.json()["error"]["en"]
                except (ValueError, KeyError, TypeError):
                    message = response.text[:200]
                raise InputError("warroom.replay.rejected", status=response.status_code, message=message)
            answer: dict[str, Any] = response.json()
            return answer
        raise InputError("warroom.replay.unreachable", url=self.url)  # pragma: no cover - loop returns

    def close(self) -> None:
        """Close the connection."""
        self.client.close()


def replay(
    events: Sequence[dict[str, Any]],
    sender: Sender,
    *,
    speed: float = 60.0,
    batch: int = 1000,
    progress: Callable[[ReplayStats], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    timer: Callable[[], float] = time.monotonic,
) -> ReplayStats:
    """Send `events` (sorted by `at`) through `sender` at `speed`× (0 = flat out); return what was sent.

    `timer` measures the replay's own elapsed time (a monotonic clock, not the time of day); `sleep` waits.
    """
    stats = ReplayStats()
    if not events:
        return stats
    first = dt.datetime.fromisoformat(events[0]["at"])
    began = timer()
    i = 0
    while i < len(events):
        if speed > 0:
            due_time = first + dt.timedelta(seconds=(timer() - began) * speed)
            due = due_time.isoformat(timespec="seconds")
            j = i
            while j < len(events) and j - i < batch and events[j]["at"] <= due:
                j += 1
            if j == i:
                wait = (dt.datetime.fromisoformat(events[i]["at"]) - due_time).total_seconds() / speed
                sleep(min(max(wait, 0.01), 0.25))
                continue
        else:
            j = min(len(events), i + batch)
        answer = sender.post(encode(events[i:j]))
        stats.events += j - i
        stats.accepted += int(answer.get("accepted", 0))
        stats.duplicates += int(answer.get("duplicates", 0))
        stats.requests += 1
        i = j
        if progress is not None:
            stats.seconds = timer() - began
            progress(stats)
    stats.seconds = timer() - began
    return stats
