"""The prepare figures as plain JSON-ready dicts (capacity, stock plan, calendar) for `--format json`.

Numbers stay numbers; Decimals are written as strings so that no float rounding creeps in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from dachu.domain.prepare.calendar import TaskStatus
from dachu.domain.prepare.logistics import Logistics
from dachu.domain.prepare.sections import StaffingResult
from dachu.domain.prepare.shifts import Rota, RotaRequest
from dachu.domain.prepare.staffing import HourStaffing
from dachu.domain.prepare.stock_plan import StockPlan
from dachu.i18n import Lang


def logistics_dict(lg: Logistics) -> dict[str, Any]:
    """The capacity section: parcels, the backlog by day, rule verdicts, fixes and materials."""
    w = lg.warehouse
    run = lg.backlog
    return {
        "event_orders": lg.event_orders,
        "follow_up_orders": list(lg.follow_up_orders),
        "parcels": lg.parcels,
        "lines": w.lines,
        "orders_per_line_per_day": w.orders_per_line_per_day,
        "daily_capacity": w.daily_capacity,
        "priority_city_share": str(w.priority_city_share),
        "priority_within_days": w.priority_within_days,
        "ship_within_days": w.ship_within_days,
        "days_to_clear": run.days_to_clear if run else None,
        "cleared": run.cleared if run else None,
        "priority_days": run.priority_days if run else None,
        "all_days": run.all_days if run else None,
        "priority_ok": lg.priority_ok,
        "all_ok": lg.all_ok,
        "extra_lines": lg.extra_lines,
        "extra_packers": lg.extra_packers,
        "lines_fit": lg.lines_fit,
        "backlog": [
            {"offset": d.offset, "new": d.new, "new_priority": d.new_priority, "shipped": d.shipped,
             "shipped_priority": d.shipped_priority, "backlog": d.backlog,
             "backlog_priority": d.backlog_priority}
            for d in (run.days if run else ())
        ],
        "materials": [
            {"name": m.name, "per_parcel": str(m.per_parcel), "spare": str(m.spare), "amount": m.amount,
             "pack_size": m.pack_size, "packs": m.packs}
            for m in lg.materials
        ],
    }


def stock_dict(sp: StockPlan) -> dict[str, Any]:
    """The stock plan: one entry per product, the hero share and its verdict."""
    return {
        "multiplier": str(sp.multiplier),
        "listed_ratio": str(sp.settings.listed_ratio),
        "total_planned": sp.total_planned,
        "hero_planned": sp.hero_planned,
        "hero_share": str(sp.hero_share) if sp.hero_share is not None else None,
        "hero_share_ok": sp.hero_share_ok,
        "products": [
            {"sku": x.sku, "name": x.name, "role": x.role, "day_units": x.day_units, "units": x.units,
             "on_hand": x.on_hand, "short": x.short, "planned": x.planned, "listed": x.listed,
             "reserve": x.reserve, "reorder_point": x.reorder_point, "lead_need": x.lead_need,
             "reorder_now": x.reorder_now,
             "supplier": x.supplier, "sell_out": str(x.sell_out) if x.sell_out else None}
            for x in sp.lines
        ],
    }


def calendar_dict(statuses: Sequence[TaskStatus], lang: Lang) -> list[dict[str, Any]]:
    """The dated tasks with their state, titles in `lang`."""
    return [
        {"id": s.task.id, "group": s.task.group, "phase": s.task.phase, "title": s.task.template.title(lang),
         "start": s.task.start.isoformat(), "end": s.task.end.isoformat(), "days": s.task.days,
         "after": list(s.task.template.after), "pushed": s.task.pushed, "state": s.state,
         "done_on": s.done_on.isoformat() if s.done_on else None, "days_late": s.days_late}
        for s in statuses
    ]


def hour_dict(hs: HourStaffing) -> dict[str, object]:
    """One hour of the event day's staffing (Decimals as strings where exact, floats where measured)."""
    s = hs.staffing
    return {
        "hour": hs.hour, "visitors": hs.visitors, "inquiries": str(s.contacts), "erlangs": float(s.traffic),
        "servers": s.servers, "agents": s.agents, "scheduled": s.scheduled,
        "service_level": round(s.service_level, 6), "average_wait_seconds": round(s.average_wait_seconds, 3),
        "online": hs.online,
    }


def staffing_dict(result: StaffingResult) -> dict[str, object]:
    """`dachu staff --format json`: the date, visitors, the 24 hours, the arrangement and the unstable hours."""
    return {"date": result.date.isoformat(), "visitors": result.visitors,
            "hours": [hour_dict(x) for x in result.hours], "arrangement": asdict(result.arrangement),
            "unstable_hours": list(result.unstable)}


def rota_dict(req: RotaRequest, rota: Rota, lg: Lang) -> dict[str, object]:
    """`dachu staff rota --format json`: status, days, spread, conflicts; shifts, hours and coverage once solved."""
    from dachu.domain.prepare.rota_explain import conflict_text  # OR-Tools loads only with a rota

    out: dict[str, object] = {
        "status": rota.status, "days": [d.isoformat() for d in rota.days],
        "spread_hours": str(rota.spread) if rota.spread is not None else None, "gap": rota.gap,
        "conflicts": [conflict_text(x, lg) for x in rota.conflicts],
        "night_before": sorted(req.night_before),
    }
    if rota.solved:
        out["shifts"] = {a: list(rota.shifts[a]) for a in rota.agents}
        out["hours"] = {a: str(rota.hours[a]) for a in rota.agents}
        out["coverage"] = [
            {"date": d.isoformat(), "hour": hr, "on_duty": rota.coverage(d, hr), "need": req.need_at(d, hr)}
            for d in rota.days for hr in range(9, 24)
        ]
        out["midnight"] = [  # hours 0–1 of the days offered a midnight shift: what is short stays on auto-reply
            {"date": d.isoformat(), "hour": hr, "on_duty": rota.coverage(d, hr), "need": req.need_at(d, hr)}
            for d in req.midnight_days for hr in (0, 1)
        ]
        out["midnight_short"] = rota.midnight_short
        out["total_hours"] = str(rota.total_hours)
    return out
