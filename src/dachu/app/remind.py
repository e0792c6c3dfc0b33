"""Payment reminders (催付), the facade: plan from the store, put in the outbox, send what is due.

`run_reminders` is one pass of `dachu remind`: the unpaid orders and their buyers' facts are read from the
store, the rules (`dachu.domain.automation.remind`) decide — every message due now or deferred by the quiet
hours, every order no rule reminds and why — and, unless it is a dry run, the messages go into the outbox
and the dispatcher sends those due by `now` through the campaign's senders, exactly once each (a channel
with no provider in `senders:` writes the CSV file for 千牛's batch 催付 instead).
`explain_order` says for one order which rule fired, which filter stopped it and when it will send.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dachu.app.workspace import Workspace
from dachu.data import recipients
from dachu.data.store import Store
from dachu.domain.automation.actions import SendMessage
from dachu.domain.automation.remind import Explanation, explain, plan_reminders
from dachu.domain.automation.remind_inputs import BuyerFacts, ItemBook, UnpaidOrders
from dachu.domain.campaign.model import Campaign
from dachu.errors import InputError
from dachu.ops.at_send import StoreSendTime
from dachu.ops.dispatcher import DispatchCounts, Dispatcher
from dachu.ops.outbox import Outbox, PlanCounts
from dachu.ops.secrets import load_secrets
from dachu.ops.senders.config import build_senders

__all__ = ["RemindRun", "explain_order", "run_reminders"]


@dataclass(frozen=True)
class RemindRun:
    """What one pass decided and did. `planned`/`sent` are None on a dry run (nothing written, nothing sent)."""

    now: dt.datetime
    actions: list[SendMessage]
    skipped: list[tuple[str, str]]
    planned: PlanCounts | None
    sent: DispatchCounts | None
    decide_seconds: float = 0.0
    """Reading the store and running the rules."""
    dispatch_seconds: float = 0.0
    """Planning into the outbox is not included: recovery, claims, send-time checks, provider calls, records."""


def _inputs(store: Store) -> tuple[UnpaidOrders, BuyerFacts]:
    return recipients.unpaid_columns(store.con)


def _store(ws: Workspace, store: Path | None) -> Path:
    path = store or ws.store_path
    if not path.is_file():
        raise InputError("automation.no_store", path=str(path))
    return path


def _decide(campaign: Campaign, store: Store, now: dt.datetime):  # type: ignore[no-untyped-def]
    orders, facts = _inputs(store)
    return plan_reminders(campaign.remind, orders, facts, now, book=ItemBook.of(campaign), shop=campaign.campaign.name)


def run_reminders(
    ws: Workspace, now: dt.datetime, *, store: Path | None = None, dry_run: bool = False, env: Mapping[str, str] = {}
) -> RemindRun:
    """One pass: decide; unless `dry_run`, plan into the outbox and send what is due by `now`."""
    campaign = ws.campaign()
    path = _store(ws, store)
    with Store.open(path) as opened:
        began = time.perf_counter()
        decisions = _decide(campaign, opened, now)
        actions = list(decisions.actions())
        skipped = list(decisions.skipped())
        decided = time.perf_counter() - began
        if dry_run:
            return RemindRun(now, actions, skipped, None, None, decided)
        outbox = Outbox(opened.con)
        planned = outbox.plan(actions, now)
        keys = load_secrets(ws.root / "live" / "secrets.json", {"address_key": env.get("DACHU_ADDRESS_KEY")})
        senders = build_senders(campaign.senders, env, base=ws.root)
        # the embedded default: a channel with no provider configured goes to the CSV for 千牛's batch 催付
        senders.setdefault(campaign.remind.channel, senders["file"])
        try:
            settings = campaign.senders
            dispatcher = Dispatcher(
                outbox,
                senders,
                StoreSendTime(opened.con, campaign, keys.address_key, lambda ch: senders[ch].needs_address),
                reconcile_after=dt.timedelta(seconds=settings.reconcile_after_seconds),
            )
            began = time.perf_counter()
            sent = dispatcher.run(now)
            dispatched = time.perf_counter() - began
        finally:
            for sender in {id(s): s for s in senders.values()}.values():
                sender.close()
        return RemindRun(now, actions, skipped, planned, sent, decided, dispatched)


def explain_order(ws: Workspace, now: dt.datetime, order_id: str, *, store: Path | None = None) -> Explanation:
    """Why `order_id` is or is not reminded at `now`, step by step."""
    campaign = ws.campaign()
    with Store.open(_store(ws, store)) as opened:
        orders, facts = _inputs(opened)
        if order_id not in set(orders.order_ids):
            raise InputError("automation.not_unpaid", order_id=order_id)
        return explain(
            campaign.remind, orders, facts, now, order_id, book=ItemBook.of(campaign), shop=campaign.campaign.name
        )
