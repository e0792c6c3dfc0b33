"""`dachu simulate`: generate a whole campaign's data in the platforms' export formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from dachu.app import data
from dachu.cli.common import HELP_LANG, FormatOption, LangOption, console, friendly_errors, h, resolve_lang
from dachu.cli.data_view import order_progress, simulation_summary
from dachu.errors import InputError
from dachu.i18n import t

_FORMATS_HELP = t("simulate.opt.formats", HELP_LANG, choices=", ".join(data.FORMATS))


def simulate(
    file: Annotated[Path, typer.Argument(help=h("simulate.arg.file"))],
    orders: Annotated[int, typer.Option("--orders", help=h("simulate.opt.orders"))] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help=h("simulate.opt.seed"))] = 0,
    out: Annotated[Path, typer.Option("--out", help=h("simulate.opt.out"))] = Path("simulated"),
    platform: Annotated[str | None, typer.Option("--platform", help=h("simulate.opt.platform"))] = None,
    formats: Annotated[str | None, typer.Option("--formats", help=_FORMATS_HELP)] = None,
    history: Annotated[int | None, typer.Option("--history-orders", help=h("simulate.opt.history"))] = None,
    xlsx: Annotated[bool, typer.Option("--xlsx", help=h("simulate.opt.xlsx"))] = False,
    excel_quirks: Annotated[bool, typer.Option("--excel-quirks", help=h("simulate.opt.excel_quirks"))] = False,
    encoding: Annotated[str | None, typer.Option("--encoding", help=h("simulate.opt.encoding"))] = None,
    chunk: Annotated[int, typer.Option("--chunk", help=h("simulate.opt.chunk"))] = 50_000,
    lang: LangOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Simulate a campaign and write its exports."""
    lang_ = resolve_lang(lang)
    if fmt not in ("table", "json"):
        raise InputError("cli.bad_format", value=fmt, choices="table, json")
    term = console()
    with order_progress(t("simulate.progress", lang_), term, disable=fmt == "json") as bar:
        task = bar.add_task("simulate", total=None)
        result = data.simulate(
            file, out, orders=orders, seed=seed, platform=platform, formats=formats, history_orders=history,
            xlsx=xlsx, excel_quirks=excel_quirks, encoding=encoding, chunk=chunk,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if fmt == "json":
        print(
            json.dumps(
                {
                    "orders": result.orders,
                    "history_orders": result.history_orders,
                    "files": [{"path": str(f.path), "rows": f.rows} for f in result.files],
                },
                ensure_ascii=False,
            )
        )
        return
    table = simulation_summary(result, out, lang_)
    term.print(table)


def register(app: typer.Typer) -> None:
    """Add `dachu simulate` to the program."""
    app.command("simulate", help=h("simulate.help"))(friendly_errors(simulate))
