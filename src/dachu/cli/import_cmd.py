"""`dachu import FILE...`: import platform exports into the store, then a summary and where rejects are."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from dachu.app import data
from dachu.cli.common import FormatOption, LangOption, console, friendly_errors, h, resolve_lang
from dachu.cli.data_view import import_summary
from dachu.errors import DachuError, InputError
from dachu.i18n import Lang, t

_SOURCES = ", ".join(data.SOURCES)


def _cut(text: str, cut: int) -> str:
    return text if len(text) <= cut else text[: cut - 1] + "…"


def _show_rejected(store: Path, lang: Lang, fmt: str, export: Path | None, everything: bool) -> None:
    rows = data.rejected(store, lang, include_resolved=everything)
    columns = ("file", "line", "column", "value", "reason") + (("resolved",) if everything else ())

    def resolved(r: data.RejectedRow) -> str:
        return r.resolved_at.strftime("%Y-%m-%d %H:%M") if r.resolved_at else ""

    def cells(r: data.RejectedRow) -> tuple[object, ...]:
        return (r.file, r.line, r.column, r.value, r.reason) + ((resolved(r),) if everything else ())

    if export is not None:
        with export.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([t(f"data_import.col.{k}", lang) for k in columns])
            writer.writerows(cells(r) for r in rows)
        console().print(t("data_import.exported", lang, file=str(export), count=len(rows)))
        return
    if fmt == "json":
        keys = ("file", "line", "column", "raw_value", "reason") + (("resolved_at",) if everything else ())
        out = [dict(zip(keys, cells(r), strict=True)) for r in rows]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    table = Table()
    for k in columns:
        table.add_column(t(f"data_import.col.{k}", lang))
    for r in rows[:200]:
        row = (Path(r.file).name, str(r.line), r.column, _cut(r.value, 80), r.reason)
        table.add_row(*row, *((resolved(r),) if everything else ()))
    console().print(table if rows else t("data_import.none_rejected" if everything else "data_import.none_open", lang))


def register(app: typer.Typer) -> None:
    """Add `dachu import`."""

    @app.command("import", help=h("data_import.help"))
    @friendly_errors
    def import_command(
        files: Annotated[list[Path] | None, typer.Argument(help=h("data_import.opt.files"), show_default=False)] = None,
        source: Annotated[
            str | None, typer.Option("--source", help=h("data_import.opt.source").format(choices=_SOURCES))
        ] = None,
        store: Annotated[Path, typer.Option("--store", help=h("data_import.opt.store"))] = Path(data.DEFAULT_STORE),
        mapping: Annotated[Path | None, typer.Option("--mapping", help=h("data_import.opt.mapping"))] = None,
        force: Annotated[bool, typer.Option("--force", help=h("data_import.opt.force"))] = False,
        rejected: Annotated[bool, typer.Option("--rejected", help=h("data_import.opt.rejected"))] = False,
        everything: Annotated[bool, typer.Option("--all", help=h("data_import.opt.all"))] = False,
        export: Annotated[Path | None, typer.Option("--export", help=h("data_import.opt.export"))] = None,
        server: Annotated[str | None, typer.Option("--server", help=h("data_import.opt.server"))] = None,
        token: Annotated[str | None, typer.Option("--token", help=h("data_import.opt.token"))] = None,
        hmac_secret: Annotated[
            str | None, typer.Option("--hmac-secret", help=h("data_import.opt.hmac_secret"))
        ] = None,
        fmt: FormatOption = "table",
        lang: LangOption = None,
    ) -> None:
        language = resolve_lang(lang)
        if fmt not in ("table", "json"):
            raise DachuError("cli.bad_format", value=fmt, choices="table, json")
        if rejected or export is not None:
            _show_rejected(store, language, fmt, export, everything)
            return
        if not files:
            raise InputError("data_import.no_files")
        out = console()
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

            if server is not None:
                results = data.import_via_server(
                    server, files, token=token or os.environ.get("DACHU_INGEST_TOKEN"),
                    secret=hmac_secret or os.environ.get("DACHU_HMAC_SECRET"), source=source, force=force,
                    progress=step,
                )
            else:
                results = data.import_files(store, files, source=source, mapping=mapping, force=force, progress=step)
        total_rejected = sum(r.rejected for r in results)
        if fmt == "json":
            typer.echo(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
            return
        for r in results:
            if r.skipped:
                out.print(f"[yellow]{t('data_import.already', language, file=r.file)}[/yellow]")
        done = [r for r in results if not r.skipped]
        if not done:  # every file was imported before: nothing more to say than that
            return
        out.print(import_summary(done, language))
        for r in done:
            for c in r.conflicts:
                lines = "、".join(map(str, c.lines)) if language == "zh" else ", ".join(map(str, c.lines))
                columns = "、".join(c.columns) if language == "zh" else ", ".join(c.columns)
                said = t("data_import.conflict", language, file=Path(r.file).name, key=c.key, lines=lines,
                         columns=columns, kept=c.kept)
                out.print(f"[yellow]{said}[/yellow]")
            if r.conflicts:
                out.print(t("data_import.conflict.fix", language))
        resolved = sum(r.resolved for r in done)
        if resolved:
            out.print(t("data_import.resolved", language, count=resolved))
        if total_rejected:
            out.print(t("data_import.where_rejected", language, count=total_rejected, store=str(store)))
        else:
            out.print(t("data_import.none_rejected", language))
