"""`dachu calendar FILE` and `dachu calendar done ID… [--on DATE] [--file FILE]`.

`calendar FILE` shows the worklist by phase and group and what is overdue by group, and writes --ics and
--xlsx; `done` records progress in the file beside the campaign file.

`calendar FILE` is short for `calendar show FILE`: the group runs `show` when the first word is not one
of its commands. Today's date is read here, in the face, and passed down (`--today` overrides it).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from typer.core import TyperGroup

from dachu import clock
from dachu.app import Workspace
from dachu.app.campaign import Campaign
from dachu.app.prepare import GROUPS, PHASES, PhaseBounds, TaskStatus, overdue_by_group
from dachu.cli.common import FormatOption, LangOption, console, friendly_errors, h, resolve_lang
from dachu.errors import InputError
from dachu.i18n import Lang, t
from dachu.report.calendar_export import to_ics, write_ics, write_xlsx
from dachu.report.prepare_json import calendar_dict

FORMATS = ("table", "json")
DEFAULT_FILE = Path("campaign.yaml")
_STATE_STYLE = {"done": "green", "overdue": "red", "in_progress": "yellow", "upcoming": "default"}


class _ShowByDefault(TyperGroup):
    """A group whose first word, when it is not a command, is an argument of `show`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


calendar_app = typer.Typer(cls=_ShowByDefault, no_args_is_help=True, help=h("prepare.help.calendar"))


def parse_day(value: str | None, default: dt.date) -> dt.date:
    """A date from `YYYY-MM-DD`, or `default` when none is given."""
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("prepare.bad_date", value=value) from None


def group_code(value: str, lang: Lang) -> str:
    """The group `--group` names: its code (`ads`) or its name in either language (广告推广, ads).

    Raises:
        InputError: `prepare.cal.bad_group`, listing the groups by name and code, when none matches.
    """
    wanted = value.strip().casefold()
    for code in GROUPS:
        names = {code, t(f"prepare.group.{code}", "zh"), t(f"prepare.group.{code}", "en")}
        if wanted in {n.casefold() for n in names}:
            return code
    choices = "、".join(t(f"prepare.group.{g}", lang) for g in GROUPS) if lang == "zh" else ", ".join(
        f"{g} ({t(f'prepare.group.{g}', lang)})" for g in GROUPS)
    raise InputError("prepare.cal.bad_group", value=value, choices=choices)


def _render(statuses: tuple[TaskStatus, ...], campaign: Campaign, today: dt.date, lang: Lang) -> None:
    out = console()
    late = overdue_by_group(statuses)
    ph = campaign.phases
    bounds = PhaseBounds(ph.preparation_from, ph.warm_up_from, ph.follow_up_to)
    out.print(t("prepare.cal.heading", lang, name=campaign.campaign.name, day=campaign.campaign.event_day,
                today=today, total=len(statuses), done=sum(s.state == "done" for s in statuses),
                overdue=sum(len(v) for v in late.values())))
    for phase in PHASES:
        rows = [s for s in statuses if s.task.phase == phase]
        if not rows:
            continue
        start, end = min(s.task.start for s in rows), max(s.task.end for s in rows)
        span = bounds.span(phase)
        if span is not None:  # the phase's own dates (its tasks may run on into the next phase)
            day = campaign.campaign.event_day
            start, end = day + dt.timedelta(days=span[0]), day + dt.timedelta(days=span[1])
        title = t("prepare.cal.phase_title", lang, phase=t(f"prepare.phase.{phase}", lang), start=start, end=end)
        table = Table(title=title, title_justify="left")
        for key in ("id", "group", "task", "start", "end", "state"):
            table.add_column(t(f"prepare.cal.col.{key}", lang))
        for s in sorted(rows, key=lambda s: (GROUPS.index(s.task.group), s.task.start, s.task.id)):
            style = _STATE_STYLE[s.state]
            table.add_row(s.task.id, t(f"prepare.group.{s.task.group}", lang), s.task.template.title(lang),
                          s.task.start.strftime("%m-%d"), s.task.end.strftime("%m-%d"),
                          f"[{style}]{t(f'prepare.state.{s.state}', lang)}[/{style}]")
        out.print(table)
    out.print(f"[bold]{t('prepare.cal.overdue_title', lang)}[/bold]")
    if not late:
        out.print(f"[green]{t('prepare.cal.none_overdue', lang)}[/green]")
    for group, items in late.items():
        out.print(f"[red]{t(f'prepare.group.{group}', lang)}[/red] ({len(items)})")
        for s in items:
            out.print(f"  {s.task.id}  {s.task.template.title(lang)}  "
                      f"[red]{t('prepare.cal.days_late', lang, days=s.days_late)}[/red]")


@calendar_app.command("show", help=h("prepare.help.calendar_show"))
@friendly_errors
def show(
    file: Annotated[Path, typer.Argument(help=h("prepare.help.file"))],
    today: Annotated[str | None, typer.Option("--today", help=h("prepare.help.today"))] = None,
    ics: Annotated[Path | None, typer.Option("--ics", help=h("prepare.help.ics"))] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help=h("prepare.help.xlsx"))] = None,
    group: Annotated[str | None, typer.Option("--group", help=h("prepare.help.group"))] = None,
    fmt: FormatOption = "table",
    lang: LangOption = None,
) -> None:
    """The campaign calendar as of a day."""
    language = resolve_lang(lang)
    if fmt not in FORMATS:
        raise InputError("cli.bad_format", value=fmt, choices=", ".join(FORMATS))
    group = None if group is None else group_code(group, language)
    day = parse_day(today, clock.today())
    workspace = Workspace.for_file(file)
    campaign = workspace.campaign()
    statuses = workspace.calendar(day)
    if group is not None:
        statuses = tuple(s for s in statuses if s.task.group == group)
    name, event_day = campaign.campaign.name, campaign.campaign.event_day
    written = []  # files first: stdout may be a pipe that closes early (`| head -3`)
    if ics is not None:
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
        write_ics(ics, to_ics(statuses, name, event_day, language, stamp))
        written.append(ics)
    if xlsx is not None:
        write_xlsx(xlsx, statuses, name, language, day)
        written.append(xlsx)
    if fmt == "json":
        late = overdue_by_group(statuses)
        data: dict[str, Any] = {
            "campaign": name, "event_day": event_day.isoformat(), "today": day.isoformat(),
            "tasks": calendar_dict(statuses, language),
            "overdue_by_group": {g: [s.task.id for s in items] for g, items in late.items()},
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _render(statuses, campaign, day, language)
    if fmt != "json":
        for path in written:
            console().print(t("prepare.cal.wrote", language, path=str(path)))


@calendar_app.command("done", help=h("prepare.help.done"))
@friendly_errors
def done(
    ids: Annotated[list[str], typer.Argument(help=h("prepare.help.ids"))],
    on: Annotated[str | None, typer.Option("--on", help=h("prepare.help.on"))] = None,
    file: Annotated[Path, typer.Option("--file", "-f", help=h("prepare.help.campaign"))] = DEFAULT_FILE,
    undo: Annotated[bool, typer.Option("--undo", help=h("prepare.help.undo"))] = False,
    lang: LangOption = None,
) -> None:
    """Mark tasks done (or not done) in the progress file beside the campaign file."""
    language = resolve_lang(lang)
    day = parse_day(on, clock.today())
    Workspace.for_file(file).mark_done(ids, day, undo)  # the campaign must exist and be valid
    key = "prepare.cal.unmarked" if undo else "prepare.cal.marked"
    console().print(t(key, language, ids=", ".join(ids), day=day))


def register(app: typer.Typer) -> None:
    """Add `calendar` (show, done) to the program."""
    app.add_typer(calendar_app, name="calendar", help=h("prepare.help.calendar"))
