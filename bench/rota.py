"""Rota benchmark: agents × a 31-day month (双12 as the event day) — time to the first feasible rota and to
optimal (or the gap at the time limit), against the 10 s target and against the hand-made pattern rota.

Needs come from Erlang C (dachu.domain.prepare.staffing) on an ordinary day of `--visitors` and an event day of
4× that. Prints JSON lines {"bench", "metric", "value", "unit"}.

    python bench/rota.py [--agents 60] [--limit 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from decimal import Decimal

from ortools.sat.python import cp_model

from dachu.domain.campaign.service import Service, ServiceTeam
from dachu.domain.prepare.rota import pattern_rota
from dachu.domain.prepare.rota_explain import precheck
from dachu.domain.prepare.rota_model import RotaModel, solver
from dachu.domain.prepare.shifts import RotaRequest, month_days
from dachu.domain.prepare.staffing import arrange_event_day, hourly_staffing

TARGET_SECONDS = 10.0


def emit(metric: str, value: object, unit: str) -> None:
    print(json.dumps({"bench": "rota", "metric": metric, "value": value, "unit": unit}), flush=True)


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self, start: float) -> None:
        super().__init__()
        self.start = start
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.start


def request(agents: int, visitors: int) -> RotaRequest:
    days = month_days("2026-12")
    event = dt.date(2026, 12, 12)
    service = Service(inquiry_rate=Decimal("0.05"), handle_seconds=Decimal(180), chats_per_agent=3,
                      shrinkage=Decimal("0.3"), agents=ServiceTeam(aftersale=agents))
    ordinary = tuple(h.staffing.scheduled for h in hourly_staffing(visitors, service))
    event_hours = hourly_staffing(4 * visitors, service)
    peak = tuple(h.staffing.scheduled for h in event_hours)
    arr = arrange_event_day(event_hours, service.agents)
    emit("event_day_headcount", arr.headcount, "agents")
    need = {d: peak if d == event else ordinary for d in days}
    leave = {f"S{i:02d}": frozenset({days[(3 * i) % len(days)]}) for i in range(1, agents // 10 + 1)}
    leave = {a: ds - {event} for a, ds in leave.items()}
    return RotaRequest(days, tuple(f"S{i:02d}" for i in range(1, agents + 1)), need, event, leave)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--agents", type=int, default=60)
    ap.add_argument("--visitors", type=int, default=60_000)
    ap.add_argument("--limit", type=float, default=30.0, help="wall-clock limit in seconds")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    req = request(args.agents, args.visitors)
    emit("agents", len(req.agents), "agents")
    emit("days", len(req.days), "days")

    start = time.perf_counter()
    pattern = pattern_rota(req)
    baseline = time.perf_counter() - start
    emit("pattern_rota_seconds", round(baseline, 4), "s")
    assert len(pattern) == len(req.agents)

    start = time.perf_counter()
    conflicts = precheck(req)
    model = RotaModel(req, objective=True)
    model.enforce_all()
    model.hint(pattern)
    build = time.perf_counter() - start
    emit("precheck_and_build_seconds", round(build, 3), "s")
    if conflicts:
        emit("precheck_conflicts", len(conflicts), "conflicts")
        return
    s = solver(args.limit, args.workers)
    cb = _FirstSolution(time.perf_counter())
    code = s.solve(model.m, cb)
    total = s.wall_time
    status = s.status_name(code)
    emit("status", status, "")
    if cb.first is not None:
        first = cb.first + build
        emit("seconds_to_first_feasible", round(first, 3), "s")
        emit("first_feasible_vs_10s_target", round(first / TARGET_SECONDS, 3), "ratio")
        emit("first_feasible_vs_pattern_rota", round(first / max(baseline, 1e-6), 1), "ratio")
    if code == cp_model.OPTIMAL:
        emit("seconds_to_optimal", round(total + build, 3), "s")
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best, bound = s.objective_value, s.best_objective_bound
        emit("hours_spread_at_end", best / 2, "h")
        emit("gap_at_end", round((best - bound) / max(best, 1.0), 4), "ratio")


if __name__ == "__main__":
    main()
