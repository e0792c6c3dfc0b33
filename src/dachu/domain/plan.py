"""The whole plan (`dachu plan`): frozen data built by one pure function from a campaign.

Scenarios: the floor and the stretch, each by the seed method and net of spend. Promotion spend is
budgeted on the floor; capacity (orders, parcels, stock units) is prepared for the stretch × the resource
multiplier. Then sensitivity, the daily plan table, promotion economics and price stacking.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dachu.domain.budget import Scenario, net_of_spend, seed_method
from dachu.domain.campaign import Campaign
from dachu.domain.daily_plan import DayPlan, daily_plan
from dachu.domain.money import ceil_int
from dachu.domain.promotions import PromotionEconomics, economics
from dachu.domain.sensitivity import SensitivityCell, sensitivity
from dachu.domain.stacking import Line, StackResult, stack


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
class Plan:
    """Everything `dachu plan` shows. Built by `make_plan`; faces only render it."""

    campaign: Campaign
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


def make_plan(campaign: Campaign) -> Plan:
    """Build the whole plan from a validated campaign."""
    floor_seed = seed_method(campaign, "floor", campaign.goal.floor)
    floor_net = net_of_spend(campaign, "floor", campaign.goal.floor)
    stretch_seed = seed_method(campaign, "stretch", campaign.goal.stretch)
    stretch_net = net_of_spend(campaign, "stretch", campaign.goal.stretch)
    stretch = stretch_net if stretch_net.reachable else stretch_seed
    working = floor_net if floor_net.reachable else floor_seed
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
        scenarios=(floor_seed, floor_net, stretch_seed, stretch_net),
        comparisons=(_compare(floor_seed, floor_net), _compare(stretch_seed, stretch_net)),
        capacity=capacity_for(campaign, stretch),
        sensitivity=tuple(sensitivity(campaign, working)),
        daily=tuple(daily_plan(campaign, working)),
        promotions=tuple(economics(p, campaign.store.event_conversion) for p in campaign.promotions),
        baskets=baskets,
    )
