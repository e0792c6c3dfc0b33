"""Channel kinds (渠道): how a budget turns into visitors and visitors into budget.

A registry of kinds, each a pydantic model with `kind` as its tag (`lookup_name`). Every kind answers
the same questions, so the planner, the optimiser and the workbook treat them alike:

- `cost_per_visitor(ctx)`: the base price of one visitor, before volume makes it dearer;
- `segments(ctx)`: the cost curve as (visitors, price per visitor) pieces, cheapest first, ending at the
  channel's cap (`None` = no cap). `rising` steps make visitors past a volume dearer (on the day bids
  rise 30–50%), so the curve is convex;
- `traffic_for_budget(budget, ctx)` and `budget_for_traffic(visitors, ctx)`: the round trip, visitors
  rounded down (a budget buys whole visitors) and money rounded up to the fen (a budget covers its cost).

The 2013 seed table (docs/domain.md §2) is the check: SMS ¥5,000 → 5,000; 直通车 ¥20,000 → 4,000;
钻石展位 ¥5,000 → 5,000; 聚效 ¥10,000 → 20,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from dachu.domain.money import ZERO, fen_up, floor_int
from dachu.domain.types import Count, Factor, Model, Money, PositiveMoney, Rate

_TOLERANCE = Decimal("1e-12")


@dataclass(frozen=True)
class PricingContext:
    """What a channel may need to price a visitor: the event conversion and the planned order value."""

    conversion: Decimal
    order_value: Decimal
    price_factor: Decimal = Decimal(1)
    """Scales every channel's price (sensitivity: CPC ±10/20%); 1 in a plan."""


class CostStep(Model):
    """From `from_visitors` on, each further visitor costs the base price × `factor`."""

    from_visitors: Annotated[int, Field(gt=0)]
    factor: Factor


@dataclass(frozen=True)
class Segment:
    """A piece of a cost curve: `visitors` more visitors (None = unlimited) at `price` each."""

    visitors: int | None
    price: Decimal


class ChannelBase(Model):
    """Fields every channel kind has.

    `budget`: money committed to the channel (it then yields traffic); without it the optimiser decides.
    `cap`: the most visitors the channel can bring on the day (None = no limit).
    `rising`: steps at which visitors get dearer; factors must rise.
    """

    lookup_name: ClassVar[str]
    name: str
    budget: Money | None = None
    cap: Count | None = None
    rising: list[CostStep] = []

    def cost_per_visitor(self, ctx: PricingContext) -> Decimal:
        """The base price of one visitor (before `rising` steps)."""
        raise NotImplementedError

    def segments(self, ctx: PricingContext) -> list[Segment]:
        """The convex cost curve, cheapest piece first, cut at `cap`."""
        base = self.cost_per_visitor(ctx) * ctx.price_factor
        bounds = [(0, Decimal(1))] + [(s.from_visitors, s.factor) for s in self.rising]
        pieces: list[Segment] = []
        for i, (start, factor) in enumerate(bounds):
            end: int | None = bounds[i + 1][0] if i + 1 < len(bounds) else None
            if self.cap is not None:
                if start >= self.cap:
                    break
                end = self.cap if end is None else min(end, self.cap)
            pieces.append(Segment(None if end is None else end - start, base * factor))
        return pieces

    def budget_for_traffic(self, visitors: int, ctx: PricingContext) -> Decimal:
        """Money needed for `visitors` visitors along the cost curve, rounded up to the fen."""
        left = visitors
        cost = ZERO
        for seg in self.segments(ctx):
            take = left if seg.visitors is None else min(left, seg.visitors)
            cost += take * seg.price
            left -= take
            if left == 0:
                break
        # A price like CPM/1000/CTR is a repeating decimal cut at 28 digits; 17,524 visitors at 7/1000/0.013
        # cost exactly ¥9,436 but the cut price gives 9436.000…01, which must not round up to 9,436.01.
        return fen_up(cost - _TOLERANCE)

    def traffic_for_budget(self, budget: Decimal, ctx: PricingContext) -> int:
        """Whole visitors `budget` buys along the cost curve (rounded down, at most `cap`)."""
        left = budget
        visitors = 0
        for seg in self.segments(ctx):
            if seg.price == 0:
                return visitors + (seg.visitors or 0)
            # a hair of tolerance: a price like CPM/1000/CTR is a repeating decimal cut at 28 digits
            affordable = floor_int(left / seg.price + _TOLERANCE)
            take = affordable if seg.visitors is None else min(affordable, seg.visitors)
            visitors += take
            left -= take * seg.price
            if seg.visitors is None or take < seg.visitors:
                break
        return visitors

    def is_divisible(self) -> bool:
        """Whether the optimiser may buy any number of visitors (False: all or nothing)."""
        return True


class CpcChannel(ChannelBase):
    """Pay per click (直通车, 聚效): a visitor costs one click."""

    lookup_name: ClassVar[str] = "cpc"
    kind: Literal["cpc"]
    cpc: PositiveMoney

    def cost_per_visitor(self, ctx: PricingContext) -> Decimal:
        """One click is one visitor."""
        return self.cpc


class CpmChannel(ChannelBase):
    """Pay per thousand impressions (钻石展位): a visitor costs 1,000 / CTR impressions' worth."""

    lookup_name: ClassVar[str] = "cpm"
    kind: Literal["cpm"]
    cpm: PositiveMoney
    ctr: Rate

    def cost_per_visitor(self, ctx: PricingContext) -> Decimal:
        """CPM / 1,000 / CTR."""
        return self.cpm / 1000 / self.ctr


class SmsChannel(ChannelBase):
    """Text messages to past buyers (短信营销): a visitor costs cost per message / click rate."""

    lookup_name: ClassVar[str] = "sms"
    kind: Literal["sms"]
    cost_per_message: PositiveMoney
    click_rate: Rate

    def cost_per_visitor(self, ctx: PricingContext) -> Decimal:
        """Messages needed per visitor × their price."""
        return self.cost_per_message / self.click_rate


class CpsChannel(ChannelBase):
    """Pay per sale (淘宝客, live hosts): commission on the order value plus a fee per order.

    A visitor costs (commission × order value + service fee) × conversion. `order_value` and
    `conversion` default to the plan's own.
    """

    lookup_name: ClassVar[str] = "cps"
    kind: Literal["cps"]
    commission: Rate
    service_fee: Money = Decimal(0)
    order_value: PositiveMoney | None = None
    conversion: Rate | None = None

    def cost_per_visitor(self, ctx: PricingContext) -> Decimal:
        """The expected commission and fee per visitor."""
        value = self.order_value if self.order_value is not None else ctx.order_value
        conversion = self.conversion if self.conversion is not None else ctx.conversion
        return (self.commission * value + self.service_fee) * conversion


class FlatChannel(ChannelBase):
    """A flat fee for an expected number of visitors (聚划算 slot, 微博/KOL post): all or nothing."""

    lookup_name: ClassVar[str] = "flat"
    kind: Literal["flat"]
    fee: PositiveMoney
    visitors: Annotated[int, Field(gt=0)]

    def cost_per_visitor(self, ctx: PricingContext) -> Decimal:
        """The fee spread over the expected visitors (for comparison only)."""
        return self.fee / self.visitors

    def segments(self, ctx: PricingContext) -> list[Segment]:
        """One piece: the whole slot."""
        return [Segment(self.visitors, self.cost_per_visitor(ctx) * ctx.price_factor)]

    def budget_for_traffic(self, visitors: int, ctx: PricingContext) -> Decimal:
        """The whole fee for any traffic above zero."""
        return fen_up(self.fee * ctx.price_factor) if visitors > 0 else ZERO

    def traffic_for_budget(self, budget: Decimal, ctx: PricingContext) -> int:
        """The expected visitors once the fee is paid, else none."""
        return self.visitors if budget >= self.fee * ctx.price_factor else 0

    def is_divisible(self) -> bool:
        """A slot is bought whole."""
        return False


Channel = Annotated[
    CpcChannel | CpmChannel | SmsChannel | CpsChannel | FlatChannel,
    Field(discriminator="kind"),
]
"""Any registered channel kind, chosen by its `kind` key."""

CHANNEL_KINDS: dict[str, type[ChannelBase]] = {
    cls.lookup_name: cls for cls in (CpcChannel, CpmChannel, SmsChannel, CpsChannel, FlatChannel)
}
"""The registry: kind name → model class."""
