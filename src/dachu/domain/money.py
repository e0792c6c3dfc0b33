"""Money and count helpers. Money is `Decimal`, exact to the fen (分, 0.01 yuan)."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)


def _no_negative_zero(amount: Decimal) -> Decimal:
    """-0.00 (a tiny negative rounded to the fen) as 0.00: no figure ever shows a negative zero."""
    return abs(amount) if amount.is_zero() else amount


def fen(amount: Decimal) -> Decimal:
    """Round to the fen, half up (the way a till rounds); never a negative zero."""
    return _no_negative_zero(amount.quantize(FEN, rounding=ROUND_HALF_UP))


def fen_up(amount: Decimal) -> Decimal:
    """Round up to the fen: a budget that must cover a cost is never short by a fraction of a fen.

    Never a negative zero (a cost of −0.000…01 rounds up to 0.00, not −0.00).
    """
    return _no_negative_zero(amount.quantize(FEN, rounding=ROUND_CEILING))


def ceil_int(value: Decimal) -> int:
    """The smallest whole number not below `value` (whole orders, whole visitors)."""
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def floor_int(value: Decimal) -> int:
    """The largest whole number not above `value` (visitors a budget can buy)."""
    return int(value.to_integral_value(rounding=ROUND_FLOOR))
