"""Annotated field types shared by the campaign models: money, rates, counts.

A rate is a share between 0 and 1. The file may write it as `0.04` or `"4%"`; `4` is rejected with a
hint (it almost always means 4%).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field
from pydantic import BaseModel as _BaseModel
from pydantic_core import PydanticCustomError


class Model(_BaseModel):
    """Base of every campaign-file model: unknown keys are errors (typos), values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _parse_rate(value: Any) -> Any:
    if isinstance(value, str) and value.strip().endswith("%"):
        text = value.strip()[:-1].strip()
        try:
            return Decimal(text) / 100
        except InvalidOperation:
            raise PydanticCustomError("rate_text", "not a percentage: {value}", {"value": value}) from None
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def _check_rate(value: Decimal) -> Decimal:
    if value < 0:
        raise PydanticCustomError("rate_negative", "a rate cannot be negative: {value}", {"value": str(value)})
    if value > 1:
        raise PydanticCustomError(
            "rate_over_one",
            "{value} is not a rate between 0 and 1",
            {"value": str(value), "percent": str(value / 100)},
        )
    return value


def _money_before(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    return value


Rate = Annotated[Decimal, BeforeValidator(_parse_rate), AfterValidator(_check_rate)]
"""A share between 0 and 1 (conversion, click rate, commission). `"4%"` is accepted."""

Money = Annotated[Decimal, BeforeValidator(_money_before), Field(ge=0, allow_inf_nan=False)]
"""An amount of money or a price, not negative. Not rounded: per-unit prices may have more than 2 places."""

PositiveMoney = Annotated[Decimal, BeforeValidator(_money_before), Field(gt=0, allow_inf_nan=False)]
"""An amount above zero (a cost per click, a target)."""

Count = Annotated[int, Field(ge=0, strict=False)]
"""A whole number of orders, visitors, units; zero or more."""

PositiveCount = Annotated[int, Field(gt=0)]
"""A whole number above zero."""

Factor = Annotated[Decimal, BeforeValidator(_money_before), Field(gt=0, allow_inf_nan=False)]
"""A multiplier above zero (1.3 = 30% more)."""
