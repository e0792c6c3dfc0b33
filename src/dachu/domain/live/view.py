"""The war room's figures at a moment (战况快照): plain numbers for the dashboard and the SSE stream.

`snapshot(state, plan, settings)` reads a `LiveState` at its own clock (the latest event time) and returns
a JSON-ready dict. Money is yuan as a float rounded to the fen (display only; the state keeps exact fen).
It holds no personal data: buyers appear only as counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from dachu.domain import day_profile
from dachu.domain.campaign.live import DEFAULT_SETTINGS, LiveSettings
from dachu.domain.live.alerts import minutes_to_sellout
from dachu.domain.live.state import LivePlan, LiveState, pace

TOP_PRODUCTS = 8
TOP_SOURCES = 8


def _yuan(fen: int | float | Decimal) -> float:
    return round(float(fen) / 100, 2)


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def hourly_actual(state: LiveState) -> list[float]:
    """Cumulative paid GMV (yuan) at the end of each hour up to the current one."""
    hours = min(24, (state.now_minute + 59) // 60)
    out: list[float] = []
    acc = 0
    for h in range(hours):
        acc += sum(state.paid_by_minute[h * 60 : (h + 1) * 60])
        out.append(_yuan(acc))
    return out


def hourly_pace(total: Decimal) -> list[float]:
    """Cumulative planned GMV (yuan) at the end of each hour: `total` × the day's running order share."""
    return [round(float(total * share), 2) for share in day_profile.cumulative()]


def snapshot(state: LiveState, plan: LivePlan, settings: LiveSettings = DEFAULT_SETTINGS,
             available: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The dashboard's figures now (see module doc); alerts are `alerts.evaluate`'s, apart.

    `settings.window_minutes` is the recent selling rate a product's sell-out time is projected from.
    `available`: the stock ledger's units available per product — then a product's stock left is the
    ledger's (`left`), else the campaign's stock less the units ordered.
    """
    now = state.now_minute
    not_paid = state.placed - sum(state.paid_of_placed)
    buyers = state.buyers
    visits_activity = state.visitors_by_page.get("activity", 0)
    visits_store = state.visitors_by_page.get("store", 0)
    products: list[dict[str, Any]] = []
    for p in plan.products:
        ordered = state.units.get(p.sku, 0)
        ledger_left = None if available is None else available.get(p.sku)
        left = ledger_left if ledger_left is not None else None if p.stock is None else max(0, p.stock - ordered)
        sellout: str | None = None
        if left is not None:
            minutes = minutes_to_sellout(state, p.sku, p.stock or 0, now, settings.window_minutes, left)
            if minutes is not None:
                at = plan.start + dt.timedelta(minutes=now + float(minutes))
                sellout = at.strftime("%H:%M") if at.date() == plan.day else None
        products.append({"sku": p.sku, "name": p.name, "ordered": ordered, "units_sold": state.units_paid.get(p.sku, 0),
                         "stock": p.stock, "left": left, "sellout_at": sellout})
    products.sort(key=lambda row: -int(row["ordered"]))
    due = float(pace(plan.visitor_shares, now))
    channels = []
    names = [name for name, _ in plan.budgets] + sorted(set(state.spend_fen) - {n for n, _ in plan.budgets})
    budgets = dict(plan.budgets)
    for name in names:
        budget = budgets.get(name)
        channels.append({
            "channel": name,
            "spent": _yuan(state.spend_fen.get(name, 0)),
            "budget": None if budget is None else round(float(budget), 2),
            "planned_by_now": None if budget is None else round(float(budget) * due, 2),
            "clicks": state.clicks.get(name, 0),
        })
    placements = []
    for source, visitors in sorted(state.visitors_by_source.items(), key=lambda kv: -kv[1])[:TOP_SOURCES]:
        paying = state.buyers_by_source.get(source, 0)
        placements.append({"source": source, "visitors": visitors, "buyers": paying,
                           "conversion": _ratio(paying, visitors)})
    entry = sorted(state.entry_paths.items(), key=lambda kv: -kv[1])[:TOP_SOURCES]
    return {
        "seq": state.seq,
        "clock": None if state.clock is None else state.clock.isoformat(timespec="seconds"),
        "minute": now,
        "totals": {
            "gmv": _yuan(state.paid_fen),
            "placed_amount": _yuan(state.placed_fen),
            "orders": state.placed,
            "presale_orders": state.presale_orders,
            "paid_orders": state.paid,
            "unpaid_orders": not_paid,
            "shipped": state.shipped,
            "not_shipped": state.paid_not_shipped,
            "refunds": state.refunds,
            "refund_amount": _yuan(state.refund_fen),
            "visitors": state.visitors,
            "buyers": buyers,
            "aov": None if buyers == 0 else _yuan(state.paid_fen / buyers),
            "conversion": _ratio(buyers, state.visitors),
            "spend": _yuan(sum(state.spend_fen.values())),
            "cs_sessions": state.cs_sessions,
        },
        "metrics": {  # the same figures under the ids of the metrics dictionary (dachu.domain.metrics)
            "gmv_paid": _yuan(state.paid_fen),
            "orders_placed": state.placed,
            "orders_paid": state.placed - not_paid,
            "paying_buyers": buyers,
            "aov": None if buyers == 0 else _yuan(state.paid_fen / buyers),
            "conversion": _ratio(buyers, state.visitors),
            "unpaid_share": _ratio(not_paid, state.placed),
            "visitors": state.visitors,
            "page_views": state.page_views,
            "spend": _yuan(sum(state.spend_fen.values())),
            "backlog": state.paid_not_shipped,
            "refund_amount": _yuan(state.refund_fen),
            "cs_sessions": state.cs_sessions,
        },
        "visits": {"activity": visits_activity, "store": visits_store,
                   "activity_share": _ratio(visits_activity, visits_activity + visits_store)},
        "entry_paths": [{"source": s, "visitors": v} for s, v in entry],
        "placements": placements,
        "hourly": {"actual": hourly_actual(state), "floor": hourly_pace(plan.floor_gmv),
                   "stretch": hourly_pace(plan.stretch_gmv)},
        "products": products[:TOP_PRODUCTS],
        "channels": channels,
    }
