"""快递100's subscription push (订阅推送), read as tracking events.

The tracker posts `application/x-www-form-urlencoded` fields `param` (JSON) and `sign` to the callback URL
the subscription named. `sign` is `MD5(param + salt)` in upper-case hex, `salt` being the one the
subscription gave (none: the push is unsigned and `sign` is empty). `param` holds the subscription's
`status` (`polling`, `shutdown` once delivered, `abort` when the tracker gave up, `updateall`) and
`lastResult`: `com` (the carrier's code, 小写: shentong), `nu` (the tracking number), `state` (the parcel's
state now) and `data`, every event so far, newest first, each with `ftime` (the formatted time), `context`
(free text naming couriers and their phones: not kept), and with `resultv2=4` subscriptions `status` (the
state's name: 在途, 派件, 派件异常…), `statusCode` (its code: 0, 1001, 204…), `areaName` (广东,深圳市).

The tracker re-sends the whole track each time and retries a push it was not answered `{"result": true,
"returnCode": "200"}` for, so recording is idempotent (`dachu.data.tracking.record_events`). The newest
event without a state of its own takes the parcel's `state`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from dachu.data.tracking import ParcelEvent
from dachu.domain.automation.tracking import name_of

ANSWER_OK = {"result": True, "returnCode": "200", "message": "成功"}
"""What the tracker must be answered for a push it should not send again."""


class BadPush(ValueError):
    """A push that is not 快递100's (not JSON, no tracking number, an event without a time)."""


def sign(param: str, salt: str) -> str:
    """The push's signature: MD5 of `param` followed by `salt`, upper-case hex."""
    return hashlib.md5((param + salt).encode("utf-8")).hexdigest().upper()


def signed(param: str, given: str, salt: str) -> bool:
    """Whether `given` is `param`'s signature with `salt` (compared in constant time)."""
    return hmac.compare_digest(sign(param, salt), given.strip().upper())


def _time(text: Any) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise BadPush(f"time {str(text)[:40]!r}") from None


def parse_push(param: str) -> tuple[str, list[ParcelEvent]]:
    """The subscription status and the events of a push's `param`, oldest first.

    Raises `BadPush` for a `param` that is not a push (not JSON, no `lastResult.nu`, an event's time unreadable).
    """
    try:
        data = json.loads(param)
    except ValueError:
        raise BadPush("param is not JSON") from None
    if not isinstance(data, dict):
        raise BadPush("param is not an object")
    result = data.get("lastResult")
    if not isinstance(result, dict) or not str(result.get("nu") or "").strip():
        raise BadPush("no lastResult.nu")
    number = str(result["nu"]).strip()
    carrier = str(result.get("com") or "").strip()
    items = [i for i in result.get("data") or () if isinstance(i, dict)]
    events: list[ParcelEvent] = []
    for index, item in enumerate(items):
        code = str(item.get("statusCode") or "").strip()
        status = str(item.get("status") or "").strip()
        if index == 0 and not code and not status:  # the newest event: the parcel's state now
            code = str(result.get("state") or "").strip()
        events.append(
            ParcelEvent(number, carrier, _time(item.get("ftime") or item.get("time")), code, status or name_of(code),
                        str(item.get("areaName") or "").strip())
        )
    events.sort(key=lambda e: e.event_at)
    return str(data.get("status") or ""), events
