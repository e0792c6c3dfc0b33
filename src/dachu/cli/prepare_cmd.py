"""`dachu capacity FILE`: warehouse capacity and the stock plan, in the terminal or as JSON.

`render_capacity(logistics, stock, lang, out)` draws both sections; `dachu plan` may call it too.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dachu.app import Workspace
from dachu.app.prepare import Logistics, StockPlan
from dachu.cli.common import FormatOption, LangOption, console, friendly_errors, h, resolve_lang
from dachu.errors import InputError
from dachu.i18n import Lang, has, t
from dachu.report.prepare_json import logistics_dict, stock_dict

FORMATS = ("table", "json")


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _pct(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def _table(title: str, lang: Lang, *keys: str, right_from: int = 1) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for i, key in enumerate(keys):
        table.add_column(t(key, lang), justify="right" if i >= right_from else "left")
    return table


def _verdict(ok: bool | None, lang: Lang) -> str:
    if ok is None:
        return "—"
    if ok:
        return f"[green]{t('prepare.cap.ok', lang)}[/green]"
    return f"[red]{t('prepare.cap.miss', lang)}[/red]"


def render_logistics(lg: Logistics, lang: Lang, out: Console, event_day: dt.date | None = None) -> None:
    """The capacity summary, the backlog by day and the materials."""
    w = lg.warehouse
    summary = _table("", lang, "prepare.cap.item", "prepare.cap.value")
    summary.add_row(t("prepare.cap.event_orders", lang), _n(lg.event_orders))
    if lg.follow_up_orders:
        follow = " + ".join(_n(x) for x in lg.follow_up_orders)
        summary.add_row(t("prepare.cap.follow_up_orders", lang), follow)
    summary.add_row(t("prepare.cap.parcels", lang), _n(lg.parcels))
    run = lg.backlog
    if run is None:
        out.print(summary)
        out.print(f"[yellow]{t('prepare.cap.no_lines', lang)}[/yellow]")
    else:
        per_line = _n(w.orders_per_line_per_day)
        summary.add_row(t("prepare.cap.capacity", lang, lines=w.lines, per_line=per_line), _n(run.capacity))
        clear = _n(run.days_to_clear) if run.cleared else f"[red]{t('prepare.cap.not_cleared', lang)}[/red]"
        summary.add_row(t("prepare.cap.days_to_clear", lang), clear)
        summary.add_row(t("prepare.cap.priority_days", lang, limit=w.priority_within_days),
                        f"{run.priority_days} {_verdict(lg.priority_ok, lang)}")
        summary.add_row(t("prepare.cap.all_days", lang, limit=w.ship_within_days),
                        f"{run.all_days} {_verdict(lg.all_ok, lang)}")
        if lg.extra_lines:
            extra = t("prepare.cap.extra_lines", lang, packers=w.packers_per_line)
            summary.add_row(extra, _n(lg.extra_lines))
            summary.add_row(t("prepare.cap.extra_packers", lang), _n(lg.extra_packers))
        out.print(summary)
        if lg.lines_fit is False and w.max_lines is not None:
            out.print(f"[yellow]{t('prepare.cap.lines_no_room', lang, max=w.max_lines)}[/yellow]")
        days = _table(t("prepare.cap.backlog_title", lang, share=_pct(w.priority_city_share)), lang,
                      "prepare.cap.col.day", "prepare.cap.col.new", "prepare.cap.col.new_priority",
                      "prepare.cap.col.shipped", "prepare.cap.col.shipped_priority",
                      "prepare.cap.col.backlog", "prepare.cap.col.backlog_priority")
        for d in run.days:
            label = f"+{d.offset}"
            if event_day is not None:
                label = (event_day + dt.timedelta(days=d.offset)).strftime("%m-%d")
            days.add_row(label, _n(d.new), _n(d.new_priority), _n(d.shipped), _n(d.shipped_priority),
                         _n(d.backlog), _n(d.backlog_priority))
        out.print(days)
    mats = _table(t("prepare.mat.title", lang, parcels=_n(lg.parcels)), lang, "prepare.mat.col.name",
                  "prepare.mat.col.per_parcel", "prepare.mat.col.spare", "prepare.mat.col.amount",
                  "prepare.mat.col.pack_size", "prepare.mat.col.packs")
    for m in lg.materials:
        name = t(f"prepare.mat.{m.name}", lang) if has(f"prepare.mat.{m.name}") else m.name
        mats.add_row(name, f"{m.per_parcel.normalize():f}", _pct(m.spare), _n(m.amount), _n(m.pack_size),
                     _n(m.packs))
    out.print(mats)


def render_stock(sp: StockPlan, lang: Lang, out: Console) -> None:
    """The stock table, the hero share verdict and the sell-out warning (reserve, supplier: JSON only)."""
    table = _table(
        t("prepare.stock.title", lang, multiplier=f"{sp.multiplier.normalize():f}",
          ratio=_pct(sp.settings.listed_ratio)),
        lang, "prepare.stock.col.sku", "prepare.stock.col.name", "prepare.stock.col.role",
        "prepare.stock.col.day_units", "prepare.stock.col.units", "prepare.stock.col.on_hand",
        "prepare.stock.col.short", "prepare.stock.col.planned", "prepare.stock.col.listed",
        "prepare.stock.col.reorder_point", "prepare.stock.col.sell_out", right_from=3,
    )
    for x in sp.lines:
        rop = _n(x.reorder_point)
        if x.reorder_now:
            rop = f"[red]{rop} {t('prepare.stock.reorder_now', lang)}[/red]"
        sell = f"[red]{x.sell_out}[/red]" if x.sell_out else t("prepare.stock.lasts", lang)
        role = t(f"prepare.role.{x.role}", lang) if has(f"prepare.role.{x.role}") else x.role
        table.add_row(x.sku, x.name, role, _n(x.day_units), _n(x.units), _n(x.on_hand), _n(x.short),
                      _n(x.planned), _n(x.listed), rop, sell)
    out.print(table)
    s = sp.settings
    if sp.hero_share is None:
        out.print(t("prepare.stock.hero_none", lang))
    else:
        line = t("prepare.stock.hero_share", lang, share=_pct(sp.hero_share.quantize(Decimal("0.001"))),
                 low=_pct(s.hero_share_min), high=_pct(s.hero_share_max))
        out.print(f"[green]{line}[/green]" if sp.hero_share_ok else f"[red]{line}[/red]")
    if sp.sell_outs:
        out.print(f"[red]{t('prepare.stock.sell_outs', lang, count=len(sp.sell_outs))}[/red]")


def render_capacity(lg: Logistics | None, sp: StockPlan, lang: Lang, out: Console,
                    event_day: dt.date | None = None) -> None:
    """Both sections of `dachu capacity` (and of `dachu plan`'s capacity part)."""
    if lg is None:
        out.print(f"[yellow]{t('prepare.cap.no_lines', lang)}[/yellow]")
    else:
        render_logistics(lg, lang, out, event_day)
    render_stock(sp, lang, out)


@friendly_errors
def capacity(
    file: Annotated[Path, typer.Argument(help=h("prepare.help.file"))],
    fmt: FormatOption = "table",
    lang: LangOption = None,
) -> None:
    """Warehouse capacity and the stock plan of a campaign file."""
    language = resolve_lang(lang)
    if fmt not in FORMATS:
        raise InputError("cli.bad_format", value=fmt, choices=", ".join(FORMATS))
    result = Workspace.for_file(file).capacity()
    lg, sp = result.logistics, result.stock
    if fmt == "json":
        data = {"logistics": logistics_dict(lg) if lg else None, "stock": stock_dict(sp)}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = console()
    out.print(f"[bold]{t('prepare.cap.title', language, multiplier=f'{sp.multiplier.normalize():f}')}[/bold]")
    render_capacity(lg, sp, language, out, result.event_day)


def register(app: typer.Typer) -> None:
    """Add `capacity` to the program."""
    app.command("capacity", help=h("prepare.help.capacity"))(capacity)
