"""One payment-reminder pass over an open store (催付一轮): decide, plan into the outbox, send what is due.

The one place the pass is composed — for `dachu remind` (through `dachu.app.remind`) and for the war room,
where the store writer's process runs it on the store it holds. The unpaid orders and their buyers' facts
are read from the store, the rules (`dachu.domain.automation.remind`) decide every message (due now or
deferred by the quiet hours) and every order no rule reminds; unless it is a dry run the messages go into
the outbox and the dispatcher sends those due by `now` through the campaign's senders, exactly once each. A
channel with no provider in `senders:` writes the CSV for 千牛's batch 催付 instead.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dachu.data import recipients
from dachu.domain.automation.actions import SendMessage
from dachu.domain.automation.remind import Decisions, plan_reminders
from dachu.domain.automation.remind_inputs import ItemBook
from dachu.domain.campaign.model import Campaign
from dachu.ops.dispatcher import DispatchCounts, Dispatcher
from dachu.ops.outbox import Outbox, PlanCounts
from dachu.ops.send_times import campaign_send_time, campaign_senders, close_senders


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


def decide(con: duckdb.DuckDBPyConnection, campaign: Campaign, now: dt.datetime) -> Decisions:
    """The rules' decisions at `now` on the store's unpaid orders."""
    orders, facts = recipients.unpaid_columns(con)
    return plan_reminders(campaign.remind, orders, facts, now, book=ItemBook.of(campaign), shop=campaign.campaign.name)


def remind_pass(
    con: duckdb.DuckDBPyConnection,
    campaign: Campaign,
    now: dt.datetime,
    *,
    env: Mapping[str, str],
    address_key: str,
    base: Path,
    dry_run: bool = False,
    notices: Sequence[SendMessage] = (),
) -> RemindRun:
    """One pass at `now`; `base` is the campaign's folder (where the CSV file's relative path starts).

    `notices`: other messages due (the war room's logistics notices), planned into the outbox with the
    reminders and sent by the same dispatcher, each checked by its own rules at send time.
    """
    began = time.perf_counter()
    decisions = decide(con, campaign, now)
    actions = list(decisions.actions())
    skipped = list(decisions.skipped())
    decided = time.perf_counter() - began
    if dry_run:
        return RemindRun(now, actions, skipped, None, None, decided)
    outbox = Outbox(con)
    planned = outbox.plan([*actions, *notices], now)
    senders = campaign_senders(campaign, env, base, {n.channel for n in notices})
    try:
        dispatcher = Dispatcher(
            outbox,
            senders,
            campaign_send_time(con, campaign, address_key, lambda ch: senders[ch].needs_address),
            reconcile_after=dt.timedelta(seconds=campaign.senders.reconcile_after_seconds),
        )
        began = time.perf_counter()
        sent = dispatcher.run(now)
        dispatched = time.perf_counter() - began
    finally:
        close_senders(senders)
    return RemindRun(now, actions, skipped, planned, sent, decided, dispatched)
