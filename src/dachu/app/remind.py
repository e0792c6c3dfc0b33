"""Payment reminders (催付), the facade: plan from the store, put in the outbox, send what is due.

`run_reminders` is one pass of `dachu remind` on the workspace's store (`dachu.ops.reminders.remind_pass`:
decide, plan into the outbox, send what is due exactly once).
`explain_order` says for one order which rule fired, which filter stopped it and when it will send.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from dachu.app.workspace import Workspace
from dachu.data import recipients
from dachu.data.store import Store
from dachu.domain.automation.remind import Explanation, explain
from dachu.domain.automation.remind_inputs import ItemBook
from dachu.errors import InputError
from dachu.ops.reminders import RemindRun, remind_pass
from dachu.ops.secrets import load_secrets

__all__ = ["RemindRun", "explain_order", "run_reminders"]


def _store(ws: Workspace, store: Path | None) -> Path:
    path = store or ws.store_path
    if not path.is_file():
        raise InputError("automation.no_store", path=str(path))
    return path


def run_reminders(
    ws: Workspace, now: dt.datetime, *, store: Path | None = None, dry_run: bool = False, env: Mapping[str, str] = {}
) -> RemindRun:
    """One pass: decide; unless `dry_run`, plan into the outbox and send what is due by `now`."""
    campaign = ws.campaign()
    with Store.open(_store(ws, store)) as opened:
        keys = load_secrets(ws.root / "live" / "secrets.json", {"address_key": env.get("DACHU_ADDRESS_KEY")})
        return remind_pass(
            opened.con, campaign, now, env=env, address_key=keys.address_key, base=ws.root, dry_run=dry_run
        )


def explain_order(ws: Workspace, now: dt.datetime, order_id: str, *, store: Path | None = None) -> Explanation:
    """Why `order_id` is or is not reminded at `now`, step by step."""
    campaign = ws.campaign()
    with Store.open(_store(ws, store)) as opened:
        orders, facts = recipients.unpaid_columns(opened.con)
        if order_id not in set(orders.order_ids):
            raise InputError("automation.not_unpaid", order_id=order_id)
        return explain(
            campaign.remind, orders, facts, now, order_id, book=ItemBook.of(campaign), shop=campaign.campaign.name
        )
