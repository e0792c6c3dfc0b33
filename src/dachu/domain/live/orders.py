"""The one order state machine (订单状态机) of the war room: which event counts on an order, and once.

The live figures (`dachu.domain.live.state`), their rebuild after a restart and the store writer
(`dachu.data.live_sink`) all ask `step(flags, event)` what an order's event does, so a restart or a second
reading of the same events can never count them differently. An order's state is a few flags:

- `PLACED` — its order event was taken. A second order event (a resend under a new id) changes nothing.
- `DEPOSIT` — the deposit (定金) of a pre-sale order was paid (a payment with `stage: deposit`). It does not
  make the order paid: a pre-sale order counts as paid on the day its balance (尾款) is paid, with the
  deposit and the balance together (生意参谋's 支付金额: staged pre-sale payments count on the day they are
  paid off). A deposit after the order is paid changes nothing.
- `PAID` — paid in full: a payment with `stage: full` (the default) or `stage: balance`. Only the first such
  payment counts; a later one is a resend.
- `SHIPPED` — the first shipment event counts.
- `REFUNDED` — at least one refund. Every refund event counts (partial refunds add up); the order counts once
  among refunded orders, at its first refund.

Events may arrive in any order (a payment before its order): each flag is independent of the others.
"""

from __future__ import annotations

from enum import IntEnum

from dachu.domain.live.events import Event, OrderEvent, PaymentEvent, RefundEvent, ShipmentEvent

PLACED, DEPOSIT, PAID, SHIPPED, REFUNDED = 1, 2, 4, 8, 16
ORDER_FLAGS = PLACED | DEPOSIT | PAID | SHIPPED | REFUNDED
"""The bits of an order's flags this machine owns (a caller may keep its own bits above them)."""


class Effect(IntEnum):
    """What an event does to its order (the caller counts it)."""

    NONE = 0  # a resend, or a deposit of an order already paid: nothing changes
    PLACE = 1  # the order is placed
    DEPOSIT = 2  # a pre-sale deposit is paid
    PAY = 3  # the order is paid in full (balance or full payment)
    SHIP = 4  # the order is shipped
    REFUND = 5  # a refund of an order refunded before: its amount adds up
    FIRST_REFUND = 6  # the order's first refund


ORDER_EVENTS = (OrderEvent, PaymentEvent, ShipmentEvent, RefundEvent)
"""The event types that belong to an order (they carry `order_id`)."""


def step(flags: int, event: Event) -> tuple[int, Effect]:
    """The order's flags after `event`, and what the event did. `event` is one of `ORDER_EVENTS`."""
    if isinstance(event, OrderEvent):
        return (flags, Effect.NONE) if flags & PLACED else (flags | PLACED, Effect.PLACE)
    if isinstance(event, PaymentEvent):
        if event.stage == "deposit":
            return (flags, Effect.NONE) if flags & (DEPOSIT | PAID) else (flags | DEPOSIT, Effect.DEPOSIT)
        return (flags, Effect.NONE) if flags & PAID else (flags | PAID, Effect.PAY)
    if isinstance(event, ShipmentEvent):
        return (flags, Effect.NONE) if flags & SHIPPED else (flags | SHIPPED, Effect.SHIP)
    if isinstance(event, RefundEvent):
        return (flags, Effect.REFUND) if flags & REFUNDED else (flags | REFUNDED, Effect.FIRST_REFUND)
    raise TypeError(f"not an order event: {type(event).__name__}")
