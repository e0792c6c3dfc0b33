"""The facade's prepare verbs (issue #5): staffing, rota, capacity and the calendar.

`dachu.app.Workspace` exposes these as methods (`staffing`, `rota`, `capacity`, `calendar`, `mark_done`);
the faces call the Workspace, never the domain. Files are read here (the previous month's rota, the
calendar's progress), the domain stays pure.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

from dachu.data.calendar_state import load_templates, progress_path, read_progress
from dachu.data.calendar_state import mark_done as _mark_done
from dachu.domain.campaign.model import Campaign
from dachu.domain.plan.plan import Plan
from dachu.domain.prepare.calendar import (
    GROUPS,
    PHASES,
    PhaseBounds,
    TaskStatus,
    date_tasks,
    overdue_by_group,
    task_status,
)
from dachu.domain.prepare.logistics import Logistics
from dachu.domain.prepare.sections import CapacityResult, StaffingResult, capacity, service_of, staffing
from dachu.domain.prepare.shifts import Rota, RotaRequest
from dachu.domain.prepare.staffing import HourStaffing
from dachu.domain.prepare.stock_plan import StockPlan
from dachu.errors import InputError
from dachu.i18n import Lang

__all__ = [
    "GROUPS", "PHASES", "CapacityResult", "HourStaffing", "Logistics", "PhaseBounds", "Rota", "RotaRequest",
    "StaffingResult", "StockPlan", "TaskStatus", "calendar", "capacity", "conflict_text", "mark_done",
    "overdue_by_group", "previous_nights", "rota", "staffing",
]


def previous_nights(path: Path, first_day: dt.date) -> frozenset[str]:
    """Agents on the night shift on the day before `first_day`, read from the previous month's rota.

    The file is `dachu staff rota --format json` of that month: its `days` must end on the day before
    `first_day`; `shifts` maps agent → shift codes per day.
    """
    if not path.is_file():
        raise InputError("common.file_missing", path=str(path))
    want = first_day - dt.timedelta(days=1)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        days = [dt.date.fromisoformat(d) for d in data["days"]]
        shifts = data["shifts"]
        out = frozenset(str(a) for a, row in shifts.items() if len(row) == len(days) and row[-1] == "night")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InputError("staff.previous_bad", path=str(path)) from None
    if not days or days[-1] != want:
        last = days[-1].isoformat() if days else "—"
        raise InputError("staff.previous_wrong_month", path=str(path), last=last, want=want.isoformat())
    return out


def rota(
    plan: Plan, source: str, month: str | None, seconds: float, night_before: Iterable[str] = (),
    previous: Path | None = None,
) -> tuple[RotaRequest, Rota]:
    """The month's rota request and its solution.

    `night_before` (agent ids) and `previous` (the previous month's rota JSON) say who worked nights on
    the previous month's last day; both may be given, their agents are joined. Unknown ids are an error.
    """
    from dachu.domain.prepare.rota import rota_request, solve_rota
    from dachu.domain.prepare.shifts import month_days  # OR-Tools loads only here (~0.8 s)

    service = service_of(plan, source)
    if month is not None:
        try:
            month_days(month)
        except ValueError:
            raise InputError("staff.bad_month", value=month) from None
    nights = set(night_before)
    ids = service.agents.agent_ids()
    req = rota_request(plan, month)
    if previous is not None:
        nights |= previous_nights(previous, req.days[0])
    for agent in sorted(nights):
        if agent not in ids:
            raise InputError("staff.unknown_agent", agent=agent, example=ids[0] if ids else "P01")
    req = rota_request(plan, month, nights)
    return req, solve_rota(req, seconds=seconds)


def calendar(campaign: Campaign, campaign_path: Path, today: dt.date) -> tuple[TaskStatus, ...]:
    """Every task of the library dated for the campaign's phases, with its progress as of `today`."""
    ph = campaign.phases
    tasks = date_tasks(load_templates(), campaign.campaign.event_day,
                       PhaseBounds(ph.preparation_from, ph.warm_up_from, ph.follow_up_to))
    return task_status(tasks, read_progress(progress_path(campaign_path)), today)


def mark_done(campaign_path: Path, ids: Iterable[str], on: dt.date, undo: bool) -> dict[str, dt.date]:
    """Record tasks done (or not) in the progress file beside the campaign file."""
    return _mark_done(campaign_path, ids, on, undo)


def conflict_text(conflict: object, lang: Lang) -> str:
    """One rota conflict (a rule group that cannot hold) in words, in `lang`."""
    from dachu.domain.prepare.rota_explain import conflict_text as text  # OR-Tools loads only here

    return text(conflict, lang)  # type: ignore[arg-type]
