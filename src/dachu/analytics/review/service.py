"""Section 6, customer service (客服): per agent sessions, inquiry conversion, sales, response times."""

from __future__ import annotations

from typing import Any

from ibis import _

from dachu.analytics import queries as q
from dachu.analytics.review.common import Context, col, fig, money, money_ratio, note, ratio, whole
from dachu.analytics.review_model import Section, Table, Value
from dachu.domain.money import ZERO


def service(ctx: Context) -> Section:
    """Per agent: sessions, inquiry conversion, sales, order value, response times, refunds; CS share."""
    src = ctx.src
    total = src.one(q.service(src, ctx.day))
    agents = sorted(src.rows(q.service(src, ctx.day, agent=_.agent)), key=lambda r: str(r["agent"]))
    gmv = src.one(q.sales(src, ctx.day)).get("gmv_paid")

    def values(r: dict[str, Any]) -> tuple[Value, ...]:
        return (
            whole(r.get("cs_sessions")),
            whole(r.get("cs_buyers")),
            ratio(r.get("chat_paid_buyers"), r.get("cs_buyers")),
            money(r.get("cs_sales")) or ZERO,
            money_ratio(r.get("cs_sales"), r.get("cs_paying_buyers")),
            r.get("first_response_seconds"),
            r.get("avg_response_seconds"),
            money(r.get("cs_refund_amount")) or ZERO,
        )

    rows = tuple((_agent_label(r["agent"]), *values(r)) for r in agents)
    columns = (
        col("agent", "text"),
        col("cs_sessions", "count", "cs_sessions"),
        col("cs_buyers", "count", "cs_buyers"),
        col("inquiry_conversion", "rate", "inquiry_conversion"),
        col("cs_sales", "yuan", "cs_sales"),
        col("cs_aov", "yuan", "cs_aov"),
        col("first_response_seconds", "seconds", "first_response_seconds"),
        col("avg_response_seconds", "seconds", "avg_response_seconds"),
        col("cs_refund_amount", "yuan", "cs_refund_amount"),
    )
    t = values(total) if total else (0, 0, None, ZERO, None, None, None, ZERO)
    figures = (
        fig("cs_sessions", "count", t[0]),
        fig("inquiry_conversion", "rate", t[2]),
        fig("cs_sales", "yuan", t[3]),
        fig("cs_sales_share", "rate", ratio(t[3], gmv)),
        fig("first_response_seconds", "seconds", t[5]),
        fig("avg_response_seconds", "seconds", t[6]),
    )
    notes = []
    if not agents:
        notes.append(note("no_cs"))
    elif t[6] is None:
        notes.append(note("no_reply_waits"))
    return Section(
        "service",
        "review.section.service",
        figures=figures,
        tables=(Table("agents", "review.table.agents", columns, rows),),
        notes=tuple(notes),
    )


def _agent_label(agent: Any) -> str:
    """The agent's work handle; a `shop:handle` account keeps the handle only."""
    text = str(agent) if agent is not None else "-"
    return text.split(":")[-1]
