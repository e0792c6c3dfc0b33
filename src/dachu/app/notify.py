"""Customer and logistics notices (活动通知, 物流通知), the facade: plan the waves, send what is due.

`plan_notices` lists each wave of the campaign's `notify:` section at `now` (when it goes, to whom, how many,
its SMS segments and cost against the SMS channel's budget) and the logistics notices due, writing nothing.
`send_notices` refuses when a due wave is over budget (`notify.over_budget`, naming the wave and the overrun);
else it plans the due waves' messages and the logistics notices into the outbox and sends what is due by
`now` through the campaign's senders, exactly once each (the CSV file when no provider is configured).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from dachu.app.workspace import Workspace
from dachu.data import segments
from dachu.data.store import Store
from dachu.data.tracking import ParcelEvent, record_events
from dachu.domain.automation.actions import SendMessage
from dachu.domain.automation.notices import WavePlan, plan_logistics, plan_waves, sms_terms
from dachu.domain.campaign.model import Campaign
from dachu.domain.campaign.notify import LOGISTICS_KINDS
from dachu.errors import InputError
from dachu.ops.dispatcher import DispatchCounts, Dispatcher
from dachu.ops.outbox import Outbox, PlanCounts
from dachu.ops.secrets import load_secrets
from dachu.ops.send_times import campaign_send_time, campaign_senders, close_senders
from dachu.ops.trackers.kuaidi100 import ANSWER_OK

TRACKER_OK = ANSWER_OK
"""The answer a tracker's push gets once recorded (快递100 sends it again until it is answered so)."""

__all__ = ["TRACKER_OK", "NotifyRun", "logistics_due", "plan_notices", "send_notices", "tracking_push"]


@dataclass(frozen=True)
class NotifyRun:
    """The waves and logistics notices at `now`; `planned`/`sent` are None for a plan (nothing written)."""

    now: dt.datetime
    waves: list[WavePlan]
    logistics: list[SendMessage]
    planned: PlanCounts | None = None
    sent: DispatchCounts | None = None

    def logistics_counts(self) -> dict[str, int]:
        """How many logistics notices are due, by kind (every kind named, 0 when none)."""
        kinds = [m.template for m in self.logistics]
        return {kind: kinds.count(kind) for kind in LOGISTICS_KINDS}

    def as_dict(self) -> dict[str, Any]:
        """The `--format json` shape (keys are never removed; see docs/notify.md)."""
        out: dict[str, Any] = {
            "now": self.now.isoformat(),
            "waves": [
                {
                    "name": w.wave.name, "day": w.wave.day, "send_at": w.send_at.isoformat(),
                    "expires_at": w.expires_at.isoformat(), "state": w.state, "segment": w.wave.segment,
                    "class": w.wave.template().effective_class, "channel": w.wave.channel,
                    "recipients": w.recipients, "sms_segments": w.segments, "cost": _money(w.cost),
                    "spent": _money(w.spent), "budget": _money(w.budget), "over_budget": w.over_budget,
                    "overrun": _money(w.overrun),
                }
                for w in self.waves
            ],
            "logistics": [
                {"key": m.key, "kind": m.key.split(":")[1], "buyer": m.recipient, "order_ids": list(m.order_ids),
                 "send_at": m.not_before.isoformat(), "channel": m.channel}
                for m in self.logistics
            ],
        }
        if self.planned is not None:
            out["planned"] = {"new": self.planned.new, "existing": self.planned.existing}
        if self.sent is not None:
            s = self.sent
            out["sent"] = {"sent": s.sent, "failed": s.failed, "skipped": s.skipped, "retried": s.retried,
                           "reconciled": s.reconciled, "waiting": s.waiting, "reasons": s.reasons}
        return out


def _money(value: object) -> str | None:
    return None if value is None else str(value)


def _store(ws: Workspace, store: Path | None) -> Path:
    path = store or ws.store_path
    if not path.is_file():
        raise InputError("automation.no_store", path=str(path))
    return path


def _decide(con: duckdb.DuckDBPyConnection, campaign: Campaign, now: dt.datetime) -> NotifyRun:
    price, budget = sms_terms(campaign.channels)
    shop = campaign.campaign.name
    waves = plan_waves(
        campaign.notify, campaign.remind, segments.wave_segments(con, campaign.campaign.event_day),
        campaign.campaign.event_day, now, shop=shop, price=price, budget=budget,
    )
    return NotifyRun(now, waves, logistics_due(con, campaign, now))


def logistics_due(con: duckdb.DuckDBPyConnection, campaign: Campaign, now: dt.datetime) -> list[SendMessage]:
    """The logistics notices due at `now` (shipped, arrived in the buyer's city, exception, delivered)."""
    since = now - dt.timedelta(hours=campaign.notify.logistics.lookback_hours)
    return plan_logistics(campaign.notify, campaign.remind, segments.shipments(con, since), now,
                          shop=campaign.campaign.name)


def tracking_push(store: Store, *, events: Sequence[ParcelEvent]) -> int:
    """A tracker's pushed events into `shipment_events`; how many were new (a re-sent track writes none).

    Run where the store is held (the war room's store writer process, as a job).
    """
    return record_events(store.con, events, "kuaidi100")


def plan_notices(ws: Workspace, now: dt.datetime, *, store: Path | None = None) -> NotifyRun:
    """Every wave and the logistics notices due at `now`, decided on the store; nothing written or sent."""
    campaign = ws.campaign()
    with Store.open(_store(ws, store)) as opened:
        return _decide(opened.con, campaign, now)


def send_notices(
    ws: Workspace, now: dt.datetime, *, store: Path | None = None, env: Mapping[str, str] = {}
) -> NotifyRun:
    """Plan the due waves and logistics notices into the outbox and send what is due by `now`.

    Refused (`InputError` `notify.over_budget`, nothing written) when a due wave takes the SMS spend past the
    SMS channel's budget. The dispatcher sends every due message of the outbox, reminders included (each
    checked by its own rules).
    """
    campaign = ws.campaign()
    with Store.open(_store(ws, store)) as opened:
        con = opened.con
        run = _decide(con, campaign, now)
        for wave in run.waves:
            problem = wave.problem()
            if wave.state == "due" and problem is not None:
                raise InputError(problem.key, **problem.params)
        keys = load_secrets(ws.root / "live" / "secrets.json", {"address_key": env.get("DACHU_ADDRESS_KEY")})
        outbox = Outbox(con)
        actions = [a for w in run.waves for a in w.actions] + run.logistics
        planned = outbox.plan(actions, now)
        senders = campaign_senders(campaign, env, ws.root, {a.channel for a in actions})
        try:
            dispatcher = Dispatcher(
                outbox, senders,
                campaign_send_time(con, campaign, keys.address_key, lambda ch: senders[ch].needs_address),
                reconcile_after=dt.timedelta(seconds=campaign.senders.reconcile_after_seconds),
            )
            sent = dispatcher.run(now)
        finally:
            close_senders(senders)
        return NotifyRun(now, run.waves, run.logistics, planned, sent)
