"""Terminal tables for the data commands (`dachu simulate`, `dachu import`, `dachu demo`)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from dachu.app.data import ImportResult, SimulationResult
from dachu.app.review import Review
from dachu.i18n import Lang, has, t
from dachu.report.review_format import display


def format_name(source: str, lang: Lang) -> str:
    """An importer's name in `lang` (`taobao_orders` → 淘宝/天猫订单); a name the catalogue lacks as it is."""
    key = f"data_import.format.{source}"
    return t(key, lang) if has(key) else source


def import_summary(results: list[ImportResult], lang: Lang) -> Table:
    """One row per imported file: format, rows read, inserted, updated, unchanged, rejected, seconds."""
    table = Table(title=t("data_import.title", lang))
    for key in ("file", "source", "read", "inserted", "updated", "unchanged", "rejected", "seconds"):
        table.add_column(t(f"data_import.col.{key}", lang), justify="left" if key in ("file", "source") else "right")
    for r in results:
        table.add_row(
            Path(r.file).name,
            format_name(r.source, lang),
            str(r.rows_read),
            str(r.inserted),
            str(r.updated),
            str(r.unchanged),
            f"[red]{r.rejected}[/red]" if r.rejected else "0",
            f"{r.seconds:.2f}",
        )
    return table


def simulation_summary(result: SimulationResult, out: Path, lang: Lang) -> Table:
    """The files a simulation wrote and their rows."""
    table = Table(title=t("simulate.summary", lang, orders=result.orders, history=result.history_orders, out=out))
    table.add_column(t("simulate.col.file", lang))
    table.add_column(t("simulate.col.rows", lang), justify="right")
    for f in result.files:
        table.add_row(str(f.path), f"{f.rows:,}")
    return table


def order_progress(label: str, screen: Console, disable: bool = False) -> Progress:
    """A transient progress bar counting orders (done of total, time left)."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=screen,
        transient=True,
        disable=disable,
    )


def headline_table(review: Review, lang: Lang) -> Table:
    """The review's headline figures: actual against the floor and stretch plan (and an earlier campaign)."""
    table = Table(title=t("review.section.headline", lang))
    table.add_column("")
    for key in ("actual", "floor", "stretch", "previous"):
        table.add_column(t(f"demo.headline.{key}", lang), justify="right")
    for f in review.section("headline").figures:
        values = (f.actual, f.floor, f.stretch, f.previous)
        table.add_row(t(f.key, lang), *(display(v, f.unit, lang) for v in values))
    return table
