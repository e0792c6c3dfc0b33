"""`dachu init`: write a commented example campaign file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dachu.app import Workspace
from dachu.cli.common import LangOption, console, friendly_errors, h, resolve_lang
from dachu.i18n import t


@friendly_errors
def init(
    directory: Annotated[Path, typer.Argument(help=h("cli.init.dir"))] = Path("."),
    example: Annotated[str, typer.Option("--example", help=h("cli.init.example"))] = "double11",
    force: Annotated[bool, typer.Option("--force", help=h("cli.opt.force"))] = False,
    lang: LangOption = None,
) -> None:
    """Write a campaign file from an example."""
    language = resolve_lang(lang)
    path = Workspace(directory).init(example, language, force=force)
    console().print(t("common.wrote", language, path=str(path)))
    console().print(t("cli.init.next", language, path=str(path)))


def register(app: typer.Typer) -> None:
    """Add `init` to the program."""
    app.command("init", help=h("cli.init.help"))(init)
