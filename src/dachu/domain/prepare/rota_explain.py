"""Why a month has no rota: which rules collide, in words a customer-service lead can act on.

Two steps:

1. `precheck`: exact necessary conditions, cheap and specific —
   leave on the event day against "everyone works on the event day"; a day whose coverage needs more
   agents at once than are not on leave (one agent works one shift, so a day needs at least
   max(need 9–16 h) + max(need 17–23 h) agents); a month whose coverage needs more agent-days than the
   team has after days off.
2. `explain_infeasible`: when the prechecks pass and CP-SAT still proves the month infeasible, every rule
   group carries an assumption literal; CP-SAT returns a set of assumptions that is infeasible together,
   and we shrink it by deletion (drop a rule, re-solve; keep it dropped if still infeasible) to a minimal
   set of colliding rule groups.
"""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from dachu.domain.prepare.rota_model import RotaModel, solver
from dachu.domain.prepare.shifts import Conflict, RotaRequest
from dachu.i18n import Lang, t


def min_headcount(req: RotaRequest, date: dt.date) -> tuple[int, int, int]:
    """Fewest agents who can cover `date`: (total, by day 9–16 h, at night 17–23 h)."""
    day = max(req.need_at(date, h) for h in range(9, 17))
    night = max(req.need_at(date, h) for h in range(17, 24))
    return day + night, day, night


def precheck(req: RotaRequest) -> list[Conflict]:
    """Collisions found without solving (see module docstring); empty when none is certain."""
    out: list[Conflict] = []
    e = req.event_day
    if e is not None and e in req.days:
        on_leave = [a for a in req.agents if e in req.leave_days(a)]
        if on_leave:
            out.append(
                Conflict(
                    "staff.conflict.event_leave",
                    {"agents": ", ".join(on_leave), "date": e.isoformat()},
                    ("event_day", "leave"),
                )
            )
    for d in req.days:
        total, day, night = min_headcount(req, d)
        leave = [a for a in req.agents if d in req.leave_days(a)]
        available = len(req.agents) - len(leave)
        if total > available:
            peak = max(range(9, 24), key=lambda h: req.need_at(d, h))
            out.append(
                Conflict(
                    "staff.conflict.headcount",
                    {
                        "date": d.isoformat(),
                        "need": total,
                        "day": day,
                        "night": night,
                        "peak": req.need_at(d, peak),
                        "hour": peak,
                        "available": available,
                        "team": len(req.agents),
                        "on_leave": len(leave),
                    },
                    ("coverage", "leave") if leave else ("coverage",),
                )
            )
    need_days = sum(min_headcount(req, d)[0] for d in req.days)
    have_days = sum(len(req.days) - req.off_count(a) for a in req.agents)
    if not out and need_days > have_days:
        out.append(
            Conflict(
                "staff.conflict.agent_days",
                {
                    "need": need_days,
                    "available": have_days,
                    "team": len(req.agents),
                    "days_off": req.days_off,
                },
                ("coverage", "days_off"),
            )
        )
    return out


def explain_infeasible(req: RotaRequest, *, seconds: float = 20.0) -> list[Conflict]:
    """A minimal set of rule groups that cannot hold together, as one Conflict (empty if not proven)."""
    model = RotaModel(req, objective=False)
    names = {lit.index: key for key, lit in model.groups.items()}
    lits = list(model.groups.values())

    def infeasible(assumed: list[cp_model.IntVar]) -> tuple[bool, list[int]]:
        model.m.clear_assumptions()
        model.m.add_assumptions(assumed)
        s = solver(seconds, 1)
        code = s.solve(model.m)
        if code != cp_model.INFEASIBLE:
            return False, []
        return True, list(s.sufficient_assumptions_for_infeasibility())

    proven, core_idx = infeasible(lits)
    if not proven:
        return []
    core = [lit for lit in lits if lit.index in set(core_idx)] or lits
    for lit in list(core):
        trial = [c for c in core if c.index != lit.index]
        still, _ = infeasible(trial)
        if still:
            core = trial
    rules = tuple(f"{names[c.index][0]}:{names[c.index][1]}" for c in core)
    return [Conflict("staff.conflict.rules", {}, rules)]


def rule_text(rule: str, lang: Lang) -> str:
    """One rule group (`group:detail`) in words."""
    group, _, detail = rule.partition(":")
    return t(f"staff.rule.{group}", lang, detail=detail)


def conflict_text(conflict: Conflict, lang: Lang) -> str:
    """A conflict in words, naming the rules that collide."""
    if conflict.key == "staff.conflict.rules":
        sep = "、" if lang == "zh" else "; "
        return t(conflict.key, lang, rules=sep.join(rule_text(r, lang) for r in conflict.rules))
    return t(conflict.key, lang, **conflict.params)
