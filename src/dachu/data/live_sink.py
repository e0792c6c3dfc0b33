"""Move the war room's accepted events into the store's canonical tables (入库), in batches.

The ingest fsyncs every accepted event to its log (`live/events.ndjson`) before acknowledging it; this
module carries what the log holds into the store, off the request path. `StoreSink.apply(events, end)`
turns the events of a run of log lines into rows and writes them in ONE transaction together with the checkpoint
(the byte offset of the log consumed so far), so after a crash the store holds either the whole batch
and its checkpoint or neither: a restart resumes at the checkpoint and never loses nor double-applies.

Mapping (docs/domain.md §9, `dachu.data.schema`). Which event of an order counts is the war room's own
decision (`dachu.domain.live.orders.step`, the same the live figures use), read from the row's columns:
- order → `orders` upserted by (platform, order_id): created_at, total_amount, buyer_key, channel (the
  event's source), item_count; status `pending_payment` when new. Its lines → `order_lines`, one per sku.
- payment, stage deposit → deposit_amount (a pre-sale order's 定金); the order stays unpaid.
- payment, full or balance → paid_at, paid_amount (the deposit included); status `paid` unless the order
  is already further along.
- shipment → shipped_at; status `shipped` unless already delivered or completed.
- refund → refund_amount grows by the refund; status `refunded` once refunds reach the paid amount
  (a partial refund leaves the status as it was).
- traffic → `traffic` (hour, source): visitors and page views ADDED to the hour (events are increments),
  the page they landed on (activity or store) in `page`.
- ad_spend → `ad_spend` (day, channel, campaign ''): spend, clicks, impressions added to the day.
- cs → `cs_sessions`: started_at = first response − wait, first_response_at = the event time.

An order id `taobao:123` whose prefix is a platform of the store maps to platform `taobao`, order `123`
(how `dachu replay` names imported orders); any other id is an order of platform `live`.
The checkpoint is keyed by a hash of the log's first line, so a new log starts from its beginning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from dachu import clock
from dachu.data import schema
from dachu.data.store import Store
from dachu.domain.live.events import (
    AdSpendEvent,
    CsEvent,
    Event,
    OrderEvent,
    PaymentEvent,
    RefundEvent,
    TrafficEvent,
)
from dachu.domain.live.orders import DEPOSIT, ORDER_EVENTS, PAID, PLACED, REFUNDED, SHIPPED, Effect, step

PLATFORMS = frozenset({"taobao", "tmall", "jd", "shopify", "tianchi", "generic", "douyin", "pinduoduo"})
"""Platform prefixes an ingested order id may carry (`taobao:123`)."""
LIVE_PLATFORM = "live"
"""The platform of an ingested order whose id names none."""
SHOP_OFFSET_MIN = 480

CHECKPOINT_DDL = (
    "CREATE TABLE IF NOT EXISTS live_checkpoint (head VARCHAR PRIMARY KEY, log_offset BIGINT NOT NULL, "
    "events BIGINT NOT NULL, updated_at TIMESTAMP)"
)

_LATER_THAN_PAID = {"shipped", "partially_shipped", "delivered", "completed", "refunded", "partially_refunded"}
_LATER_THAN_SHIPPED = {"delivered", "completed", "refunded"}


def split_order_key(key: str) -> tuple[str, str]:
    """An ingested order id → (platform, order_id) of the store."""
    platform, sep, rest = key.partition(":")
    if sep and rest and platform in PLATFORMS:
        return platform, rest
    return LIVE_PLATFORM, key


def order_key(platform: str, order_id: str) -> str:
    """(platform, order_id) of the store → the order id the war room uses (inverse of `split_order_key`)."""
    return order_id if platform == LIVE_PLATFORM else f"{platform}:{order_id}"


def log_head(path: Path) -> str | None:
    """A hash of the log's first complete line (None while the log is empty): the log's identity."""
    if not path.exists():
        return None
    with path.open("rb") as f:
        first = f.readline()
    if not first.endswith(b"\n"):
        return None
    return hashlib.sha256(first).hexdigest()[:32]


_ARROW = {
    "VARCHAR": pa.string(),
    "TIMESTAMP": pa.timestamp("us"),
    "DATE": pa.date32(),
    "SMALLINT": pa.int16(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "BOOLEAN": pa.bool_(),
    "DOUBLE": pa.float64(),
    schema.MONEY: pa.decimal128(18, 2),
}


def _arrow(table: schema.Table, rows: Sequence[dict[str, Any]]) -> pa.Table:
    """`rows` as an Arrow table of `table`'s columns, built column by column.

    Several times faster than `pa.Table.from_pylist` with Decimal and time columns.
    """
    columns = {}
    for name, typ in table.columns:
        columns[name] = pa.array([row.get(name) for row in rows], type=_ARROW[typ.replace(" NOT NULL", "")])
    return pa.table(columns)


def _fen(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(Decimal("0.01"))


def _flags(row: dict[str, Any]) -> int:
    """An `orders` row's state for `dachu.domain.live.orders.step`, read from its columns."""
    flags = PLACED if row["created_at"] is not None else 0
    if row["deposit_amount"] is not None:
        flags |= DEPOSIT
    if row["paid_at"] is not None:
        flags |= PAID
    if row["shipped_at"] is not None:
        flags |= SHIPPED
    if row["refund_amount"]:
        flags |= REFUNDED
    return flags


def _utc_now() -> dt.datetime:
    """The one clock's time in UTC, naive (the checkpoint's `updated_at`)."""
    return dt.datetime.fromtimestamp(clock.timestamp(), dt.UTC).replace(tzinfo=None)


class StoreSink:
    """Writes batches of log lines into an open store, each batch with its checkpoint, atomically."""

    def __init__(self, store: Store, log_path: Path) -> None:
        self.store = store
        self.log_path = log_path
        store.con.execute(CHECKPOINT_DDL)
        self.applied = 0  # events written by this sink since it was opened

    def checkpoint(self) -> int:
        """Bytes of the log already in the store (0 for a log the store has not seen)."""
        head = log_head(self.log_path)
        if head is None:
            return 0
        row = self.store.con.execute("SELECT log_offset FROM live_checkpoint WHERE head = ?", [head]).fetchone()
        return int(row[0]) if row else 0

    def apply(self, events: Sequence[Event], end: int) -> int:
        """Write `events` and move the checkpoint to `end`; return the events written.

        `events` are those of the log's lines past the checkpoint up to byte `end`, in log order.
        """
        head = log_head(self.log_path)
        con = self.store.con
        con.execute("BEGIN TRANSACTION")
        try:
            self._orders(events)
            self._traffic([e for e in events if isinstance(e, TrafficEvent)])
            self._ad_spend([e for e in events if isinstance(e, AdSpendEvent)])
            self._cs([e for e in events if isinstance(e, CsEvent)])
            con.execute(
                "INSERT OR REPLACE INTO live_checkpoint VALUES (?, ?, "
                "coalesce((SELECT events FROM live_checkpoint WHERE head = ?), 0) + ?, ?)",
                [head, end, head, len(events), _utc_now()],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        self.applied += len(events)
        return len(events)

    def _orders(self, events: Sequence[Event]) -> None:
        touching = [e for e in events if isinstance(e, ORDER_EVENTS)]
        if not touching:
            return
        con = self.store.con
        split = {e.order_id: split_order_key(e.order_id) for e in touching}
        keys = set(split.values())
        cols = schema.ORDERS.column_names
        con.register("live_keys", pa.table({"platform": [k[0] for k in keys], "order_id": [k[1] for k in keys]}))
        try:
            found = con.execute(
                f"SELECT {', '.join('o.' + c for c in cols)} FROM orders o JOIN live_keys k USING (platform, order_id)"
            ).fetchall()
        finally:
            con.unregister("live_keys")
        rows: dict[tuple[str, str], dict[str, Any]] = {(r[0], r[1]): dict(zip(cols, r, strict=True)) for r in found}
        lines: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for e in touching:
            platform, order_id = split[e.order_id]
            row = rows.get((platform, order_id))
            if row is None:
                row = rows[(platform, order_id)] = dict.fromkeys(cols)
                row.update(platform=platform, order_id=order_id, status="pending_payment",
                           tz_offset_min=SHOP_OFFSET_MIN, paid_amount=Decimal(0), refund_amount=Decimal(0))
            _, effect = step(_flags(row), e)
            status = row["status"]
            if effect is Effect.PLACE:
                assert isinstance(e, OrderEvent)
                row.update(created_at=e.at, total_amount=_fen(e.amount))
                row["buyer_key"] = e.buyer_key or row["buyer_key"]
                row["channel"] = e.source or row["channel"]
                if e.lines:
                    row["item_count"] = sum(ln.quantity for ln in e.lines)
                    units: dict[str, int] = {}
                    for ln in e.lines:
                        units[ln.sku] = units.get(ln.sku, 0) + ln.quantity
                    lines[(platform, order_id)] = [
                        {"platform": platform, "order_id": order_id, "line_no": i, "sku": sku, "quantity": n}
                        for i, (sku, n) in enumerate(units.items(), 1)
                    ]
            elif effect is Effect.DEPOSIT:
                assert isinstance(e, PaymentEvent)
                row["deposit_amount"] = _fen(e.amount)
            elif effect is Effect.PAY:
                assert isinstance(e, PaymentEvent)
                row.update(paid_at=e.at, paid_amount=_fen(e.amount) + _fen(row["deposit_amount"]))
                if status not in _LATER_THAN_PAID:
                    row["status"] = "paid"
            elif effect is Effect.SHIP:
                row["shipped_at"] = e.at
                if status not in _LATER_THAN_SHIPPED:
                    row["status"] = "shipped"
            elif effect in (Effect.REFUND, Effect.FIRST_REFUND):
                assert isinstance(e, RefundEvent)
                row["refund_amount"] = _fen(row["refund_amount"]) + _fen(e.amount)
                paid = _fen(row["paid_amount"])
                if paid > 0 and row["refund_amount"] >= paid:
                    row["status"] = "refunded"
        self._upsert(schema.ORDERS, list(rows.values()))
        if lines:
            blank = dict.fromkeys(schema.ORDER_LINES.column_names)
            self._upsert(schema.ORDER_LINES, [blank | ln for group in lines.values() for ln in group])

    def _upsert(self, table: schema.Table, rows: Sequence[dict[str, Any]], source: str | None = None) -> None:
        name = f"live_{table.name}"
        self.store.con.register(name, _arrow(table, rows))
        try:
            self.store.upsert(table, source.format(name=name) if source else name)
        finally:
            self.store.con.execute("SELECT 1").fetchall()  # closes any result still open on the connection
            self.store.con.unregister(name)

    def _traffic(self, events: Sequence[TrafficEvent]) -> None:
        if not events:
            return
        sums: dict[tuple[dt.datetime, str], list[Any]] = {}
        for e in events:
            hour = e.at.replace(minute=0, second=0, microsecond=0)
            acc = sums.setdefault((hour, e.source), [0, 0, e.page])
            acc[0] += e.visitors
            acc[1] += e.page_views
            acc[2] = acc[2] if acc[2] == e.page else "mixed"
        rows = [{"hour": h, "source": s, "visitors": v, "page_views": pv, "buyers": None, "page": page}
                for (h, s), (v, pv, page) in sums.items()]
        self._upsert(schema.TRAFFIC, rows, "(SELECT d.hour, d.source, "
                     "coalesce(t.visitors, 0) + d.visitors AS visitors, "
                     "coalesce(t.page_views, 0) + d.page_views AS page_views, t.buyers, "
                     "CASE WHEN t.page IS NULL OR t.page = d.page THEN d.page ELSE 'mixed' END AS page "
                     "FROM {name} d LEFT JOIN traffic t USING (hour, source))")

    def _ad_spend(self, events: Sequence[AdSpendEvent]) -> None:
        if not events:
            return
        sums: dict[tuple[dt.date, str], list[Any]] = {}
        for e in events:
            acc = sums.setdefault((e.at.date(), e.channel), [Decimal(0), 0, 0])
            acc[0] += e.spend
            acc[1] += e.impressions
            acc[2] += e.clicks
        rows = [{"day": d, "channel": c, "campaign": "", "spend": _fen(s), "impressions": i, "clicks": k,
                 "orders": None, "revenue": None} for (d, c), (s, i, k) in sums.items()]
        self._upsert(schema.AD_SPEND, rows, "(SELECT d.day, d.channel, d.campaign, "
                     "CAST(coalesce(t.spend, 0) + d.spend AS DECIMAL(18,2)) AS spend, "
                     "coalesce(t.impressions, 0) + d.impressions AS impressions, "
                     "coalesce(t.clicks, 0) + d.clicks AS clicks, t.orders, t.revenue "
                     "FROM {name} d LEFT JOIN ad_spend t USING (day, channel, campaign))")

    def _cs(self, events: Sequence[CsEvent]) -> None:
        if not events:
            return
        rows = {e.session_id: {"session_id": e.session_id, "agent": None, "buyer_key": None,
                               "started_at": e.at - dt.timedelta(seconds=float(e.response_seconds)),
                               "first_response_at": e.at, "replies": None, "order_id": None} for e in events}
        self._upsert(schema.CS_SESSIONS, list(rows.values()),
                     "(SELECT d.session_id, coalesce(t.agent, d.agent) AS agent, "
                     "coalesce(t.buyer_key, d.buyer_key) AS buyer_key, d.started_at, d.first_response_at, "
                     "t.replies, t.order_id, t.reply_wait_seconds "
                     "FROM {name} d LEFT JOIN cs_sessions t USING (session_id))")
