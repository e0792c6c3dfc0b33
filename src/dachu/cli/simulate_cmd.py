"""`dachu simulate`: generate a whole campaign's data in the platforms' export formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from dachu.cli.common import HELP_LANG, FormatOption, LangOption, console, friendly_errors, h, resolve_lang
from dachu.cli.data_view import order_progress, simulation_summary
from dachu.data.exports import ENCODINGS, FORMATS, PLATFORM_FORMATS, ExportOptions
from dachu.data.exports.render import Quirks
from dachu.data.simulate.run import run_simulation
from dachu.data.simulate.setup import Options, platform_family
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import make_plan
from dachu.errors import InputError
from dachu.i18n import t

PLATFORMS = ("tmall", "jd", "shopify")
_FORMATS_HELP = t("simulate.opt.formats", HELP_LANG, choices=", ".join(FORMATS))


def _formats(value: str | None, platform: str) -> tuple[str, ...]:
    if not value:
        return PLATFORM_FORMATS[platform]
    if value.strip() == "all":
        return FORMATS
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    for name in chosen:
        if name not in FORMATS:
            raise InputError("simulate.bad_formats", value=name, choices=", ".join(FORMATS))
    return chosen


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
    if orders < 1:
        raise InputError("simulate.bad_orders", value=orders)
    if platform is not None and platform not in PLATFORMS:
        raise InputError("simulate.bad_platform", value=platform, choices=", ".join(PLATFORMS))
    if encoding is not None and encoding not in ENCODINGS:
        raise InputError("simulate.bad_encoding", value=encoding, choices=", ".join(ENCODINGS))
    if fmt not in ("table", "json"):
        raise InputError("cli.bad_format", value=fmt, choices="table, json")
    if not file.is_file():
        raise InputError("common.file_missing", path=str(file))
    campaign = parse_campaign(file.read_text(encoding="utf-8"), str(file))
    family = platform_family(campaign, platform)
    chosen = _formats(formats, family)
    plan = make_plan(campaign)
    options = Options(orders=orders, seed=seed, history_orders=history, chunk_size=max(1000, chunk))
    quirks = Quirks(excel_dates=True, yuan=True, header_spaces=True) if excel_quirks else Quirks()
    exports = ExportOptions(formats=chosen, quirks=quirks, encoding=encoding, xlsx=xlsx)
    term = console()
    with order_progress(t("simulate.progress", lang_), term, disable=fmt == "json") as bar:
        task = bar.add_task("simulate", total=None)
        result = run_simulation(
            plan,
            options,
            out,
            exports,
            family,
            lambda done, total: bar.update(task, completed=done, total=total),
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
