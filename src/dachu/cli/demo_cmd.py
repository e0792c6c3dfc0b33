"""`dachu demo`: the whole cycle on the example, end to end, finishing with files to open."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dachu.app import Workspace
from dachu.cli.common import LangOption, console, friendly_errors, h, resolve_lang
from dachu.cli.plan_view import render_plan
from dachu.i18n import t
from dachu.report.plan_xlsx import write_plan_xlsx


@friendly_errors
def demo(
    out: Annotated[Path, typer.Option("--out", help=h("cli.demo.out"))] = Path("out/demo"),
    lang: LangOption = None,
) -> None:
    """Init the double11 example, print its plan, write plan.xlsx."""
    language = resolve_lang(lang)
    screen = console()
    workspace = Workspace(out)
    path = workspace.init("double11", language, force=True)
    screen.print(t("common.wrote", language, path=str(path)))
    plan = workspace.plan()
    render_plan(plan, language, screen)
    xlsx = out / "plan.xlsx"
    write_plan_xlsx(plan, xlsx, language)
    screen.print(t("plan.wrote_xlsx", language, path=str(xlsx)))
    screen.print(f"[green]{t('cli.demo.done', language, path=str(out))}[/green]")


def register(app: typer.Typer) -> None:
    """Add `demo` to the program."""
    app.command("demo", help=h("cli.demo.help"))(demo)
