"""The outbox (发件箱): every message a rule planned, as a row of the store moving through its states.

    planned → claimed → provider_called → sent | failed | skipped(reason)

Each step is committed before the next begins, so after a crash or a kill -9 the row says how far it got:

- `planned`: waiting for `not_before` (quiet hours already applied). Planning the same key again merges into
  the row while it is still planned (a buyer's new unpaid order joins the day's reminder) and never makes a
  second row: the key is unique in the table itself.
- `claimed`: a dispatcher took it; no provider has been called. A claim left by a crash goes back to planned.
- `provider_called`: written (with the text, its segments and cost) *before* the provider is called. A row
  left here by a crash is never sent again blindly: the dispatcher asks the sender to reconcile it from the
  provider's record (an SMS gateway's delivery report or query) and calls again only when the provider
  surely has no record of it; a sender that cannot be asked marks it failed, reason `unconfirmed`.
- `sent`, `failed` (with the provider's reason), `skipped` (with the rule's reason): final.

Rows are addressed by their `seq` (a number given when planned) between claim and record: updating 2,500
rows by an integer takes milliseconds, by string key a quarter of a second. (Not DuckDB's rowid: an update
of a list column or of an indexed table moves the row, and its rowid with it.)
Nothing here holds an address: `recipient` is a buyer key and `phone_digest` a keyed hash.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import duckdb
import pyarrow as pa

from dachu.domain.automation.actions import SendMessage

State = Literal["planned", "claimed", "provider_called", "sent", "failed", "skipped"]

_CLAIMED_COLUMNS = (
    "seq, key, kind, recipient, channel, template, variables, message_class, reason, order_ids, "
    "not_before, expires_at, attempts, called_at, text, sent_order_ids"
)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row a dispatcher holds: what was planned, and (for a row left provider_called) what was sent."""

    seq: int
    key: str
    kind: str
    recipient: str
    channel: str
    template: str
    variables: Mapping[str, str]
    message_class: str
    reason: str
    order_ids: tuple[str, ...]
    not_before: dt.datetime
    expires_at: dt.datetime | None
    attempts: int
    called_at: dt.datetime | None = None
    text: str | None = None
    sent_order_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Called:
    """What is written with `provider_called`, before the provider is called."""

    seq: int
    text: str
    segments: int
    cost: Decimal
    phone_digest: str | None
    sent_order_ids: tuple[str, ...] | None
    """The orders still unpaid at send time when some of the planned ones were paid since; None: all of them."""


@dataclass(frozen=True, slots=True)
class Final:
    """How a row ends (or, for `planned`, when it is tried again)."""

    seq: int
    state: State
    reason: str | None = None
    provider_id: str | None = None
    retry_at: dt.datetime | None = None  # state planned: not before this
    attempt: bool = True  # state planned: a provider call that did not land (False: only deferred)


@dataclass(frozen=True)
class PlanCounts:
    """What planning did: rows new to the outbox; rows already there (merged while planned, else unchanged)."""

    new: int
    existing: int


def _claimed(row: tuple[Any, ...]) -> Claimed:
    return Claimed(
        seq=int(row[0]),
        key=row[1],
        kind=row[2],
        recipient=row[3],
        channel=row[4],
        template=row[5] or "",
        variables=json.loads(row[6]) if row[6] else {},
        message_class=row[7] or "notice",
        reason=row[8] or "",
        order_ids=tuple(row[9] or ()),
        not_before=row[10],
        expires_at=row[11],
        attempts=int(row[12]),
        called_at=row[13],
        text=row[14],
        sent_order_ids=tuple(row[15] or ()),
    )


class Outbox:
    """The outbox table of an open store connection (one dispatcher writes it at a time)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    # planning ------------------------------------------------------------------------------------------

    def plan(self, messages: Sequence[SendMessage], now: dt.datetime) -> PlanCounts:
        """Add the messages not in the outbox yet; merge into those still planned (orders, variables, time).

        A message already claimed, called or finished keeps its row as it is: one key, one message.
        """
        if not messages:
            return PlanCounts(0, 0)
        table = pa.table(
            {
                "key": pa.array([m.key for m in messages], pa.string()),
                "kind": pa.array([m.kind for m in messages], pa.string()),
                "recipient": pa.array([m.recipient for m in messages], pa.string()),
                "channel": pa.array([m.channel for m in messages], pa.string()),
                "template": pa.array([m.template for m in messages], pa.string()),
                "variables": pa.array(
                    [json.dumps(dict(m.variables), ensure_ascii=False, sort_keys=True) for m in messages], pa.string()
                ),
                "message_class": pa.array([m.message_class for m in messages], pa.string()),
                "reason": pa.array([m.reason for m in messages], pa.string()),
                "order_ids": pa.array([list(m.order_ids) for m in messages], pa.list_(pa.string())),
                "not_before": pa.array([m.not_before for m in messages], pa.timestamp("us")),
                "expires_at": pa.array([m.expires_at for m in messages], pa.timestamp("us")),
            }
        )
        return self.plan_table(table, now)

    def plan_table(self, table: pa.Table, now: dt.datetime) -> PlanCounts:
        """`plan` for messages already in columns: the fast path for a million reminders.

        Columns: key, kind, recipient, channel, template, variables (JSON), message_class, reason, order_ids,
        not_before, expires_at.
        """
        before = self._count()
        self.con.register("_planned", table)
        try:
            self.con.execute(
                "INSERT INTO outbox (key, seq, kind, recipient, channel, template, variables, message_class, reason, "
                "order_ids, not_before, expires_at, state, attempts, planned_at) "
                "SELECT key, ? + row_number() OVER (), kind, recipient, channel, template, variables, message_class, "
                "reason, order_ids, not_before, expires_at, 'planned', 0, ? FROM _planned "
                "ON CONFLICT (key) DO UPDATE SET order_ids = excluded.order_ids, variables = excluded.variables, "
                "not_before = excluded.not_before, expires_at = excluded.expires_at, template = excluded.template, "
                "message_class = excluded.message_class WHERE outbox.state = 'planned' AND ("
                # only rows that change: rewriting an unchanged list column costs a millisecond a row
                "outbox.order_ids IS DISTINCT FROM excluded.order_ids "
                "OR outbox.variables IS DISTINCT FROM excluded.variables "
                "OR outbox.not_before IS DISTINCT FROM excluded.not_before "
                "OR outbox.expires_at IS DISTINCT FROM excluded.expires_at "
                "OR outbox.template IS DISTINCT FROM excluded.template "
                "OR outbox.message_class IS DISTINCT FROM excluded.message_class)",
                [self._last_seq(), now],
            )
        finally:
            self.con.unregister("_planned")
        new = self._count() - before
        return PlanCounts(new, table.num_rows - new)

    def _last_seq(self) -> int:
        return int(self.con.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchall()[0][0])

    def _count(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM outbox").fetchall()[0][0])

    # dispatching ---------------------------------------------------------------------------------------

    def claim(self, now: dt.datetime, limit: int, channels: Iterable[str] | None = None) -> list[Claimed]:
        """Take up to `limit` planned rows due by `now` (earliest first) and mark them claimed (committed)."""
        where = "state = 'planned' AND not_before <= ?"
        params: list[Any] = [now]
        if channels is not None:
            where += " AND list_contains(?, channel)"
            params.append(list(channels))
        self.con.execute("BEGIN TRANSACTION")
        try:
            rows = self.con.execute(
                f"SELECT {_CLAIMED_COLUMNS} FROM outbox WHERE {where} ORDER BY not_before, key LIMIT {int(limit)}",
                params,
            ).fetchall()
            if rows:
                self.con.execute(
                    "UPDATE outbox SET state = 'claimed' WHERE seq IN (SELECT unnest(?))", [[r[0] for r in rows]]
                )
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return [_claimed(r) for r in rows]

    def in_state(self, state: State, limit: int | None = None) -> list[Claimed]:
        """The rows in `state` (a crash's leftovers: claimed, provider_called), earliest called first."""
        cap = f" LIMIT {int(limit)}" if limit else ""
        rows = self.con.execute(
            f"SELECT {_CLAIMED_COLUMNS} FROM outbox WHERE state = ? ORDER BY called_at, key{cap}", [state]
        ).fetchall()
        return [_claimed(r) for r in rows]

    def release_claims(self) -> int:
        """Claims a crash left (no provider was called for them) go back to planned; how many."""
        row = self.con.execute("UPDATE outbox SET state = 'planned' WHERE state = 'claimed' RETURNING 1").fetchall()
        return len(row)

    def mark_called(self, called: Sequence[Called], now: dt.datetime) -> None:
        """Write `provider_called` with what will be sent — committed before any provider call.

        `sent_order_ids` is written only for a message some of whose orders were paid since it was planned
        (NULL: all its `order_ids` were still unpaid): DuckDB rewrites a row to update a list column (about a
        millisecond a row, against microseconds for the others), and most messages go as planned.
        """
        if not called:
            return
        table = pa.table(
            {
                "rid": pa.array([c.seq for c in called], pa.int64()),
                "text": pa.array([c.text for c in called], pa.string()),
                "segments": pa.array([c.segments for c in called], pa.int32()),
                "cost": pa.array([c.cost for c in called], pa.decimal128(18, 2)),
                "phone_digest": pa.array([c.phone_digest for c in called], pa.string()),
            }
        )
        narrowed = [c for c in called if c.sent_order_ids is not None]
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._update(
                table,
                "state = 'provider_called', called_at = ?, text = b.text, segments = b.segments, cost = b.cost, "
                "phone_digest = b.phone_digest",
                [now],
            )
            if narrowed:
                ids = pa.table(
                    {
                        "rid": pa.array([c.seq for c in narrowed], pa.int64()),
                        "ids": pa.array([list(c.sent_order_ids or ()) for c in narrowed], pa.list_(pa.string())),
                    }
                )
                self._update(ids, "sent_order_ids = b.ids", [])
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def finish(self, finals: Sequence[Final], now: dt.datetime) -> None:
        """Record how each row ended (sent, failed, skipped), or put it back to planned for a later try."""
        if not finals:
            return
        table = pa.table(
            {
                "rid": pa.array([f.seq for f in finals], pa.int64()),
                "state": pa.array([f.state for f in finals], pa.string()),
                "reason": pa.array([f.reason for f in finals], pa.string()),
                "provider_id": pa.array([f.provider_id for f in finals], pa.string()),
                "retry_at": pa.array([f.retry_at for f in finals], pa.timestamp("us")),
                "tried": pa.array([int(f.state == "planned" and f.attempt) for f in finals], pa.int32()),
            }
        )
        self._update(
            table,
            "state = b.state, state_reason = b.reason, provider_id = coalesce(b.provider_id, outbox.provider_id), "
            "attempts = outbox.attempts + b.tried, "
            "not_before = coalesce(b.retry_at, outbox.not_before), "
            "finished_at = CASE WHEN b.state = 'planned' THEN NULL ELSE ? END",
            [now],
        )

    def _update(self, table: pa.Table, assignments: str, params: list[Any]) -> None:
        self.con.register("b", table)
        try:
            self.con.execute(f"UPDATE outbox SET {assignments} FROM b WHERE outbox.seq = b.rid", params)
        finally:
            self.con.unregister("b")

    # reading -------------------------------------------------------------------------------------------

    def sent_today(self, digests: Sequence[str], day: dt.date) -> dict[str, int]:
        """Messages called or sent today per phone digest (the per-phone daily cap counts both)."""
        if not digests:
            return {}
        rows = self.con.execute(
            "SELECT phone_digest, count(*) FROM outbox WHERE phone_digest IN (SELECT unnest(?)) "
            "AND state IN ('provider_called', 'sent') AND CAST(called_at AS DATE) = ? GROUP BY 1",
            [list(set(digests)), day],
        ).fetchall()
        return {r[0]: int(r[1]) for r in rows}

    def counts(self) -> dict[str, dict[str, int]]:
        """Rows per kind and state: {kind: {state: n}}."""
        out: dict[str, dict[str, int]] = {}
        for kind, state, n in self.con.execute("SELECT kind, state, count(*) FROM outbox GROUP BY 1, 2").fetchall():
            out.setdefault(kind, {})[state] = int(n)
        return out

    def failures(self, limit: int = 20) -> list[tuple[str, str, str, int]]:
        """The latest failures: (channel, kind, reason, count), most frequent first — the war room shows them."""
        rows = self.con.execute(
            "SELECT channel, kind, coalesce(state_reason, ''), count(*) FROM outbox WHERE state = 'failed' "
            f"GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT {int(limit)}"
        ).fetchall()
        return [(r[0], r[1], r[2], int(r[3])) for r in rows]

