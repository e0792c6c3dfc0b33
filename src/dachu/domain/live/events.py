"""The events the war room ingests (实时事件): orders, payments, shipments, refunds, traffic, ad spend, CS.

Each event has an `id` unique across the stream (the ingest is idempotent by it), a `type` and a time
`at` in shop wall-clock time (an ISO time; one with a UTC offset is converted to UTC+8). Money is yuan
with at most two decimals (fen-exact). No event carries personal data: a buyer is an opaque `buyer_key`
(a hash made by the sender), unknown fields are rejected, and the free-text fields (`buyer_key`, `source`,
`channel`) refuse a phone number, an ID number or an address found in them (`dachu.domain.privacy`), so a
buyer key of "张三 13812345678 北京市朝阳区…" is refused with the field named and never logged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, TypeAdapter, ValidationInfo
from pydantic import BaseModel as _BaseModel
from pydantic_core import PydanticCustomError

from dachu.domain.privacy import personal_kind

SHOP_TZ = dt.timezone(dt.timedelta(hours=8))
"""Shop time of the Chinese platforms (UTC+8); a time sent with an offset is converted to it."""


FIRST_YEAR, LAST_YEAR = 2000, 2100
"""Event times outside these years are refused (a number of seconds sent by mistake, 0001-01-01...)."""


def _shop_time(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        try:
            value = value.astimezone(SHOP_TZ).replace(tzinfo=None)
        except OverflowError:
            raise ValueError("time out of range") from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    return value


Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, allow_inf_nan=False)]
"""Yuan, not negative, at most two decimals (a fen is the smallest unit)."""
Name = Annotated[str, Field(min_length=1, max_length=100)]
"""An id, SKU, source or channel name: 1–100 characters."""
Units = Annotated[int, Field(ge=0, le=1_000_000_000)]


def _not_personal(value: str, info: ValidationInfo) -> str:
    if info.context is not None and info.context.get("logged"):
        return value  # read back from the event log: checked when it was accepted
    kind = personal_kind(value)
    if kind is not None:
        # the value itself is never repeated in the error: only its kind
        raise PydanticCustomError("personal_data", "personal data ({kind}) in a free-text field", {"kind": kind})
    return value


FreeText = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_not_personal)]
"""A name the sender chooses (buyer key, source, channel): 1–100 characters with no personal data in them."""
ShopTime = Annotated[dt.datetime, AfterValidator(_shop_time)]


class _Event(_BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Name
    at: ShopTime


class Line(_BaseModel):
    """One item line of an order: SKU and units (价格不在此: the order's amount is what counts)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sku: Name
    quantity: Annotated[int, Field(gt=0, le=100_000)] = 1


class OrderEvent(_Event):
    """An order placed (下单), paid or not yet. `amount` is the order total, shipping included."""

    type: Literal["order"]
    order_id: Name
    amount: Amount
    buyer_key: FreeText | None = None
    lines: list[Line] = []
    source: FreeText | None = None  # entry path / ad placement the order came through (流量来源)


class PaymentEvent(_Event):
    """An order paid (付款); `amount` is what the buyer paid with this payment.

    `stage` is `full` for an ordinary order; a pre-sale order (预售) pays a `deposit` (定金) first and its
    `balance` (尾款) later, and counts as paid when the balance is paid, both amounts together
    (`dachu.domain.live.orders`).
    """

    type: Literal["payment"]
    order_id: Name
    amount: Amount
    stage: Literal["full", "deposit", "balance"] = "full"


class ShipmentEvent(_Event):
    """An order shipped (发货)."""

    type: Literal["shipment"]
    order_id: Name


class RefundEvent(_Event):
    """Money given back on an order (退款); `amount` is this refund alone."""

    type: Literal["refund"]
    order_id: Name
    amount: Amount


class TrafficEvent(_Event):
    """Visitors who arrived since the last traffic event of the same page and source (访客)."""

    type: Literal["traffic"]
    page: Literal["activity", "store"]  # the activity page (活动页) or the rest of the store
    source: FreeText  # entry path or placement (入口 / 资源位)
    visitors: Units
    page_views: Units = 0


class AdSpendEvent(_Event):
    """Advertising money spent since the last event of the same channel (推广花费)."""

    type: Literal["ad_spend"]
    channel: FreeText
    spend: Amount
    clicks: Units = 0
    impressions: Units = 0


class CsEvent(_Event):
    """A customer-service session's first response (客服响应): seconds the buyer waited."""

    type: Literal["cs"]
    session_id: Name
    response_seconds: Annotated[Decimal, Field(ge=0, le=86_400, allow_inf_nan=False)]


Event = Annotated[
    OrderEvent | PaymentEvent | ShipmentEvent | RefundEvent | TrafficEvent | AdSpendEvent | CsEvent,
    Field(discriminator="type"),
]
EVENT_TYPES: tuple[str, ...] = ("order", "payment", "shipment", "refund", "traffic", "ad_spend", "cs")

EVENTS: TypeAdapter[list[Event]] = TypeAdapter(list[Event])
"""Validates a JSON array of events (one call for a whole batch)."""
LOGGED = {"logged": True}
"""Validation context of events read back from the event log (`EVENTS.validate_json(line, context=LOGGED)`):
they were checked for personal data when accepted, so that check is not paid again on every restart."""
