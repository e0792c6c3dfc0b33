"""`dachu review FILE`: the post-mortem (复盘) of the campaign in the store, and next year's calibrated.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dachu.app import Workspace
from dachu.cli.common import LangOption, console, friendly_errors, h, resolve_lang
from dachu.errors import InputError
from dachu.i18n import t

FORMATS = ("html", "xlsx", "json")


def review(
    file: Annotated[Path, typer.Argument(help=h("review.arg.file"))],
    store: Annotated[Path | None, typer.Option("--store", help=h("review.opt.store"))] = None,
    out: Annotated[Path, typer.Option("--out", help=h("review.opt.out"))] = Path("review"),
    fmt: Annotated[str, typer.Option("--format", help=h("review.opt.format"))] = "html",
    lang: LangOption = None,
) -> None:
    """Measure the campaign from the store, write the report and calibrated.yaml, print where they are."""
    lang_ = resolve_lang(lang)
    if fmt not in FORMATS:
        raise InputError("review.bad_format", value=fmt, choices=", ".join(FORMATS))
    from dachu.app.review import write_review  # Ibis and DuckDB load only when a review runs

    result = Workspace.for_file(file).review(store)
    path, calibrated = write_review(result, out, fmt, lang_)
    term = console()
    term.print(t("review.done", lang_, path=path))
    if calibrated is not None:
        term.print(t("review.done_calibrated", lang_, path=calibrated))


def register(app: typer.Typer) -> None:
    """Add `dachu review` to the program."""
    app.command("review", help=h("review.help"))(friendly_errors(review))
