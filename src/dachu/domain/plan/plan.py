"""The whole plan (`dachu plan`): frozen data built by one pure function from a campaign.

Scenarios: the floor and the stretch, each by the seed method and net of spend. One decision picks the
method every area works to (`working_method`): net of spend when both targets are reachable net of spend,
else the seed method for both — never one of each, which could put a floor above the stretch. The plan
carries the result (`Plan.floor`, `Plan.stretch`, with the reason); the daily plan, sensitivity, capacity,
staffing, the stock plan, the simulator, the review and the war room read it and never choose again.

Promotion spend is budgeted on the floor; capacity (orders, parcels, stock units) is prepared for the
stretch × the resource multiplier. Then sensitivity, the daily plan table, promotion economics and price
stacking.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from dachu.domain.campaign.channels import CpsChannel
from dachu.domain.campaign.model import Campaign
from dachu.domain.money import ceil_int, fen
from dachu.domain.plan.budget import Method, Scenario, net_of_spend, seed_method
from dachu.domain.plan.daily import DayPlan, daily_plan
from dachu.domain.plan.promotions import PromotionEconomics, economics, promotion_fee_rate
from dachu.domain.plan.sensitivity import SensitivityCell, sensitivity
from dachu.domain.plan.stacking import Line, StackResult, stack


@dataclass(frozen=True)
class StockNeed:
    """Units one product needs for the stretch × multiplier, against the stock the file gives."""

    sku: str
    name: str
    units: int
    stock: int | None

    @property
    def short(self) -> int:
        """Units missing (0 when covered or when no stock is given)."""
        return max(0, self.units - self.stock) if self.stock is not None else 0


@dataclass(frozen=True)
class Capacity:
    """What to prepare for (备货/物流/客服): the stretch scenario's orders × `multiplier`.

    `parcels` counts one parcel per order (split shipments excluded).
    """

    scenario: str
    multiplier: Decimal
    orders: int
    parcels: int
    stock: tuple[StockNeed, ...]


@dataclass(frozen=True)
class Comparison:
    """Seed method against net of spend on one target: what the seed method leaves out."""

    target: Decimal
    seed_net_profit: Decimal
    extra_orders: int
    extra_budget: Decimal
    extra_traffic: int


@dataclass(frozen=True)
class ChannelTarget:
    """One channel's part of a working scenario: what it spends, the visitors it brings, the orders they make.

    `orders` = ⌈visitors × conversion⌉ (rounded up, as the plan rounds its targets up), at the channel's own
    conversion for a pay-per-sale channel that gives one, else the scenario's (the event conversion). The
    store's ordinary-day visitors are not a channel and are not included.
    """

    name: str
    kind: str
    budget: Decimal
    visitors: int
    orders: int
    committed: bool


@dataclass(frozen=True)
class Working:
    """The method every area works to, and why (`reason` is a catalogue key: `plan.working.<reason>`)."""

    method: Method
    reason: str


def working_method(floor_net: Scenario, stretch_net: Scenario) -> Working:
    """Net of spend when both targets are reachable net of spend; else the seed method for both."""
    if floor_net.reachable and stretch_net.reachable:
        return Working("net_of_spend", "plan.working.net_of_spend")
    unreachable = "plan.working.seed_floor" if not floor_net.reachable else "plan.working.seed_stretch"
    return Working("seed", unreachable)


def channel_targets(campaign: Campaign, scenario: Scenario) -> tuple[ChannelTarget, ...]:
    """Planned visitors and orders per channel of `scenario` (see `ChannelTarget`)."""
    conversion = {c.name: c.conversion for c in campaign.channels if isinstance(c, CpsChannel) and c.conversion}
    default = scenario.conversion
    return tuple(
        ChannelTarget(
            name=line.name, kind=line.kind, budget=line.budget, visitors=line.traffic,
            orders=ceil_int(line.traffic * conversion.get(line.name, default)), committed=line.committed,
        )
        for line in scenario.channels.lines
    )


@dataclass(frozen=True)
class Plan:
    """Everything `dachu plan` shows. Built by `make_plan`; faces only render it.

    `floor` and `stretch` are the working scenarios (both by `working.method`); `scenarios` holds all four
    (each target by each method) for the comparison table. `floor_channels`/`stretch_channels`: planned
    visitors and orders per channel of the working floor and stretch.
    """

    campaign: Campaign
    floor: Scenario
    stretch: Scenario
    working: Working
    floor_channels: tuple[ChannelTarget, ...]
    stretch_channels: tuple[ChannelTarget, ...]
    scenarios: tuple[Scenario, ...]
    comparisons: tuple[Comparison, ...]
    capacity: Capacity
    sensitivity: tuple[SensitivityCell, ...]
    daily: tuple[DayPlan, ...]
    promotions: tuple[PromotionEconomics, ...]
    baskets: tuple[tuple[str, StackResult], ...]

    def scenario(self, name: str, method: str) -> Scenario:
        """The scenario `name` (floor, stretch) by `method` (seed, net_of_spend)."""
        return next(s for s in self.scenarios if s.name == name and s.method == method)


def _compare(seed: Scenario, net: Scenario) -> Comparison:
    return Comparison(
        target=seed.target,
        seed_net_profit=seed.net_profit,
        extra_orders=net.orders - seed.orders,
        extra_budget=net.budget - seed.budget,
        extra_traffic=net.traffic_needed - seed.traffic_needed,
    )


def capacity_for(campaign: Campaign, stretch: Scenario) -> Capacity:
    """Orders, parcels and units per product to prepare for: the stretch × the resource multiplier."""
    m = campaign.goal.resource_multiplier
    stock = tuple(
        StockNeed(pp.sku, pp.name, ceil_int(pp.orders * m), product.stock)
        for pp, product in zip(stretch.products, campaign.products, strict=True)
    )
    orders = ceil_int(stretch.orders * m)
    return Capacity(scenario=f"{stretch.name}/{stretch.method}", multiplier=m, orders=orders, parcels=orders,
                    stock=stock)


def capacity_visitors(plan: Plan) -> int:
    """Event-day visitors to prepare for: the working stretch's traffic × the resource multiplier."""
    return ceil_int(plan.stretch.traffic_needed * plan.capacity.multiplier)


def _best_reachable(seed: Scenario, net: Scenario) -> Scenario:
    """A seed scenario the channels cannot deliver names the best net profit of the two rows of its target.

    Net of spend, when it is out of reach too, stops where net profit peaks; the seed row spends every cap.
    The note's `best` is the larger of the two rows' net profits, so it is a number of the table.
    """
    if seed.note != "plan.traffic_short":
        return seed
    best = max(seed.net_profit, net.net_profit) if not net.reachable else seed.net_profit
    params = tuple((k, fen(best) if k == "best" else v) for k, v in seed.note_params)
    return replace(seed, note_params=params)


def make_plan(campaign: Campaign) -> Plan:
    """Build the whole plan from a validated campaign."""
    floor_seed = seed_method(campaign, "floor", campaign.goal.floor)
    floor_net = net_of_spend(campaign, "floor", campaign.goal.floor)
    stretch_seed = seed_method(campaign, "stretch", campaign.goal.stretch)
    stretch_net = net_of_spend(campaign, "stretch", campaign.goal.stretch)
    floor_seed = _best_reachable(floor_seed, floor_net)
    stretch_seed = _best_reachable(stretch_seed, stretch_net)
    working = working_method(floor_net, stretch_net)
    floor, stretch = (floor_net, stretch_net) if working.method == "net_of_spend" else (floor_seed, stretch_seed)
    prices = {p.sku: p.promo_price for p in campaign.products}
    baskets = tuple(
        (
            b.name,
            stack([Line(i.sku, i.quantity, prices[i.sku]) for i in b.items], list(campaign.offers)),
        )
        for b in campaign.baskets
    )
    return Plan(
        campaign=campaign,
        floor=floor,
        stretch=stretch,
        working=working,
        floor_channels=channel_targets(campaign, floor),
        stretch_channels=channel_targets(campaign, stretch),
        scenarios=(floor_seed, floor_net, stretch_seed, stretch_net),
        comparisons=(_compare(floor_seed, floor_net), _compare(stretch_seed, stretch_net)),
        capacity=capacity_for(campaign, stretch),
        sensitivity=tuple(sensitivity(campaign, floor)),
        daily=tuple(daily_plan(campaign, floor)),
        promotions=tuple(economics(p, floor.conversion, promotion_fee_rate(campaign, p)) for p in campaign.promotions),
        baskets=baskets,
    )
