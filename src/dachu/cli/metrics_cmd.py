"""`dachu metrics`: print the metrics dictionary (指标字典) as a table or JSON."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from dachu.app.metrics import METRICS, formula_text
from dachu.cli.common import FormatOption, LangOption, console, friendly_errors, h, resolve_lang
from dachu.errors import InputError
from dachu.i18n import Lang, t


def metrics_rows(lang: Lang) -> list[dict[str, str]]:
    """One dict per metric: id, name, unit (its code), formula, definition (in `lang`)."""
    return [
        {
            "id": m.id,
            "name": t(m.name_key, lang),
            "unit": m.unit,
            "formula": formula_text(m, lang),
            "definition": t(m.definition_key, lang),
        }
        for m in METRICS
    ]


def metrics(lang: LangOption = None, fmt: FormatOption = "table") -> None:
    """Print every metric's name, unit, formula and definition."""
    lang_ = resolve_lang(lang)
    if fmt not in ("table", "json"):
        raise InputError("cli.bad_format", value=fmt, choices="table, json")
    rows = metrics_rows(lang_)
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(title=t("metrics.title", lang_, count=len(rows)))
    for col in ("id", "name", "unit", "formula", "definition"):
        table.add_column(t(f"metrics.col.{col}", lang_))
    for row in rows:
        unit = t(f"metrics.unit.{row['unit']}", lang_)
        table.add_row(row["id"], row["name"], unit, row["formula"], row["definition"])
    console().print(table)


def register(app: typer.Typer) -> None:
    """Add `dachu metrics` to the program."""
    app.command("metrics", help=h("metrics.help"))(friendly_errors(metrics))
