"""`dachu remind CAMPAIGN`: payment reminders (催付) — plan from the store, send what is due, or explain."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dachu.app import Workspace
from dachu.cli.common import FormatOption, LangOption, console, friendly_errors, h, parse_now, resolve_lang
from dachu.errors import InputError
from dachu.i18n import Lang, t


def _explain(workspace: Workspace, now: dt.datetime, order: str, store: Path | None, fmt: str, lang: Lang) -> None:
    from dachu.app.remind import explain_order

    explanation = explain_order(workspace, now, order, store=store)
    if fmt == "json":
        print(json.dumps(explanation.as_dict(), ensure_ascii=False, indent=1))
        return
    term = console()
    term.print(t("automation.explain.title", lang, order=order, now=now.isoformat(sep=" ")))
    for key, params in explanation.steps:
        term.print(f"  • {t(key, lang, **params)}")


def remind(
    file: Annotated[Path, typer.Argument(help=h("automation.arg.file"))],
    store: Annotated[Path | None, typer.Option("--store", help=h("automation.opt.store"))] = None,
    now: Annotated[str | None, typer.Option("--now", help=h("automation.opt.now"))] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=h("automation.opt.dry_run"))] = False,
    explain: Annotated[str | None, typer.Option("--explain", help=h("automation.opt.explain"))] = None,
    fmt: FormatOption = "table",
    lang: LangOption = None,
) -> None:
    """Plan the payment reminders from the store and send those due (or show them with --dry-run)."""
    lang_ = resolve_lang(lang)
    if fmt not in ("table", "json"):
        raise InputError("cli.bad_format", value=fmt, choices="table, json")
    at = parse_now(now)
    workspace = Workspace.for_file(file)
    if explain is not None:
        _explain(workspace, at, explain, store, fmt, lang_)
        return
    from dachu.app.remind import run_reminders
    from dachu.report.remind_json import remind_dict

    run = run_reminders(workspace, at, store=store, dry_run=dry_run, env=os.environ)
    if fmt == "json":
        planned = {"new": run.planned.new, "existing": run.planned.existing} if run.planned else None
        sent = None
        if run.sent is not None:
            s = run.sent
            sent = {"sent": s.sent, "failed": s.failed, "skipped": s.skipped, "retried": s.retried,
                    "reconciled": s.reconciled, "waiting": s.waiting, "reasons": s.reasons}
        print(json.dumps(remind_dict(at.isoformat(), run.actions, run.skipped, planned=planned, sent=sent),
                         ensure_ascii=False, indent=1))
        return
    term = console()
    due = sum(1 for a in run.actions if a.not_before <= at)
    term.print(t("automation.remind.summary", lang_, now=at.isoformat(sep=" "), actions=len(run.actions), due=due,
                 later=len(run.actions) - due, skipped=len(run.skipped)))
    reasons: dict[str, int] = {}
    for _, reason in run.skipped:
        reasons[reason] = reasons.get(reason, 0) + 1
    if run.sent is not None:
        s = run.sent
        term.print(t("automation.remind.sent", lang_, sent=s.sent, failed=s.failed, skipped=s.skipped,
                     waiting=s.waiting))
        for reason, n in s.reasons.items():
            reasons[reason] = reasons.get(reason, 0) + n
    elif dry_run:
        term.print(t("automation.remind.dry_run", lang_))
    if reasons:
        table = Table(title=t("automation.remind.reasons", lang_))
        table.add_column(t("automation.col.reason", lang_))
        table.add_column(t("automation.col.count", lang_), justify="right")
        for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
            table.add_row(t(reason, lang_) if _known(reason) else reason, str(n))
        term.print(table)


def _known(key: str) -> bool:
    from dachu.i18n import has

    return has(key)


def register(app: typer.Typer) -> None:
    """Add `dachu remind` to the program."""
    app.command("remind", help=h("automation.remind.help"))(friendly_errors(remind))
