"""The CP-SAT model of a month's rota (the rules of `dachu.domain.prepare.rota`) and its solver settings.

The objective is lexicographic, in one weighted sum: first the fewest midnight half-hours left to
auto-reply, then the smallest spread of hours within a fairness group, then the fewest paid hours in all.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping

from ortools.sat.python import cp_model

from dachu.domain.prepare.shifts import (
    MIDNIGHT_SLOTS,
    ONLINE_SLOTS,
    SHIFTS,
    RotaRequest,
)


class RotaModel:
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
        midnight_days = set(req.midnight_days)
        for a in agents:
            for d in days:
                m.add_exactly_one([self.off[a, d], *(self.x[a, d, s.code] for s in SHIFTS)])
                if d not in midnight_days:  # the midnight shift is offered only when midnight is busiest
                    for s in SHIFTS:
                        if s.uses_midnight:
                            m.add(self.x[a, d, s.code] == 0)
        self.midnight_short: list[cp_model.IntVar] = []
        self._coverage()
        self._midnight(sorted(midnight_days))
        self._night_day()
        self._free_stretch()
        self._days_off()
        self._event_day()
        self._leave()
        if objective:
            self._hours_objective()

    def lit(self, group: str, detail: str = "") -> cp_model.IntVar:
        """The enforcement literal of rule group `group` (and `detail`), made on first use."""
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

    def _midnight(self, days: list[dt.date]) -> None:
        """The midnight hours of a midnight day: staffed as far as the team allows, the rest on auto-reply.

        Not a hard rule (hours 0–8 were auto-reply before): each half-hour's shortfall is a variable the
        objective drives to 0 first.
        """
        req = self.req
        for d in days:
            for slot in MIDNIGHT_SLOTS:
                need = req.need_at(d, slot // 2)
                if need <= 0:
                    continue
                short = self.m.new_int_var(0, need, f"short_{d}_{slot}")
                covering = [self.x[a, d, s.code] for a in req.agents for s in SHIFTS if s.covers(slot)]
                self.m.add(sum(covering) + short >= need)
                self.midnight_short.append(short)

    def _night_day(self) -> None:
        lit = self.lit("night_day")
        late = [s.code for s in SHIFTS if s.ends_at_night]
        for a in self.req.agents:
            for d0, d1 in zip(self.req.days, self.req.days[1:], strict=False):
                for code in late:
                    self.m.add_bool_or(
                        [self.x[a, d0, code].Not(), self.x[a, d1, "day"].Not()]
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
        self.spread = m.new_int_var(0, top, "spread")
        for i, group in enumerate(req.fairness_groups()):
            hi, lo = m.new_int_var(0, top, f"hi_{i}"), m.new_int_var(0, top, f"lo_{i}")
            m.add_max_equality(hi, [self.hours[a] for a in group])
            m.add_min_equality(lo, [self.hours[a] for a in group])
            m.add(self.spread >= hi - lo)
        self.total = m.new_int_var(0, top * len(req.agents), "total")
        m.add(self.total == sum(self.hours.values()))
        # lexicographic: each level's weight exceeds everything the levels below can add up to
        w_spread = top * len(req.agents) + 1
        w_short = w_spread * (top + 1)
        m.minimize(w_short * sum(self.midnight_short) + w_spread * self.spread + self.total)

    def hint(self, shifts: Mapping[str, tuple[str, ...]]) -> None:
        """Start the search from `shifts` (agent → shift code per day, empty for a day off)."""
        for a, row in shifts.items():
            for d, code in zip(self.req.days, row, strict=True):
                for s in SHIFTS:
                    self.m.add_hint(self.x[a, d, s.code], code == s.code)
                self.m.add_hint(self.off[a, d], code == "")

    def enforce_all(self) -> None:
        """Make every rule group hard (no explanation wanted)."""
        for lit in self.groups.values():
            self.m.add(lit == 1)


def solver(seconds: float, workers: int, seed: int = 0) -> cp_model.CpSolver:
    """A CP-SAT solver with a fixed seed and worker count.

    One worker with a deterministic time limit gives the same rota on every run (bit for bit). More
    workers race a portfolio of strategies under a wall-clock limit: much faster, the same optimal
    spread whenever optimality is proven, but possibly a different rota among equally good ones.
    """
    s = cp_model.CpSolver()
    s.parameters.random_seed = seed
    s.parameters.num_workers = workers
    # the fewest-hours level needs the LP's bound (a day shift wherever only it covers): with it a month's
    # optimum is proven in well under a second instead of never within the limit
    s.parameters.linearization_level = 2
    if workers == 1:
        s.parameters.max_deterministic_time = seconds
    else:
        s.parameters.extra_subsolvers.append("max_lp")
        s.parameters.max_time_in_seconds = seconds
    return s

