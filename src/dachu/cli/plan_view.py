"""Render a plan as Rich tables, in zh-CN or en. Presentation only: every number comes from the Plan."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table

from dachu.app.plan import Plan, Scenario, fen
from dachu.app.prepare import capacity, staffing
from dachu.cli.prepare_cmd import render_logistics, render_stock
from dachu.i18n import Lang, t
from dachu.report.plan_json import scenario_note


def yuan(value: Decimal | None) -> str:
    """Money with thousands separators and two decimals ('—' for none)."""
    return "—" if value is None else f"{fen(value):,.2f}"


def count(value: int | None) -> str:
    """A whole number with thousands separators."""
    return "—" if value is None else f"{value:,}"


def pct(value: Decimal | None, places: int = 2) -> str:
    """A rate as a percentage."""
    return "—" if value is None else f"{value * 100:.{places}f}%"


def signed_pct(value: Decimal) -> str:
    """A change as a signed percentage (+10%)."""
    return f"{value * 100:+.0f}%"


def _table(title: str, lang: Lang, *cols: str, right: int = 0) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, header_style="bold")
    for i, key in enumerate(cols):
        table.add_column(t(key, lang), justify="right" if i >= right and right else "left")
    return table


def scenario_label(s: Scenario, lang: Lang) -> str:
    """'保底 · 种子算法' / 'floor · seed method'."""
    return f"{t('plan.scenario.' + s.name, lang)} · {t('plan.method.' + s.method, lang)}"


def render_plan(plan: Plan, lang: Lang, out: Console) -> None:
    """Print every section of the plan."""
    c = plan.campaign
    out.print(f"[bold]{t('plan.title', lang, name=c.campaign.name, day=c.campaign.event_day.isoformat())}[/bold]")

    table = _table(t("plan.sec.scenarios", lang), lang, "plan.col.scenario", "plan.col.target", "plan.col.orders",
                   "plan.col.traffic_needed", "plan.col.incremental", "plan.col.budget", "plan.col.gmv",
                   "plan.col.gross_profit", "plan.col.net_profit", right=1)
    for s in plan.scenarios:
        table.add_row(scenario_label(s, lang), yuan(s.target), count(s.orders), count(s.traffic_needed),
                      count(s.incremental), yuan(s.budget), yuan(s.gmv), yuan(s.gross_profit), yuan(s.net_profit))
    out.print(table)
    for s in plan.scenarios:
        if s.note:
            colour = "yellow" if s.reachable else "red"
            out.print(f"[{colour}]{scenario_label(s, lang)}: {scenario_note(s, lang)}[/{colour}]")
    if c.goal.metric == "profit":
        for cmp, (seed, net) in zip(plan.comparisons, (plan.scenarios[:2], plan.scenarios[2:]), strict=True):
            if not seed.reachable:  # the seed row's own note already says the target is out of reach
                continue
            label = t("plan.scenario." + seed.name, lang)
            if not net.reachable:  # net of spend does not reach it: say so, never "needs N more orders"
                out.print(t("plan.compare_unreachable", lang, scenario=label, budget=yuan(seed.budget),
                            seed_net=yuan(cmp.seed_net_profit), best=yuan(net.net_profit)))
                continue
            out.print(t("plan.compare", lang, scenario=label, budget=yuan(seed.budget),
                        seed_net=yuan(cmp.seed_net_profit), orders=count(cmp.extra_orders),
                        traffic=count(cmp.extra_traffic), extra_budget=yuan(cmp.extra_budget)))

    floor_seed, floor_net = plan.scenario("floor", "seed"), plan.scenario("floor", "net_of_spend")
    table = _table(t("plan.sec.products", lang, scenario=t("plan.scenario.floor", lang)), lang, "plan.col.sku",
                   "plan.col.name", "plan.col.role", "plan.col.unit_profit", "plan.col.orders", "plan.col.traffic",
                   "plan.col.orders", "plan.col.traffic", right=3)
    for col, method in ((4, "seed"), (5, "seed"), (6, "net_of_spend"), (7, "net_of_spend")):
        table.columns[col].header = f"{table.columns[col].header} ({t('plan.method.' + method, lang)})"
    for a, b in zip(floor_seed.products, floor_net.products, strict=True):
        table.add_row(a.sku, a.name, t("plan.role." + a.role, lang), yuan(a.unit_profit), count(a.orders),
                      count(a.traffic), count(b.orders), count(b.traffic))
    out.print(table)

    for s in (floor_seed, floor_net):
        table = _table(t("plan.sec.channels", lang, scenario=scenario_label(s, lang)), lang, "plan.col.channel",
                       "plan.col.kind", "plan.col.committed", "plan.col.budget", "plan.col.traffic", right=3)
        for line in s.channels.lines:
            table.add_row(line.name, line.kind, t("common.yes" if line.committed else "common.no", lang),
                          yuan(line.budget), count(line.traffic))
        table.add_row(t("common.total", lang), "", "", yuan(s.budget), count(s.channels.traffic), style="bold")
        out.print(table)

    render_prepare(plan, lang, out)

    steps = sorted({cell.cost_change for cell in plan.sensitivity})
    table = Table(title=t("plan.sec.sensitivity", lang), title_justify="left", header_style="bold")
    table.add_column(t("plan.col.conv_change", lang))
    for step in steps:
        table.add_column(signed_pct(step), justify="right")
    for conv in sorted({cell.conversion_change for cell in plan.sensitivity}):
        cells = [x for x in plan.sensitivity if x.conversion_change == conv]
        table.add_row(signed_pct(conv), *(f"{yuan(x.budget)} / {yuan(x.net_profit)}" for x in cells))
    out.print(table)

    table = _table(t("plan.sec.daily", lang), lang, "plan.col.date", "plan.col.phase", "plan.col.visitors",
                   "plan.col.conversion", "plan.col.orders", "plan.col.aov", "plan.col.gmv", right=2)
    for d in plan.daily:
        table.add_row(d.date.isoformat(), t("plan.phase." + d.phase, lang), count(d.visitors), pct(d.conversion),
                      count(d.orders), yuan(d.order_value), yuan(d.gmv), style="bold" if d.offset == 0 else None)
    out.print(table)

    if plan.promotions:
        table = _table(t("plan.sec.promotions", lang), lang, "plan.col.promotion", "plan.col.net_per_order",
                       "plan.col.profit_per_order", "plan.col.planned_orders", "plan.col.total_profit",
                       "plan.col.break_even_price", "plan.col.break_even_commission", "plan.col.cost_per_visitor",
                       right=1)
        for e in plan.promotions:
            table.add_row(e.name, yuan(e.net_per_order), yuan(e.profit_per_order), count(e.planned_orders),
                          yuan(e.total_profit), yuan(e.break_even_price), pct(e.break_even_commission),
                          yuan(e.cost_per_visitor))
        out.print(table)

    for name, result in plan.baskets:
        table = _table(t("plan.sec.stacking", lang, basket=name), lang, "plan.col.offer", "plan.col.base",
                       "plan.col.discount", "plan.col.merchant_part", "plan.col.platform_part", right=1)
        for offer in result.applied:
            table.add_row(offer.name, yuan(offer.base), yuan(offer.discount), yuan(offer.merchant_part),
                          yuan(offer.platform_part))
        out.print(table)
        out.print(t("plan.stack.promo_total", lang, amount=yuan(result.promo_total)) + "；" if lang == "zh"
                  else t("plan.stack.promo_total", lang, amount=yuan(result.promo_total)) + "; ", end="")
        out.print(t("plan.stack.summary", lang, buyer=yuan(result.buyer_pays), merchant=yuan(result.merchant_bears),
                    platform=yuan(result.platform_bears), receives=yuan(result.merchant_receives)))


def render_prepare(plan: Plan, lang: Lang, out: Console) -> None:
    """The plan's capacity section: orders and parcels, warehouse and logistics, stock plan, staffing.

    Every figure comes from the facade (`app_prepare.capacity` → `logistics_plan`/`stock_plan`,
    `app_prepare.staffing`); sections the file gives no input for say which key to add.
    """
    cap = plan.capacity
    out.print(f"[bold]{t('plan.sec.capacity', lang, multiplier=cap.multiplier)}[/bold]")
    name, method = cap.scenario.split("/")  # `Capacity.scenario` is "<scenario>/<method>", e.g. stretch/seed
    out.print(t("plan.capacity.summary", lang, orders=count(cap.orders), parcels=count(cap.parcels),
                scenario=f"{t('plan.scenario.' + name, lang)} · {t('plan.method.' + method, lang)}"))
    result = capacity(plan)
    if result.logistics is None:
        out.print(f"[yellow]{t('prepare.plan.no_warehouse', lang)}[/yellow]")
    else:
        render_logistics(result.logistics, lang, out, result.event_day)
    render_stock(result.stock, lang, out)
    if plan.campaign.service is None:
        out.print(f"[yellow]{t('prepare.plan.no_service', lang)}[/yellow]")
        return
    staff = staffing(plan, plan.campaign.campaign.name)
    arr = staff.arrangement
    peak = max((h for h in staff.hours if h.online), key=lambda h: h.staffing.scheduled)
    out.print(f"[bold]{t('prepare.plan.staffing_title', lang, visitors=count(staff.visitors))}[/bold]")
    out.print(t("prepare.plan.staffing_peak", lang, hour=peak.hour, agents=peak.staffing.scheduled))
    out.print(t("staff.arrangement", lang, presale=arr.presale, on_day=arr.aftersale_on_day, day=arr.day_peak,
                night=arr.night_peak, headcount=arr.headcount))
    if arr.midnight_peak:
        out.print(t("staff.midnight_offer", lang, peak=arr.midnight_peak, headcount=arr.midnight_headcount,
                    hire=arr.midnight_to_hire))
    elif arr.offline_peak:
        out.print(t("staff.offline_note", lang, peak=arr.offline_peak))
    if arr.to_hire:
        out.print(f"[red]{t('staff.hire', lang, count=arr.to_hire, team=arr.aftersale_on_day)}[/red]")
    else:
        out.print(f"[green]{t('staff.no_hire', lang, team=arr.aftersale_on_day)}[/green]")
    if staff.unstable:
        hours = ", ".join(map(str, staff.unstable))
        out.print(f"[red]{t('staff.unstable', lang, hours=hours, team=staff.service.agents.size)}[/red]")
