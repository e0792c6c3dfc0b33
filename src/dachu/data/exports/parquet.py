"""Parquet tables of a simulation (pyarrow), one row group per batch, in the canonical tables' column names.

Written into a folder: orders, order_lines, behaviour_events, cs_sessions, complaints, dsr_ratings,
shipments, contacts (personal data apart, as in the store) and traffic. Times are the shop's wall-clock
time (timestamp[s], no zone) with `tz_offset_min` on orders; money is decimal(18,2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from dachu.data.exports.after_sale import COMPLAINT_ID_BASE, tracking_numbers
from dachu.data.exports.platforms import TMALL_STATUS, Exporter
from dachu.data.exports.tables import HourlyTotals
from dachu.data.simulate import batch as b
from dachu.data.simulate import people as pp

MONEY = pa.decimal128(18, 2)


def money(fen: npt.NDArray[np.int64]) -> pa.Array:
    """Fen → decimal(18,2) without floating point (the fen are the decimal's unscaled value)."""
    whole = pa.array(fen, pa.int64()).cast(pa.decimal128(19, 0))
    return pa.Array.from_buffers(MONEY, len(whole), whole.buffers(), null_count=0)


def times(secs: npt.NDArray[np.int64]) -> pa.Array:
    """Shop seconds → timestamp[s]; -1 → null."""
    return pa.array(secs, pa.timestamp("s"), mask=secs < 0)


class ParquetSink:
    """Appends every batch to the tables of one folder."""

    def __init__(self, folder: Path, exporter: Exporter) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder
        self.ex = exporter
        self.rows = 0
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.totals = HourlyTotals(exporter.setup)

    def _write(self, name: str, table: pa.Table) -> None:
        if name not in self._writers:
            self._writers[name] = pq.ParquetWriter(self.path / f"{name}.parquet", table.schema)
        self._writers[name].write_table(table)

    def write(self, batch: b.Batch) -> None:
        """Append the batch to every table."""
        ex, o, li, e, s = self.ex, batch.orders, batch.lines, batch.events, batch.cs
        setup = ex.setup
        self.totals.add(batch)
        ids = pa.array([str(v) for v in o.order_id.tolist()])
        places = pp.zh_place(o.buyer)
        shipped = o.shipped != b.NONE
        self._write(
            "orders",
            pa.table(
                {
                    "platform": pa.array([setup.platform] * len(o)),
                    "order_id": ids,
                    "buyer_id": pa.array(o.buyer),
                    "status": pa.array(np.array(b.STATE_NAMES, dtype=object)[o.status]),
                    "status_raw": pa.array(np.array(TMALL_STATUS, dtype=object)[o.status]),
                    "close_reason": pa.array(np.array(b.CLOSE_REASONS, dtype=object)[o.close_reason]),
                    "created_at": times(o.created),
                    "paid_at": times(o.paid),
                    "shipped_at": times(o.shipped),
                    "completed_at": times(o.confirmed),
                    "tz_offset_min": pa.array([setup.tz_offset_min] * len(o), pa.int16()),
                    "goods_amount": money(o.goods),
                    "shipping_fee": money(o.postage),
                    "total_amount": money(o.total),
                    "paid_amount": money(o.paid_amount),
                    "refund_amount": money(o.refund),
                    "item_count": pa.array(o.units),
                    "title": pa.array(ex.titles(batch)),
                    "province": pa.array([p[0] for p in places]),
                    "city": pa.array([p[1] for p in places]),
                    "carrier": pa.array(np.array(b.CARRIERS, dtype=object)[o.carrier], mask=~shipped),
                    "is_mobile": pa.array(o.mobile),
                    "channel": pa.array(ex.sources[o.source]),
                    "paid_later": pa.array(o.paid_later),
                }
            ),
        )
        self._write(
            "order_lines",
            pa.table(
                {
                    "platform": pa.array([setup.platform] * len(li)),
                    "order_id": ids.take(pa.array(li.order_row)),
                    "line_no": pa.array(li.line_no, pa.int32()),
                    "sku": pa.array(ex.skus[li.product]),
                    "title": pa.array(ex.names[li.product]),
                    "unit_price": money(li.price),
                    "quantity": pa.array(li.quantity, pa.int32()),
                    "refunded": pa.array(li.refunded),
                }
            ),
        )
        items = np.array([p.item_id for p in setup.products], dtype=np.int64)
        cats = np.array([p.category_id for p in setup.products], dtype=np.int64)
        self._write(
            "behaviour_events",
            pa.table(
                {
                    "visitor_id": pa.array((e.visitor + 1).astype(str)),
                    "item_id": pa.array(items[e.product].astype(str)),
                    "category_id": pa.array(cats[e.product].astype(str)),
                    "behaviour": pa.array(np.array(b.BEHAVIOURS, dtype=object)[e.behaviour]),
                    "at": times(e.at),
                }
            ),
        )
        has_order = s.order_row >= 0
        self._write(
            "cs_sessions",
            pa.table(
                {
                    "session_id": pa.array([f"S{v:012d}" for v in s.session_id.tolist()]),
                    "agent": pa.array([f"客服{a + 1:02d}" for a in s.agent.tolist()]),
                    "buyer_id": pa.array(s.buyer),
                    "started_at": times(s.started),
                    "first_response_at": times(s.first_response),
                    "replies": pa.array(s.replies, pa.int32()),
                    "ended_at": times(s.ended),
                    "order_id": _masked_ids(ids, s.order_row, has_order),
                    "reply_wait_seconds": pa.array(s.reply_wait.astype(np.float64)),
                }
            ),
        )
        self._after_sale(batch, ids)
        self._write(
            "contacts",
            pa.table(
                {
                    "platform": pa.array([setup.platform] * len(o)),
                    "order_id": ids,
                    "buyer_account": pa.array(pp.account(o.buyer)),
                    "receiver_name": pa.array(ex.people.zh_name(o.buyer)),
                    "mobile": pa.array(pp.zh_mobile(o.buyer)),
                    "province": pa.array([p[0] for p in places]),
                    "city": pa.array([p[1] for p in places]),
                    "district": pa.array([p[2] for p in places]),
                    "street": pa.array(pp.zh_street(o.buyer)),
                    "address_raw": pa.array(pp.zh_address(o.buyer)),
                }
            ),
        )
        self.rows += len(o)

    def _after_sale(self, batch: b.Batch, ids: pa.Array) -> None:
        """Complaints, DSR ratings and shipments in canonical names."""
        o, c, r = batch.orders, batch.complaints, batch.ratings
        platform = self.ex.setup.platform
        self._write(
            "complaints",
            pa.table(
                {
                    "complaint_id": pa.array(
                        [str(COMPLAINT_ID_BASE + v) for v in o.seq[c.order_row].tolist()], pa.string()
                    ),
                    "platform": pa.array([platform] * len(c), pa.string()),
                    "order_id": ids.take(pa.array(c.order_row)),
                    "buyer_id": pa.array(o.buyer[c.order_row], pa.int64()),
                    "opened_at": times(c.opened),
                    "kind": pa.array(np.array(b.COMPLAINT_KINDS, dtype=object)[c.kind], pa.string()),
                    "reason": pa.array(np.array(b.COMPLAINT_REASONS, dtype=object)[c.reason], pa.string()),
                    "status": pa.array(
                        [b.COMPLAINT_STATUS[int(x)] for x in (c.closed != b.NONE).tolist()], pa.string()
                    ),
                    "closed_at": times(c.closed),
                }
            ),
        )
        self._write(
            "dsr_ratings",
            pa.table(
                {
                    "platform": pa.array([platform] * len(r), pa.string()),
                    "order_id": ids.take(pa.array(r.order_row)),
                    "buyer_id": pa.array(o.buyer[r.order_row], pa.int64()),
                    "rated_at": times(r.rated),
                    "description": pa.array(r.description, pa.int16()),
                    "service": pa.array(r.service, pa.int16()),
                    "logistics": pa.array(r.logistics, pa.int16()),
                }
            ),
        )
        rows = np.flatnonzero(o.shipped != b.NONE)
        self._write(
            "shipments",
            pa.table(
                {
                    "platform": pa.array([platform] * rows.size, pa.string()),
                    "order_id": ids.take(pa.array(rows)),
                    "carrier": pa.array(np.array(b.CARRIERS, dtype=object)[o.carrier[rows]], pa.string()),
                    "tracking_no": pa.array(tracking_numbers(o.order_id[rows]), pa.string()),
                    "shipped_at": times(o.shipped[rows]),
                    "delivered_at": times(o.delivered[rows]),
                }
            ),
        )

    def close(self) -> None:
        """Write the traffic table and close every file."""
        t = self.totals
        visitors = t.visitors()
        n = len(t.setup.sources)
        hours = np.repeat(t.start + np.arange(t.hours, dtype=np.int64) * 3600, n)
        self._write(
            "traffic",
            pa.table(
                {
                    "hour": times(hours),
                    "source": pa.array(list(t.setup.sources) * t.hours),
                    "visitors": pa.array(visitors.ravel()),
                    "page_views": pa.array(np.rint(visitors.ravel() * 3.2).astype(np.int64)),
                    "buyers": pa.array(t.buyers.ravel()),
                }
            ),
        )
        for w in self._writers.values():
            w.close()


def _masked_ids(ids: pa.Array, rows: npt.NDArray[np.int64], has: npt.NDArray[np.bool_]) -> Any:
    taken = ids.take(pa.array(np.maximum(rows, 0))) if len(rows) else pa.array([], pa.string())
    return pa.array(taken.to_pylist(), pa.string(), mask=~has) if len(rows) else taken
