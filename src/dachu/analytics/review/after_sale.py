"""Section 8, after sale (售后): refunds of the event day's paid orders, complaints and DSR."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dachu.analytics import after_sale_queries as aq
from dachu.analytics import queries as q
from dachu.analytics.review.common import Context, col, fig, money, note, ratio, whole
from dachu.analytics.review_model import Section, Table
from dachu.data.schema import DSR_ITEMS
from dachu.domain.money import ZERO


def after_sale(ctx: Context) -> Section:
    """Refund rate and amount of the event day's paid orders; complaints and DSR when the store has them.

    The complaint rate follows the event day's paid orders to the data's end; the DSR is the 180 days'
    mean as of the day of the latest rating in the store (`dachu.analytics.after_sale_queries`).
    """
    src = ctx.src
    s = src.one(q.shipping(src, ctx.day, ()))
    c = src.one(aq.complaints(src, ctx.day))
    has_complaints = whole(src.one(aq.complaint_count(src)).get("n")) > 0
    last = src.one(aq.last_rating(src)).get("last_rated")
    d: dict[str, Any] = {}
    if last is not None:
        as_of = dt.datetime.combine(last.date() + dt.timedelta(days=1), dt.time())
        d = src.one(aq.dsr(src, as_of))
    has_dsr = whole(d.get("ratings")) > 0
    figures = (
        fig("refund_rate", "rate", ratio(s.get("refunded_orders"), s.get("orders_paid"))),
        fig("refund_amount", "yuan", money(s.get("refund_amount")) or ZERO),
        fig("complaint_rate", "rate", c.get("complaint_rate") if has_complaints else None),
        fig("dsr", "ratio", d.get("dsr") if has_dsr else None),
        fig("dsr_low_score_buyers", "count", whole(d.get("dsr_low_score_buyers")) if has_dsr else None),
    )
    tables: list[Table] = []
    notes = []
    if has_complaints:
        tables.append(_complaint_table(ctx, whole(c.get("orders_paid"))))
    else:
        notes.append(note("no_complaints"))
    if has_dsr and last is not None:
        tables.append(_dsr_table(ctx, d, as_of))
        notes.append(note("dsr_window", first=aq.dsr_window(as_of).start.date(), last=last.date()))
    else:
        notes.append(note("no_dsr"))
    return Section("after_sale", "review.section.after_sale", figures=figures, tables=tuple(tables), notes=tuple(notes))


def _complaint_table(ctx: Context, orders_paid: int) -> Table:
    """Cases about the event day's paid orders per kind and reason, with their share of orders paid."""
    rows = sorted(
        (
            (r["kind"], r["reason"], whole(r["complaints"]))
            for r in ctx.src.rows(aq.complaint_reasons(ctx.src, ctx.day))
        ),
        key=lambda r: (-r[2], str(r[0]), str(r[1])),
    )
    columns = (
        col("complaint_kind", "text"),
        col("complaint_reason", "text"),
        col("complaints", "count"),
        col("share_of_orders_paid", "rate"),
    )
    return Table("complaints", "review.table.complaints", columns, tuple((*r, ratio(r[2], orders_paid)) for r in rows))


def _dsr_table(ctx: Context, d: dict[str, Any], as_of: dt.datetime) -> Table:
    """Per DSR item: mean, ratings, and the shares of 5 and of 1–3."""
    counts: dict[tuple[str, int], int] = {
        (r["item"], int(r["score"])): whole(r["ratings"]) for r in ctx.src.rows(aq.dsr_scores(ctx.src, as_of))
    }
    rows = []
    for item in DSR_ITEMS:
        n = whole(d.get(f"{item}_ratings"))
        low = sum(counts.get((item, k), 0) for k in (1, 2, 3))
        rows.append((f"review.dsr_item.{item}", d.get(item), n, ratio(counts.get((item, 5), 0), n), ratio(low, n)))
    columns = (
        col("dsr_item", "text", labels=True),
        col("dsr_mean", "ratio"),
        col("ratings", "count"),
        col("share_5", "rate"),
        col("share_1_3", "rate"),
    )
    return Table("dsr", "review.table.dsr", columns, tuple(rows))
