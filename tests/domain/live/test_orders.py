"""The order state machine, step by step, against effects written out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import permutations

from dachu.domain.live.events import Event, OrderEvent, PaymentEvent, RefundEvent, ShipmentEvent
from dachu.domain.live.orders import DEPOSIT, PAID, PLACED, REFUNDED, SHIPPED, Effect, step

AT = dt.datetime(2026, 11, 11, 0, 5)


def order() -> Event:
    return OrderEvent(type="order", id="o", at=AT, order_id="A", amount=Decimal("100"))


def pay(stage: str = "full") -> Event:
    return PaymentEvent(type="payment", id="p" + stage, at=AT, order_id="A", amount=Decimal("80"), stage=stage)  # type: ignore[arg-type]


def ship() -> Event:
    return ShipmentEvent(type="shipment", id="s", at=AT, order_id="A")


def refund() -> Event:
    return RefundEvent(type="refund", id="r", at=AT, order_id="A", amount=Decimal("10"))


def run(events: list[Event]) -> tuple[int, list[Effect]]:
    flags, effects = 0, []
    for event in events:
        flags, effect = step(flags, event)
        effects.append(effect)
    return flags, effects


def test_each_first_event_counts_and_its_resend_does_not() -> None:
    flags, effects = run([order(), order(), pay(), pay(), ship(), ship()])
    assert effects == [Effect.PLACE, Effect.NONE, Effect.PAY, Effect.NONE, Effect.SHIP, Effect.NONE]
    assert flags == PLACED | PAID | SHIPPED


def test_a_pre_sale_order_is_paid_when_its_balance_is() -> None:
    flags, effects = run([order(), pay("deposit"), pay("deposit"), pay("balance"), pay("deposit")])
    assert effects == [Effect.PLACE, Effect.DEPOSIT, Effect.NONE, Effect.PAY, Effect.NONE]
    assert flags == PLACED | DEPOSIT | PAID


def test_every_refund_adds_up_and_the_order_is_refunded_once() -> None:
    flags, effects = run([order(), pay(), refund(), refund(), refund()])
    assert effects[2:] == [Effect.FIRST_REFUND, Effect.REFUND, Effect.REFUND]
    assert flags == PLACED | PAID | REFUNDED


def test_the_flags_at_the_end_never_depend_on_the_order_of_arrival() -> None:
    events = [order(), pay(), ship(), refund()]
    ends = {run(list(p))[0] for p in permutations(events)}
    assert ends == {PLACED | PAID | SHIPPED | REFUNDED}
    for p in permutations(events):  # and each kind counts exactly once, whatever came first
        effects = run(list(p))[1]
        assert sorted(effects) == [Effect.PLACE, Effect.PAY, Effect.SHIP, Effect.FIRST_REFUND]
