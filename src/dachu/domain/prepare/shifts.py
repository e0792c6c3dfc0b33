"""The rota's vocabulary (班次): shifts, the request, the result and its conflicts.

The model that solves it is `rota_model`; `rota` puts request, model and explanation together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

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

