"""Section 3, the funnel (转化漏斗): visitors → engaged → orders placed → paid; the unpaid share.

What payment reminders won back is the next section's (`reminders`, measured from the outbox).
"""

from __future__ import annotations

from dachu.analytics import queries as q
from dachu.analytics.review.common import Context, col, fig, note, ratio, whole
from dachu.analytics.review_model import Chart, Section, Series


def funnel(ctx: Context) -> Section:
    """Visitors → favourited or carted → orders placed → paid; unpaid share."""
    t = ctx.src.one(q.traffic(ctx.src, ctx.day))
    b = ctx.src.one(q.behaviour(ctx.src, ctx.day))
    p = ctx.src.one(q.placing(ctx.src, ctx.day))
    s = ctx.src.one(q.sales(ctx.src, ctx.day))
    placed = whole(p.get("orders_placed"))
    notes = []
    has_events = whole(b.get("event_visitors")) > 0
    if not has_events:
        notes.append(note("no_behaviour"))
    engaged = whole(b.get("engaged")) if has_events else None
    figures = (
        fig("visitors", "count", whole(t.get("visitors"))),
        fig("favouriters", "count", whole(b.get("favouriters")) if has_events else None),
        fig("cart_adders", "count", whole(b.get("cart_adders")) if has_events else None),
        fig("orders_placed", "count", placed),
        fig("orders_paid", "count", whole(s.get("orders_paid"))),
        fig("unpaid_share", "rate", ratio(placed - whole(p.get("placed_paid")), placed)),
        fig("returning_visitor_share", "rate", ratio(b.get("returning_visitors"), b.get("event_visitors"))),
        fig("items_viewed", "count", whole(b.get("items_viewed")) if has_events else None),
    )
    stages = ("visitors", "engaged", "orders_placed", "orders_paid")
    values = (whole(t.get("visitors")), engaged, placed, whole(s.get("orders_paid")))
    chart = Chart(
        "funnel",
        "review.chart.funnel",
        "funnel",
        col("stage", "text", labels=True),
        tuple(f"review.stage.{x}" for x in stages),
        (Series("count", "review.col.count", "count", values),),
    )
    return Section("funnel", "review.section.funnel", figures=figures, charts=(chart,), notes=tuple(notes))
