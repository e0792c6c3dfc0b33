"""How the event day's traffic and orders spread over its 24 hours (分时), a documented default.

Double 11 opens at midnight with a rush (a large share of the day's orders in the first hour), dips
through the small hours, climbs through the morning and peaks again in the evening (20–23h). The default
below is a typical Tmall store's shape, as shares of the day that sum exactly to 1; a campaign may replace
it, and the review (`calibrated.yaml`) writes the measured one for next year.

`ORDER_SHARES` is for paid orders; `VISITOR_SHARES` is flatter (people browse before they buy).
"""

from __future__ import annotations

from decimal import Decimal

from dachu.domain.money import ZERO

_ORDERS = (
    "0.1800", "0.0600", "0.0250", "0.0120", "0.0080", "0.0060", "0.0070", "0.0110",
    "0.0200", "0.0350", "0.0420", "0.0430", "0.0400", "0.0400", "0.0400", "0.0390",
    "0.0380", "0.0370", "0.0380", "0.0420", "0.0520", "0.0580", "0.0600", "0.0670",
)
_VISITORS = (
    "0.0890", "0.0500", "0.0250", "0.0130", "0.0090", "0.0080", "0.0100", "0.0170",
    "0.0300", "0.0450", "0.0500", "0.0500", "0.0470", "0.0460", "0.0460", "0.0450",
    "0.0440", "0.0430", "0.0450", "0.0520", "0.0600", "0.0610", "0.0590", "0.0560",
)

ORDER_SHARES: tuple[Decimal, ...] = tuple(Decimal(s) for s in _ORDERS)
"""Share of the event day's paid orders in each hour 0–23; sums to exactly 1."""

VISITOR_SHARES: tuple[Decimal, ...] = tuple(Decimal(s) for s in _VISITORS)
"""Share of the event day's visitors in each hour 0–23; sums to exactly 1."""


def spread(total: int, shares: tuple[Decimal, ...] = ORDER_SHARES) -> list[int]:
    """Split a whole `total` over the hours by `shares`; largest remainders get the leftovers, sum exact."""
    raw = [total * s for s in shares]
    whole = [int(r) for r in raw]
    left = total - sum(whole)
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - whole[i], reverse=True)
    for i in by_remainder[:left]:
        whole[i] += 1
    return whole


def cumulative(shares: tuple[Decimal, ...] = ORDER_SHARES) -> list[Decimal]:
    """The running share by the end of each hour (the plan's pace line)."""
    out: list[Decimal] = []
    acc = ZERO
    for s in shares:
        acc += s
        out.append(acc)
    return out
