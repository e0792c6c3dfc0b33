"""What every review section shares: the `Context` it measures in, and the helpers it arranges numbers with.

The sections (`dachu.analytics.review.<section>`) import from here and from the queries, never from each
other or from `build`: this module imports no section.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dachu.analytics.review_model import Column, Figure, Unit, Value
from dachu.analytics.source import Period, Source
from dachu.domain.money import fen
from dachu.domain.plan.plan import Plan

DEFAULT_PRIORITY_CITIES = ("北京市", "上海市", "广州市", "深圳市", "杭州市")
"""Priority cities (重点城市) when the caller names none: the first-tier cities and Hangzhou."""


def ratio(num: Any, den: Any) -> float | None:
    """The ratio num / den as a float; None when either is unknown or den is 0."""
    if num is None or den is None or den == 0:
        return None
    return float(num) / float(den)


def money(value: Any) -> Decimal | None:
    """A money value exact to the fen (half-up), None stays None."""
    return None if value is None else fen(Decimal(value))


def money_ratio(num: Any, den: Any) -> Decimal | None:
    """The ratio num / den as money to the fen; None when den is 0 or unknown."""
    if num is None or den is None or den == 0:
        return None
    return fen(Decimal(num) / Decimal(den))


def whole(value: Any) -> int:
    """A count as an int, 0 for None (a SQL sum over no rows is NULL; sums of integers arrive as int)."""
    return int(value or 0)


def col(cid: str, unit: Unit, metric: str | None = None, *, labels: bool = False) -> Column:
    """A column labelled by its metric's name, or by `review.col.<id>`; `labels`: values are catalogue keys."""
    return Column(cid, f"metric.{metric}.name" if metric else f"review.col.{cid}", unit, metric, labels)


def fig(metric: str, unit: Unit, actual: Value, **plan: Value) -> Figure:
    """A headline figure of a defined metric."""
    return Figure(metric, f"metric.{metric}.name", unit, actual, metric=metric, **plan)


def note(key: str, **params: Value) -> tuple[str, dict[str, Value]]:
    """A section note: a catalogue key under `review.note.` and its parameters."""
    return (f"review.note.{key}", dict(params))


@dataclass(frozen=True)
class Context:
    """What every section needs: the store, the plan and the periods.

    The plan carries the one scenario decision (`plan.floor`, `plan.stretch`, `plan.floor_channels`);
    the sections read it from there and derive none of it again.
    """

    src: Source
    plan: Plan
    day: Period
    campaign: Period
    previous: Period | None
    priority_cities: tuple[str, ...]
    data_end: dt.datetime | None
    """How far the orders reach: the last order time, or the next midnight when the times are dates only
    (`queries.data_end`: the whole last day is in the data)."""

    @property
    def last_data_day(self) -> dt.date | None:
        """The last day the data reaches (a date-only export's last date, whose whole day it covers)."""
        return None if self.data_end is None else (self.data_end - dt.timedelta(microseconds=1)).date()

    @property
    def event_day(self) -> dt.date:
        """The event day."""
        return self.day.start.date()

    @property
    def event_conversion(self) -> Decimal:
        """The conversion the plan works with on the event day (活动转化率): orders ÷ visitors."""
        return self.plan.campaign.store.event_conversion
