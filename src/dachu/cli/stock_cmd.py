"""`dachu stock FILE status|set SKU N|ledger|check [--stock URL]`: the stock ledger (库存账本) from the terminal.

- `status`: each SKU's balance (on hand, reserved, allocated, shipped, available) and the replenishment
  suggested from the supplier's lead time (`--format json` for a machine);
- `set SKU N`: a stock count (盘点) sets on hand to N (refused below the units allocated);
- `ledger [--sku S] [--order O]`: the ledger's rows, oldest first;
- `check`: the ledger's invariants and its reconciliation with the store's imported orders; exits 1 when
  anything is found.

The ledger is `--stock` (default `sqlite`: `stock.sqlite` beside the store), the same one `dachu serve` moves;
a SKU it has never counted starts at the campaign's `stock`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dachu import clock
from dachu.app import Workspace
from dachu.app.stock import LedgerRow, Plan, Stock, balance_json, check, ledger_of, status, stock_url
from dachu.cli.common import FormatOption, LangOption, console, friendly_errors, h, resolve_lang
from dachu.errors import InputError
from dachu.i18n import Lang, has, t

ACTIONS = ("status", "set", "ledger", "check")
COLUMNS = ("on_hand", "reserved", "allocated", "shipped", "available")


def _source(source: str, lang: Lang) -> str:
    """A row's source in words (`api:own` → the API and its channel); an unknown source as it is."""
    kind, _, channel = source.partition(":")
    key = f"stock.source.{kind or 'none'}"
    words = t(key, lang) if has(key) else source
    return f"{words} {channel}".strip() if channel else words


def _row_change(row: LedgerRow) -> str:
    return f"{row.on_hand:+d} / {row.reserved:+d} / {row.allocated:+d}"


def stock(
    file: Annotated[Path, typer.Argument(help=h("staff.help.file"), show_default=False)],
    action: Annotated[str, typer.Argument(help=h("stock.cli.action_help"), show_default=False)],
    args: Annotated[list[str] | None, typer.Argument(help=h("stock.cli.args_help"), show_default=False)] = None,
    url: Annotated[str | None, typer.Option("--stock", help=h("stock.cli.url_help"))] = None,
    sku: Annotated[str | None, typer.Option("--sku", help=h("stock.cli.sku_help"))] = None,
    order: Annotated[str | None, typer.Option("--order", help=h("stock.cli.order_help"))] = None,
    lang: LangOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The stock ledger: balances, counts, rows, checks."""
    lg = resolve_lang(lang)
    if action not in ACTIONS:
        raise InputError("stock.cli.bad_action", value=action, choices=", ".join(ACTIONS))
    if fmt not in ("table", "json"):
        raise InputError("cli.bad_format", value=fmt, choices="table, json")
    workspace = Workspace.for_file(file)
    plan = workspace.plan()
    now = clock.now()
    where = stock_url(url, workspace.store_path.parent)
    if where is None:
        raise InputError("stock.cli.no_ledger")
    ledger = ledger_of(plan, where, now)
    try:
        if action == "status":
            _status(plan, ledger, now, lg, fmt)
        elif action == "set":
            _set(ledger, args or [], now, lg)
        elif action == "ledger":
            _ledger(ledger, sku, order, lg, fmt)
        elif not _check(ledger, workspace.store_path, now, lg, fmt):
            raise typer.Exit(1)
    finally:
        ledger.close()


def _status(plan: Plan, ledger: Stock, now: dt.datetime, lg: Lang, fmt: str) -> None:
    rows = status(plan, ledger, now)
    if fmt == "json":
        out = [{**balance_json(r.balance), "name": r.name,
                "reorder": None if r.reorder is None else
                {"units": r.reorder[0], "lead_time_days": r.reorder[1], "reorder_point": r.reorder[2]}}
               for r in rows]
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    term = console()
    term.print(t("stock.cli.ledger", lg, url=ledger.backend.url), soft_wrap=True)
    table = Table()
    for col in ("sku", "name", *COLUMNS, "reorder"):
        table.add_column(t(f"stock.cli.col.{col}", lg), justify="right" if col in COLUMNS else "left")
    for r in rows:
        b = r.balance
        reorder = t("stock.cli.no_reorder", lg) if r.reorder is None else t(
            "stock.cli.reorder", lg, units=r.reorder[0], days=r.reorder[1], point=r.reorder[2])
        table.add_row(r.sku, r.name, *(f"{getattr(b, c):,}" for c in COLUMNS), reorder)
    term.print(table)


def _set(ledger: Stock, args: list[str], now: dt.datetime, lg: Lang) -> None:
    if len(args) != 2 or not args[1].isdigit():
        raise InputError("stock.cli.set_usage")
    sku, units = args[0], int(args[1])
    if sku not in ledger.components:
        raise InputError("stock.cli.unknown_sku", sku=sku, known=", ".join(ledger.components))
    if not ledger.backend.count(sku, units, now=now, source="cli"):
        allocated = ledger.backend.balances(now, [sku])[0].allocated
        raise InputError("stock.count_refused", sku=sku, units=units, allocated=allocated)
    console().print(t("stock.cli.set_done", lg, sku=sku, units=units))


def _ledger(ledger: Stock, sku: str | None, order: str | None, lg: Lang, fmt: str) -> None:
    rows = ledger.backend.ledger(sku=sku, order_id=order, limit=100_000)
    if fmt == "json":
        print(json.dumps([{"sku": r.sku, "reason": r.reason, "on_hand": r.on_hand, "reserved": r.reserved,
                           "allocated": r.allocated, "order_id": r.order_id, "source": r.source,
                           "at": r.at.isoformat(timespec="seconds")} for r in rows], ensure_ascii=False, indent=1))
        return
    if not rows:
        console().print(t("stock.cli.no_rows", lg))
        return
    table = Table()
    for col in ("at", "sku", "reason", "change", "order", "source"):
        table.add_column(t(f"stock.cli.col.{col}", lg))
    for r in rows:
        table.add_row(r.at.isoformat(sep=" ", timespec="seconds"), r.sku, t(f"stock.reason.{r.reason}", lg),
                      _row_change(r), r.order_id, _source(r.source, lg))
    console().print(table)


def _check(ledger: Stock, store: Path, now: dt.datetime, lg: Lang, fmt: str) -> bool:
    findings, counts = check(ledger, store, now)
    words = []
    for f in findings:
        params = dict(f.params)
        if "bucket" in params:
            params["bucket"] = t(f"stock.cli.col.{params['bucket']}", lg)
        words.append(t(f.key, lg, **params))
    if fmt == "json":
        print(json.dumps({"ok": not findings, **counts,
                          "problems": [{"code": f.key, **dict(f.params), "message": w}
                                       for f, w in zip(findings, words, strict=True)]},
                         ensure_ascii=False, indent=1))
        return not findings
    term = console()
    if not findings:
        term.print(t("stock.cli.check_ok", lg, **counts), style="green")
        return True
    term.print(t("stock.cli.check_failed", lg, count=len(findings)), style="red")
    for w in words:
        term.print(f"- {w}", soft_wrap=True)
    return False


def register(app: typer.Typer) -> None:
    """Add `dachu stock` to the program."""
    app.command("stock", help=h("stock.cli.help"))(friendly_errors(stock))
