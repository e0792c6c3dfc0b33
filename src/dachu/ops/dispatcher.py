"""The dispatcher (发送调度): takes due messages from the outbox and sends each exactly once.

One pass (`Dispatcher.run(now)`):

1. **Recover** what a crash left: claims go back to planned (no provider was called for them); messages left
   `provider_called` are reconciled — a sender that can ask its provider (`Sender.reconcilable`: the SMS
   gateway's query, the CSV file) answers sent or failed from the provider's record, and only a message the
   provider surely never received is planned again; any other sender's message is marked failed,
   `outbox.unconfirmed`, and shown in the war room, never sent a second time.
2. **Claim** a batch of due messages (committed), then decide at send time (`SendTime.prepare`): the rules'
   send-time checks (still unpaid, not opted out, under the per-phone cap, not closed), the address looked up
   from `contacts` only now, the text rendered. What the checks stop is `skipped` with its reason.
3. Mark the rest **provider_called** with their text, segments and cost (committed), then call the
   sender once per message, then record each outcome (committed). The next batch's claim and checks run
   while this batch's calls are in flight.

A provider's refusal is `failed` with its reason; a failure the sender calls retryable goes back to planned
with a later `not_before` (up to `max_attempts`), except on a reconcilable channel, where it stays
`provider_called` until the provider's record says whether it landed. No failure is quiet: each is a row.
The failpoints `outbox.claimed`, `outbox.provider_called` and `outbox.provider_replied` let the tests kill
the process (kill -9) between the steps.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from dachu.ops import failpoints
from dachu.ops.outbox import Called, Claimed, Final, Outbox
from dachu.ops.senders.base import Outcome, Outgoing, Sender

NO_SENDER = "outbox.no_sender"
"""A message for a channel no sender is configured for (the campaign's `senders:` section)."""
UNCONFIRMED = "outbox.unconfirmed"
"""Called before a crash on a channel that cannot be asked whether it landed: never sent twice."""
NO_ADDRESS = "outbox.no_address"
GAVE_UP = "outbox.gave_up"


@dataclass(frozen=True, slots=True)
class Ready:
    """A claimed message cleared to go: what the sender gets and what is written before it is called."""

    outgoing: Outgoing
    called: Called


@dataclass(frozen=True, slots=True)
class _InFlight:
    """A batch marked provider_called whose calls are running on the worker thread."""

    outcomes: Future[list[tuple[Claimed, Outcome, bool]]]


@dataclass(frozen=True, slots=True)
class Deferred:
    """A claimed message that may not go yet (quiet hours began since it was planned): queued until `until`."""

    until: dt.datetime


class SendTime(Protocol):
    """The send-time decisions the facade supplies: checks, addresses, texts (from the store and the rules)."""

    def prepare(self, rows: Sequence[Claimed], now: dt.datetime) -> list[Ready | Deferred | str]:
        """For each row in order: `Ready`, `Deferred`, or the catalogue key of the reason it is skipped."""
        ...

    def addresses(self, rows: Sequence[Claimed]) -> list[str | None]:
        """Each row's address as it was sent to (for reconciling); None when it cannot be found."""
        ...


@dataclass
class DispatchCounts:
    """What one pass did. `waiting`: left provider_called until the provider's record can tell."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0
    reconciled: int = 0
    released: int = 0
    waiting: int = 0
    deferred: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def _reason(self, reason: str | None) -> None:
        if reason:
            self.reasons[reason] = self.reasons.get(reason, 0) + 1


class Dispatcher:
    """Sends the outbox's due messages through `senders` (channel → sender), exactly once each."""

    def __init__(
        self,
        outbox: Outbox,
        senders: Mapping[str, Sender],
        send_time: SendTime,
        *,
        batch: int = 5_000,
        max_attempts: int = 3,
        retry_after: dt.timedelta = dt.timedelta(minutes=1),
        reconcile_after: dt.timedelta = dt.timedelta(minutes=2),
    ) -> None:
        self.outbox = outbox
        self.senders = senders
        self.send_time = send_time
        self.batch = batch
        self.max_attempts = max_attempts
        self.retry_after = retry_after
        self.reconcile_after = reconcile_after

    def run(self, now: dt.datetime, *, limit: int | None = None) -> DispatchCounts:
        """Recover, then send every message due by `now` (at most `limit`); what was done.

        Batches overlap: while one batch's provider calls are in flight (on a worker thread), the next batch is
        claimed, checked and marked provider_called; its calls start once the previous batch's outcomes are
        recorded. Each batch is still on disk as provider_called before any of its calls is made.
        """
        counts = DispatchCounts()
        counts.released = self.outbox.release_claims()
        self._reconcile(now, counts)
        done = 0
        in_flight: _InFlight | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dachu-send") as calls:
            try:
                while limit is None or done < limit:
                    rows = self.outbox.claim(now, min(self.batch, limit - done) if limit is not None else self.batch)
                    failpoints.hit("outbox.claimed")
                    if not rows:
                        break
                    done += len(rows)
                    ready = self._prepare(rows, now, counts)
                    failpoints.hit("outbox.provider_called")
                    if in_flight is not None:
                        self._record(in_flight, now, counts)
                    in_flight = _InFlight(calls.submit(self._call, ready))
            finally:
                if in_flight is not None:
                    self._record(in_flight, now, counts)
        return counts

    # one batch ---------------------------------------------------------------------------------------

    def _prepare(self, rows: list[Claimed], now: dt.datetime, counts: DispatchCounts) -> list[tuple[Claimed, Ready]]:
        """Send-time checks for a claimed batch: skips and deferrals recorded, the rest marked provider_called."""
        finals: list[Final] = []
        ready: list[tuple[Claimed, Ready]] = []
        usable = [r for r in rows if r.channel in self.senders]
        for row in rows:
            if row.channel not in self.senders:
                finals.append(Final(row.seq, "failed", NO_SENDER))
                counts.failed += 1
                counts._reason(NO_SENDER)
        for row, decided in zip(usable, self.send_time.prepare(usable, now), strict=True):
            if isinstance(decided, str):
                finals.append(Final(row.seq, "skipped", decided))
                counts.skipped += 1
                counts._reason(decided)
            elif isinstance(decided, Deferred):
                finals.append(Final(row.seq, "planned", None, retry_at=decided.until, attempt=False))
                counts.deferred += 1
            else:
                ready.append((row, decided))
        self.outbox.finish(finals, now)
        self.outbox.mark_called([r.called for _, r in ready], now)
        return ready

    def _call(self, ready: list[tuple[Claimed, Ready]]) -> list[tuple[Claimed, Outcome, bool]]:
        """The provider calls of one batch, channel by channel (on the worker thread: no store access here)."""
        by_channel: dict[str, list[tuple[Claimed, Ready]]] = defaultdict(list)
        for row, r in ready:
            by_channel[row.channel].append((row, r))
        answered: list[tuple[Claimed, Outcome, bool]] = []
        for channel, items in by_channel.items():
            sender = self.senders[channel]
            outcomes = sender.send([r.outgoing for _, r in items])
            answered.extend((row, o, sender.reconcilable) for (row, _), o in zip(items, outcomes, strict=True))
        return answered

    def _record(self, batch: _InFlight, now: dt.datetime, counts: DispatchCounts) -> None:
        answered = batch.outcomes.result()
        failpoints.hit("outbox.provider_replied")
        results = [
            final
            for row, outcome, reconcilable in answered
            if (final := self._after_call(row, outcome, reconcilable, now, counts)) is not None
        ]
        self.outbox.finish(results, now)

    def _after_call(
        self, row: Claimed, outcome: Outcome, reconcilable: bool, now: dt.datetime, counts: DispatchCounts
    ) -> Final | None:
        if outcome.key != row.key:
            raise RuntimeError(f"sender answered for {outcome.key!r} where {row.key!r} was sent")
        if outcome.status == "sent":
            counts.sent += 1
            return Final(row.seq, "sent", None, outcome.provider_id)
        if outcome.status == "failed" and not outcome.retryable:
            counts.failed += 1
            counts._reason(outcome.reason)
            return Final(row.seq, "failed", outcome.reason, outcome.provider_id)
        # retryable, or the answer was lost: did the call land? Only the provider's record can tell
        if reconcilable:
            counts.waiting += 1
            return None  # stays provider_called; reconciled on a later pass
        if outcome.status == "unknown":
            counts.failed += 1
            counts._reason(UNCONFIRMED)
            return Final(row.seq, "failed", UNCONFIRMED)
        return self._retry(row, outcome.reason, now, counts)

    def _retry(
        self, row: Claimed, reason: str | None, now: dt.datetime, counts: DispatchCounts, *, at_once: bool = False
    ) -> Final:
        if row.attempts + 1 >= self.max_attempts:
            counts.failed += 1
            counts._reason(GAVE_UP)
            return Final(row.seq, "failed", f"{GAVE_UP}: {reason}" if reason else GAVE_UP)
        counts.retried += 1
        return Final(row.seq, "planned", reason, retry_at=now if at_once else now + self.retry_after)

    # after a crash ------------------------------------------------------------------------------------

    def _reconcile(self, now: dt.datetime, counts: DispatchCounts) -> None:
        left = self.outbox.in_state("provider_called")
        if not left:
            return
        finals: list[Final] = []
        by_channel: dict[str, list[Claimed]] = defaultdict(list)
        for row in left:
            sender = self.senders.get(row.channel)
            if sender is None or not sender.reconcilable:
                finals.append(Final(row.seq, "failed", UNCONFIRMED))
                counts.failed += 1
                counts._reason(UNCONFIRMED)
            elif row.called_at is not None and row.called_at > now - self.reconcile_after:
                counts.waiting += 1  # too fresh: the provider's record may not show it yet
            else:
                by_channel[row.channel].append(row)
        for channel, rows in by_channel.items():
            for start in range(0, len(rows), self.batch):
                part = rows[start : start + self.batch]
                addresses = self.send_time.addresses(part)
                asked = [(r, a) for r, a in zip(part, addresses, strict=True) if a is not None]
                for r, a in zip(part, addresses, strict=True):
                    if a is None:
                        finals.append(Final(r.seq, "failed", UNCONFIRMED))
                        counts.failed += 1
                        counts._reason(UNCONFIRMED)
                outgoing = [
                    Outgoing(key=r.key, channel=r.channel, address=a, text=r.text or "", called_at=r.called_at)
                    for r, a in asked
                ]
                for (row, _), outcome in zip(asked, self.senders[channel].reconcile(outgoing), strict=True):
                    counts.reconciled += 1
                    if outcome.status == "sent":
                        counts.sent += 1
                        finals.append(Final(row.seq, "sent", None, outcome.provider_id))
                    elif outcome.status == "failed":
                        counts.failed += 1
                        counts._reason(outcome.reason)
                        finals.append(Final(row.seq, "failed", outcome.reason, outcome.provider_id))
                    else:  # the provider surely has no record: the call never landed, so it may go again
                        finals.append(self._retry(row, "outbox.not_received", now, counts, at_once=True))
        self.outbox.finish(finals, now)
        failpoints.hit("outbox.reconciled")
