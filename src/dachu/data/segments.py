"""Who the customer notices go to (通知人群), read from the store by buyer key only.

`wave_segments(con, event_day)` gives each segment's buyer keys: past buyers (老客: a paid order before the
event day), the event's new buyers (活动新客: their first paid order on the event day) and its old buyers
(活动老客: paid on the event day and before it). A paid order is one with a `paid_at`; buyers in `opt_outs`
are left out of every segment (and re-checked at send time). No holdout: notices are not measured against one.
`shipments(con, since)` gives the shipped orders with their buyer keys, cities and tracking milestones, for
the logistics notices.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from dachu.domain.automation.notices import Shipment
from dachu.domain.automation.tracking import TrackingEvent, milestones
from dachu.domain.campaign.notify import SEGMENTS


def wave_segments(con: duckdb.DuckDBPyConnection, event_day: dt.date) -> dict[str, list[str]]:
    """Each segment's buyer keys (sorted) around `event_day` (shop wall-clock days)."""
    start = dt.datetime.combine(event_day, dt.time())
    end = start + dt.timedelta(days=1)
    rows = con.execute(
        "WITH b AS (SELECT buyer_key, bool_or(paid_at < ?) AS before, "
        "  bool_or(paid_at >= ? AND paid_at < ?) AS on_day FROM orders "
        "  WHERE paid_at IS NOT NULL AND coalesce(buyer_key, '') <> '' "
        "  AND buyer_key NOT IN (SELECT buyer_key FROM opt_outs) GROUP BY 1) "
        "SELECT buyer_key, before, on_day FROM b ORDER BY 1",
        [start, start, end],
    ).fetchall()
    out: dict[str, list[str]] = {name: [] for name in SEGMENTS}
    for buyer, before, on_day in rows:
        if before:
            out["past_buyers"].append(buyer)
        if on_day:
            out["event_old_buyers" if before else "event_new_buyers"].append(buyer)
    return out


def shipments(con: duckdb.DuckDBPyConnection, since: dt.datetime) -> list[Shipment]:
    """Shipments with something since `since` (shipped, delivered or a tracking event), with their milestones.

    Each carries its order's buyer key ("" when unknown) and shipping city, and the milestones of the
    tracking events (`shipment_events`) of its tracking number. Events whose tracking number no shipment has
    wait in the store: they count once the shipment is imported.
    """
    rows = con.execute(
        "SELECT s.order_id, coalesce(o.buyer_key, ''), coalesce(s.carrier, ''), coalesce(s.tracking_no, ''), "
        "s.shipped_at, s.delivered_at, coalesce(o.city, '') FROM shipments s "
        "LEFT JOIN orders o ON o.platform = s.platform AND o.order_id = s.order_id "
        "WHERE s.shipped_at >= ? OR s.delivered_at >= ? OR s.tracking_no IN "
        "(SELECT tracking_no FROM shipment_events WHERE event_at >= ?) ORDER BY s.order_id",
        [since, since, since],
    ).fetchall()
    numbers = sorted({r[3] for r in rows if r[3]})
    track: dict[str, list[TrackingEvent]] = {}
    if numbers:
        events = con.execute(
            "SELECT tracking_no, event_at, coalesce(code, ''), status, coalesce(area, '') FROM shipment_events "
            "WHERE tracking_no IN (SELECT unnest(?::VARCHAR[])) ORDER BY tracking_no, event_at",
            [numbers],
        ).fetchall()
        for number, at, code, status, area in events:
            track.setdefault(number, []).append(TrackingEvent(at, code, status, area))
    out = []
    for order_id, buyer, carrier, tracking, shipped_at, delivered_at, city in rows:
        m = milestones(track.get(tracking, ()), city)
        delivered = min((d for d in (delivered_at, m.delivered_at) if d is not None), default=None)
        out.append(Shipment(order_id, buyer, carrier, tracking, shipped_at, delivered, city, m.arrived_at,
                            m.exception_at, m.problem))
    return out
