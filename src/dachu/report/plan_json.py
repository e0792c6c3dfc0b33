"""The plan as JSON: the contract scripts rely on (documented in docs/plan-json.md).

Money is a number rounded to 0.01, counts are integers, rates are numbers (0.04). Field names never
change meaning; new fields may be added.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dachu.domain.money import fen
from dachu.domain.plan.budget import Scenario
from dachu.domain.plan.plan import Plan
from dachu.domain.prepare.sections import capacity, staffing
from dachu.i18n import Lang, t
from dachu.report.prepare_json import logistics_dict, stock_dict

SCHEMA_VERSION = 1


def money(value: Decimal | None) -> float | None:
    """A money amount as a JSON number rounded to the fen."""
    return None if value is None else float(fen(value))


def rate(value: Decimal | None) -> float | None:
    """A rate as a JSON number (6 decimals)."""
    return None if value is None else float(round(value, 6))


def note_value(v: Decimal | int | str) -> str:
    """A note's parameter as the plan's tables show it: money 1,234.56, counts 1,234, words as they are."""
    if isinstance(v, Decimal):
        return f"{fen(v):,.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return v


def scenario_note(s: Scenario, lang: Lang) -> str | None:
    """The scenario's note in `lang`, its numbers formatted as in the tables (so equal to them)."""
    return t(s.note, lang, **{k: note_value(v) for k, v in s.note_params}) if s.note else None


def scenario_dict(s: Scenario, lang: Lang) -> dict[str, Any]:
    """One scenario: products, traffic, channels and totals."""
    return {
        "name": s.name,
        "method": s.method,
        "target": money(s.target),
        "reachable": s.reachable,
        "note": scenario_note(s, lang),
        "products": [
            {"sku": p.sku, "name": p.name, "role": p.role, "orders": p.orders, "traffic": p.traffic,
             "unit_profit": money(p.unit_profit), "gmv": money(p.gmv), "gross_profit": money(p.gross_profit),
             "fixed": p.fixed, "target_orders": p.target_orders}
            for p in s.products
        ],
        "traffic": {
            "needed": s.traffic_needed,
            "baseline": s.baseline,
            "incremental": s.incremental,
            "paid": s.channels.traffic,
            "short": s.channels.short,
            "reach": s.reach,
        },
        "order_value": money(s.order_value),
        "channels": [
            {"name": c.name, "kind": c.kind, "budget": money(c.budget), "traffic": c.traffic, "committed": c.committed}
            for c in s.channels.lines
        ],
        "totals": {
            "budget": money(s.budget),
            "traffic": s.traffic_needed,
            "orders": s.orders,
            "gmv": money(s.gmv),
            "gross_profit": money(s.gross_profit),
            "net_profit": money(s.net_profit),
        },
    }


def _numbers(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """`data` with the Decimal-as-text `keys` (prepare_json's convention) as JSON numbers (this contract's)."""
    return {k: (float(v) if k in keys and v is not None else v) for k, v in data.items()}


def prepare_sections(plan: Plan) -> dict[str, Any]:
    """The capacity section's additions: `logistics`, `stock_plan` and `staffing` (each null without input).

    Built from `app_prepare.capacity` / `staffing` (the same objects `dachu capacity` and `dachu staff`
    show); rates and factors are numbers here.
    """
    result = capacity(plan)
    lg = None
    if result.logistics is not None:
        lg = _numbers(logistics_dict(result.logistics), "priority_city_share")
        lg["materials"] = [_numbers(m, "per_parcel", "spare") for m in lg["materials"]]
    sp = _numbers(stock_dict(result.stock), "multiplier", "listed_ratio", "hero_share")
    sp["hero_share"] = rate(result.stock.hero_share)
    sp["hero_share_band"] = [rate(result.stock.settings.hero_share_min), rate(result.stock.settings.hero_share_max)]
    sp["sell_outs"] = [x.sku for x in result.stock.sell_outs]
    staff = None
    if plan.campaign.service is not None:
        st = staffing(plan, plan.campaign.campaign.name)
        arr = st.arrangement
        staff = {
            "visitors": st.visitors,
            "hours": [{"hour": h.hour, "visitors": h.visitors, "inquiries": rate(h.staffing.contacts),
                       "erlangs": rate(h.staffing.traffic), "agents": h.staffing.agents,
                       "scheduled": h.staffing.scheduled, "online": h.online} for h in st.hours],
            "team": arr.aftersale_on_day, "day_peak": arr.day_peak, "night_peak": arr.night_peak,
            "headcount": arr.headcount, "to_hire": arr.to_hire, "offline_peak": arr.offline_peak,
            "unstable_hours": list(st.unstable),
        }
    return {"logistics": lg, "stock_plan": sp, "staffing": staff}


def plan_dict(plan: Plan, lang: Lang) -> dict[str, Any]:
    """The whole plan as plain JSON-ready data."""
    c = plan.campaign
    cap = plan.capacity
    return {
        "schema_version": SCHEMA_VERSION,
        "campaign": {"name": c.campaign.name, "event_day": c.campaign.event_day.isoformat(),
                     "currency": c.campaign.currency, "platform": c.campaign.platform},
        "goal": {"metric": c.goal.metric, "floor": money(c.goal.floor), "stretch": money(c.goal.stretch),
                 "resource_multiplier": float(c.goal.resource_multiplier)},
        "scenarios": [scenario_dict(s, lang) for s in plan.scenarios],
        "comparisons": [
            {"target": money(x.target), "seed_net_profit": money(x.seed_net_profit), "extra_orders": x.extra_orders,
             "extra_budget": money(x.extra_budget), "extra_traffic": x.extra_traffic}
            for x in plan.comparisons
        ],
        "capacity": {
            "scenario": cap.scenario, "multiplier": float(cap.multiplier), "orders": cap.orders,
            "parcels": cap.parcels,
            "stock": [{"sku": n.sku, "units": n.units, "stock": n.stock, "short": n.short} for n in cap.stock],
        },
        **prepare_sections(plan),
        "sensitivity": [
            {"conversion_change": rate(x.conversion_change), "cost_change": rate(x.cost_change),
             "conversion": rate(x.conversion), "traffic": x.traffic, "budget": money(x.budget),
             "net_profit": money(x.net_profit), "short": x.short}
            for x in plan.sensitivity
        ],
        "daily_plan": [
            {"date": d.date.isoformat(), "offset": d.offset, "phase": d.phase, "visitors": d.visitors,
             "conversion": rate(d.conversion), "orders": d.orders, "order_value": money(d.order_value),
             "gmv": money(d.gmv)}
            for d in plan.daily
        ],
        "promotions": [
            {"name": e.name, "sku": e.sku, "net_per_order": money(e.net_per_order),
             "profit_per_order": money(e.profit_per_order), "planned_orders": e.planned_orders,
             "total_profit": money(e.total_profit), "break_even_price": money(e.break_even_price),
             "break_even_commission": rate(e.break_even_commission), "visitors": e.visitors,
             "loss_per_visitor": money(e.cost_per_visitor)}
            for e in plan.promotions
        ],
        "stacking": [
            {"basket": name, "promo_total": money(r.promo_total), "buyer_pays": money(r.buyer_pays),
             "merchant_bears": money(r.merchant_bears), "platform_bears": money(r.platform_bears),
             "merchant_receives": money(r.merchant_receives),
             "offers": [{"name": a.name, "kind": a.kind, "base": money(a.base), "discount": money(a.discount),
                         "merchant_part": money(a.merchant_part), "platform_part": money(a.platform_part)}
                        for a in r.applied],
             "lines": [{"sku": line.sku, "quantity": line.quantity, "amount": money(line.amount),
                        "discount": money(d)} for line, d in zip(r.lines, r.line_discounts, strict=True)]}
            for name, r in plan.baskets
        ],
    }
