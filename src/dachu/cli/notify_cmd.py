"""`dachu notify CAMPAIGN plan|send`: customer notices (活动通知) and logistics notices (物流通知)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dachu.app import Workspace
from dachu.cli.common import FormatOption, LangOption, console, friendly_errors, h, parse_now, resolve_lang
from dachu.errors import InputError
from dachu.i18n import t


def notify(
    file: Annotated[Path, typer.Argument(help=h("automation.arg.file"))],
    action: Annotated[str, typer.Argument(help=h("notify.arg.action"))],
    store: Annotated[Path | None, typer.Option("--store", help=h("automation.opt.store"))] = None,
    now: Annotated[str | None, typer.Option("--now", help=h("automation.opt.now"))] = None,
    fmt: FormatOption = "table",
    lang: LangOption = None,
) -> None:
    """List the notice waves (plan) or plan them into the outbox and send those due (send)."""
    lang_ = resolve_lang(lang)
    if fmt not in ("table", "json"):
        raise InputError("cli.bad_format", value=fmt, choices="table, json")
    if action not in ("plan", "send"):
        raise InputError("notify.bad_action", value=action)
    at = parse_now(now)
    workspace = Workspace.for_file(file)
    from dachu.app.notify import plan_notices, send_notices

    if action == "plan":
        run = plan_notices(workspace, at, store=store)
    else:
        run = send_notices(workspace, at, store=store, env=os.environ)
    if fmt == "json":
        print(json.dumps(run.as_dict(), ensure_ascii=False, indent=1))
        return
    term = console()
    table = Table(title=t("notify.title", lang_, now=at.isoformat(sep=" ")))
    for col in ("wave", "send_at", "state", "segment", "recipients", "sms_segments", "cost", "budget"):
        table.add_column(t(f"notify.col.{col}", lang_), justify="right" if col in ("recipients", "cost") else "left")
    for w in run.waves:
        if w.cost is None:
            check = t("notify.budget.none", lang_)
        elif w.over_budget:
            check = t("notify.budget.over", lang_, overrun=w.overrun)
        else:
            check = t("notify.budget.ok", lang_)
        table.add_row(
            w.wave.name, w.send_at.isoformat(sep=" ", timespec="minutes"), t(f"notify.state.{w.state}", lang_),
            t(f"notify.segment.{w.wave.segment}", lang_), str(w.recipients), str(w.segments),
            "—" if w.cost is None else str(w.cost), check,
        )
    term.print(table)
    term.print(t("notify.logistics", lang_, **run.logistics_counts()))
    if run.planned is not None:
        term.print(t("notify.planned", lang_, new=run.planned.new, existing=run.planned.existing))
    if run.sent is not None:
        s = run.sent
        term.print(t("notify.sent", lang_, sent=s.sent, failed=s.failed, skipped=s.skipped, waiting=s.waiting))
    else:
        term.print(t("notify.plan_only", lang_))


def register(app: typer.Typer) -> None:
    """Add `dachu notify` to the program."""
    app.command("notify", help=h("notify.help"))(friendly_errors(notify))
