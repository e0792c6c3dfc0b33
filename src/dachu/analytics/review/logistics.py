"""Section 7, logistics (物流): the event day's paid orders shipped in 24 h / 48 h / 7 days; the backlog."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dachu.analytics import queries as q
from dachu.analytics.review.common import Context, col, fig, note, ratio, whole
from dachu.analytics.review_model import Section, Table


def logistics(ctx: Context) -> Section:
    """The event day's paid orders: shipped within 24 h / 48 h / 7 days; priority cities; backlog per day."""
    src = ctx.src
    s = src.one(q.shipping(src, ctx.day, ctx.priority_cities))
    paid = whole(s.get("orders_paid"))
    shipped_any = whole(s.get("shipped_orders")) > 0
    notes = []
    if not shipped_any:
        notes.append(note("no_shipping_times"))

    def share(key: str, den: Any = paid) -> float | None:
        return ratio(s.get(key), den) if shipped_any else None

    figures = (
        fig("shipped_within_24h", "rate", share("within_24h")),
        fig("shipped_within_48h", "rate", share("within_48h")),
        fig("shipped_within_7d", "rate", share("within_7d")),
        fig("priority_within_2d", "rate", share("priority_within_2d", s.get("priority_orders"))),
    )
    notes.append(note("priority_cities", cities="、".join(ctx.priority_cities)))
    tables: tuple[Table, ...] = ()
    if shipped_any:
        first = ctx.campaign.start.date()
        paid_flow, shipped_flow = q.backlog_flows(src, first)
        paid_by = {r["day"]: whole(r["n"]) for r in src.rows(paid_flow)}
        shipped_by = {r["day"]: whole(r["n"]) for r in src.rows(shipped_flow)}
        last = ctx.campaign.end.date() - dt.timedelta(days=1)
        if ctx.last_data_day is not None:
            last = min(last, ctx.last_data_day)
        rows = []
        backlog = 0
        d = first
        while d <= last:
            backlog += paid_by.get(d, 0) - shipped_by.get(d, 0)
            if d >= ctx.event_day:
                rows.append((d, paid_by.get(d, 0), shipped_by.get(d, 0), backlog))
            d += dt.timedelta(days=1)
        columns = (
            col("day", "date"),
            col("paid_orders", "count"),
            col("shipped_orders", "count"),
            col("backlog", "count", "backlog"),
        )
        tables = (Table("backlog", "review.table.backlog", columns, tuple(rows)),)
    return Section("logistics", "review.section.logistics", figures=figures, tables=tables, notes=tuple(notes))
