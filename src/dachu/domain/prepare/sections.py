"""The prepare sections of a plan, each computed once: capacity and the event day's staffing.

Capacity is the warehouse logistics and the stock plan; staffing the event day's customer service.
`dachu plan` (terminal, JSON, workbook), `dachu capacity` and `dachu staff` all show these same objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dachu.domain.campaign.service import Service
from dachu.domain.plan.plan import Plan
from dachu.domain.prepare.logistics import Logistics, logistics_plan
from dachu.domain.prepare.staffing import (
    EventDayArrangement,
    HourStaffing,
    arrange_event_day,
    event_visitors,
    hourly_staffing,
    unstable_hours,
)
from dachu.domain.prepare.stock_plan import StockPlan, stock_plan
from dachu.errors import InputError


@dataclass(frozen=True)
class StaffingResult:
    """The event day's customer service: visitors, the 24 hours by Erlang C, the arrangement.

    `unstable`: hours in which even the whole team is fewer servers than the traffic in Erlangs.
    """

    date: dt.date
    service: Service
    visitors: int
    hours: tuple[HourStaffing, ...]
    arrangement: EventDayArrangement
    unstable: tuple[int, ...]


@dataclass(frozen=True)
class CapacityResult:
    """The plan's capacity section: warehouse logistics (None without `warehouse:`) and the stock plan."""

    logistics: Logistics | None
    stock: StockPlan
    event_day: dt.date


def service_of(plan: Plan, source: str) -> Service:
    """The campaign's `service:` section; an error naming `source` when the file has none."""
    service = plan.campaign.service
    if service is None:
        raise InputError("staff.no_service", source=source)
    return service


def staffing(plan: Plan, source: str) -> StaffingResult:
    """Agents per hour of the event day and who works it (the campaign needs a `service:` section)."""
    service = service_of(plan, source)
    visitors = event_visitors(plan)
    hours = hourly_staffing(visitors, service)
    return StaffingResult(
        date=plan.campaign.campaign.event_day, service=service, visitors=visitors, hours=tuple(hours),
        arrangement=arrange_event_day(hours, service.agents),
        unstable=tuple(unstable_hours(hours, service.agents.size, service)),
    )


def capacity(plan: Plan) -> CapacityResult:
    """The capacity section of `plan`: `logistics_plan` and `stock_plan`, computed once."""
    return CapacityResult(logistics_plan(plan), stock_plan(plan), plan.campaign.campaign.event_day)

