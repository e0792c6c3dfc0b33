"""The plan as an Excel workbook (计划工作簿): one sheet per table, with live formulas.

Formulas stand where a user would change an assumption; each is stored with its value so the file reads
right before Excel recalculates.

Live: unit profit, order targets, traffic needed and incremental traffic (from the assumptions sheet);
each channel's cost per visitor, traffic = budget / cost per visitor for booked channels and budget along
the cost curve for the optimiser's; promotion unit economics and break-evens; the daily plan from the
profile factors. The optimiser's choices, sensitivity and scenario summaries are values (they come from
a solver, not a formula).

Prepare sheets: parcels, capacity, materials, planned and listed stock, reorder points, the hero share,
inquiries, Erlangs and scheduled agents are live; the backlog by day, the fixes, the Erlang C agents and
the sell-out times are values (a simulation or a search, not a formula).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell as cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from dachu.domain.campaign.channels import ChannelBase
from dachu.domain.money import fen
from dachu.domain.plan.budget import Scenario, effective_channels, scenario_pricing
from dachu.domain.plan.daily import DEFAULT_PROFILE
from dachu.domain.plan.plan import Plan
from dachu.domain.plan.promotions import promotion_fee_rate
from dachu.domain.prepare.logistics import Logistics
from dachu.domain.prepare.sections import capacity, staffing
from dachu.domain.prepare.stock_plan import StockPlan
from dachu.errors import PlanError
from dachu.i18n import Lang, has, t
from dachu.report.output import write_output
from dachu.report.plan_json import scenario_note

SHEETS: tuple[str, ...] = (
    "assumptions", "products", "channels", "promotions", "scenarios", "sensitivity", "daily", "capacity",
    "logistics", "materials", "stock_plan", "staffing",
)
"""The sheets in order; each is named in the workbook's language (`xlsx.sheet.<key>`: 假设 / Assumptions)."""


def sheet_name(key: str, lang: Lang) -> str:
    """The name of sheet `key` in `lang` (formulas on other sheets refer to it by this name)."""
    return t(f"xlsx.sheet.{key}", lang)


def _f(value: Decimal | int | None) -> float | int | str:
    if value is None:
        return ""
    return value if isinstance(value, int) else float(value)


def ref(sheet: str, row: int, col: int) -> str:
    """An absolute reference to a cell on another sheet: '假设'!$B$2."""
    return f"'{sheet}'!{cell(row, col, row_abs=True, col_abs=True)}"


def _cell(row: int, col: int) -> str:
    return str(cell(row, col))


class _Writer:
    def __init__(self, workbook: Workbook, lang: Lang) -> None:
        self.wb = workbook
        self.lang = lang
        self.head = workbook.add_format({"bold": True, "bg_color": "#F2E6D9", "border": 1, "text_wrap": True})
        self.money = workbook.add_format({"num_format": "#,##0.00"})
        self.int = workbook.add_format({"num_format": "#,##0"})
        self.pct = workbook.add_format({"num_format": "0.00%"})
        self.bold = workbook.add_format({"bold": True})

    def label(self, key: str) -> str:
        zh = t(key, "zh")
        return zh if self.lang == "zh" else f"{zh} / {t(key, 'en')}"

    def sheet(self, key: str) -> Worksheet:
        ws = self.wb.add_worksheet(sheet_name(key, self.lang))
        ws.freeze_panes(1, 0)
        return ws

    def header(self, ws: Worksheet, keys: list[str]) -> None:
        for col, key in enumerate(keys):
            ws.write(0, col, self.label(key), self.head)
            ws.set_column(col, col, 14)

    def formula(self, ws: Worksheet, row: int, col: int, formula: str, value: Any, fmt: Any = None) -> None:
        ws.write_formula(row, col, formula, fmt, _f(value) if not isinstance(value, str) else value)


def write_plan_xlsx(plan: Plan, path: Path, lang: Lang) -> Path:
    """Write the plan's workbook to `path` (folders created)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    try:
        w = _Writer(workbook, lang)
        a = _assumptions(w, plan)
        _products(w, plan, a)
        _channels(w, plan, a)
        _promotions(w, plan)
        _scenarios(w, plan)
        _sensitivity(w, plan)
        _daily(w, plan, a)
        _capacity(w, plan, a)
        result = capacity(plan)
        parcels = _logistics(w, result.logistics)
        _materials(w, result.logistics, parcels)
        _stock_plan(w, result.stock, a)
        _staffing(w, plan)
    finally:
        workbook.close()
    return write_output(path, buffer.getvalue(), make_folders=True)


def _assumptions(w: _Writer, plan: Plan) -> dict[str, str]:
    """Write the assumptions; return their references by name."""
    c = plan.campaign
    ctx = scenario_pricing(c, plan.scenario("floor", "seed"))  # the channels sheet prices the floor's seed plan
    ws = w.sheet("assumptions")
    w.header(ws, ["plan.col.assumption", "plan.col.value"])
    ws.set_column(0, 0, 36)
    rows: list[tuple[str, str, Any, Any]] = [
        ("floor", "plan.scenario.floor", c.goal.floor, w.money),
        ("stretch", "plan.scenario.stretch", c.goal.stretch, w.money),
        ("multiplier", "xlsx.multiplier", c.goal.resource_multiplier, None),
        ("baseline_uv", "plan.col.baseline", c.store.baseline_daily_uv, w.int),
        ("baseline_conversion", "xlsx.baseline_conversion", c.store.baseline_conversion, w.pct),
        ("event_conversion", "xlsx.event_conversion", c.store.event_conversion, w.pct),
        ("order_value", "xlsx.channel_order_value", ctx.order_value, w.money),
    ]
    refs: dict[str, str] = {}
    sheet = sheet_name("assumptions", w.lang)
    for i, (name, key, value, fmt) in enumerate(rows, start=1):
        ws.write(i, 0, w.label(key))
        ws.write_number(i, 1, float(value), fmt)
        refs[name] = ref(sheet, i, 1)
    return refs


def _contribution(metric: str, row: int) -> str:
    if metric == "profit":
        return _cell(row, 7)
    if metric == "gmv":
        return _cell(row, 3)
    return "1"


def _products(w: _Writer, plan: Plan, a: dict[str, str]) -> None:
    """Floor target by the seed method, every step a formula."""
    c = plan.campaign
    s = plan.scenario("floor", "seed")
    ws = w.sheet("products")
    w.header(ws, ["plan.col.sku", "plan.col.name", "plan.col.role", "plan.col.promo_price", "plan.col.unit_cost",
                  "plan.col.shipping_cost", "xlsx.platform_fee_rate", "plan.col.unit_profit", "plan.col.goal_share",
                  "plan.col.planned_orders", "plan.col.orders", "plan.col.traffic"])
    n = len(c.products)
    first, last = 1, n
    share_goal = cell(n + 2, 10)
    for i, (p, pp) in enumerate(zip(c.products, s.products, strict=True), start=1):
        ws.write(i, 0, p.sku)
        ws.write(i, 1, p.name)
        ws.write(i, 2, t("plan.role." + p.role, w.lang))
        for col, value in ((3, p.promo_price), (4, p.unit_cost), (5, p.shipping_cost)):
            ws.write_number(i, col, float(value), w.money)
        ws.write_number(i, 6, float(p.platform_fee_rate), w.pct)
        w.formula(ws, i, 7, f"={cell(i, 3)}*(1-{cell(i, 6)})-{cell(i, 4)}-{cell(i, 5)}", p.unit_profit, w.money)
        if p.goal_share is not None:
            ws.write_number(i, 8, float(p.goal_share), w.pct)
        if p.planned_orders is not None:
            ws.write_number(i, 9, p.planned_orders, w.int)
        per_order = _contribution(c.goal.metric, i)
        orders = (f'=IF({cell(i, 9)}<>"",{cell(i, 9)},'
                  f"IF({cell(i, 8)}*{share_goal}>0,CEILING(ROUND({cell(i, 8)}*{share_goal}/{per_order},6),1),0))")
        w.formula(ws, i, 10, orders, pp.orders, w.int)
        traffic = f"=IF({cell(i, 10)}>0,CEILING(ROUND({cell(i, 10)}/{a['event_conversion']},6),1),0)"
        w.formula(ws, i, 11, traffic, pp.traffic, w.int)
    fixed = sum(((p.unit_profit if c.goal.metric == "profit" else p.promo_price if c.goal.metric == "gmv" else 1)
                 * (p.planned_orders or 0) for p in c.products), Decimal(0))
    total = n + 1
    ws.write(total, 0, w.label("common.total"), w.bold)
    w.formula(ws, total, 10, f"=SUM({cell(first, 10)}:{cell(last, 10)})", s.orders, w.int)
    w.formula(ws, total, 11, f"=SUM({cell(first, 11)}:{cell(last, 11)})", s.traffic_needed, w.int)
    ws.write(n + 2, 9, w.label("xlsx.share_goal"))
    contrib = [_contribution(c.goal.metric, r) for r in range(first, last + 1)]
    fixed_terms = "+".join(f"N({cell(r, 9)})*{x}" for r, x in zip(range(first, last + 1), contrib, strict=True))
    w.formula(ws, n + 2, 10, f"={a['floor']}-({fixed_terms})", plan.campaign.goal.floor - fixed, w.money)
    ws.write(n + 3, 9, w.label("plan.col.incremental"))
    w.formula(ws, n + 3, 10, f"=MAX(0,{cell(total, 11)}-{a['baseline_uv']})", s.incremental, w.int)


@dataclass(frozen=True)
class KindCells:
    """How one channel kind is written on the channels sheet.

    `params`: the kind's own parameters for columns D–G (None leaves a cell empty). `cost_per_visitor`:
    the formula of column H from the row, the channel and the assumptions' cells.
    """

    params: Callable[[Any], tuple[Decimal | int | None, ...]]
    cost_per_visitor: Callable[[int, Any, dict[str, str]], str]


def _cps_cost(r: int, ch: Any, a: dict[str, str]) -> str:
    value = cell(r, 5) if ch.order_value is not None else a["order_value"]
    conv = cell(r, 6) if ch.conversion is not None else a["event_conversion"]
    return f"=({cell(r, 3)}*{value}+{cell(r, 4)})*{conv}"


KIND_CELLS: dict[str, KindCells] = {
    "cpc": KindCells(lambda ch: (ch.cpc, None, None, None), lambda r, ch, a: f"={cell(r, 3)}"),
    "cpm": KindCells(lambda ch: (ch.cpm, ch.ctr, None, None), lambda r, ch, a: f"={cell(r, 3)}/1000/{cell(r, 4)}"),
    "sms": KindCells(lambda ch: (ch.cost_per_message, ch.click_rate, None, None),
                     lambda r, ch, a: f"={cell(r, 3)}/{cell(r, 4)}"),
    "cps": KindCells(lambda ch: (ch.commission, ch.service_fee, ch.order_value, ch.conversion), _cps_cost),
    "flat": KindCells(lambda ch: (ch.fee, ch.visitors, None, None), lambda r, ch, a: f"={cell(r, 3)}/{cell(r, 4)}"),
}
"""The workbook's cells per channel kind, keyed by the registry's `lookup_name` (`CHANNEL_KINDS`)."""


def kind_cells(channel: ChannelBase) -> KindCells:
    """The cells of `channel`'s kind; a kind the workbook does not know is an error, never a guessed formula."""
    cells = KIND_CELLS.get(channel.lookup_name)
    if cells is None:
        raise PlanError("xlsx.unknown_kind", kind=channel.lookup_name, channel=channel.name,
                        known=", ".join(KIND_CELLS))
    return cells


def _curve_cost(traffic: str, cpv: str, channel: Any) -> str:
    bounds = [0] + [s.from_visitors for s in channel.rising]
    factors = [Decimal(1)] + [s.factor for s in channel.rising]
    terms = []
    for i, (start, factor) in enumerate(zip(bounds, factors, strict=True)):
        upper = f"MIN({traffic},{bounds[i + 1]})" if i + 1 < len(bounds) else traffic
        terms.append(f"MAX(0,{upper}-{start})*{cpv}*{factor}")
    return "+".join(terms)


def _channels(w: _Writer, plan: Plan, a: dict[str, str]) -> None:
    """Each channel of the floor plan (seed method): its price, budget and traffic."""
    c = plan.campaign
    s = plan.scenario("floor", "seed")
    ctx = scenario_pricing(c, s)
    ws = w.sheet("channels")
    w.header(ws, ["plan.col.channel", "plan.col.kind", "plan.col.committed", "xlsx.param1", "xlsx.param2",
                  "xlsx.param3", "xlsx.param4", "plan.col.cpc", "plan.col.budget", "plan.col.traffic"])
    channels = effective_channels(c)
    lines = {line.name: line for line in s.channels.lines}
    for i, ch in enumerate(channels, start=1):
        line = lines[ch.name]
        ws.write(i, 0, ch.name)
        ws.write(i, 1, ch.lookup_name)
        ws.write(i, 2, t("common.yes" if line.committed else "common.no", w.lang))
        kind = kind_cells(ch)
        for col, value in enumerate(kind.params(ch), start=3):
            if value is not None:
                ws.write_number(i, col, float(value))
        cpv = cell(i, 7)
        w.formula(ws, i, 7, kind.cost_per_visitor(i, ch, a), ch.cost_per_visitor(ctx), w.money)
        budget, traffic = cell(i, 8), cell(i, 9)
        if not ch.is_divisible():  # a slot (flat fee) is bought whole
            if line.committed:
                ws.write_number(i, 8, float(line.budget), w.money)
                w.formula(ws, i, 9, f"=IF({budget}>={cell(i, 3)},{cell(i, 4)},0)", line.traffic, w.int)
            else:
                ws.write_number(i, 9, line.traffic, w.int)
                w.formula(ws, i, 8, f"=IF({traffic}>0,{cell(i, 3)},0)", line.budget, w.money)
        elif line.committed and not ch.rising:
            ws.write_number(i, 8, float(line.budget), w.money)
            cap = f"MIN({ch.cap}," if ch.cap is not None else "("
            w.formula(ws, i, 9, f"={cap}INT(ROUND({budget}/{cpv},6)))", line.traffic, w.int)
        elif line.committed:
            ws.write_number(i, 8, float(line.budget), w.money)
            ws.write_number(i, 9, line.traffic, w.int)
        else:
            ws.write_number(i, 9, line.traffic, w.int)
            w.formula(ws, i, 8, f"=ROUNDUP(ROUND({_curve_cost(traffic, cpv, ch)},6),2)", line.budget, w.money)
    total = len(channels) + 1
    ws.write(total, 0, w.label("common.total"), w.bold)
    w.formula(ws, total, 8, f"=SUM({cell(1, 8)}:{cell(total - 1, 8)})", s.budget, w.money)
    w.formula(ws, total, 9, f"=SUM({cell(1, 9)}:{cell(total - 1, 9)})", s.channels.traffic, w.int)


def _promotions(w: _Writer, plan: Plan) -> None:
    ws = w.sheet("promotions")
    w.header(ws, ["plan.col.promotion", "plan.col.list_price", "plan.col.coupon", "plan.col.promo_price",
                  "plan.col.commission", "plan.col.service_fee", "plan.col.gift_cost", "plan.col.shipping_cost",
                  "plan.col.unit_cost", "plan.col.net_per_order", "plan.col.profit_per_order",
                  "plan.col.planned_orders", "plan.col.total_profit", "plan.col.break_even_price",
                  "plan.col.break_even_commission"])
    for i, (p, e) in enumerate(zip(plan.campaign.promotions, plan.promotions, strict=True), start=1):
        ws.write(i, 0, p.name)
        for col, value in enumerate((p.list_price, p.coupon, p.promo_price), start=1):
            ws.write_number(i, col, float(value), w.money)
        ws.write_number(i, 4, float(p.commission), w.pct)
        for col, value in enumerate((p.service_fee, p.gift_cost, p.shipping_cost, p.unit_cost), start=5):
            ws.write_number(i, col, float(value), w.money)
        b, c_, d, e_, f, g, h, i_ = (cell(i, k) for k in range(1, 9))
        rate = promotion_fee_rate(plan.campaign, p)  # the platform's cut, when the product carries one
        cut = f"({e_}+{rate})" if rate else e_
        w.formula(ws, i, 9, f"={b}-{c_}-{cut}*{d}-{f}-{g}", e.net_per_order, w.money)
        w.formula(ws, i, 10, f"={cell(i, 9)}-{h}-{i_}", e.profit_per_order, w.money)
        if p.planned_orders is not None:
            ws.write_number(i, 11, p.planned_orders, w.int)
            w.formula(ws, i, 12, f"={cell(i, 10)}*{cell(i, 11)}", e.total_profit, w.money)
        w.formula(ws, i, 13, f"=ROUNDUP(ROUND(({f}+{g}+{h}+{i_})/(1-{cut}),6),2)", e.break_even_price, w.money)
        if e.break_even_commission is not None:
            price = f"{d}*(1-{rate})" if rate else d
            w.formula(ws, i, 14, f"=({price}-{f}-{g}-{h}-{i_})/{d}", e.break_even_commission, w.pct)


def _scenarios(w: _Writer, plan: Plan) -> None:
    ws = w.sheet("scenarios")
    w.header(ws, ["plan.col.scenario", "plan.col.method", "plan.col.target", "plan.col.orders",
                  "plan.col.traffic_needed", "plan.col.incremental", "plan.col.budget", "plan.col.gmv",
                  "plan.col.gross_profit", "plan.col.net_profit", "plan.col.note"])
    for i, s in enumerate(plan.scenarios, start=1):
        _scenario_row(w, ws, i, s)


def _scenario_row(w: _Writer, ws: Worksheet, i: int, s: Scenario) -> None:
    ws.write(i, 0, t("plan.scenario." + s.name, w.lang))
    ws.write(i, 1, t("plan.method." + s.method, w.lang))
    ws.write_number(i, 2, float(s.target), w.money)
    for col, value in ((3, s.orders), (4, s.traffic_needed), (5, s.incremental)):
        ws.write_number(i, col, value, w.int)
    for col, money in ((6, s.budget), (7, s.gmv), (8, s.gross_profit)):
        ws.write_number(i, col, float(fen(money)), w.money)
    w.formula(ws, i, 9, f"={cell(i, 8)}-{cell(i, 6)}", fen(s.net_profit), w.money)
    if s.note:
        ws.write(i, 10, scenario_note(s, w.lang))


def _sensitivity(w: _Writer, plan: Plan) -> None:
    ws = w.sheet("sensitivity")
    w.header(ws, ["plan.col.conv_change", "xlsx.cost_change", "plan.col.conversion", "plan.col.traffic",
                  "plan.col.budget", "plan.col.net_profit"])
    for i, x in enumerate(plan.sensitivity, start=1):
        ws.write_number(i, 0, float(x.conversion_change), w.pct)
        ws.write_number(i, 1, float(x.cost_change), w.pct)
        ws.write_number(i, 2, float(x.conversion), w.pct)
        ws.write_number(i, 3, x.traffic, w.int)
        ws.write_number(i, 4, float(x.budget), w.money)
        ws.write_number(i, 5, float(x.net_profit), w.money)


def _daily(w: _Writer, plan: Plan, a: dict[str, str]) -> None:
    c = plan.campaign
    profile = c.daily_profile if c.daily_profile is not None else list(DEFAULT_PROFILE)
    ws = w.sheet("daily")
    w.header(ws, ["plan.col.date", "plan.col.phase", "xlsx.uv_factor", "xlsx.conversion_factor",
                  "plan.col.visitors", "plan.col.conversion", "plan.col.orders", "plan.col.aov", "plan.col.gmv"])
    date_fmt = w.wb.add_format({"num_format": "yyyy-mm-dd"})
    for i, d in enumerate(plan.daily, start=1):
        ws.write_datetime(i, 0, d.date, date_fmt)
        ws.write(i, 1, t("plan.phase." + d.phase, w.lang))
        if d.offset == 0:
            ws.write_number(i, 4, d.visitors, w.int)
            ws.write_number(i, 5, float(d.conversion), w.pct)
            ws.write_number(i, 6, d.orders, w.int)
        else:
            seg = next((s for s in profile if s.from_day <= d.offset <= s.to_day), None)
            ws.write_number(i, 2, float(seg.uv_factor) if seg else 1.0)
            ws.write_number(i, 3, float(seg.conversion_factor) if seg else 1.0)
            w.formula(ws, i, 4, f"=CEILING(ROUND({a['baseline_uv']}*{cell(i, 2)},6),1)", d.visitors, w.int)
            w.formula(ws, i, 5, f"=MIN(1,{a['baseline_conversion']}*{cell(i, 3)})", d.conversion, w.pct)
            w.formula(ws, i, 6, f"=CEILING(ROUND({cell(i, 4)}*{cell(i, 5)},6),1)", d.orders, w.int)
        ws.write_number(i, 7, float(d.order_value), w.money)
        w.formula(ws, i, 8, f"={cell(i, 6)}*{cell(i, 7)}", d.gmv, w.money)


def _capacity(w: _Writer, plan: Plan, a: dict[str, str]) -> None:
    cap = plan.capacity
    stretch = next(s for s in plan.scenarios if f"{s.name}/{s.method}" == cap.scenario)
    ws = w.sheet("capacity")
    w.header(ws, ["plan.col.sku", "plan.col.name", "plan.col.orders", "plan.col.units", "plan.col.stock",
                  "plan.col.short"])
    for i, (need, pp) in enumerate(zip(cap.stock, stretch.products, strict=True), start=1):
        ws.write(i, 0, need.sku)
        ws.write(i, 1, need.name)
        ws.write_number(i, 2, pp.orders, w.int)
        w.formula(ws, i, 3, f"=CEILING(ROUND({cell(i, 2)}*{a['multiplier']},6),1)", need.units, w.int)
        if need.stock is not None:
            ws.write_number(i, 4, need.stock, w.int)
            w.formula(ws, i, 5, f"=MAX(0,{cell(i, 3)}-{cell(i, 4)})", need.short, w.int)


def _note(w: _Writer, ws: Worksheet, key: str) -> None:
    ws.set_column(0, 0, 80)
    ws.write(0, 0, w.label(key))


def _logistics(w: _Writer, lg: Logistics | None) -> str | None:
    """Warehouse summary (parcels and capacity live) and the backlog by day; returns the parcels cell."""
    ws = w.sheet("logistics")
    if lg is None:
        _note(w, ws, "prepare.plan.no_warehouse")
        return None
    wh, run = lg.warehouse, lg.backlog
    w.header(ws, ["prepare.cap.item", "prepare.cap.value"])
    ws.set_column(0, 0, 44)
    ws.write(1, 0, w.label("prepare.cap.event_orders"))
    ws.write_number(1, 1, lg.event_orders, w.int)
    row = 2
    follow = []
    for i, (share, orders) in enumerate(zip(wh.follow_up_shares, lg.follow_up_orders, strict=True), start=1):
        ws.write(row, 0, f"{w.label('prepare.cap.follow_up_orders')} +{i}")
        ws.write_number(row, 2, float(share), w.pct)
        w.formula(ws, row, 1, f"=CEILING(ROUND({cell(1, 1)}*{cell(row, 2)},6),1)", orders, w.int)
        follow.append(cell(row, 1))
        row += 1
    ws.write(row, 0, w.label("prepare.xlsx.parcels_per_order"))
    ws.write_number(row, 1, float(wh.parcels_per_order))
    total = "+".join([cell(1, 1), *follow])
    parcels = ref(sheet_name("logistics", w.lang), row + 1, 1)
    ws.write(row + 1, 0, w.label("prepare.cap.parcels"))
    w.formula(ws, row + 1, 1, f"=CEILING(ROUND(({total})*{cell(row, 1)},6),1)", lg.parcels, w.int)
    row += 2
    if run is None or wh.lines is None or wh.orders_per_line_per_day is None:
        ws.write(row, 0, w.label("prepare.cap.no_lines"))
        return parcels
    ws.write(row, 0, w.label("prepare.xlsx.lines"))
    ws.write_number(row, 1, wh.lines, w.int)
    ws.write(row + 1, 0, w.label("prepare.xlsx.orders_per_line"))
    ws.write_number(row + 1, 1, wh.orders_per_line_per_day, w.int)
    ws.write(row + 2, 0, t("prepare.cap.capacity", w.lang, lines=wh.lines, per_line=wh.orders_per_line_per_day))
    w.formula(ws, row + 2, 1, f"={cell(row, 1)}*{cell(row + 1, 1)}", run.capacity, w.int)
    facts: list[tuple[str, int | None]] = [
        (t("prepare.cap.days_to_clear", w.lang), run.days_to_clear if run.cleared else None),
        (t("prepare.cap.priority_days", w.lang, limit=wh.priority_within_days), run.priority_days),
        (t("prepare.cap.all_days", w.lang, limit=wh.ship_within_days), run.all_days),
        (t("prepare.cap.extra_lines", w.lang, packers=wh.packers_per_line), lg.extra_lines),
        (t("prepare.cap.extra_packers", w.lang), lg.extra_packers),
    ]
    r = row + 3
    for label, value in facts:
        ws.write(r, 0, label)
        if value is not None:
            ws.write_number(r, 1, value, w.int)
        else:
            ws.write(r, 1, t("prepare.cap.not_cleared", w.lang))
        r += 1
    r += 1
    keys = ["prepare.cap.col.day", "prepare.cap.col.new", "prepare.cap.col.new_priority", "prepare.cap.col.shipped",
            "prepare.cap.col.shipped_priority", "prepare.cap.col.backlog", "prepare.cap.col.backlog_priority"]
    ws.write(r, 0, t("prepare.cap.backlog_title", w.lang, share=f"{wh.priority_city_share:.0%}"), w.bold)
    for col, key in enumerate(keys):
        ws.write(r + 1, col, w.label(key), w.head)
    for i, d in enumerate(run.days, start=r + 2):
        ws.write(i, 0, f"+{d.offset}")
        for col, value in enumerate((d.new, d.new_priority, d.shipped, d.shipped_priority, d.backlog,
                                     d.backlog_priority), start=1):
            ws.write_number(i, col, value, w.int)
    return parcels


def _materials(w: _Writer, lg: Logistics | None, parcels: str | None) -> None:
    """Materials for the peak: amount = ⌈parcels × per parcel × (1 + spare)⌉, packs = ⌈amount ÷ pack⌉."""
    ws = w.sheet("materials")
    if lg is None or parcels is None:
        _note(w, ws, "prepare.plan.no_warehouse")
        return
    w.header(ws, ["prepare.mat.col.name", "prepare.mat.col.per_parcel", "prepare.mat.col.spare",
                  "prepare.mat.col.pack_size", "prepare.mat.col.amount", "prepare.mat.col.packs"])
    ws.set_column(0, 0, 30)
    for i, m in enumerate(lg.materials, start=1):
        key = f"prepare.mat.{m.name}"
        ws.write(i, 0, t(key, w.lang) if has(key) else m.name)
        ws.write_number(i, 1, float(m.per_parcel))
        ws.write_number(i, 2, float(m.spare), w.pct)
        ws.write_number(i, 3, m.pack_size, w.int)
        amount = f"=CEILING(ROUND({parcels}*{cell(i, 1)}*(1+{cell(i, 2)}),6),1)"
        w.formula(ws, i, 4, amount, m.amount, w.int)
        w.formula(ws, i, 5, f"=CEILING(ROUND({cell(i, 4)}/{cell(i, 3)},6),1)", m.packs, w.int)


def _stock_plan(w: _Writer, sp: StockPlan, a: dict[str, str]) -> None:
    """Per product: units, planned, listed, reserve, reorder point live; the hero share against its band."""
    ws = w.sheet("stock_plan")
    keys = ["prepare.stock.col.sku", "prepare.stock.col.name", "prepare.stock.col.role",
            "prepare.stock.col.day_units", "prepare.stock.col.units", "prepare.stock.col.on_hand",
            "prepare.stock.col.short", "prepare.stock.col.planned", "prepare.xlsx.listed_ratio",
            "prepare.stock.col.listed",
            "prepare.stock.col.reserve", "prepare.xlsx.lead_time_days", "prepare.xlsx.safety_stock",
            "prepare.stock.col.reorder_point", "prepare.stock.col.supplier", "prepare.stock.col.sell_out"]
    w.header(ws, keys)
    n = len(sp.lines)
    for i, x in enumerate(sp.lines, start=1):
        ws.write(i, 0, x.sku)
        ws.write(i, 1, x.name)
        ws.write(i, 2, t(f"prepare.role.{x.role}", w.lang) if has(f"prepare.role.{x.role}") else x.role)
        ws.write_number(i, 3, x.day_units, w.int)
        w.formula(ws, i, 4, f"=CEILING(ROUND({cell(i, 3)}*{a['multiplier']},6),1)", x.units, w.int)
        if x.on_hand is not None:
            ws.write_number(i, 5, x.on_hand, w.int)
        w.formula(ws, i, 6, f'=IF({cell(i, 5)}="",0,MAX(0,{cell(i, 4)}-{cell(i, 5)}))', x.short, w.int)
        w.formula(ws, i, 7, f"=MAX({cell(i, 4)},N({cell(i, 5)}))", x.planned, w.int)
        ws.write_number(i, 8, float(sp.settings.listed_ratio), w.pct)
        w.formula(ws, i, 9, f"=INT(ROUND({cell(i, 7)}*{cell(i, 8)},6))", x.listed, w.int)
        w.formula(ws, i, 10, f"={cell(i, 7)}-{cell(i, 9)}", x.reserve, w.int)
        item = sp.settings.items.get(x.sku)
        if item is not None and item.lead_time_days is not None and x.reorder_point is not None:
            safety = (Decimal(item.safety_stock) if item.safety_stock is not None
                      else sp.settings.safety_days * x.day_units)
            ws.write_number(i, 11, float(item.lead_time_days))
            ws.write_number(i, 12, float(safety))
            rop = f"=CEILING(ROUND({cell(i, 3)}*{cell(i, 11)}+{cell(i, 12)},6),1)"
            w.formula(ws, i, 13, rop, x.reorder_point, w.int)
        ws.write(i, 14, x.supplier or "")
        ws.write(i, 15, str(x.sell_out) if x.sell_out else t("prepare.stock.lasts", w.lang))
    total = n + 1
    ws.write(total, 0, w.label("common.total"), w.bold)
    w.formula(ws, total, 7, f"=SUM({cell(1, 7)}:{cell(n, 7)})", sp.total_planned, w.int)
    roles, planned = f"{cell(1, 2)}:{cell(n, 2)}", f"{cell(1, 7)}:{cell(n, 7)}"
    ws.write(total + 1, 0, w.label("prepare.xlsx.hero_planned"))
    hero = t("prepare.role.hero", w.lang)
    w.formula(ws, total + 1, 7, f'=SUMIF({roles},"{hero}",{planned})', sp.hero_planned, w.int)
    ws.write(total + 2, 0, w.label("prepare.xlsx.hero_share"))
    share = sp.hero_share if sp.hero_share is not None else ""
    w.formula(ws, total + 2, 7, f'=IF({cell(total, 7)}>0,{cell(total + 1, 7)}/{cell(total, 7)},"")', share,
              w.pct)
    ws.write_number(total + 2, 8, float(sp.settings.hero_share_min), w.pct)
    ws.write_number(total + 2, 9, float(sp.settings.hero_share_max), w.pct)


def _staffing(w: _Writer, plan: Plan) -> None:
    """The event day's 24 hours: inquiries and Erlangs live, Erlang C agents a value, scheduled live."""
    ws = w.sheet("staffing")
    service = plan.campaign.service
    if service is None:
        _note(w, ws, "prepare.plan.no_service")
        return
    st = staffing(plan, plan.campaign.campaign.name)
    w.header(ws, ["staff.col.hour", "staff.col.visitors", "staff.col.inquiries", "staff.col.erlangs",
                  "staff.col.agents", "staff.col.scheduled", "staff.col.online", "plan.col.assumption",
                  "plan.col.value"])
    assumptions = [("prepare.xlsx.inquiry_rate", service.inquiry_rate),
                   ("prepare.xlsx.handle_seconds", service.handle_seconds),
                   ("prepare.xlsx.shrinkage", service.shrinkage)]
    for r, (key, value) in enumerate(assumptions, start=1):
        ws.write(r, 7, w.label(key))
        ws.write_number(r, 8, float(value))
    rate_, handle, shrink = cell(1, 8, True, True), cell(2, 8, True, True), cell(3, 8, True, True)
    for i, h in enumerate(st.hours, start=1):
        s = h.staffing
        ws.write_number(i, 0, h.hour)
        ws.write_number(i, 1, h.visitors, w.int)
        w.formula(ws, i, 2, f"={cell(i, 1)}*{rate_}", s.contacts)
        w.formula(ws, i, 3, f"={cell(i, 2)}*{handle}/3600", s.traffic)
        ws.write_number(i, 4, s.agents, w.int)
        w.formula(ws, i, 5, f"=CEILING(ROUND({cell(i, 4)}/(1-{shrink}),6),1)", s.scheduled, w.int)
        ws.write(i, 6, t("common.yes" if h.online else "staff.offline", w.lang))
