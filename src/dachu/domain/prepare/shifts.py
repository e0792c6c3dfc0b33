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


MIDNIGHT_SLOTS = range(0, 4)
"""Half-hour slots of the midnight shift (零点班), 00:00–02:00."""


MIDNIGHT_HOURS = (0, 1)
"""The hours the midnight shift covers."""


@dataclass(frozen=True)
class Shift:
    """A shift from `start` to `end`, in half-hour slots of the day (slot 18 = 9:00).

    `midnight`: the shift also covers 00:00–02:00 of the same day (the midnight shift, 零点班, worked before
    a half-day or a night shift: never before a 9:00 day shift, which would leave 7 hours of rest).
    """

    code: str
    start: int
    end: int
    midnight: bool = False

    @property
    def half_hours(self) -> int:
        """Paid length in half-hours (breaks not deducted), the midnight part included."""
        return self.end - self.start + (len(MIDNIGHT_SLOTS) if self.midnight else 0)

    @property
    def hours(self) -> Decimal:
        """Paid length in hours."""
        return Decimal(self.half_hours) / 2

    def covers(self, slot: int) -> bool:
        """Whether the agent is on duty in half-hour `slot`."""
        return self.start <= slot < self.end or (self.midnight and slot in MIDNIGHT_SLOTS)

    @property
    def uses_midnight(self) -> bool:
        """Whether the shift works 00:00–02:00 (only offered on a day whose busiest hour is midnight)."""
        return self.midnight or self.start in MIDNIGHT_SLOTS

    @property
    def ends_at_night(self) -> bool:
        """Whether the shift ends at 23:30 (no 9:00 day shift may follow it the next day)."""
        return self.end == ONLINE_SLOTS.stop

    @property
    def label(self) -> str:
        """`09:00–17:30`; `00:00–02:00 + 17:00–23:30` for a shift with its midnight part."""
        own = f"{_clock(self.start)}–{_clock(self.end)}"
        return f"{_clock(MIDNIGHT_SLOTS.start)}–{_clock(MIDNIGHT_SLOTS.stop)} + {own}" if self.midnight else own


ONLINE_SLOTS = range(18, 47)
"""Half-hour slots of online service, 9:00–23:30."""


def _clock(slot: int) -> str:
    return f"{slot // 2:02d}:{30 * (slot % 2):02d}"


DAY = Shift("day", 18, 35)


HALF = Shift("half", 20, 31)


NIGHT = Shift("night", 34, 47)


MIDNIGHT = Shift("midnight", 0, 4)
"""The midnight shift alone (零点班 00:00–02:00) on a day otherwise off duty."""


MIDNIGHT_HALF = Shift("midnight_half", 20, 31, midnight=True)
"""00:00–02:00, then the half-day 10:00–15:30 (8 hours of rest between)."""


MIDNIGHT_NIGHT = Shift("midnight_night", 34, 47, midnight=True)
"""00:00–02:00, then the night shift 17:00–23:30 (15 hours of rest between)."""


SHIFTS: tuple[Shift, ...] = (DAY, HALF, NIGHT, MIDNIGHT, MIDNIGHT_HALF, MIDNIGHT_NIGHT)
"""Every shift; the last three exist only on days whose busiest hour is midnight (`RotaRequest.midnight_days`)."""


SHIFT_BY_CODE = {s.code: s for s in SHIFTS}


@dataclass(frozen=True)
class RotaRequest:
    """What a rota must satisfy.

    `need[date]` holds 24 hourly needs (agents on duty); hours outside online service are ignored.
    `leave[agent]` the dates the agent asked off. Days of the month missing from `need` need nobody.
    `night_before`: agents who worked the night shift on the day before the month's first day.
    `work_days[agent]`: the days a temporary agent works in the month by contract (合同天数); an agent
    missing from it works the month less `days_off`.
    """

    days: tuple[dt.date, ...]
    agents: tuple[str, ...]
    need: Mapping[dt.date, Sequence[int]]
    event_day: dt.date | None = None
    leave: Mapping[str, frozenset[dt.date]] = field(default_factory=dict)
    days_off: int = 4
    night_before: frozenset[str] = frozenset()
    work_days: Mapping[str, int] = field(default_factory=dict)

    def need_at(self, date: dt.date, hour: int) -> int:
        """Agents needed on duty in `hour` of `date`: online hours 9–23, and 0–1 on a midnight day."""
        hours = self.need.get(date)
        if hours is None:
            return 0
        if 9 <= hour <= 23 or (hour in MIDNIGHT_HOURS and self.is_midnight_day(date)):
            return hours[hour]
        return 0

    def is_midnight_day(self, date: dt.date) -> bool:
        """Whether the busiest hour of `date` is midnight: hour 0 needs more than every online hour."""
        hours = self.need.get(date)
        return hours is not None and len(hours) == 24 and hours[0] > max(hours[9:24])

    @property
    def midnight_days(self) -> tuple[dt.date, ...]:
        """The days that get a midnight shift (00:00–02:00)."""
        return tuple(d for d in self.days if self.is_midnight_day(d))

    def leave_days(self, agent: str) -> frozenset[dt.date]:
        """The agent's leave dates that fall in the month."""
        return frozenset(d for d in self.leave.get(agent, frozenset()) if d in set(self.days))

    def off_count(self, agent: str) -> int:
        """Days off the agent gets: max(days_off, leave days in the month).

        A temporary agent with contract days (`work_days`) is off every other day of the month:
        max(days in the month − contract days, leave days in the month).
        """
        leave = len(self.leave_days(agent))
        if agent in self.work_days:
            return max(len(self.days) - self.work_days[agent], leave)
        return max(self.days_off, leave)

    def fairness_groups(self) -> list[tuple[str, ...]]:
        """Agents whose monthly hours are kept equal: the regular team, and temporaries by contract days."""
        groups: dict[int | None, list[str]] = {}
        for a in self.agents:
            groups.setdefault(self.work_days.get(a), []).append(a)
        return [tuple(g) for g in groups.values()]


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
    `spread` is the largest gap between the most and the fewest hours within a fairness group (the
    regular team; temporaries with the same contract days). `midnight_short` the agent-half-hours of the
    midnight shift left to auto-reply because the team cannot cover them (0 when covered or no midnight day).
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
    midnight_short: int = 0

    @property
    def solved(self) -> bool:
        """Whether a rota was found."""
        return self.status in ("optimal", "feasible")

    @property
    def total_hours(self) -> Decimal:
        """Paid hours of the whole team in the month."""
        return sum(self.hours.values(), Decimal(0))

    def on_duty(self, date: dt.date, slot: int) -> int:
        """Agents on duty on `date` in half-hour `slot`."""
        i = self.days.index(date)
        return sum(1 for a in self.agents if (code := self.shifts[a][i]) and SHIFT_BY_CODE[code].covers(slot))

    def coverage(self, date: dt.date, hour: int) -> int:
        """Agents on duty throughout `hour` (the fewest over its online half-hours)."""
        slots = [s for s in (2 * hour, 2 * hour + 1) if s in ONLINE_SLOTS or s in MIDNIGHT_SLOTS]
        return min((self.on_duty(date, s) for s in slots), default=0)


def month_days(month: str) -> tuple[dt.date, ...]:
    """Every date of `month` given as YYYY-MM."""
    year, mon = (int(x) for x in month.split("-"))
    first = dt.date(year, mon, 1)
    nxt = dt.date(year + (mon == 12), mon % 12 + 1, 1)
    return tuple(first + dt.timedelta(days=i) for i in range((nxt - first).days))

