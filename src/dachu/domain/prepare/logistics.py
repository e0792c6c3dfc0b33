"""Warehouse and logistics capacity (仓储物流, docs/domain.md §3 and §6): parcels, packing lines, shipping rules.

The seed's warehouse: 250–300k orders, 10 packing lines designed for 50k orders a day (5k per line),
Beijing, Shanghai, Guangzhou, Shenzhen and Hangzhou (北上广深杭) shipped within 2 days, everything within 7.

Model and conventions (each one a documented assumption):

- Orders to ship on the event day = the plan's capacity orders (stretch × resource multiplier). Follow-up
  days may bring new orders, given as shares of the event day's orders (`follow_up_shares`: day +1, +2…);
  orders before the event day (pre-sale) are not modelled.
- Packing starts on the event day (`ship_from_day`, 0 by default: orders paid at 00:05 can leave that day).
  The warehouse packs `lines × orders_per_line_per_day` orders a day, every day.
- Priority-first shipping: each day the priority-city orders (`priority_city_share` of each day's new
  orders, rounded up) ship first, oldest first; then the others, oldest first.
- "Within N days" counts the day the order was placed as day 1: an order of 11.11 shipped by the end of
  11.12 is within 2 days; 300k at 50k a day leave by the end of 11.16, the 6th day, so within 7.
- Parcels = orders × `parcels_per_order` (1: no split shipments), rounded up; materials are counted on all
  parcels of the peak (event day and follow-up days), × (1 + spare), in whole packs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from dachu.domain.campaign.warehouse import Material, Warehouse
from dachu.domain.money import ceil_int, floor_int

if TYPE_CHECKING:
    from dachu.domain.plan.plan import Plan








@dataclass(frozen=True)
class BacklogDay:
    """One day of the backlog table (offset from the event day).

    `new`/`new_priority`: orders placed that day (all / priority cities). `shipped`/`shipped_priority`:
    orders packed and handed over that day. `backlog`/`backlog_priority`: left at the end of the day.
    """

    offset: int
    new: int
    new_priority: int
    shipped: int
    shipped_priority: int
    backlog: int
    backlog_priority: int


@dataclass(frozen=True)
class Backlog:
    """The backlog run until empty, and the worst shipping delay of each class (days, placed day = 1)."""

    days: tuple[BacklogDay, ...]
    capacity: int
    priority_days: int
    all_days: int
    cleared: bool = True

    @property
    def days_to_clear(self) -> int:
        """Days from the event day (day 1) until the last order leaves."""
        return self.days[-1].offset + 1 if self.days else 0


MAX_DAYS = 366
"""The longest backlog simulated (a year): a warehouse that needs longer is reported as not clearing."""


def _cohorts(event_orders: int, follow_up: Sequence[int], share: Decimal) -> list[tuple[int, int, int]]:
    """(offset, priority, other) orders placed each day."""
    out = []
    for offset, orders in enumerate((event_orders, *follow_up)):
        priority = min(orders, ceil_int(orders * share))
        out.append((offset, priority, orders - priority))
    return out


def backlog(
    event_orders: int,
    capacity: int,
    priority_share: Decimal,
    follow_up: Sequence[int] = (),
    ship_from_day: int = 0,
) -> Backlog:
    """Simulate the warehouse day by day, priority-city orders first, oldest first within each class.

    `capacity`: orders packed a day (> 0). `follow_up`: new orders on day +1, +2, … Returns every day
    from the event day until the backlog is empty, at most `MAX_DAYS` days: a backlog still there then is
    `cleared=False`, and its delays count as `MAX_DAYS + 1` (a lower bound, enough to fail any rule).
    """
    if capacity <= 0:
        raise ValueError("capacity must be positive")
    cohorts = _cohorts(event_orders, follow_up, priority_share)
    left = [[p, o] for _, p, o in cohorts]  # per cohort: priority, other still waiting
    done_day = [[offset if p == 0 else None, offset if o == 0 else None] for offset, p, o in cohorts]
    rows: list[BacklogDay] = []
    day = 0
    while (day < len(cohorts) or any(p or o for p, o in left)) and day < MAX_DAYS:
        budget = capacity if day >= ship_from_day else 0
        shipped = [0, 0]
        for cls in (0, 1):
            for i in range(min(day + 1, len(cohorts))):
                take = min(budget, left[i][cls])
                if take:
                    left[i][cls] -= take
                    budget -= take
                    shipped[cls] += take
                if left[i][cls] == 0 and done_day[i][cls] is None:
                    done_day[i][cls] = day
        new_p, new_o = (cohorts[day][1], cohorts[day][2]) if day < len(cohorts) else (0, 0)
        arrived = cohorts[: day + 1]
        waiting_p = sum(left[i][0] for i in range(len(arrived)))
        waiting_o = sum(left[i][1] for i in range(len(arrived)))
        rows.append(BacklogDay(day, new_p + new_o, new_p, shipped[0] + shipped[1], shipped[0],
                               waiting_p + waiting_o, waiting_p))
        day += 1
    # a class never finished within the run counts as finishing on day MAX_DAYS (after the last one run)
    ends = [(MAX_DAYS if p is None else p, MAX_DAYS if o is None else o) for p, o in done_day]
    worst_p = max(ends[i][0] - off + 1 for i, (off, _, _) in enumerate(cohorts))
    worst_all = max(max(ends[i]) - off + 1 for i, (off, _, _) in enumerate(cohorts))
    cleared = all(p is not None and o is not None for p, o in done_day)
    while len(rows) > 1 and rows[-1].new == 0 and rows[-1].shipped == 0 and rows[-2].backlog == 0:
        rows.pop()  # trailing idle days (only when follow-up days had no orders)
    return Backlog(tuple(rows), capacity, worst_p, worst_all, cleared)


def meets(result: Backlog, priority_within: int, ship_within: int) -> bool:
    """Whether both rules hold: priority cities within `priority_within` days, all within `ship_within`."""
    return result.priority_days <= priority_within and result.all_days <= ship_within


def _extra_units(
    event_orders: int, capacity: int, unit: Decimal, share: Decimal, follow_up: Sequence[int],
    ship_from_day: int, priority_within: int, ship_within: int,
) -> int:
    """The fewest added units of `unit` orders a day that make both rules hold (binary search).

    Relies on more capacity never delaying any order, which holds for this work-conserving priority rule.
    """
    def ok(k: int) -> bool:
        cap = capacity + floor_int(unit * k)
        run = backlog(event_orders, cap, share, follow_up, ship_from_day)
        return meets(run, priority_within, ship_within)

    if ok(0):
        return 0
    hi = 1
    while not ok(hi):
        hi *= 2
    lo = hi // 2  # ok(lo) is False (or lo == 0, checked above)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


@dataclass(frozen=True)
class MaterialNeed:
    """One material for the peak: `amount` in its own unit (with spare), `packs` to buy (whole packs)."""

    name: str
    per_parcel: Decimal
    pack_size: int
    spare: Decimal
    amount: int
    packs: int


def material_needs(parcels: int, materials: Sequence[Material]) -> tuple[MaterialNeed, ...]:
    """Materials for `parcels`: amount = ⌈parcels × per parcel × (1 + spare)⌉, packs = ⌈amount ÷ pack⌉."""
    out = []
    for m in materials:
        amount = ceil_int(parcels * m.per_parcel * (1 + m.spare))
        packs = -(-amount // m.pack_size)  # whole packs, rounded up
        out.append(MaterialNeed(m.name, m.per_parcel, m.pack_size, m.spare, amount, packs))
    return tuple(out)


@dataclass(frozen=True)
class Logistics:
    """The capacity section of the plan: parcels, the backlog and its verdicts, what would fix it, materials.

    `backlog` and the fixes are None when the warehouse's lines are not given. `extra_lines`: lines to add
    (with their packers) so both rules hold; `extra_packers`: temporary packers on the existing lines
    (an extra shift) that would do the same. `lines_fit`: whether lines + extra lines fit `max_lines`.
    """

    warehouse: Warehouse
    event_orders: int
    follow_up_orders: tuple[int, ...]
    parcels: int
    backlog: Backlog | None
    priority_ok: bool | None
    all_ok: bool | None
    extra_lines: int | None
    extra_packers: int | None
    lines_fit: bool | None
    materials: tuple[MaterialNeed, ...]


def logistics(event_orders: int, warehouse: Warehouse) -> Logistics:
    """The capacity section for `event_orders` orders to ship (already × the resource multiplier)."""
    w = warehouse
    follow = tuple(ceil_int(event_orders * s) for s in w.follow_up_shares)
    parcels = ceil_int((event_orders + sum(follow)) * w.parcels_per_order)
    materials = material_needs(parcels, w.materials)
    cap = w.daily_capacity
    if cap is None or w.lines is None or w.orders_per_line_per_day is None:
        return Logistics(w, event_orders, follow, parcels, None, None, None, None, None, None, materials)
    run = backlog(event_orders, cap, w.priority_city_share, follow, w.ship_from_day)
    args = (w.priority_city_share, follow, w.ship_from_day, w.priority_within_days, w.ship_within_days)
    extra_lines = _extra_units(event_orders, cap, Decimal(w.orders_per_line_per_day), *args)
    per_packer = Decimal(w.orders_per_line_per_day) / w.packers_per_line
    extra_packers = _extra_units(event_orders, cap, per_packer, *args)
    fit = w.max_lines is None or w.lines + extra_lines <= w.max_lines
    return Logistics(
        w, event_orders, follow, parcels, run, run.priority_days <= w.priority_within_days,
        run.all_days <= w.ship_within_days, extra_lines, extra_packers, fit, materials,
    )


def logistics_plan(plan: Plan) -> Logistics | None:
    """The capacity section for `plan` (the lead's `dachu plan` calls this); None without a `warehouse:`."""
    warehouse = plan.campaign.warehouse
    if warehouse is None:
        return None
    return logistics(plan.capacity.orders, warehouse)




__all__ = [
    "Backlog", "BacklogDay", "Logistics", "MaterialNeed",
    "backlog", "logistics", "logistics_plan", "material_needs", "meets",
]
