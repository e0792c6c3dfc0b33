"""The stock plan (备货计划, docs/domain.md §6, seed 000): units per product, listed quantities, reorder points.

Per product, for the stretch scenario (冲刺):

- ``day_units``: the stretch scenario's event-day orders of the product, one unit per order (the plan's
  prices are per order of one unit). This is the demand on the planned hourly curve.
- ``units``: ``day_units`` × the resource multiplier, rounded up: what to prepare for (the seed doubles
  every resource because the day runs at 50% off).
- ``planned``: the stock there will be, ``max(units, on hand)``: the file's ``stock`` when it already
  covers the need, else the need (the shortfall is bought).
- ``listed``: the quantity put online (店铺库存), ``planned`` × ``listed_ratio`` rounded down to whole
  units. The seed lists 90–95% of the real stock so that counting errors never oversell (超卖); the rest
  is the reserve that is re-listed by hand.
- ``reorder_point`` (再订货点) = daily demand × supplier lead time + safety stock, rounded up. Daily demand
  is the event-day demand (``day_units``, the peak rate: conservative for the days around it); safety
  stock is the item's ``safety_stock`` when given, else ``safety_days`` × daily demand.
- ``lead_need``: the stock needed within the supplier's lead time — what a replenishment ordered now could
  not arrive in time for: the event's need (``units``) × min(lead time in days, 1) + safety stock, rounded
  up. The event's demand falls on one day, so a lead time of a day or more puts all of it inside the lead
  time; the reorder point's "daily demand × lead days" would count the event day's peak once per lead day.
- ``reorder_now``: the stock on hand falls short of ``lead_need``: agree and order the emergency
  replenishment (应急补货) before the day starts. Stock on hand that covers the need never alerts, however
  long the lead time; a product without stock on hand (unknown) or without a lead time never alerts.
- ``sell_out``: when the listed quantity runs out if demand follows the planned hourly curve
  (`dachu.domain.day_profile.ORDER_SHARES`, linear within each hour); ``None`` when it lasts the day.

Hero items (主推, role ``hero``) should hold 50–60% of all stock planned (seed: 所有主推产品要占整体备货的
50%-60%); the share outside the band is flagged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from dachu.domain.campaign.warehouse import StockItem, StockSettings
from dachu.domain.day_profile import ORDER_SHARES
from dachu.domain.money import ZERO, ceil_int, floor_int

if TYPE_CHECKING:
    from dachu.domain.plan.budget import Scenario
    from dachu.domain.plan.plan import Plan







@dataclass(frozen=True)
class SellOut:
    """The moment the listed quantity runs out on the event day: `hour` 0–23 and `minute` 0–59."""

    hour: int
    minute: int

    def __str__(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class StockLine:
    """One product's row of the stock plan (see the module docstring for each figure)."""

    sku: str
    name: str
    role: str
    day_units: int
    units: int
    on_hand: int | None
    planned: int
    listed: int
    reorder_point: int | None
    supplier: str | None
    sell_out: SellOut | None
    lead_need: int | None = None

    @property
    def short(self) -> int:
        """Units to buy: the need less the stock on hand (0 when covered or when no stock is given)."""
        return max(0, self.units - self.on_hand) if self.on_hand is not None else 0

    @property
    def reserve(self) -> int:
        """Units held back from the listing (planned − listed)."""
        return self.planned - self.listed

    @property
    def reorder_now(self) -> bool:
        """Whether the stock on hand falls short of the need within the lead time (order before the day)."""
        return self.lead_need is not None and self.on_hand is not None and self.on_hand < self.lead_need


@dataclass(frozen=True)
class StockPlan:
    """The stock plan: one line per product, and the hero items' share of all planned stock.

    `hero_share` is None when nothing is planned at all (no share to speak of).
    """

    lines: tuple[StockLine, ...]
    settings: StockSettings
    multiplier: Decimal
    total_planned: int
    hero_planned: int
    hero_share: Decimal | None

    @property
    def hero_share_ok(self) -> bool:
        """Whether the hero share lies inside the band (a plan with nothing planned is not flagged)."""
        if self.hero_share is None:
            return True
        return self.settings.hero_share_min <= self.hero_share <= self.settings.hero_share_max

    @property
    def sell_outs(self) -> tuple[StockLine, ...]:
        """The products that run out before the event day ends."""
        return tuple(line for line in self.lines if line.sell_out is not None)


def listed_quantity(planned: int, ratio: Decimal) -> int:
    """Units to list online (店铺库存): `planned` × `ratio`, rounded down to whole units."""
    return floor_int(planned * ratio)


def reorder_point(daily_demand: int, lead_time_days: Decimal, safety_stock: Decimal) -> int:
    """Reorder point (再订货点) = daily demand × lead time in days + safety stock, rounded up to a unit."""
    return ceil_int(daily_demand * lead_time_days + safety_stock)


def lead_time_need(units: int, lead_time_days: Decimal, safety_stock: Decimal) -> int:
    """Stock needed within the lead time: `units` × min(lead days, 1) + safety stock, rounded up to a unit."""
    return ceil_int(units * min(lead_time_days, Decimal(1)) + safety_stock)


def sell_out_time(listed: int, day_demand: int, shares: Sequence[Decimal] = ORDER_SHARES) -> SellOut | None:
    """When `listed` units run out if `day_demand` units are bought over the day along `shares`.

    Demand within an hour is taken as even. Returns None when the listing lasts the whole day
    (listed ≥ demand). A listing of 0 facing any demand is gone at 00:00.
    """
    if listed >= day_demand:
        return None
    before = ZERO
    for hour, share in enumerate(shares):
        after = before + day_demand * share
        if after >= listed and share > 0:
            into = (listed - before) / (day_demand * share)  # fraction of this hour, 0..1
            minutes = floor_int(into * 60)
            if minutes >= 60:  # exactly at the hour's end: the next buyer (next hour) finds nothing
                return SellOut(min(hour + 1, len(shares) - 1), 0 if hour + 1 < len(shares) else 59)
            return SellOut(hour, minutes)
        before = after
    return SellOut(len(shares) - 1, 59)  # shares summing below 1: gone by the day's last minute


def hero_share(lines: Sequence[StockLine]) -> tuple[int, int, Decimal | None]:
    """(hero units, all units, hero share) of the planned stock; the share is None when all is 0."""
    total = sum(line.planned for line in lines)
    heroes = sum(line.planned for line in lines if line.role == "hero")
    return heroes, total, (Decimal(heroes) / total if total else None)


def stock_line(
    sku: str,
    name: str,
    role: str,
    day_units: int,
    multiplier: Decimal,
    on_hand: int | None,
    settings: StockSettings,
    shares: Sequence[Decimal] = ORDER_SHARES,
) -> StockLine:
    """One product's stock plan row from its event-day demand and the stock on hand."""
    units = ceil_int(day_units * multiplier)
    planned = max(units, on_hand or 0)
    listed = listed_quantity(planned, settings.listed_ratio)
    item = settings.items.get(sku, StockItem())
    rop: int | None = None
    lead: int | None = None
    if item.lead_time_days is not None:
        safety = settings.safety_days * day_units
        if item.safety_stock is not None:
            safety = Decimal(item.safety_stock)
        rop = reorder_point(day_units, item.lead_time_days, safety)
        lead = lead_time_need(units, item.lead_time_days, safety)
    return StockLine(
        sku=sku, name=name, role=role, day_units=day_units, units=units, on_hand=on_hand, planned=planned,
        listed=listed, reorder_point=rop, supplier=item.supplier,
        sell_out=sell_out_time(listed, day_units, shares), lead_need=lead,
    )


def build_stock_plan(
    scenario: Scenario,
    roles: Mapping[str, str],
    on_hand: Mapping[str, int | None],
    multiplier: Decimal,
    settings: StockSettings,
    shares: Sequence[Decimal] = ORDER_SHARES,
) -> StockPlan:
    """The stock plan of a scenario's products (orders = units on the event day)."""
    lines = tuple(
        stock_line(pp.sku, pp.name, roles.get(pp.sku, pp.role), pp.orders, multiplier, on_hand.get(pp.sku),
                   settings, shares)
        for pp in scenario.products
    )
    heroes, total, share = hero_share(lines)
    return StockPlan(lines, settings, multiplier, total, heroes, share)


def stock_plan(plan: Plan) -> StockPlan:
    """The stock plan for `plan` (the lead's `dachu plan` calls this): settings from `warehouse.stock`."""
    campaign = plan.campaign
    settings = campaign.warehouse.stock if campaign.warehouse is not None else StockSettings()
    return build_stock_plan(
        plan.stretch,
        {p.sku: p.role for p in campaign.products},
        {p.sku: p.stock for p in campaign.products},
        campaign.goal.resource_multiplier,
        settings,
    )
