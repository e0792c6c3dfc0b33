"""`dachu staff FILE` (agents per hour by Erlang C) and `dachu staff rota FILE` (a month's rota).

`staff` is a command group whose default command is the staffing table: `dachu staff FILE` runs it, and
`dachu staff rota FILE` the rota (the group inserts the hidden default command when the first word is not
a subcommand).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from dachu.app import Workspace
from dachu.app.prepare import conflict_text
from dachu.cli.common import FormatOption, LangOption, console, friendly_errors, h, resolve_lang
from dachu.errors import InputError, PlanError
from dachu.i18n import Lang, t
from dachu.report.prepare_json import rota_dict, staffing_dict

if TYPE_CHECKING:
    from dachu.app.prepare import RotaRequest

_DEFAULT = "table"


class _StaffGroup(TyperGroup):
    """A group that runs its default command when the first word is not a subcommand."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [_DEFAULT, *args]
        return super().parse_args(ctx, args)


staff_app = typer.Typer(cls=_StaffGroup, help=h("staff.help"), no_args_is_help=True, add_completion=False)

FileArg = Annotated[Path, typer.Argument(help=h("staff.help.file"), show_default=False)]


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise InputError("cli.bad_format", value=fmt, choices="table, json")


def _pct(x: float) -> str:
    return f"{x:.2%}"


@staff_app.command(_DEFAULT, hidden=True, help=h("staff.help"))
@friendly_errors
def staff_table(file: FileArg, lang: LangOption = None, fmt: FormatOption = "table") -> None:
    """Agents needed per hour of the event day."""
    lg = resolve_lang(lang)
    _check_format(fmt)
    result = Workspace.for_file(file).staffing()
    service, visitors, hours, arr = result.service, result.visitors, result.hours, result.arrangement
    unstable = list(result.unstable)
    date = result.date.isoformat()
    if fmt == "json":
        typer.echo(json.dumps(staffing_dict(result), ensure_ascii=False, indent=2))
        return
    c = console()
    table = Table(title=t("staff.title", lg, date=date, visitors=f"{visitors:,}"))
    for key in ("hour", "visitors", "inquiries", "erlangs", "servers", "agents", "scheduled", "service_level",
                "asa", "online"):
        table.add_column(t(f"staff.col.{key}", lg), justify="right")
    for x in hours:
        s = x.staffing
        table.add_row(
            f"{x.hour:02d}", f"{x.visitors:,}", f"{s.contacts:.1f}", f"{s.traffic:.2f}", str(s.servers),
            str(s.agents), str(s.scheduled), _pct(s.service_level), f"{s.average_wait_seconds:.1f}",
            t("common.yes", lg) if x.online else t("staff.offline", lg),
        )
    c.print(table)
    c.print(t("staff.assumptions", lg, rate=_pct(float(service.inquiry_rate)), handle=service.handle_seconds,
              chats=service.chats_per_agent, share=_pct(float(service.target_share)),
              seconds=service.target_seconds, shrinkage=_pct(float(service.shrinkage))))
    c.print(t("staff.arrangement", lg, presale=arr.presale, on_day=arr.aftersale_on_day, day=arr.day_peak,
              night=arr.night_peak, headcount=arr.headcount))
    if arr.to_hire:
        c.print(t("staff.hire", lg, count=arr.to_hire, team=arr.aftersale_on_day))
    else:
        c.print(t("staff.no_hire", lg, team=arr.aftersale_on_day))
    if arr.midnight_peak:
        c.print(t("staff.midnight_offer", lg, peak=arr.midnight_peak, headcount=arr.midnight_headcount,
                    hire=arr.midnight_to_hire))
    elif arr.offline_peak:
        c.print(t("staff.offline_note", lg, peak=arr.offline_peak))
    if unstable:
        text = t("staff.unstable", lg, hours=", ".join(map(str, unstable)), team=service.agents.size)
        c.print(f"[red]{text}[/red]")


@staff_app.command("rota", help=h("staff.rota.help"))
@friendly_errors
def staff_rota(
    file: FileArg,
    month: Annotated[str | None, typer.Option("--month", help=h("staff.rota.help.month"))] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help=h("staff.rota.help.xlsx"))] = None,
    seconds: Annotated[float, typer.Option("--seconds", help=h("staff.rota.help.seconds"))] = 20.0,
    night_before: Annotated[
        list[str] | None, typer.Option("--night-before", help=h("staff.rota.help.night_before"))
    ] = None,
    previous: Annotated[Path | None, typer.Option("--previous", help=h("staff.rota.help.previous"))] = None,
    lang: LangOption = None,
    fmt: FormatOption = "table",
) -> None:
    """A month's rota, its hours, and coverage against need per hour."""
    lg = resolve_lang(lang)
    _check_format(fmt)
    req, rota = Workspace.for_file(file).rota(month, seconds, night_before or (), previous)
    label = req.days[0].strftime("%Y-%m")
    if fmt == "json":
        typer.echo(json.dumps(rota_dict(req, rota, lg), ensure_ascii=False, indent=2))
        if not rota.solved:
            raise typer.Exit(1)
        return
    c = console()
    if not rota.solved:
        for x in rota.conflicts:
            c.print(f"[red]- {conflict_text(x, lg)}[/red]")
        key = "staff.rota.infeasible" if rota.status == "infeasible" else "staff.rota.unknown"
        raise PlanError(key, month=label)
    if xlsx is not None:  # files first: stdout may be a pipe that closes early (`| head`)
        from dachu.report.rota_xlsx import write_rota_xlsx

        write_rota_xlsx(xlsx, rota, req, lg)
    _print_rota(rota, req, lg, label)
    if xlsx is not None:
        c.print(t("common.wrote", lg, path=str(xlsx)))


def _print_rota(rota: Any, req: RotaRequest, lg: Lang, label: str) -> None:
    from dachu.report.rota_xlsx import shift_label

    c = console()
    table = Table(title=t("staff.rota.title", lg, month=label), pad_edge=False, padding=(0, 0))
    table.add_column(t("staff.rota.col.agent", lg))
    for d in rota.days:
        table.add_column(f"{d.day:>2}", justify="center")
    table.add_column(t("staff.rota.col.hours", lg), justify="right")
    for a in rota.agents:
        table.add_row(a, *(shift_label(code, lg) for code in rota.shifts[a]), f"{rota.hours[a]}")
    c.print(table)
    c.print(t("staff.rota.legend", lg))
    if req.midnight_days:
        c.print(t("staff.rota.legend_midnight", lg))
        days = ", ".join(d.strftime("%m-%d") for d in req.midnight_days)
        if rota.midnight_short:
            hire = max(req.need_at(d, h) - rota.coverage(d, h) for d in req.midnight_days for h in (0, 1))
            c.print(t("staff.rota.midnight_short", lg, days=days, short=rota.midnight_short, hire=hire))
        else:
            c.print(t("staff.rota.midnight_covered", lg, days=days))
    c.print(t("staff.rota.summary", lg, status=t(f"staff.rota.status.{rota.status}", lg), spread=rota.spread,
              seconds=f"{rota.solve_seconds:.1f}"))
    cov = Table(title=t("staff.rota.coverage.title", lg), pad_edge=False)
    cov.add_column(t("staff.rota.col.date", lg))
    for hr in range(9, 24):
        cov.add_column(f"{hr}", justify="right")
    for d in rota.days:
        cells = []
        for hr in range(9, 24):
            have, need = rota.coverage(d, hr), req.need_at(d, hr)
            cells.append(f"{have}/{need}" if have >= need else f"[red]{have}/{need}[/red]")
        cov.add_row(d.strftime("%m-%d"), *cells)
    c.print(cov)


def register(app: typer.Typer) -> None:
    """Add `staff` (and `staff rota`) to the `dachu` app."""
    app.add_typer(staff_app, name="staff", help=h("staff.help"))
