"""A month's customer-service rota (客服排班表, docs/domain.md §8) solved with OR-Tools CP-SAT.

Shifts (班次), online service 9:00–23:30:

| shift | time | paid hours |
|---|---|---|
| day 白班 | 9:00–17:30 | 8.5 |
| half 半天班 | 10:00–15:30 | 5.5 |
| night 晚班 | 17:00–23:30 | 6.5 |
| midnight 零点班 | 00:00–02:00 | 2 |
| midnight + half | 00:00–02:00, 10:00–15:30 | 7.5 |
| midnight + night | 00:00–02:00, 17:00–23:30 | 8.5 |

The midnight shifts are offered only on a day whose busiest hour is midnight (hour 0 needs more agents than
every online hour: the event day, which opens with a rush). Never before a 9:00 day shift on the same day
(7 hours of rest after 02:00).

The rules, precisely (each agent, each calendar day of the month, at most one shift):

- coverage: in every half-hour of the online hours, the agents on duty ≥ that hour's need (the need of hour
  23 applies to 23:00–23:30 only). Needs are scheduled agents from `dachu.domain.prepare.staffing` (shrinkage in).
- midnight: on a midnight day, hours 0–1 are staffed as far as the team allows; the half-hours nobody can
  cover stay on auto-reply (as every hour 0–8 did before) and are reported (`Rota.midnight_short`).
- night_day: no day shift (白班, 9:00) on the day after a shift ending 23:30. A half-day (10:00) is allowed.
  The previous month counts too: an agent in `night_before` (worked the night shift on the previous
  month's last day) gets no day shift on the month's first day. Without that input the first day has no
  such restriction.
- free_stretch: each agent has one whole free stretch — two consecutive calendar days both off (from the
  end of the shift before to the start of the one after: at least the day shift and the night shift of
  two days in a row).
- days_off: each agent has exactly max(`days_off`, their leave days in the month) days off; leave days
  count as days off. "Exactly" keeps the month's working days equal, which is what makes hours equal.
  A temporary agent with contract days (`service.contract_days`) works exactly those many days: off
  max(days in the month − contract days, leave days).
- event_day: everyone works on the event day (when it falls in the month).
- leave: an agent is off on every requested leave date.
- objective, in this order: the fewest midnight half-hours left uncovered; monthly hours as equal as
  possible within each fairness group (the regular team; temporaries with the same contract days) —
  minimise the largest max − min of paid hours; then the fewest paid hours of the whole team (a half-day
  where a day shift is not needed).

The solve has a fixed seed and a fixed `num_workers` (see `solver`): `workers=1` is repeatable bit for bit;
the default of 2 workers is much faster and proves the same optimum, but may pick another equally good rota.
When no rota exists, `dachu.domain.prepare.rota_explain` says which rules collide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from dachu.domain.prepare.rota_model import RotaModel, solver
from dachu.domain.prepare.shifts import (
    SHIFTS,
    Conflict,
    Rota,
    RotaRequest,
    Status,
    month_days,
)

if TYPE_CHECKING:
    from dachu.domain.plan.plan import Plan



















def pattern_rota(req: RotaRequest) -> dict[str, tuple[str, ...]]:
    """A quick hand-made rota used as CP-SAT's starting hint (and the benchmark's baseline).

    Each agent works day shifts for half the month and night shifts for the other half, the halves rotated
    from agent to agent so every day has both; the two days off in a row sit just before the switch from
    night back to day, and the other days off are spread out. It ignores the needs, so it may break rules;
    CP-SAT repairs it.
    """
    n = len(req.days)
    event = req.days.index(req.event_day) if req.event_day in req.days else -1
    out: dict[str, tuple[str, ...]] = {}
    for i, a in enumerate(req.agents):
        start = (i * n) // max(1, len(req.agents))
        off = {req.days.index(d) for d in req.leave_days(a)}
        pair = (start - 2) % n
        if pair == n - 1 or event in (pair, pair + 1):
            pair = (pair + 3) % (n - 1)
        k = req.off_count(a)
        if k >= 2 and len(off) + 2 <= k:
            off |= {pair, pair + 1}
        j, step = pair + 2, max(1, n // max(1, k))
        while len(off) < min(k, n - 1):
            j = (j + step) % n
            while j in off or j == event:
                j = (j + 1) % n
            off.add(j)
        out[a] = tuple(
            "" if di in off else ("day" if (di - start) % n < n // 2 else "night") for di in range(n)
        )
    return out




_STATUS: dict[object, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
}


def solve_rota(req: RotaRequest, *, seconds: float = 20.0, workers: int = 2, explain: bool = True) -> Rota:
    """Solve the month: every rule holds, hours as equal as possible; or explain which rules collide.

    `seconds` is the time limit: wall-clock with several workers, CP-SAT's deterministic time with one.
    """
    from dachu.domain.prepare.rota_explain import explain_infeasible, precheck

    found = precheck(req)
    if found:
        return _empty(req, "infeasible", 0.0, tuple(found))
    model = RotaModel(req, objective=True)
    model.enforce_all()
    model.hint(pattern_rota(req))
    s = solver(seconds, workers)
    code = s.solve(model.m)
    status: Status = _STATUS.get(code, "unknown")
    if status == "infeasible":
        conflicts = tuple(explain_infeasible(req, seconds=seconds)) if explain else ()
        return _empty(req, status, s.wall_time, conflicts)
    if status == "unknown":
        return _empty(req, status, s.wall_time, ())
    shifts = {
        a: tuple(next((c.code for c in SHIFTS if s.value(model.x[a, d, c.code])), "") for d in req.days)
        for a in req.agents
    }
    hours = {a: Decimal(s.value(model.hours[a])) / 2 for a in req.agents}
    best, bound = s.objective_value, s.best_objective_bound
    gap = 0.0 if status == "optimal" else (best - bound) / max(best, 1.0)
    short = sum(s.value(v) for v in model.midnight_short)
    return Rota(status, req.days, req.agents, shifts, hours, Decimal(s.value(model.spread)) / 2, gap, s.wall_time,
                midnight_short=short)


def _empty(req: RotaRequest, status: Status, seconds: float, conflicts: tuple[Conflict, ...]) -> Rota:
    return Rota(status, req.days, req.agents, {}, {}, None, None, seconds, conflicts)


def rota_request(plan: Plan, month: str | None = None, night_before: Iterable[str] = ()) -> RotaRequest:
    """The month's rota request from a plan whose campaign has a `service:` section.

    `night_before`: agents who worked nights on the previous month's last day (no day shift on day 1).

    `work_days`: each temporary agent's contract days (`service.contract_days`), when the file gives them.

    Need per day: the day's visitors (`staffing.day_visitors`: the event day from the capacity scenario,
    other days from the daily plan, days outside it an ordinary day's visitors), spread with the event
    day's hourly visitor shape, then Erlang C and shrinkage (`scheduled` agents) per hour.
    """
    from dachu.domain.prepare.staffing import day_visitors, hourly_staffing

    service = plan.campaign.service
    if service is None:
        raise ValueError("the campaign has no service section")
    event_day = plan.campaign.campaign.event_day
    days = month_days(month or service.month or event_day.strftime("%Y-%m"))
    need = {
        d: tuple(h.staffing.scheduled for h in hourly_staffing(day_visitors(plan, d), service)) for d in days
    }
    leave: dict[str, frozenset[dt.date]] = {}
    for item in service.leave:
        leave[item.agent] = leave.get(item.agent, frozenset()) | frozenset(item.dates)
    return RotaRequest(days, tuple(service.agents.agent_ids()), need, event_day, leave, service.days_off,
                       frozenset(night_before), service.work_days())
