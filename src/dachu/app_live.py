"""The war room behind `dachu serve` (作战室): ingest events, keep the live figures, raise alerts.

`LiveRoom` is what the web face calls. `ingest(body)` validates a JSON or NDJSON body of events, drops
the ones whose id was seen before (idempotent: a retry is harmless), writes the new ones to the event log
and fsyncs it, and only then folds them into the running figures and returns — an acknowledged event is
on disk. At start-up the room rebuilds the figures from the log. Everything is under one lock: events are
applied in the order they were logged.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dachu.domain.live_alerts import DEFAULT_RULES, Rules, evaluate
from dachu.domain.live_events import EVENTS, Event
from dachu.domain.live_state import LivePlan, LiveState, live_plan
from dachu.domain.live_view import snapshot
from dachu.domain.plan import Plan
from dachu.errors import DachuError
from dachu.ops.alerts import AlertDispatcher, render
from dachu.ops.event_log import EventLog

MAX_EVENTS = 20_000
"""Most events one request may carry."""


class IngestError(DachuError):
    """A request body the ingest cannot accept; `field` names where (e.g. `[3].amount`), `status` the HTTP code."""

    code = "INGEST"

    def __init__(self, key: str, /, status: int = 422, field: str = "", **params: object) -> None:
        self.status = status
        self.field = field
        super().__init__(key, field=field, **params)


@dataclass(frozen=True)
class IngestResult:
    """What one request did: events new to the room, events seen before, and the room's event count after."""

    accepted: int
    duplicates: int
    seq: int


def _field(loc: tuple[int | str, ...]) -> str:
    """Pydantic's location → `[3].lines[0].sku` (the union tag in the path is left out)."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif i == 1 and isinstance(loc[0], int) and part in _TAGS:
            continue
        else:
            out += f".{part}"
    return out.lstrip(".")


_TAGS = {"order", "payment", "shipment", "refund", "traffic", "ad_spend", "cs"}


def parse_events(body: bytes, ndjson: bool) -> list[Event]:
    """Validate a body: a JSON array, one JSON object, or NDJSON (one object a line). Raises IngestError."""
    text = body.strip()
    if not text:
        raise IngestError("warroom.ingest.empty", status=400)
    if ndjson or not text.startswith((b"[", b"{")):
        lines = [ln for ln in text.split(b"\n") if ln.strip()]
        text = b"[" + b",".join(lines) + b"]"
    elif text.startswith(b"{"):
        text = b"[" + text + b"]"
    try:
        events = EVENTS.validate_json(text)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        kind = err["type"]
        if kind.startswith("json_"):
            raise IngestError("warroom.ingest.bad_json", status=400, detail=err["msg"]) from None
        loc = tuple(err["loc"])
        if kind in ("union_tag_invalid", "union_tag_not_found"):
            raise IngestError("warroom.ingest.bad_type", field=_field((*loc, "type")) if loc else "type",
                              choices=", ".join(sorted(_TAGS))) from None
        if kind == "extra_forbidden":
            raise IngestError("warroom.ingest.unknown_field", field=_field(loc)) from None
        if kind == "missing":
            raise IngestError("warroom.ingest.missing", field=_field(loc)) from None
        raise IngestError("warroom.ingest.bad_value", field=_field(loc), detail=err["msg"]) from None
    if len(events) > MAX_EVENTS:
        raise IngestError("warroom.ingest.too_many", status=413, count=len(events), limit=MAX_EVENTS)
    return events


class LiveRoom:
    """The live figures of one campaign day, fed by the ingest and rebuilt from the event log."""

    def __init__(self, plan: Plan | LivePlan, log_path: Path, *, webhook: str | None = None,
                 rules: Rules = DEFAULT_RULES) -> None:
        self.plan = plan if isinstance(plan, LivePlan) else live_plan(plan)
        self.rules = rules
        self.state = LiveState(self.plan.start)
        self.seen: set[str] = set()
        self.lock = threading.Lock()
        self.log = EventLog(log_path)
        self.alerts = AlertDispatcher(webhook)
        self.rebuilt = self._rebuild()

    def _rebuild(self) -> int:
        count = 0
        for line in self.log.read():
            events = EVENTS.validate_json(line)
            fresh = [e for e in events if e.id not in self.seen]
            self.seen.update(e.id for e in fresh)
            self.state.apply(fresh)
            count += len(fresh)
        return count

    def ingest(self, body: bytes, ndjson: bool = False) -> IngestResult:
        """Validate, deduplicate, log durably, then apply. Raises IngestError for a body it cannot accept."""
        events = parse_events(body, ndjson)
        with self.lock:
            fresh: list[Event] = []
            ids: set[str] = set()
            for e in events:
                if e.id not in self.seen and e.id not in ids:
                    ids.add(e.id)
                    fresh.append(e)
            if fresh:
                self.log.append(EVENTS.dump_json(fresh))
                self.seen |= ids
                self.state.apply(fresh)
            return IngestResult(len(fresh), len(events) - len(fresh), self.state.seq)

    def snapshot(self) -> dict[str, Any]:
        """The dashboard figures now, alerts with their messages in zh and en; new alerts go to the webhook."""
        with self.lock:
            snap = snapshot(self.state, self.plan, self.rules)
            alerts = evaluate(self.state, self.plan, self.state.now_minute, self.rules)
        self.alerts.update(alerts)
        snap["alerts"] = [render(a) for a in alerts]
        return snap

    def close(self) -> None:
        """Close the log and stop the alert sender."""
        self.alerts.close()
        self.log.close()


def snapshot_json(snap: dict[str, Any]) -> str:
    """A snapshot as compact JSON (Chinese kept as is)."""
    return json.dumps(snap, ensure_ascii=False, separators=(",", ":"))
