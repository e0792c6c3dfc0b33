"""Payment reminders (催付), the facade: plan from the store, put in the outbox, send what is due.

`run_reminders` is one pass of `dachu remind` on the workspace's store (`dachu.ops.reminders.remind_pass`:
decide, plan into the outbox, send what is due exactly once).
`explain_order` says for one order which rule fired, which filter stopped it and when it will send.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from dachu.analytics.review.build import event_context
from dachu.analytics.review.reminders import reminders as reminders_section
from dachu.analytics.source import Source
from dachu.app.campaign import read_campaign
from dachu.app.workspace import Workspace
from dachu.data import recipients
from dachu.data.store import Store
from dachu.domain.automation.remind import Explanation, explain
from dachu.domain.automation.remind_inputs import ItemBook
from dachu.domain.plan.plan import Plan, make_plan
from dachu.errors import InputError
from dachu.ops.outbox import Outbox
from dachu.ops.reminders import RemindRun, remind_pass
from dachu.ops.secrets import load_secrets

__all__ = ["LiveReminders", "RemindRun", "explain_order", "live_pass", "run_reminders"]


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


@dataclass(frozen=True)
class LiveReminders:
    """What the war room needs to run the reminder pass.

    The campaign file, the environment the senders' secrets are named in, the outbox's address key, and how
    often (seconds) the pass runs.
    """

    campaign_file: Path
    env: Mapping[str, str]
    address_key: str
    every: float = 60.0


_PLANS: dict[tuple[str, float], Plan] = {}


def _plan_of(path: Path) -> Plan:
    """The campaign's plan, made again only when the file changed (the pass runs every minute)."""
    key = (str(path), path.stat().st_mtime)
    if key not in _PLANS:
        _PLANS.clear()
        _PLANS[key] = make_plan(read_campaign(path))
    return _PLANS[key]


def live_pass(store: Store, *, campaign_file: str, now: str, env: dict[str, str], address_key: str,
              available: dict[str, int] | None = None) -> dict[str, Any]:
    """The war room's reminder pass, on the store the room's store writer holds (its process runs it).

    One `remind_pass` at the room's clock `now` (the latest event's time, so a replayed day reminds in its own
    time), with the logistics notices due (shipped, in the buyer's city, exception, delivered) and, given the
    ledger's `available` units per SKU, the channel listings to set lower (`warehouse.stock.channels`), then the day's
    figures measured as the review measures them (its 催付 section: sent, paid after a reminder, the holdout's
    rate, lift, recovered GMV) and the outbox's failures by channel and reason. The result is plain data for
    the dashboard.
    """
    path = Path(campaign_file)
    plan = _plan_of(path)
    at = dt.datetime.fromisoformat(now)
    from dachu.app.notify import logistics_due

    notices = logistics_due(store.con, plan.campaign, at)
    listing_rows: list[tuple[str, str, str, str]] = []
    if available is not None and plan.campaign.warehouse is not None:
        from dachu.domain.stock.listings import listing_actions
        from dachu.ops.listings import listing_state

        listed, so_far = listing_state(store.con)
        notices += listing_actions(plan.campaign.warehouse.stock, available, listed, so_far, at)
    run = remind_pass(store.con, plan.campaign, at, env=env, address_key=address_key, base=path.parent,
                      notices=notices)
    if available is not None:
        from dachu.ops.listings import out_of_step

        listing_rows = out_of_step(store.con, at)
    section = reminders_section(event_context(Source(store.con, store.path), plan))
    figures = {f.id: (str(f.actual) if isinstance(f.actual, Decimal) else f.actual) for f in section.figures}
    sent = run.sent
    return {
        "now": at.isoformat(timespec="seconds"),
        "pass": {
            "sent": sent.sent if sent else 0,
            "failed": sent.failed if sent else 0,
            "skipped": sent.skipped if sent else 0,
            "waiting": sent.waiting if sent else 0,
        },
        "figures": figures,
        "failures": [
            {"channel": channel, "kind": kind, "reason": reason, "count": count}
            for channel, kind, reason, count in Outbox(store.con).failures()
        ],
        "listings": [list(row) for row in listing_rows],  # (channel, SKU, quantity, reason) out of step
    }


def sms_push(store: Store, *, kind: str, body: str, now: str) -> int:
    """What the SMS provider pushed, into the store; how many rows changed.

    Uplink replies (`up`: opt-outs by buyer key) or delivery reports (`report`: a sent message the operator
    could not deliver becomes failed).

    Run where the store is held (the war room's store writer process, as a job).
    """
    from dachu.ops.replies import record_sms_reports, record_sms_up

    at = dt.datetime.fromisoformat(now)
    record = record_sms_up if kind == "up" else record_sms_reports
    return int(record(store.con, body, at))
