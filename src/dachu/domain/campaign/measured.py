"""What a review measured (复盘实测): the `measured:` section `dachu review` writes into calibrated.yaml.

The next campaign file starts from last year's truth: the measured event-day conversion, the day profile
and the channel prices go into their usual keys; what the campaign file has no key for yet (the hour
profile of orders and visitors, the unpaid and reminder-recovery rates) is kept here. Nothing reads this
section yet besides validation; the plan keeps using `dachu.domain.day_profile` until it does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from dachu.domain.types import Count, Model, Money, Rate

HOURS = 24
SHARE_TOLERANCE = Decimal("0.001")
"""Hour shares are written to 4 decimals, so their sum may miss 1 by a rounding hair."""


class MeasuredChannel(Model):
    """One channel's event-day figures: spend, impressions, clicks and the prices they imply."""

    name: str
    spend: Money
    impressions: Count = 0
    clicks: Count = 0
    cost_per_click: Money | None = None
    ctr: Rate | None = None


class Measured(Model):
    """The event day as measured by the review.

    `hour_order_shares`/`hour_visitor_shares`: each hour's share (0–23) of the day's paid orders and
    visitors, summing to 1 (within rounding). `unpaid_rate`: orders placed and never paid / placed.
    `recovery_rate`: orders a sent reminder was about, paid after it / those orders (催付挽回, from the
    outbox; None when dachu sent no reminder). `inquiry_rate`: buyers who chatted / visitors.
    """

    event_day: dt.date
    store: str = ""
    visitors: Count = 0
    paying_buyers: Count = 0
    orders_paid: Count = 0
    gmv_paid: Money = Decimal(0)
    conversion: Rate | None = None
    unpaid_rate: Rate | None = None
    recovery_rate: Rate | None = None
    inquiry_rate: Rate | None = None
    hour_order_shares: Annotated[list[Rate], Field(min_length=HOURS, max_length=HOURS)] | None = None
    hour_visitor_shares: Annotated[list[Rate], Field(min_length=HOURS, max_length=HOURS)] | None = None
    channels: list[MeasuredChannel] = []

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Measured:
        for shares in (self.hour_order_shares, self.hour_visitor_shares):
            if shares is not None and abs(sum(shares, Decimal(0)) - 1) > SHARE_TOLERANCE:
                raise ValueError("hour shares must sum to 1")
        return self
