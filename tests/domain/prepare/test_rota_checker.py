"""An independent checker of the rota rules, reading only the solver's output table.

It knows the shifts by their clock times (docs/domain.md §8), not from dachu.domain.prepare.rota, and recomputes
coverage per half-hour, hours, days off, free stretches and the event day from the table of codes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dachu.domain.prepare.rota import solve_rota
from dachu.domain.prepare.shifts import RotaRequest, month_days

# shift code → (start, end) as hours of the day, from docs/domain.md §8
CLOCK = {"day": (9.0, 17.5), "half": (10.0, 15.5), "night": (17.0, 23.5)}
EVENT = dt.date(2026, 11, 11)


def check(table, days, need, *, event_day, leave, days_off, night_before=()):
    """Every rule violated by `table` (agent → codes per day); empty when the rota is valid.

    `night_before`: agents on the night shift on the previous month's last day (no day shift on day 1).
    """
    bad = []
    for agent, row in table.items():
        assert len(row) == len(days)
        if agent in night_before and row[0] == "day":
            bad.append(("night_day", agent, days[0]))
        off = [d for d, code in zip(days, row, strict=True) if code == ""]
        want_off = max(days_off, len([d for d in leave.get(agent, ()) if d in days]))
        if len(off) != want_off:
            bad.append(("days_off", agent, len(off)))
        if not any(row[i] == "" and row[i + 1] == "" for i in range(len(row) - 1)):
            bad.append(("free_stretch", agent))
        for i in range(len(row) - 1):
            if row[i] == "night" and row[i + 1] == "day":
                bad.append(("night_day", agent, days[i]))
        for d in leave.get(agent, ()):
            if d in days and row[days.index(d)] != "":
                bad.append(("leave", agent, d))
        if event_day in days and row[days.index(event_day)] == "":
            bad.append(("event_day", agent))
    for i, d in enumerate(days):
        for k in range(29):  # half-hours 9:00 … 23:00
            t0 = 9 + k / 2
            on = sum(1 for row in table.values() if row[i] and CLOCK[row[i]][0] <= t0 < CLOCK[row[i]][1])
            if on < need[d][int(t0)]:
                bad.append(("coverage", d, t0, on))
    return bad


def hours_of(row):
    return sum(Decimal(str(CLOCK[c][1] - CLOCK[c][0])) for c in row if c)


def _need(day_need: int, night_need: int, event_extra: int = 0):
    def for_day(d):
        extra = event_extra if d == EVENT else 0
        return tuple([0] * 9 + [day_need + extra] * 8 + [night_need + extra] * 7)

    return for_day


@pytest.fixture(scope="module")
def solved():
    days = month_days("2026-11")
    agents = tuple(f"S{i:02d}" for i in range(1, 11))
    per_day = _need(2, 3, event_extra=1)
    need = {d: per_day(d) for d in days}
    leave = {"S03": frozenset({dt.date(2026, 11, 5), dt.date(2026, 11, 6)}),
             "S07": frozenset({dt.date(2026, 11, 20), dt.date(2026, 12, 1)})}
    req = RotaRequest(days, agents, need, EVENT, leave, days_off=4)
    return req, solve_rota(req, seconds=10)


def test_every_rule_holds_on_the_solvers_table(solved):
    req, rota = solved
    assert rota.solved
    table = {a: rota.shifts[a] for a in rota.agents}
    assert set(table) == set(req.agents)
    assert check(table, list(req.days), req.need, event_day=EVENT, leave=req.leave, days_off=4) == []


def test_hours_reported_match_the_table_and_are_balanced(solved):
    _, rota = solved
    hours = {a: hours_of(rota.shifts[a]) for a in rota.agents}
    assert hours == dict(rota.hours)
    assert max(hours.values()) - min(hours.values()) == rota.spread
    if rota.status == "optimal":
        assert rota.gap == 0.0


def test_the_checker_catches_a_broken_table(solved):
    req, rota = solved
    table = {a: list(rota.shifts[a]) for a in rota.agents}
    i = req.days.index(EVENT)
    table["S01"][i] = ""  # off on the event day (and one day off too many)
    table["S02"][0], table["S02"][1] = "night", "day"
    found = {v[0] for v in check({a: tuple(r) for a, r in table.items()}, list(req.days), req.need,
                                 event_day=EVENT, leave=req.leave, days_off=4)}
    assert {"event_day", "days_off", "night_day"} <= found


def test_one_worker_gives_the_same_rota_every_time(solved):
    req, _ = solved
    first, again = solve_rota(req, seconds=5, workers=1), solve_rota(req, seconds=5, workers=1)
    assert first.solved and again.shifts == first.shifts


def test_the_previous_months_last_night_keeps_its_agents_off_day_shifts_on_day_1():
    # 10 agents, 4 worked the night of 10.31: day 1 needs 3 from 9:00, so 3 of the other 6 open it
    days = month_days("2026-11")
    agents = tuple(f"S{i:02d}" for i in range(1, 11))
    per_day = _need(3, 3)
    need = {d: per_day(d) for d in days}
    nights = frozenset({"S01", "S02", "S03", "S04"})
    req = RotaRequest(days, agents, need, EVENT, {}, days_off=4, night_before=nights)
    rota = solve_rota(req, seconds=10)
    assert rota.solved
    table = {a: rota.shifts[a] for a in rota.agents}
    assert check(table, list(days), need, event_day=EVENT, leave={}, days_off=4, night_before=nights) == []
    assert all(table[a][0] != "day" for a in nights)


def test_the_checker_catches_a_day_shift_after_last_months_night(solved):
    req, rota = solved
    table = {a: tuple(rota.shifts[a]) for a in rota.agents}
    first_day_shift = next(a for a in rota.agents if table[a][0] == "day")
    found = check(table, list(req.days), req.need, event_day=EVENT, leave=req.leave, days_off=4,
                  night_before={first_day_shift})
    assert found == [("night_day", first_day_shift, req.days[0])]


def test_everyone_on_last_months_night_cannot_open_at_9_and_the_rules_are_named():
    # only the day shift covers 9:00–10:00; if every agent worked the night before, day 1 at 9h is empty
    days = month_days("2026-11")
    agents = tuple(f"S{i:02d}" for i in range(1, 7))
    per_day = _need(1, 1)
    need = {d: per_day(d) for d in days}
    req = RotaRequest(days, agents, need, EVENT, {}, days_off=4, night_before=frozenset(agents))
    rota = solve_rota(req, seconds=10)
    assert rota.status == "infeasible"
    (conflict,) = rota.conflicts
    assert {r.split(":")[0] for r in conflict.rules} == {"coverage", "night_day"}
