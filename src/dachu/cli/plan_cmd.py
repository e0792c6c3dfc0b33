"""`dachu plan FILE`: the plan in the terminal, as JSON, or as a workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from dachu.app import Workspace
from dachu.cli.common import FormatOption, LangOption, console, friendly_errors, h, resolve_lang
from dachu.cli.plan_view import render_plan
from dachu.errors import InputError
from dachu.i18n import t
from dachu.report.plan_json import plan_dict
from dachu.report.plan_xlsx import write_plan_xlsx

FORMATS = ("table", "json")


@friendly_errors
def plan(
    file: Annotated[Path, typer.Argument(help=h("cli.plan.file"))],
    fmt: FormatOption = "table",
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help=h("cli.plan.xlsx"))] = None,
    lang: LangOption = None,
) -> None:
    """Make the plan of a campaign file and show it."""
    language = resolve_lang(lang)
    if fmt not in FORMATS:
        raise InputError("cli.bad_format", value=fmt, choices=", ".join(FORMATS))
    the_plan = Workspace.for_file(file).plan()
    if xlsx is not None:  # files first: stdout may be a pipe that closes early (`| head`)
        write_plan_xlsx(the_plan, xlsx, language)
    if fmt == "json":
        typer.echo(json.dumps(plan_dict(the_plan, language), ensure_ascii=False, indent=2))
    else:
        render_plan(the_plan, language, console())
        if xlsx is not None:
            console().print(t("plan.wrote_xlsx", language, path=str(xlsx)))


def register(app: typer.Typer) -> None:
    """Add `plan` to the program."""
    app.command("plan", help=h("cli.plan.help"))(plan)
