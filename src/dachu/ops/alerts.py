"""Send war-room alerts to a webhook and the team's chat robots (告警推送): each alert once, when it starts.

`AlertDispatcher.update(alerts)` takes every alert that holds now; the ones not seen in the previous
update are new and are POSTed as JSON by a background thread, so a slow webhook never delays the
ingest. A failed POST is retried (3 tries, 1 s apart) and then counted in `failed`; it is never silent.
The body names each alert's kind and parameters and its message in zh and en. With a `secret`, each POST
is signed like a signed ingest request (`dachu.domain.live.signing.sign_headers`: `X-Dachu-Timestamp` and
`X-Dachu-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`), so the receiver can check
that the alert comes from this war room and is fresh. The same new alerts go to the campaign's DingTalk,
Feishu and WeCom robots (`senders:`), signed as each platform signs, in Chinese then English.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Sequence
from typing import Any

import httpx

from dachu import clock
from dachu.domain.live.alerts import Alert
from dachu.domain.live.signing import sign_headers
from dachu.i18n import LANGS, Lang, t
from dachu.ops.senders.base import Outgoing, Sender
from dachu.ops.senders.common import describe_reason


def _worded(params: dict[str, str], lang: Lang) -> dict[str, str]:
    """The parameters as a message in `lang` shows them.

    A `reason` (a catalogue key or a provider's code, as the outbox holds it) becomes its sentence.
    """
    if "reason" in params:
        return {**params, "reason": describe_reason(params["reason"], lang)}
    return params


def render(alert: Alert) -> dict[str, Any]:
    """An alert as JSON: key, kind, params, message in zh and en."""
    params = dict(alert.params)
    return {
        "key": alert.key,
        "kind": alert.kind,
        "params": params,
        "message": {lang: t(alert.message_key, lang, **_worded(params, lang)) for lang in LANGS},
    }


def robot_text(rendered: dict[str, Any]) -> str:
    """An alert as a team-chat robot posts it: the war room's mark, the message in Chinese, then in English."""
    return f"【{t('warroom.page.title', 'zh')}】{rendered['message']['zh']}\n{rendered['message']['en']}"


class AlertDispatcher:
    """Remembers the alerts that held at the last update; sends each new one once to `url` and each robot.

    `url`: the generic webhook (if any); `robots`: the team-chat senders (DingTalk, Feishu, WeCom).
    """

    def __init__(self, url: str | None, *, secret: str | None = None, tries: int = 3, timeout: float = 5.0,
                 robots: Sequence[Sender] = ()) -> None:
        self.url = url
        self.robots = tuple(robots)
        self.secret = secret
        self.tries = tries
        self.timeout = timeout
        self.active: set[str] = set()
        self.sent = 0
        self.failed = 0
        self._queue: queue.Queue[list[dict[str, Any]] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._count = 0
        if url or self.robots:
            self._thread = threading.Thread(target=self._run, name="dachu-alerts", daemon=True)
            self._thread.start()

    def update(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Record what holds now; queue the new alerts for the webhook and return them."""
        keys = {a.key for a in alerts}
        new = [a for a in alerts if a.key not in self.active]
        self.active = keys
        if new and (self.url or self.robots):
            self._queue.put([render(a) for a in new])
        return new

    def _to_robots(self, item: list[dict[str, Any]]) -> None:
        for robot in self.robots:
            batch = []
            for alert in item:
                self._count += 1
                batch.append(Outgoing(f"alert:{alert['key']}:{self._count}", robot.channel, "", robot_text(alert)))
            for outcome in robot.send(batch):  # a robot's failure is counted, never raised into the room
                if outcome.status == "sent":
                    self.sent += 1
                else:
                    self.failed += 1

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout) as client:
            while True:
                item = self._queue.get()
                if item is None:
                    return
                self._to_robots(item)
                if not self.url:
                    continue
                body = json.dumps({"source": "dachu", "alerts": item}, ensure_ascii=False).encode()
                for attempt in range(self.tries):
                    headers = {"Content-Type": "application/json"}
                    if self.secret:  # signed at each try: the timestamp stays fresh
                        headers |= sign_headers(self.secret, body, int(clock.timestamp()))
                    try:
                        client.post(self.url, content=body, headers=headers).raise_for_status()
                        self.sent += len(item)
                        break
                    except httpx.HTTPError:
                        if attempt + 1 == self.tries:
                            self.failed += len(item)
                        else:
                            time.sleep(1.0)

    def close(self) -> None:
        """Send what is queued, then stop the thread and the robots."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
        for robot in self.robots:
            robot.close()
