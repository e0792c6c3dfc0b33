"""A month's customer-service rota (客服排班表, DOMAIN.md §8) solved with OR-Tools CP-SAT.

Shifts (班次), online service 9:00–23:30:

| shift | time | paid hours |
|---|---|---|
| day 白班 | 9:00–17:30 | 8.5 |
| half 半天班 | 10:00–15:30 | 5.5 |
| night 晚班 | 17:00–23:30 | 6.5 |

The rules, precisely (each agent, each calendar day of the month, at most one shift):

- coverage: in every half-hour of the online hours, the agents on duty ≥ that hour's need (the need of hour
  23 applies to 23:00–23:30 only). Needs are scheduled agents from `dachu.domain.staffing` (shrinkage in).
- night_day: no day shift (白班, 9:00) on the day after a night shift. A half-day (10:00) is allowed.
  The previous month counts too: an agent in `night_before` (worked the night shift on the previous
  month's last day) gets no day shift on the month's first day. Without that input the first day has no
  such restriction.
- free_stretch: each agent has one whole free stretch — two consecutive calendar days both off (from the
  end of the shift before to the start of the one after: at least the day shift and the night shift of
  two days in a row).
- days_off: each agent has exactly max(`days_off`, their leave days in the month) days off; leave days
  count as days off. "Exactly" keeps the month's working days equal, which is what makes hours equal.
- event_day: everyone works on the event day (when it falls in the month).
- leave: an agent is off on every requested leave date.
- objective: monthly hours as equal as possible — minimise max − min of the agents' paid hours.

The solve has a fixed seed and a fixed `num_workers` (see `solver`): `workers=1` is repeatable bit for bit;
the default of 2 workers is much faster and proves the same optimum, but may pick another equally good rota.
When no rota exists, `dachu.domain.rota_explain` says which rules collide.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from dachu.domain.plan import Plan

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
RuleGroup = Literal["coverage", "night_day", "free_stretch", "days_off", "event_day", "leave"]


@dataclass(frozen=True)
class Shift:
    """A shift from `start` to `end`, in half-hour slots of the day (slot 18 = 9:00)."""

    code: str
    start: int
    end: int

    @property
    def half_hours(self) -> int:
        """Paid length in half-hours (breaks not deducted)."""
        return self.end - self.start

    @property
    def hours(self) -> Decimal:
        """Paid length in hours."""
        return Decimal(self.half_hours) / 2

    def covers(self, slot: int) -> bool:
        """Whether the agent is on duty in half-hour `slot`."""
        return self.start <= slot < self.end

    @property
    def label(self) -> str:
        """`09:00–17:30`."""
        return f"{_clock(self.start)}–{_clock(self.end)}"


def _clock(slot: int) -> str:
    return f"{slot // 2:02d}:{30 * (slot % 2):02d}"


DAY = Shift("day", 18, 35)
HALF = Shift("half", 20, 31)
NIGHT = Shift("night", 34, 47)
SHIFTS: tuple[Shift, ...] = (DAY, HALF, NIGHT)
SHIFT_BY_CODE = {s.code: s for s in SHIFTS}
ONLINE_SLOTS = range(18, 47)
"""Half-hour slots of online service, 9:00–23:30."""


@dataclass(frozen=True)
class RotaRequest:
    """What a rota must satisfy.

    `need[date]` holds 24 hourly needs (agents on duty); hours outside online service are ignored.
    `leave[agent]` the dates the agent asked off. Days of the month missing from `need` need nobody.
    `night_before`: agents who worked the night shift on the day before the month's first day.
    """

    days: tuple[dt.date, ...]
    agents: tuple[str, ...]
    need: Mapping[dt.date, Sequence[int]]
    event_day: dt.date | None = None
    leave: Mapping[str, frozenset[dt.date]] = field(default_factory=dict)
    days_off: int = 4
    night_before: frozenset[str] = frozenset()

    def need_at(self, date: dt.date, hour: int) -> int:
        """Agents needed on duty in `hour` of `date` (0 outside online hours)."""
        hours = self.need.get(date)
        return hours[hour] if hours is not None and 9 <= hour <= 23 else 0

    def leave_days(self, agent: str) -> frozenset[dt.date]:
        """The agent's leave dates that fall in the month."""
        return frozenset(d for d in self.leave.get(agent, frozenset()) if d in set(self.days))

    def off_count(self, agent: str) -> int:
        """Days off the agent gets: max(days_off, leave days in the month)."""
        return max(self.days_off, len(self.leave_days(agent)))


@dataclass(frozen=True)
class Conflict:
    """A reason no rota exists: a catalogue key and its params, and the rule groups involved."""

    key: str
    params: Mapping[str, object]
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rota:
    """A solved month, or why there is none.

    `shifts[agent][i]` is the shift code on `days[i]` or "" for a day off. `hours` are paid hours per agent.
    `gap` is the relative gap between the best rota and the proven bound (0 when optimal).
    `conflicts` is filled when `status` is infeasible.
    """

    status: Status
    days: tuple[dt.date, ...]
    agents: tuple[str, ...]
    shifts: Mapping[str, tuple[str, ...]]
    hours: Mapping[str, Decimal]
    spread: Decimal | None
    gap: float | None
    solve_seconds: float
    conflicts: tuple[Conflict, ...] = ()

    @property
    def solved(self) -> bool:
        """Whether a rota was found."""
        return self.status in ("optimal", "feasible")

    def on_duty(self, date: dt.date, slot: int) -> int:
        """Agents on duty on `date` in half-hour `slot`."""
        i = self.days.index(date)
        return sum(1 for a in self.agents if (code := self.shifts[a][i]) and SHIFT_BY_CODE[code].covers(slot))

    def coverage(self, date: dt.date, hour: int) -> int:
        """Agents on duty throughout `hour` (the fewest over its online half-hours)."""
        slots = [s for s in (2 * hour, 2 * hour + 1) if s in ONLINE_SLOTS]
        return min((self.on_duty(date, s) for s in slots), default=0)


def month_days(month: str) -> tuple[dt.date, ...]:
    """Every date of `month` given as YYYY-MM."""
    year, mon = (int(x) for x in month.split("-"))
    first = dt.date(year, mon, 1)
    nxt = dt.date(year + (mon == 12), mon % 12 + 1, 1)
    return tuple(first + dt.timedelta(days=i) for i in range((nxt - first).days))


class _Model:
    """The CP-SAT model with one enforcement literal per rule group (for explanations)."""

    def __init__(self, req: RotaRequest, *, objective: bool) -> None:
        self.req = req
        m = self.m = cp_model.CpModel()
        days, agents = req.days, req.agents
        self.x = {
            (a, d, s.code): m.new_bool_var(f"x_{a}_{d}_{s.code}")
            for a in agents
            for d in days
            for s in SHIFTS
        }
        self.off = {(a, d): m.new_bool_var(f"off_{a}_{d}") for a in agents for d in days}
        self.groups: dict[tuple[str, str], cp_model.IntVar] = {}
        for a in agents:
            for d in days:
                m.add_exactly_one([self.off[a, d], *(self.x[a, d, s.code] for s in SHIFTS)])
        self._coverage()
        self._night_day()
        self._free_stretch()
        self._days_off()
        self._event_day()
        self._leave()
        if objective:
            self._hours_objective()

    def lit(self, group: str, detail: str = "") -> cp_model.IntVar:
        key = (group, detail)
        if key not in self.groups:
            self.groups[key] = self.m.new_bool_var(f"rule_{group}_{detail}")
        return self.groups[key]

    def _coverage(self) -> None:
        req = self.req
        for d in req.days:
            seen: set[tuple[tuple[str, ...], int]] = set()
            for slot in ONLINE_SLOTS:
                need = req.need_at(d, slot // 2)
                covering = tuple(s.code for s in SHIFTS if s.covers(slot))
                if need <= 0 or (covering, need) in seen:
                    continue
                seen.add((covering, need))
                terms = [self.x[a, d, c] for a in req.agents for c in covering]
                self.m.add(sum(terms) >= need).only_enforce_if(self.lit("coverage", d.isoformat()))

    def _night_day(self) -> None:
        lit = self.lit("night_day")
        for a in self.req.agents:
            for d0, d1 in zip(self.req.days, self.req.days[1:], strict=False):
                self.m.add_bool_or(
                    [self.x[a, d0, "night"].Not(), self.x[a, d1, "day"].Not()]
                ).only_enforce_if(lit)
        first = self.req.days[0] if self.req.days else None
        for a in self.req.night_before:
            if first is not None and a in self.req.agents:
                self.m.add_implication(lit, self.x[a, first, "day"].Not())

    def _free_stretch(self) -> None:
        lit = self.lit("free_stretch")
        days = self.req.days
        for a in self.req.agents:
            pairs = []
            for d0, d1 in itertools.pairwise(days):
                p = self.m.new_bool_var(f"pair_{a}_{d0}")
                self.m.add_implication(p, self.off[a, d0])
                self.m.add_implication(p, self.off[a, d1])
                pairs.append(p)
            self.m.add_bool_or(pairs).only_enforce_if(lit)

    def _days_off(self) -> None:
        lit = self.lit("days_off", str(self.req.days_off))
        for a in self.req.agents:
            self.m.add(sum(self.off[a, d] for d in self.req.days) == self.req.off_count(a)).only_enforce_if(
                lit
            )

    def _event_day(self) -> None:
        e = self.req.event_day
        if e is None or e not in self.req.days:
            return
        lit = self.lit("event_day")
        for a in self.req.agents:
            self.m.add_implication(lit, self.off[a, e].Not())

    def _leave(self) -> None:
        for a in self.req.agents:
            for d in sorted(self.req.leave_days(a)):
                self.m.add_implication(self.lit("leave", a), self.off[a, d])

    def _hours_objective(self) -> None:
        m, req = self.m, self.req
        top = max(s.half_hours for s in SHIFTS) * len(req.days)
        self.hours: dict[str, cp_model.IntVar] = {}
        for a in req.agents:
            h = m.new_int_var(0, top, f"h_{a}")
            m.add(h == sum(s.half_hours * self.x[a, d, s.code] for d in req.days for s in SHIFTS))
            self.hours[a] = h
        hi, lo = m.new_int_var(0, top, "hi"), m.new_int_var(0, top, "lo")
        m.add_max_equality(hi, list(self.hours.values()))
        m.add_min_equality(lo, list(self.hours.values()))
        m.minimize(hi - lo)

    def hint(self, shifts: Mapping[str, tuple[str, ...]]) -> None:
        for a, row in shifts.items():
            for d, code in zip(self.req.days, row, strict=True):
                for s in SHIFTS:
                    self.m.add_hint(self.x[a, d, s.code], code == s.code)
                self.m.add_hint(self.off[a, d], code == "")

    def enforce_all(self) -> None:
        for lit in self.groups.values():
            self.m.add(lit == 1)


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


def solver(seconds: float, workers: int, seed: int = 0) -> cp_model.CpSolver:
    """A CP-SAT solver with a fixed seed and worker count.

    One worker with a deterministic time limit gives the same rota on every run (bit for bit). More
    workers race a portfolio of strategies under a wall-clock limit: much faster, the same optimal
    spread whenever optimality is proven, but possibly a different rota among equally good ones.
    """
    s = cp_model.CpSolver()
    s.parameters.random_seed = seed
    s.parameters.num_workers = workers
    if workers == 1:
        s.parameters.max_deterministic_time = seconds
    else:
        s.parameters.max_time_in_seconds = seconds
    return s


_STATUS: dict[object, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
}


def solve_rota(req: RotaRequest, *, seconds: float = 20.0, workers: int = 2, explain: bool = True) -> Rota:
    """Solve the month: every rule holds, hours as equal as possible; or explain which rules collide.

    `seconds` is the time limit: wall-clock with several workers, CP-SAT's deterministic time with one.
    """
    from dachu.domain.rota_explain import explain_infeasible, precheck

    found = precheck(req)
    if found:
        return _empty(req, "infeasible", 0.0, tuple(found))
    model = _Model(req, objective=True)
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
    return Rota(status, req.days, req.agents, shifts, hours, Decimal(int(best)) / 2, gap, s.wall_time)


def _empty(req: RotaRequest, status: Status, seconds: float, conflicts: tuple[Conflict, ...]) -> Rota:
    return Rota(status, req.days, req.agents, {}, {}, None, None, seconds, conflicts)


def rota_request(plan: Plan, month: str | None = None, night_before: Iterable[str] = ()) -> RotaRequest:
    """The month's rota request from a plan whose campaign has a `service:` section.

    `night_before`: agents who worked nights on the previous month's last day (no day shift on day 1).

    Need per day: the day's visitors (`staffing.day_visitors`: the event day from the capacity scenario,
    other days from the daily plan, days outside it an ordinary day's visitors), spread with the event
    day's hourly visitor shape, then Erlang C and shrinkage (`scheduled` agents) per hour.
    """
    from dachu.domain.staffing import day_visitors, hourly_staffing

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
                       frozenset(night_before))
