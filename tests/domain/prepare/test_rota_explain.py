"""An infeasible month is explained by the rules that collide, in zh and en."""

from __future__ import annotations

import datetime as dt

from dachu.domain.prepare.rota import solve_rota
from dachu.domain.prepare.rota_explain import conflict_text
from dachu.domain.prepare.shifts import RotaRequest, month_days

EVENT = dt.date(2026, 11, 11)
DAYS = month_days("2026-11")


def _flat(day: int, night: int):
    return {d: tuple([0] * 9 + [day] * 8 + [night] * 7) for d in DAYS}


def test_leave_on_the_event_day_collides_with_everyone_working():
    agents = ("S01", "S02", "S03", "S04")
    req = RotaRequest(DAYS, agents, _flat(1, 1), EVENT,
                      {"S02": frozenset({EVENT}), "S04": frozenset({EVENT})})
    rota = solve_rota(req, seconds=5)
    assert rota.status == "infeasible"
    texts = [conflict_text(c, "en") for c in rota.conflicts]
    expected = "leave requests of agents S02, S04 on 2026-11-11 collide with 'everyone works on the event day'"
    assert expected in texts
    assert any("S02, S04" in conflict_text(c, "zh") and "活动当天全员上班" in conflict_text(c, "zh")
               for c in rota.conflicts)


def test_coverage_beyond_the_team_names_the_day_the_hour_and_the_numbers():
    # 20h needs 6 and 10h needs 4: 4 + 6 = 10 agents at least, the team is 8
    need = _flat(1, 1)
    need[EVENT] = tuple([0] * 9 + [2, 4, 3, 3, 3, 3, 3, 3] + [3, 3, 3, 6, 5, 4, 3])
    req = RotaRequest(DAYS, tuple(f"S{i:02d}" for i in range(1, 9)), need, EVENT)
    rota = solve_rota(req, seconds=5)
    assert rota.status == "infeasible"
    (c,) = rota.conflicts
    assert conflict_text(c, "en") == (
        "2026-11-11: coverage needs 10 agents (4 by day + 6 at night; 6 at 20h) "
        "but only 8 of 8 agents can work (0 on leave)"
    )


def test_month_short_of_agent_days():
    # 2 agents must cover 1 day + 1 night every day: 2 × 30 agent-days, but 4 days off each leaves 52
    req = RotaRequest(DAYS, ("S01", "S02"), _flat(1, 1), EVENT)
    rota = solve_rota(req, seconds=5)
    (c,) = rota.conflicts
    assert c.key == "staff.conflict.agent_days"
    assert "60" in conflict_text(c, "en") and "52" in conflict_text(c, "en")


def test_solver_core_names_days_off_against_the_free_stretch():
    # no days off at all, yet everyone must have two days off in a row: only the solver sees this
    req = RotaRequest(DAYS, ("S01", "S02", "S03"), _flat(0, 0), EVENT, days_off=0)
    rota = solve_rota(req, seconds=5)
    assert rota.status == "infeasible"
    (c,) = rota.conflicts
    assert set(c.rules) == {"days_off:0", "free_stretch:"}
    assert conflict_text(c, "en") == (
        "these rules cannot all hold together: each agent's two whole days off in a row; 0 days off a month"
    )
    assert "每月休 0 天" in conflict_text(c, "zh")
