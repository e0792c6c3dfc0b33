"""The daily plan table (营销计划表, docs/domain.md §5): every day from about 10.10 to after the event.

Each day gets visitors, conversion, orders, order value and GMV targets. The event day comes from the
plan's scenario. Other days are the store's ordinary day × a profile of factors, by offset from the event
day. The default profile (documented in docs/campaign-file.md) is:

| days | phase | visitors | conversion | order value |
|---|---|---|---|---|
| −32…−11 | preparation | ×1.0 | ×1.0 | ×1.0 |
| −10…−4 | warm-up: favourites and carts build, buyers wait | ×1.3 | ×0.7 | ×1.0 |
| −3…−1 | warm-up, last days | ×1.6 | ×0.5 | ×1.0 |
| +1…+3 | follow-up: the long tail | ×1.4 | ×1.1 | ×0.9 |
| +4…+9 | follow-up | ×1.1 | ×1.0 | ×1.0 |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from dachu.domain.campaign.model import Campaign, ProfileSegment
from dachu.domain.money import ceil_int, fen
from dachu.domain.plan.budget import Scenario

DEFAULT_PROFILE: tuple[ProfileSegment, ...] = (
    ProfileSegment(from_day=-32, to_day=-11, uv_factor=Decimal("1.0"), conversion_factor=Decimal("1.0")),
    ProfileSegment(from_day=-10, to_day=-4, uv_factor=Decimal("1.3"), conversion_factor=Decimal("0.7")),
    ProfileSegment(from_day=-3, to_day=-1, uv_factor=Decimal("1.6"), conversion_factor=Decimal("0.5")),
    ProfileSegment(from_day=1, to_day=3, uv_factor=Decimal("1.4"), conversion_factor=Decimal("1.1"),
                   aov_factor=Decimal("0.9")),
    ProfileSegment(from_day=4, to_day=9, uv_factor=Decimal("1.1"), conversion_factor=Decimal("1.0")),
)


@dataclass(frozen=True)
class DayPlan:
    """One day's targets. `orders` = visitors × conversion rounded up; `gmv` = orders × order value."""

    date: dt.date
    offset: int
    phase: str
    visitors: int
    conversion: Decimal
    orders: int
    order_value: Decimal
    gmv: Decimal


def phase_of(campaign: Campaign, offset: int) -> str:
    """preparation, warm_up, event, follow_up (or after)."""
    ph = campaign.phases
    if offset == 0:
        return "event"
    if offset < 0:
        return "warm_up" if offset >= ph.warm_up_from else "preparation"
    return "follow_up" if offset <= ph.follow_up_to else "after"


def daily_plan(campaign: Campaign, scenario: Scenario) -> list[DayPlan]:
    """Every day from `phases.plan_from` to the end of the follow-up, event day from `scenario`."""
    profile = campaign.daily_profile if campaign.daily_profile is not None else list(DEFAULT_PROFILE)
    store = campaign.store
    event_aov = fen(scenario.gmv / scenario.orders) if scenario.orders else Decimal(0)
    base_aov = store.baseline_aov if store.baseline_aov is not None else event_aov
    days: list[DayPlan] = []
    for offset in range(campaign.phases.plan_from, campaign.phases.follow_up_to + 1):
        date = campaign.campaign.event_day + dt.timedelta(days=offset)
        if offset == 0:
            visitors = scenario.reach if scenario.reach is not None else scenario.traffic_needed  # delivered
            days.append(DayPlan(date, 0, "event", visitors, scenario.conversion,
                                scenario.orders, event_aov, scenario.gmv))
            continue
        seg = next((s for s in profile if s.from_day <= offset <= s.to_day), None)
        uv_f, conv_f, aov_f = (seg.uv_factor, seg.conversion_factor, seg.aov_factor) if seg else (1, 1, 1)
        visitors = ceil_int(store.baseline_daily_uv * Decimal(uv_f))
        conversion = min(store.baseline_conversion * Decimal(conv_f), Decimal(1))
        orders = ceil_int(visitors * conversion)
        aov = fen(base_aov * Decimal(aov_f))
        days.append(DayPlan(date, offset, phase_of(campaign, offset), visitors, conversion, orders, aov, orders * aov))
    return days
