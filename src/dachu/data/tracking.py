"""Parcel tracking events (物流轨迹) into the store, idempotently.

`record_events(con, events, source)` appends the events `shipment_events` does not hold yet (same tracking
number, time and state): a tracker re-sending the whole track, or the same file imported twice, writes
nothing twice. Returns how many rows were new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa


@dataclass(frozen=True)
class ParcelEvent:
    """One tracking event as `shipment_events` keeps it: no free text (couriers' names and phones)."""

    tracking_no: str
    carrier: str
    event_at: dt.datetime
    code: str
    status: str
    area: str


def record_events(con: duckdb.DuckDBPyConnection, events: Sequence[ParcelEvent], source: str) -> int:
    """Append the events not stored yet; how many were new."""
    if not events:
        return 0
    table = pa.table({
        "tracking_no": pa.array([e.tracking_no for e in events], pa.string()),
        "carrier": pa.array([e.carrier for e in events], pa.string()),
        "event_at": pa.array([e.event_at for e in events], pa.timestamp("us")),
        "code": pa.array([e.code for e in events], pa.string()),
        "status": pa.array([e.status for e in events], pa.string()),
        "area": pa.array([e.area for e in events], pa.string()),
    })
    con.register("_tracking", table)
    try:
        rows = con.execute(
            "INSERT INTO shipment_events (tracking_no, carrier, event_at, code, status, area, source) "
            "SELECT DISTINCT ON (t.tracking_no, t.event_at, t.status) t.tracking_no, t.carrier, t.event_at, "
            "t.code, t.status, t.area, ? FROM _tracking t WHERE NOT EXISTS (SELECT 1 FROM shipment_events e "
            "WHERE e.tracking_no = t.tracking_no AND e.event_at = t.event_at AND e.status = t.status) "
            "RETURNING 1",
            [source],
        ).fetchall()
    finally:
        con.unregister("_tracking")
    return len(rows)
