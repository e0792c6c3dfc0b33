"""`dachu import FILE...`: import platform exports into the store, then a summary and where rejects are."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from dachu.cli.common import FormatOption, LangOption, console, friendly_errors, h, resolve_lang
from dachu.cli.data_view import import_summary
from dachu.data.importers import REGISTRY, import_files
from dachu.data.store import DEFAULT_STORE, Store
from dachu.errors import DachuError, InputError
from dachu.i18n import Lang, t

SOURCES = ", ".join([*REGISTRY, "generic"])
_PHONE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")


def mask(text: str) -> str:
    """Mobile numbers masked as 138****1234; long raw rows cut to 80 characters."""
    text = _PHONE.sub(r"\1****\2", text)
    return text if len(text) <= 80 else text[:79] + "…"


def _show_rejected(store: Store, lang: Lang, fmt: str, export: Path | None) -> None:
    reason = "reason_zh" if lang == "zh" else "reason_en"
    rows = store.con.execute(
        f"SELECT file, line, col, raw_value, {reason} FROM quarantine ORDER BY file, line"
    ).fetchall()
    if export is not None:
        with export.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([t(f"data_import.col.{k}", lang) for k in ("file", "line", "column", "value", "reason")])
            writer.writerows((f, line, col, mask(raw or ""), why) for f, line, col, raw, why in rows)
        console().print(t("data_import.exported", lang, file=str(export), count=len(rows)))
        return
    if fmt == "json":
        keys = ("file", "line", "column", "raw_value", "reason")
        masked = [(f, line, col, mask(raw or ""), why) for f, line, col, raw, why in rows]
        typer.echo(json.dumps([dict(zip(keys, r, strict=True)) for r in masked], ensure_ascii=False, indent=2))
        return
    table = Table()
    for k in ("file", "line", "column", "value", "reason"):
        table.add_column(t(f"data_import.col.{k}", lang))
    for file, line, col, raw, why in rows[:200]:
        table.add_row(Path(file).name, str(line), col, mask(raw or ""), why)
    console().print(table if rows else t("data_import.none_rejected", lang))


def register(app: typer.Typer) -> None:
    """Add `dachu import`."""

    @app.command("import", help=h("data_import.help"))
    @friendly_errors
    def import_command(
        files: Annotated[list[Path] | None, typer.Argument(help=h("data_import.opt.files"), show_default=False)] = None,
        source: Annotated[
            str | None, typer.Option("--source", help=h("data_import.opt.source").format(choices=SOURCES))
        ] = None,
        store: Annotated[Path, typer.Option("--store", help=h("data_import.opt.store"))] = Path(DEFAULT_STORE),
        mapping: Annotated[Path | None, typer.Option("--mapping", help=h("data_import.opt.mapping"))] = None,
        force: Annotated[bool, typer.Option("--force", help=h("data_import.opt.force"))] = False,
        rejected: Annotated[bool, typer.Option("--rejected", help=h("data_import.opt.rejected"))] = False,
        export: Annotated[Path | None, typer.Option("--export", help=h("data_import.opt.export"))] = None,
        fmt: FormatOption = "table",
        lang: LangOption = None,
    ) -> None:
        language = resolve_lang(lang)
        if fmt not in ("table", "json"):
            raise DachuError("cli.bad_format", value=fmt, choices="table, json")
        if rejected or export is not None:
            with Store.open(store) as st:
                _show_rejected(st, language, fmt, export)
            return
        if not files:
            raise InputError("data_import.no_files")
        out = console()
        with Store.open(store) as st:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=out,
                transient=True,
                disable=fmt == "json" or not out.is_terminal,
            ) as bar:
                tasks: dict[Path, TaskID] = {}

                def step(path: Path, delta: int, size: int) -> None:
                    if path not in tasks:
                        tasks[path] = bar.add_task(t("data_import.reading", language, file=path.name), total=size)
                    bar.advance(tasks[path], delta)

                results = import_files(st, list(files), source=source, mapping=mapping, force=force, progress=step)
        total_rejected = sum(r.rejected for r in results)
        if fmt == "json":
            typer.echo(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
            return
        for r in results:
            if r.skipped:
                out.print(f"[yellow]{t('data_import.already', language, file=r.file)}[/yellow]")
        out.print(import_summary([r for r in results if not r.skipped], language))
        if total_rejected:
            out.print(t("data_import.where_rejected", language, count=total_rejected, store=str(store)))
        else:
            out.print(t("data_import.none_rejected", language))
