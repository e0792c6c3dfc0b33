"""The war room behind `dachu serve` (作战室): ingest events, keep the live figures, raise alerts.

`LiveRoom` is what the web face calls. `ingest(body)` validates a JSON or NDJSON body of events, drops
the ones whose id was seen before (idempotent: a retry is harmless), writes the new ones to the event log
and fsyncs it, and only then folds them into the running figures and returns — an acknowledged event is
on disk. Everything is under one lock: events are applied in the order they were logged.

The event log is the war room's truth: the figures are always the log's events folded in, in log order,
so a restart — clean, SIGTERM or kill -9 — gives the figures it would have had without one. Start-up reads
the last snapshot (`dachu.ops.snapshots`: the state and the ids seen, with the log offset they cover) and
folds in the log's tail past it; a snapshot thread writes a new one every `snapshot_every` seconds or
`snapshot_events` events, and `close` writes a last one. Without a usable snapshot the whole log is read.
Event ids are kept compactly (`dachu.domain.live.keys`: 16-byte digests), so a retry is a duplicate all day.

With a store (`store_path`), a batcher thread carries the logged events into the store's canonical tables
every `flush_every` seconds (`dachu.data.live_sink`: one transaction per batch, checkpoint included); with
`store_process` (what `dachu serve` runs) the same writer runs in a child process that reads the log itself
(`dachu.ops.store_writer`), so the serving interpreter keeps its time for the ingest. The
store does not feed the figures: rows `dachu import` puts there are for the review; to bring a store's day
into the war room, replay it (`dachu replay STORE --url …`; its events are deduplicated by id).

This module is the live area's door for the faces: besides the room it hands out the thresholds
(`LiveSettings`, the campaign file's `live:` section), the signature of a signed request (`sign`,
`sign_headers`), the metric names the dashboard labels its figures with (`metric_name_key`) and the replay
of a simulated folder or a store through a war room's ingest API (`replay_day`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from dachu import clock
from dachu.app.stock import RoomStock, Stock, api_call, balance_json, open_stock
from dachu.data.importers import ImportResult, import_files
from dachu.data.live_sink import StoreSink
from dachu.data.live_source import busiest_day, replay_events
from dachu.data.store import Store
from dachu.domain.campaign.live import DEFAULT_SETTINGS, LiveSettings
from dachu.domain.campaign.model import Campaign
from dachu.domain.live.alerts import evaluate, listing_out_of_step, sender_failing, stock_alerts
from dachu.domain.live.events import EVENTS, Event, OrderEvent
from dachu.domain.live.keys import KeyIndex, Keys, digests, first_seen
from dachu.domain.live.signing import sign, sign_headers
from dachu.domain.live.state import LivePlan, LiveState, StockMove, live_plan
from dachu.domain.live.view import snapshot
from dachu.domain.metrics import metric
from dachu.domain.plan.plan import Plan
from dachu.errors import IngestError
from dachu.i18n import LANGS, t
from dachu.ops.alerts import AlertDispatcher, render
from dachu.ops.collector import tune_gc
from dachu.ops.event_log import EventLog, events_of_line
from dachu.ops.replay import ReplayStats, Sender, replay
from dachu.ops.secrets import Secrets, SeenSignatures, load_secrets
from dachu.ops.senders.base import Sender as MessageSender
from dachu.ops.senders.config import build_senders
from dachu.ops.snapshots import Shadow, read_snapshot, snapshot_path, write_snapshot
from dachu.ops.store_writer import Job, StoreWriter

if TYPE_CHECKING:
    from dachu.app.remind import LiveReminders

__all__ = [
    "DEFAULT_SETTINGS",
    "IngestResult",
    "LiveRoom",
    "LiveSettings",
    "ReplayStats",
    "Secrets",
    "SeenSignatures",
    "alert_robots",
    "load_secrets",
    "metric_name_key",
    "parse_events",
    "replay_day",
    "sign",
    "sign_headers",
    "snapshot_json",
    "tune_gc",
]

LOG = logging.getLogger(__name__)

MAX_EVENTS = 20_000
PENDING_MAX = 500_000
"""Events at most handed to the store writer in memory; past it the writer reads the log back instead."""
PENDING_BATCH = 50_000
"""Events at most in one store transaction taken from the hand-over."""
"""Most events one request may carry."""


@dataclass(frozen=True)
class IngestResult:
    """What one request did: events new to the room, events seen before, and the room's event count after."""

    accepted: int
    duplicates: int
    seq: int
    set_aside: tuple[dict[str, Any], ...] = ()
    """Order lines kept out of the stock ledger (an unknown SKU): field, SKU and the reason in zh and en."""


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
    # Every event has exactly one "id" key, so this count is at least the number of events: a body with
    # more than the limit is refused before any event is validated (a cheap scan, not a parse).
    if text.count(b'"id"') > MAX_EVENTS:
        raise IngestError("warroom.ingest.too_many", status=413, count=text.count(b'"id"'), limit=MAX_EVENTS)
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
        if kind == "personal_data":
            what = str((err.get("ctx") or {}).get("kind", "phone"))
            raise IngestError(f"warroom.ingest.personal_{what}", field=_field(loc)) from None
        raise IngestError("warroom.ingest.bad_value", field=_field(loc), detail=err["msg"]) from None
    if len(events) > MAX_EVENTS:
        raise IngestError("warroom.ingest.too_many", status=413, count=len(events), limit=MAX_EVENTS)
    return events


class LiveRoom:
    """The live figures of one campaign day, fed by the ingest and rebuilt from the event log.

    The alert thresholds are `settings`; by default the `live:` section of the plan's campaign (the
    documented defaults without one, or when the room is given a bare `LivePlan`).
    """

    def __init__(self, plan: Plan | LivePlan, log_path: Path, *, webhook: str | None = None,
                 webhook_secret: str | None = None, settings: LiveSettings | None = None,
                 store_path: Path | None = None, flush_every: float = 0.5, batch_bytes: int = 8 << 20,
                 snapshot_every: float = 30.0, snapshot_events: int = 200_000,
                 store_process: bool = False, reminders: LiveReminders | None = None,
                 robots: Sequence[MessageSender] = (), tracking_salt: str | None = None,
                 stock: str | None = None) -> None:
        if isinstance(plan, LivePlan):
            self.plan, default = plan, DEFAULT_SETTINGS
        else:
            self.plan, default = live_plan(plan), plan.campaign.live
        self.settings = default if settings is None else settings
        self.state = LiveState(self.plan.start)
        self.seen = KeyIndex()  # digests of every event id taken in
        self.lock = threading.Lock()
        self.log = EventLog(log_path)
        self.alerts = AlertDispatcher(webhook, secret=webhook_secret, robots=robots)
        self.tracking_salt = tracking_salt  # 快递100's push salt: its pushes must be signed with it (None: unsigned)
        self.sink: StoreSink | None = None  # the store writer in this process
        self.writer: StoreWriter | None = None  # … or in its own (`store_process`, `dachu serve`)
        self.stored_to = 0  # bytes of the log already in the store
        self.store_error: str | None = None
        self.flush_every = flush_every
        self.batch_bytes = batch_bytes
        self.snapshot_every = snapshot_every
        self.snapshot_events = snapshot_events
        self.restored = 0  # events the start-up snapshot held
        self.snapshot_error: str | None = None  # why the last snapshot could not be read or written
        self.snapshot_unused: str | None = None  # why the start-up's snapshot was not used: a `REFUSALS` kind
        self._snapshot_seq = -1  # events the last snapshot written or read holds
        self._snapshot_at = time.monotonic()
        self._snapshot_lock = threading.Lock()
        self._shadow = Shadow()  # the snapshot's copy of the state, reused (`ops.snapshots.Shadow`)
        self._sink_lock = threading.Lock()
        # logged events waiting for the store writer, validated: (line start, line end, events), in log order
        self._pending: deque[tuple[int, int, list[Event]]] = deque()
        self._pending_events = 0
        self._stop = threading.Event()
        self._closed = False
        self._threads: list[threading.Thread] = []
        self.reminding = reminders if store_path is not None else None  # the reminder pass needs the store
        self.reminders: dict[str, Any] | None = None  # the last pass's figures and failures (the dashboard's)
        self.remind_error: str | None = None
        if store_path is not None and not store_process:
            self.sink = StoreSink(Store.open(store_path), log_path)
            self.stored_to = self.sink.checkpoint()
        # the stock ledger (`stock`: its URL): the room's order events move it, its balances are the stock shown
        self.stock: RoomStock | None = None
        self.stock_error: str | None = None
        if stock is not None:
            ledger = Stock(open_stock(stock), self.plan.products)
            ledger.seed(self.plan.opens)
            self.stock = RoomStock(ledger, self.settings)
        self.rebuilt = self._rebuild()  # lines it sets aside are set aside before the writer reads them
        if store_path is not None and store_process:
            from dachu.app.notify import tracking_push

            jobs: dict[str, Job] = {"tracking_push": tracking_push}
            if self.reminding is not None:
                from dachu.app.remind import live_pass, sms_push  # the analytics load only where reminders run

                jobs["remind"] = live_pass
                jobs["sms_push"] = sms_push
            self.writer = StoreWriter(store_path, log_path, flush_every=flush_every, batch_bytes=batch_bytes,
                                      jobs=jobs)
        if self.sink is not None:
            self._threads.append(threading.Thread(target=self._run_batcher, name="dachu-store", daemon=True))
        self._threads.append(threading.Thread(target=self._run_snapshots, name="dachu-snapshot", daemon=True))
        if self.reminding is not None:
            self._threads.append(threading.Thread(target=self._run_reminders, name="dachu-remind", daemon=True))
        for thread in self._threads:
            thread.start()

    def _restore(self) -> int:
        """Take the last snapshot if it can be trusted; return the log offset it covers (0 without one)."""
        snap, why = read_snapshot(self.log.path)
        if snap is not None:
            try:
                state = LiveState.restore(snap.meta, snap.arrays)
                seen = KeyIndex.from_arrays(snap.arrays, "seen")
                if len(seen) < state.seq:
                    raise ValueError("fewer ids than events")
            except (ValueError, KeyError, TypeError) as exc:
                why = ("damaged", f"{snapshot_path(self.log.path).name}: {exc}")
            else:
                if state.start != self.plan.start:
                    why = ("other_day", f"{snapshot_path(self.log.path).name}: a snapshot of the day starting "
                                        f"{state.start}")
                else:
                    self.state, self.seen, self.restored = state, seen, state.seq
                    self._snapshot_seq = state.seq
                    return snap.offset
        if why is not None:
            self.snapshot_unused, self.snapshot_error = why
            LOG.warning("snapshot not used (%s): the whole event log is read", self.snapshot_error)
        return 0

    def _rebuild(self) -> int:
        """The figures of the log: the snapshot, then the lines past it; return the events read from the log."""
        count = 0
        for end, line in self.log.read_from(self._restore()):
            events = self._read_line(end, line)
            if events:
                fresh, keys = self._fresh(events)
                self.seen.add(keys)
                moves: list[StockMove] | None = None if self.stock is None else []
                self.state.apply(fresh, moves)
                if moves:
                    self._move_stock(moves, replay=True)
                count += len(fresh)
        return count

    def _fresh(self, events: list[Event]) -> tuple[list[Event], Keys]:
        """The events whose id is new (to the room and within `events`), and their id digests."""
        keys = digests([e.id for e in events])
        mask = first_seen(keys) & ~self.seen.contains(keys)
        return [e for e, new in zip(events, mask.tolist(), strict=True) if new], keys[mask]

    def save_snapshot(self) -> bool:
        """Write a snapshot of the figures now (unless nothing changed since the last, or nothing came yet).

        Returns True when written.

        The state is copied under the ingest lock (so it matches the log offset exactly) and written outside
        it. A write that fails (disk full) is kept in `snapshot_error` and shown on /healthz; the next try
        writes again, and nothing is lost meanwhile: the log still holds every event.
        """
        with self._snapshot_lock:
            with self.lock:
                seq = self.state.seq
                if seq == self._snapshot_seq or seq == 0:  # unchanged, or nothing yet (an empty log)
                    return False
                meta, views = self.state.export(copy=False)
                views.update(self.seen.arrays("seen", copy=False))
                arrays = self._shadow.take(views)
                del views  # the state's own memory is free to grow again
                offset = self.log.size
            try:
                write_snapshot(self.log.path, offset, meta, arrays)
            except OSError as exc:
                self.snapshot_error = f"{type(exc).__name__}: {exc}"
                LOG.error("writing the snapshot failed: %s", exc)
                return False
            self._snapshot_seq, self._snapshot_at, self.snapshot_error = seq, time.monotonic(), None
            return True

    def _run_snapshots(self) -> None:
        while not self._stop.wait(min(1.0, self.snapshot_every)):
            behind = self.state.seq - max(0, self._snapshot_seq)
            if behind > 0 and (behind >= self.snapshot_events
                               or time.monotonic() - self._snapshot_at >= self.snapshot_every):
                self.save_snapshot()

    def remind(self) -> dict[str, Any] | None:
        """One reminder pass at the room's clock (the latest event's time), on the store; its figures.

        In the store writer's process when there is one (it holds the store), else on this process's store.
        Nothing happens before the first event. A failed pass is kept in `remind_error` (and /healthz), never
        raised into the room: the outbox keeps what it had, the next pass tries again.
        """
        if self.reminding is None or self.state.clock is None:
            return None
        args: dict[str, Any] = {"campaign_file": str(self.reminding.campaign_file), "now": self.state.clock.isoformat(),
                "env": dict(self.reminding.env), "address_key": self.reminding.address_key,
                "available": self.available()}  # the ledger's, for the channel listings (None: no ledger)
        try:
            if self.writer is not None:
                result = self.writer.job("remind", **args)
            else:
                from dachu.app.remind import live_pass

                assert self.sink is not None
                with self._sink_lock:
                    result = live_pass(self.sink.store, **args)
        except Exception as exc:
            self.remind_error = f"{type(exc).__name__}: {exc}"[:500]
            return None
        self.remind_error = None
        self.reminders = dict(result)
        return self.reminders

    def sms_push(self, kind: str, body: bytes) -> int:
        """Record what the SMS provider pushed (`up`: replies; `report`: delivery reports) in the store.

        Raises IngestError (404) when this room sends no reminders, (400) for a body that is not the
        provider's JSON.
        """
        if self.reminding is None:
            raise IngestError("warroom.sms.not_reminding", status=404)
        try:
            text = body.decode("utf-8")
            json.loads(text)
        except (UnicodeDecodeError, ValueError):
            raise IngestError("warroom.sms.bad_body", status=400) from None
        now = (self.state.clock or dt.datetime.now()).isoformat()
        args = {"kind": kind, "body": text, "now": now}
        if self.writer is not None:
            return int(self.writer.job("sms_push", **args))
        from dachu.app.remind import sms_push

        assert self.sink is not None
        with self._sink_lock:
            return sms_push(self.sink.store, **args)

    def tracking_push(self, param: str, sign: str) -> int:
        """Record a parcel tracker's push (快递100 订阅推送) in the store; how many events were new.

        Raises IngestError (404) when this room keeps no store, (401) when the room has a `tracking_salt` and
        `sign` is not the push's signature with it, (400) for a `param` that is not a push.
        """
        from dachu.app.notify import tracking_push
        from dachu.ops.trackers.kuaidi100 import BadPush, parse_push, signed

        if self.writer is None and self.sink is None:
            raise IngestError("warroom.tracking.no_store", status=404)
        if self.tracking_salt and not signed(param, sign, self.tracking_salt):
            raise IngestError("warroom.tracking.bad_sign", status=401)
        try:
            _, events = parse_push(param)
        except BadPush as exc:
            raise IngestError("warroom.tracking.bad_body", status=400, detail=str(exc)) from None
        if self.writer is not None:
            return int(self.writer.job("tracking_push", events=events))
        assert self.sink is not None
        with self._sink_lock:
            return tracking_push(self.sink.store, events=events)

    def _run_reminders(self) -> None:
        assert self.reminding is not None
        while not self._stop.wait(self.reminding.every):
            self.remind()

    def _read_line(self, end: int, line: bytes) -> list[Event] | None:
        """The events of the log line ending at byte `end`; None (and the line set aside) when unreadable."""
        return events_of_line(self.log.bad_path, self.log.bad, end, line)

    def import_files(self, files: list[Path], *, source: str | None = None, force: bool = False) -> list[ImportResult]:
        """Import export files into the room's store, in this process (`dachu import --server`).

        The room holds the store, so a second process cannot write it; the import runs here instead, between
        the batcher's writes (one writer at a time on the store's connection). The live figures are not
        changed: imported rows join them at the next start-up, as the store's rows of the event day.

        Raises:
            IngestError: `warroom.import.no_store` (409) when the room runs without a store.
        """
        self.check_can_import()
        if self.writer is not None:
            return self.writer.import_files(files, source=source, force=force)  # type: ignore[no-any-return]
        assert self.sink is not None
        with self._sink_lock:
            return import_files(self.sink.store, files, source=source, force=force)

    def check_can_import(self) -> None:
        """IngestError `warroom.import.no_store` (409) when the room has no store to import into."""
        if self.sink is None and self.writer is None:
            raise IngestError("warroom.import.no_store", status=409)

    def health(self) -> dict[str, Any]:
        """The room's own health for /healthz: the log, the store writer, and lines set aside.

        `ok` is False when the log's last write failed, the store writer's last batch failed or the last
        snapshot could not be written (a failed reminder pass shows under `reminders` without making the room
        unhealthy: ingest and figures go on); lines set aside are reported but do not make the room unhealthy (the
        rest of the log is in). The snapshot's age is seconds since it was written or read (None before).
        """
        log_ok = self.log.error is None
        written = self._snapshot_seq >= 0
        snapshot = {"ok": self.snapshot_error is None, "error": self.snapshot_error,
                    "events": max(0, self._snapshot_seq), "behind": self.state.seq - max(0, self._snapshot_seq),
                    "age_seconds": round(time.monotonic() - self._snapshot_at, 1) if written else None}
        store: dict[str, Any] | None = None
        if self.writer is not None:
            self.stored_to, self.store_error = self.writer.stored_to, self.writer.error
        if self.sink is not None or self.writer is not None:
            store = {"ok": self.store_error is None, "error": self.store_error,
                     "behind_bytes": max(0, self.log.size - self.stored_to)}
        return {
            "ok": log_ok and (store is None or store["ok"]) and snapshot["ok"],
            "events": self.state.seq,
            "log": {"ok": log_ok, "error": self.log.error, "bytes": self.log.size, "set_aside": len(self.log.bad),
                    "set_aside_file": self.log.bad_path.name if self.log.bad else None},
            "store": store,
            "snapshot": snapshot,
            "stock": None if self.stock is None else {
                "ok": self.stock_error is None, "error": self.stock_error, "url": self.stock.stock.backend.url,
            },
            "reminders": None if self.reminding is None else {
                "ok": self.remind_error is None, "error": self.remind_error,
                "now": (self.reminders or {}).get("now"),
            },
        }

    def flush(self) -> int:
        """Write the logged events not yet in the store to it, in batches; return the events written.

        Events the ingest just logged are handed over in memory, already validated (`_pending`); the log is
        read only for what is not there — the tail found at start-up, or after the hand-over overflowed while
        the store was failing. Either way each batch is the log's next run of lines, so the checkpoint is exact.
        """
        if self.writer is not None:
            written = self.writer.flush()
            self.stored_to = self.writer.stored_to
            return written
        if self.sink is None:
            return 0
        written = 0
        with self._sink_lock:
            while True:
                events, end = self._next_for_store()
                if end == self.stored_to:
                    return written
                written += self.sink.apply(events, end)
                self.stored_to = end

    def _next_for_store(self) -> tuple[list[Event], int]:
        """The events of the log's next lines past `stored_to`, and the byte their run ends at."""
        events: list[Event] = []
        end = self.stored_to
        with self.lock:
            pending = self._pending
            while pending and pending[0][1] <= end:  # already in the store (read from the log before)
                self._pending_events -= len(pending.popleft()[2])
            while pending and pending[0][0] == end and len(events) < PENDING_BATCH:
                _, end, batch = pending.popleft()
                self._pending_events -= len(batch)
                events.extend(batch)
        if events:
            return events, end
        for line_end, line in self.log.read_from(end, self.batch_bytes):
            events.extend(self._read_line(line_end, line) or ())
            end = line_end
        return events, end

    def _run_batcher(self) -> None:
        while not self._stop.wait(self.flush_every):
            try:
                self.flush()
                self.store_error = None
            except Exception as exc:  # kept and shown on /healthz; the log still holds every event
                self.store_error = f"{type(exc).__name__}: {exc}"
                LOG.exception("writing events to the store failed; retrying")

    def ingest(self, body: bytes, ndjson: bool = False) -> IngestResult:
        """Validate, deduplicate, log durably, then apply. Raises IngestError for a body it cannot accept.

        An event dated outside the campaign's days (the warm-up to the end of the follow-up) refuses the
        whole batch, naming it: a wrong date is the sender's bug, and one such event must not move the day.
        """
        events = parse_events(body, ndjson)
        plan = self.plan
        opens, closes = plan.opens, plan.closes
        for i, e in enumerate(events):
            if not opens <= e.at < closes:
                raise IngestError("warroom.ingest.out_of_days", field=f"[{i}].at", at=e.at.isoformat(sep=" "),
                                  first=plan.opens.date().isoformat(),
                                  last=(plan.closes.date() - dt.timedelta(days=1)).isoformat())
        with self.lock:
            fresh, keys = self._fresh(events)
            set_aside: list[dict[str, Any]] = []
            if fresh:
                start = self.log.size
                self.log.append(EVENTS.dump_json(fresh))
                self.seen.add(keys)
                moves: list[StockMove] | None = None if self.stock is None else []
                self.state.apply(fresh, moves)
                if moves:
                    set_aside = self._move_stock(moves)
                if self.sink is not None:
                    self._hand_to_store(start, self.log.size, fresh)
            if self.stock is None:
                set_aside = self._unknown_lines(fresh)
            return IngestResult(len(fresh), len(events) - len(fresh), self.state.seq,
                                tuple(_set_aside(events, set_aside)))

    def _move_stock(self, moves: list[StockMove], replay: bool = False) -> list[dict[str, Any]]:
        """The events' stock moves into the ledger (under the lock); a ledger that fails is reported, not fatal.

        The event log still holds the events: the next start-up's rebuild gives the ledger what it missed.
        """
        assert self.stock is not None
        try:
            out = self.stock.apply(moves, replay=replay)
        except Exception as exc:
            self.stock_error = f"{type(exc).__name__}: {exc}"[:500]
            LOG.exception("the stock ledger failed; the event log keeps the events")
            return []
        self.stock_error = None
        return out

    def _unknown_lines(self, events: Sequence[Event]) -> list[dict[str, Any]]:
        """Without a ledger: the order lines of `events` whose SKU is no product of the campaign."""
        known = {p.sku for p in self.plan.products}
        return [{"order_id": e.order_id, "line": i, "sku": line.sku, "quantity": line.quantity}
                for e in events if isinstance(e, OrderEvent) for i, line in enumerate(e.lines) if line.sku not in known]

    def now(self) -> dt.datetime:
        """The room's time: its latest event of the day, else the clock's (the stock API's holds use it)."""
        return self.state.clock or clock.now()

    def stock_guard(self) -> Stock:
        """The room's ledger with the campaign's products; IngestError (404) when the room keeps none."""
        if self.stock is None:
            raise IngestError("stock.api.no_stock", status=404)
        return self.stock.stock

    def stock_call(self, kind: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """One call of the stock HTTP API (`reserve`, `commit`, `release`) at the room's time: (status, answer).

        Raises IngestError: 404 without a ledger, 400 for a bad body or an unknown SKU (named).
        """
        return api_call(self.stock_guard(), kind, body, self.now())

    def stock_balances(self) -> dict[str, Any]:
        """`GET /api/stock`: every SKU's balance, and the units available per product (bundles as sets)."""
        guard, now = self.stock_guard(), self.now()
        return {"at": now.isoformat(timespec="seconds"), "balances": [balance_json(b) for b in guard.balances(now)],
                "available": guard.available(now)}

    def available(self) -> dict[str, int] | None:
        """Units available per product in the ledger now (None without a ledger, or when it cannot be read)."""
        if self.stock is None:
            return None
        try:
            return self.stock.stock.available(self.now())
        except Exception as exc:
            self.stock_error = f"{type(exc).__name__}: {exc}"[:500]
            return None

    def _hand_to_store(self, start: int, end: int, events: list[Event]) -> None:
        """Keep the validated events of the log line [start, end) for the store writer (under the lock).

        While the store keeps failing the hand-over would grow without end: past `PENDING_MAX` events it is
        dropped, and the writer reads those lines back from the log when the store works again.
        """
        if self._pending_events + len(events) > PENDING_MAX:
            self._pending.clear()
            self._pending_events = 0
            return
        self._pending.append((start, end, events))
        self._pending_events += len(events)

    def snapshot(self) -> dict[str, Any]:
        """The dashboard figures now, alerts with their messages in zh and en; new alerts go to the webhook."""
        with self.lock:
            available = self.available()
            snap = snapshot(self.state, self.plan, self.settings, available)
            alerts = evaluate(self.state, self.plan, self.state.now_minute, self.settings, available)
            known = {p.sku for p in self.plan.products}
            unknown = {sku: n for sku, n in self.state.units.items() if sku not in known}
            oversold: dict[str, int] = {} if self.stock is None else self.stock.oversold_orders()
            alerts += stock_alerts(self.plan, available or {}, oversold, unknown, self.settings)
        failures = (self.reminders or {}).get("failures", [])
        alerts = [*alerts, *sender_failing([(f["channel"], f["reason"], f["count"]) for f in failures])]
        alerts += listing_out_of_step([tuple(r) for r in (self.reminders or {}).get("listings", [])])
        self.alerts.update(alerts)
        snap["alerts"] = [render(a) for a in alerts]
        snap["reminders"] = self.reminders
        if self.log.bad:  # shown on the page with the alerts, never sent to the webhook
            params = {"count": len(self.log.bad), "file": self.log.bad_path.name}
            snap["alerts"].append({"key": "log_set_aside", "kind": "log_set_aside", "params": params,
                                   "message": {lang: t("warroom.log.set_aside", lang, **params) for lang in LANGS}})
        return snap

    def close(self, flush: bool = True) -> None:
        """Stop the threads; write what is left to the store and a last snapshot (unless `flush` is False).

        Then close the log and the sender.
        Closing a closed room does nothing (the server's shutdown and its caller may both close it).
        """
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)
        try:
            if self.writer is not None:
                self.writer.close(flush)  # its last flush, then it exits
            if self.sink is not None:
                try:
                    if flush:
                        self.flush()
                finally:
                    self.sink.store.close()
        finally:
            if flush:
                self.save_snapshot()
        self.alerts.close()
        self.log.close()
        if self.stock is not None:
            self.stock.stock.close()


def _set_aside(events: Sequence[Event], lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines set aside, each with the request's field (`[3].lines[0].sku`) and the reason in zh and en."""
    where = {e.order_id: i for i, e in enumerate(events) if isinstance(e, OrderEvent)}
    out = []
    for line in lines:
        index = where.get(line["order_id"])
        field = f"lines[{line['line']}].sku" if index is None else f"[{index}].lines[{line['line']}].sku"
        row: dict[str, Any] = {**line, "field": field, "code": "stock.set_aside.unknown_sku"}
        for lang in LANGS:
            row[lang] = t("stock.set_aside.unknown_sku", lang, field=field, sku=line["sku"])
        out.append(row)
    return out


ROBOTS = ("dingtalk", "feishu", "wecom")


def alert_robots(campaign: Campaign, env: Mapping[str, str], base: Path) -> list[MessageSender]:
    """The team-chat robots of the campaign's `senders:` section that the war room's alerts go to."""
    senders = build_senders(campaign.senders, env, base=base)
    robots = [senders.pop(name) for name in ROBOTS if name in senders]
    for other in senders.values():
        other.close()
    return robots


def snapshot_json(snap: dict[str, Any]) -> str:
    """A snapshot as compact JSON (Chinese kept as is)."""
    return json.dumps(snap, ensure_ascii=False, separators=(",", ":"))


def metric_name_key(metric_id: str) -> str:
    """The catalogue key of a metric's name in the metrics dictionary (`dachu.domain.metrics`)."""
    return metric(metric_id).name_key


def replay_day(source: Path, url: str, *, token: str | None = None, secret: str | None = None,
               day: dt.date | None = None, from_hour: int = 0, limit: int | None = None, speed: float = 60.0,
               batch: int = 1000) -> ReplayStats:
    """Send one day of `source` to the war room at `url` at `speed`× (0 = flat out) and say what was sent.

    `source` is a `dachu simulate` output folder or a DuckDB store; the day is `day`, else the day with the
    most orders, from `from_hour` on, its first `limit` events when given. Requests carry the ingest
    `token` or, with `secret`, an HMAC signature; they go in NDJSON batches of `batch` events (at least 1).
    Raises InputError when the source has no orders or the server refuses a request or cannot be reached.
    """
    events = replay_events(source, busiest_day(source) if day is None else day, from_hour)
    if limit is not None:
        events = events[:limit]
    sender = Sender(url, token=token, secret=secret)
    try:
        return replay(events, sender, speed=speed, batch=max(1, batch))
    finally:
        sender.close()
