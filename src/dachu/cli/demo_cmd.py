"""`dachu demo`: the whole cycle on the example, end to end, finishing with files to open.

plan → simulate the campaign as the platform's own export files → import them into the store → summary →
the review (HTML, XLSX and next year's calibrated.yaml).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dachu.app import Workspace
from dachu.cli.common import LangOption, console, friendly_errors, h, resolve_lang
from dachu.cli.data_view import headline_table, import_summary, order_progress, simulation_summary
from dachu.cli.plan_view import render_plan
from dachu.i18n import t
from dachu.report.plan_xlsx import write_plan_xlsx


@friendly_errors
def demo(
    out: Annotated[Path, typer.Option("--out", help=h("cli.demo.out"))] = Path("out/demo"),
    orders: Annotated[int, typer.Option("--orders", min=100, help=h("demo.opt.orders"))] = 100_000,
    seed: Annotated[int, typer.Option("--seed", help=h("demo.opt.seed"))] = 0,
    lang: LangOption = None,
) -> None:
    """Init the double11 example, print its plan, write plan.xlsx, simulate, import, summarise."""
    language = resolve_lang(lang)
    screen = console()
    workspace = Workspace(out)
    path = workspace.init("double11", language, force=True)
    screen.print(t("common.wrote", language, path=str(path)))

    screen.rule(t("demo.step.plan", language))
    plan = workspace.plan()
    render_plan(plan, language, screen)
    xlsx = out / "plan.xlsx"
    write_plan_xlsx(plan, xlsx, language)
    screen.print(t("plan.wrote_xlsx", language, path=str(xlsx)))

    screen.rule(t("demo.step.simulate", language, orders=orders))
    with order_progress(t("demo.simulating", language), screen, disable=not screen.is_terminal) as bar:
        task = bar.add_task("simulate", total=None)
        simulated = workspace.simulate(
            orders, seed, lambda done, total: bar.update(task, completed=done, total=total)
        )
    screen.print(simulation_summary(simulated, workspace.simulated_dir, language))

    # A fresh store each run, so the demo's figures are the simulation's and nothing else.
    for stale in (workspace.store_path, workspace.store_path.with_name(workspace.store_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    screen.rule(t("demo.step.import", language, store=str(workspace.store_path)))
    results = workspace.import_files([f.path for f in simulated.files])
    screen.print(import_summary(results, language))
    rejected = sum(r.rejected for r in results)
    if rejected:
        screen.print(f"[red]{t('demo.rejected', language, count=rejected, store=str(workspace.store_path))}[/red]")
    else:
        screen.print(t("demo.none_rejected", language))

    screen.rule(t("demo.step.summary", language))
    rows = Table(title=t("demo.rows.title", language))
    rows.add_column(t("demo.rows.table", language))
    rows.add_column(t("demo.rows.rows", language), justify="right")
    for name, count in workspace.store_rows().items():
        rows.add_row(name, f"{count:,}")
    screen.print(rows)

    screen.rule(t("demo.step.review", language))
    from dachu.app.review import write_review  # Ibis loads only when a review runs

    review = workspace.review()
    screen.print(headline_table(review, language))
    report_dir = out / "review"
    html, calibrated = write_review(review, report_dir, "html", language)
    xlsx_report, _ = write_review(review, report_dir, "xlsx", language)
    screen.print(t("review.done", language, path=str(html)))
    screen.print(t("review.done", language, path=str(xlsx_report)))
    if calibrated is not None:
        screen.print(t("review.done_calibrated", language, path=str(calibrated)))
    screen.print(f"[green]{t('cli.demo.done', language, path=str(out))}[/green]")


def register(app: typer.Typer) -> None:
    """Add `demo` to the program."""
    app.command("demo", help=h("cli.demo.help"))(demo)
