"""The payment-reminder queries (催付): what the outbox sent about the period's orders, and what became of them.

Every figure is measured from the outbox (`dachu.data.schema.OUTBOX`, migration 4), never guessed from
payment delays: a store whose outbox holds no reminder has no reminder figures. A message belongs to the
period when one of the orders it was planned for (`order_ids`) was placed in it; an order is *reminded* when
it is among the `sent_order_ids` of a sent message (the orders still unpaid when the text went out), and
*paid after the reminder* when its `paid_at` is later than that message's provider call (`called_at`; a row
without one, `finished_at`). Orders are matched by `order_id` alone, as the outbox names them.

The holdout (对照组) is split in Python (`dachu.domain.automation.holdout.holdout_split`), so its query
returns one row per buyer with their candidate orders; `dachu.analytics.review.reminders` keeps the
held-out buyers' rows.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
from ibis import _

from dachu.analytics.source import Period, Source

REMINDER_KINDS: tuple[str, ...] = ("payment_reminder", "pre_close_reminder")
"""The outbox kinds that are payment reminders: the first (催付) and the before-close one (临关单催付)."""


def _placed(src: Source, period: Period) -> ir.Table:
    o = src.orders
    return o.filter(o.created_at.notnull(), o.created_at >= period.start, o.created_at < period.end)


def _reminders(src: Source) -> ir.Table:
    ob = src.outbox
    return ob.filter(ob.kind.isin(REMINDER_KINDS))


def reminder_rows(src: Source) -> ir.Table:
    """How many reminder rows the outbox holds at all (`n`): 0 means dachu sent no reminders."""
    return _reminders(src).aggregate(n=_.count())


def messages(src: Source, period: Period) -> ir.Table:
    """Reminder messages about orders placed in the period, per kind, state and state_reason.

    Columns: kind, state, state_reason, messages, segments (SMS 计费条数, NULL where never rendered), cost.
    """
    ob = _reminders(src)
    ids = ob.select("key", order_id=ob.order_ids.unnest())
    placed = _placed(src, period).select("order_id")
    about = ids.semi_join(placed, "order_id").select("key").distinct()
    return (
        ob.semi_join(about, "key")
        .group_by("kind", "state", "state_reason")
        .aggregate(messages=_.count(), segments=_.segments.sum().cast("int64"), cost=_.cost.sum())
    )


def reminded(src: Source, period: Period, *, by_kind: bool) -> ir.Table:
    """Orders placed in the period that a sent reminder was about, and how many were paid after it.

    Per kind (`by_kind`; an order reminded by both kinds counts in each, after that kind's first message)
    or in all (`kind` = "total": each order once, after its first reminder). Columns: kind, orders,
    amount (their total_amount), paid (paid_at later than the reminder's call), paid_gmv (their paid_amount).
    """
    ob = _reminders(src)
    sent = ob.filter(ob.state == "sent")
    at = ibis.coalesce(sent.called_at, sent.finished_at)
    # NULL sent_order_ids: every planned order was still unpaid when it went (dachu.ops.outbox.mark_called)
    per_message = sent.select("kind", at=at, order_id=ibis.coalesce(sent.sent_order_ids, sent.order_ids).unnest())
    if by_kind:
        per_order = per_message.group_by("kind", "order_id").aggregate(at=_.at.min())
    else:
        per_order = per_message.group_by("order_id").aggregate(at=_.at.min()).mutate(kind=ibis.literal("total"))
    o = _placed(src, period).select("order_id", "paid_at", "total_amount", "paid_amount")
    joined = per_order.join(o, "order_id")
    after = joined.paid_at.notnull() & (joined.paid_at > joined.at)
    return joined.group_by("kind").aggregate(
        orders=_.count(),
        amount=_.total_amount.sum(),
        paid=_.count(where=after),
        paid_gmv=_.paid_amount.sum(where=after),
    )


def holdout_candidates(
    src: Source,
    period: Period,
    first_minutes: int,
    close_minutes: int,
    before_close_minutes: int,
    item_close_minutes: dict[str, int] | None = None,
) -> ir.Table:
    """Per buyer, the orders placed in the period a reminder rule would have found still unpaid.

    `first_*`: unpaid at placing + `first_minutes` (paid_at NULL or later), and of those, paid later;
    `close_*`: unpaid at close − `before_close_minutes`, where the order closes `close_minutes` after
    placing, or sooner when one of its lines is a sku of `item_close_minutes` (sku → minutes: the shortest
    wins, as the rules close it). `*_amount` sums total_amount, `*_gmv` the later paid_amount. Only buyers
    with a key and with at least one such order.
    """
    o = _placed(src, period)
    o = o.filter(o.buyer_key.notnull())
    if item_close_minutes:
        lines = src.lines.filter(src.lines.sku.isin(list(item_close_minutes)))
        per_sku = lines.sku.cases(*((sku, m) for sku, m in item_close_minutes.items()), else_=close_minutes)
        soon = lines.select("order_id", minutes=per_sku).group_by("order_id").aggregate(item_minutes=_.minutes.min())
        o = o.left_join(soon, "order_id").select(
            *o.columns, minutes=ibis.least(_.item_minutes.fill_null(close_minutes), close_minutes)
        )
    else:
        o = o.mutate(minutes=ibis.literal(close_minutes, "int64"))
    o = o.mutate(
        first_at=o.created_at + ibis.interval(minutes=first_minutes),
        close_at=o.created_at + (o.minutes - before_close_minutes).as_interval("m"),
    )
    first_open = _.paid_at.isnull() | (_.paid_at > _.first_at)
    close_open = _.paid_at.isnull() | (_.paid_at > _.close_at)
    first_paid = _.paid_at.notnull() & (_.paid_at > _.first_at)
    close_paid = _.paid_at.notnull() & (_.paid_at > _.close_at)
    return (
        o.filter(first_open | close_open)
        .group_by("buyer_key")
        .aggregate(
            first_orders=_.count(where=first_open),
            first_paid=_.count(where=first_paid),
            first_amount=_.total_amount.sum(where=first_open),
            first_gmv=_.paid_amount.sum(where=first_paid),
            close_orders=_.count(where=close_open),
            close_paid=_.count(where=close_paid),
            close_amount=_.total_amount.sum(where=close_open),
            close_gmv=_.paid_amount.sum(where=close_paid),
        )
    )
