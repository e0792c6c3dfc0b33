"""Builders of the after-sale and shipping exports: complaints (投诉/维权), DSR ratings (评价), shipments.

Complaints and ratings are the seller centre's downloads (GBK, ids as `="…"` like the 订单报表);
shipments are the warehouse/ERP's 发货明细 (UTF-8 with BOM, plain ids). Headers: `columns.COMPLAINTS`,
`columns.DSR_RATINGS`, `columns.SHIPMENTS`. Buyers appear as their account, as in the order export, so
the importer hashes them to the same `buyer_key`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dachu.data.exports.platforms import SHOP_NAME
from dachu.data.exports.render import Col
from dachu.data.simulate import batch as b
from dachu.data.simulate import people as pp

COMPLAINT_ID_BASE = 6_100_000_000_000_000
"""Case numbers: 16 digits, the order's position in the simulation added (one case per order at most)."""


def complaints_builder() -> Callable[[b.Batch], list[Col]]:
    """Rows of the complaints export (columns.COMPLAINTS)."""
    kinds = np.array(b.COMPLAINT_KINDS, dtype=object)
    reasons = np.array(b.COMPLAINT_REASONS, dtype=object)

    def build(batch: b.Batch) -> list[Col]:
        c, o = batch.complaints, batch.orders
        closed = c.closed != b.NONE
        return [
            Col("id", [str(COMPLAINT_ID_BASE + v) for v in o.seq[c.order_row].tolist()]),
            Col("id", [str(v) for v in o.order_id[c.order_row].tolist()]),
            Col("text", pp.account(o.buyer[c.order_row])),
            Col("date", c.opened),
            Col("text", kinds[c.kind].tolist()),
            Col("text", reasons[c.reason].tolist()),
            Col("text", [b.COMPLAINT_STATUS[1] if x else b.COMPLAINT_STATUS[0] for x in closed.tolist()]),
            Col("date", c.closed),
        ]

    return build


def dsr_builder() -> Callable[[b.Batch], list[Col]]:
    """Rows of the ratings export (columns.DSR_RATINGS)."""

    def build(batch: b.Batch) -> list[Col]:
        r, o = batch.ratings, batch.orders
        return [
            Col("id", [str(v) for v in o.order_id[r.order_row].tolist()]),
            Col("text", pp.account(o.buyer[r.order_row])),
            Col("date", r.rated),
            Col("int", r.description.astype(np.int64)),
            Col("int", r.service.astype(np.int64)),
            Col("int", r.logistics.astype(np.int64)),
        ]

    return build


def tracking_numbers(order_ids: np.ndarray) -> list[str]:
    """运单号 of each order as the carrier prints it (the 订单报表 shows the same number after `No:`)."""
    return [f"7{v % 10**13:013d}" for v in order_ids.tolist()]


def shipments_builder() -> Callable[[b.Batch], list[Col]]:
    """Rows of the ERP shipping list (columns.SHIPMENTS): every shipped order of the batch."""
    carriers = np.array(b.CARRIERS, dtype=object)

    def build(batch: b.Batch) -> list[Col]:
        o = batch.orders
        rows = np.flatnonzero(o.shipped != b.NONE)
        return [
            Col("text", [str(v) for v in o.order_id[rows].tolist()]),
            Col("const", SHOP_NAME),
            Col("text", carriers[o.carrier[rows]].tolist()),
            Col("text", tracking_numbers(o.order_id[rows])),
            Col("date", o.shipped[rows]),
            Col("date", o.delivered[rows]),
        ]

    return build
