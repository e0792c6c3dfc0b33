"""The reminder run as JSON (`dachu remind --format json`): a documented contract scripts rely on.

    {"now": "2026-11-11T10:30:00",
     "actions": [{"kind": "payment_reminder" | "pre_close_reminder", "buyer": <buyer key>,
                  "order_ids": [...], "send_at": <shop time>, "channel": "sms", "template": "first",
                  "class": "notice" | "marketing", "reason": <catalogue key of the rule>}],
     "skipped": [{"order_id": ..., "reason": <catalogue key>}]}

`actions` are every message the rules plan at `now` (due now and deferred), earliest first; `skipped` the
orders no rule reminds, with the first reason that stopped them. Without `--dry-run` the keys `planned`
(new rows in the outbox, rows merged) and `sent` (what the dispatcher did: sent, failed, skipped, waiting,
and the reasons) follow. Times are shop wall-clock ISO 8601 without zone. No key is ever removed; new keys
may be added.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dachu.domain.automation.actions import SendMessage


def action_dict(m: SendMessage) -> dict[str, Any]:
    """One planned message in the contract's shape."""
    return {
        "kind": m.kind,
        "buyer": m.recipient,
        "order_ids": list(m.order_ids),
        "send_at": m.not_before.isoformat(),
        "channel": m.channel,
        "template": m.template,
        "class": m.message_class,
        "reason": m.reason,
    }


def remind_dict(
    now: str,
    actions: Iterable[SendMessage],
    skipped: Sequence[tuple[str, str]],
    *,
    planned: Mapping[str, int] | None = None,
    sent: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole run: the contract's `now`, `actions`, `skipped`, then `planned`/`sent` when not a dry run."""
    out: dict[str, Any] = {
        "now": now,
        "actions": [action_dict(m) for m in sorted(actions, key=lambda m: (m.not_before, m.key))],
        "skipped": [{"order_id": o, "reason": r} for o, r in skipped],
    }
    if planned is not None:
        out["planned"] = dict(planned)
    if sent is not None:
        out["sent"] = dict(sent)
    return out
