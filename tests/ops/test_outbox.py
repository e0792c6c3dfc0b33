"""The outbox's states and the dispatcher's decisions, on a real store, step by step.

The sender here is a recorder standing in for a provider at the seam (the real senders are tested against
their peers in tests/ops/senders, and the whole path against the loopback SMS gateway under kill -9 in
tests/ops/test_outbox_crash.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest

from dachu.data.store import Store
from dachu.domain.automation.actions import SendMessage
from dachu.ops.dispatcher import NO_SENDER, UNCONFIRMED, Deferred, Dispatcher, Ready
from dachu.ops.outbox import Called, Claimed, Outbox
from dachu.ops.senders.base import Outcome, Outgoing

T0 = dt.datetime(2026, 11, 11, 10, 0)


def message(
    buyer: str, *, at: dt.datetime = T0, orders: tuple[str, ...] = ("o1",), channel: str = "sms"
) -> SendMessage:
    return SendMessage(
        key=f"payment_reminder:{buyer}:{at.date()}",
        kind="payment_reminder",
        recipient=buyer,
        channel=channel,  # type: ignore[arg-type]
        template="first",
        variables=(("item", "野菊蜜"),),
        not_before=at,
        expires_at=None,
        message_class="notice",
        reason="remind.rule.first",
        order_ids=orders,
    )


class Recorder:
    """Answers each call as told (by key) and remembers every call it got."""

    channel = "sms"

    def __init__(self, reconcilable: bool = True) -> None:
        self.reconcilable = reconcilable
        self.calls: list[str] = []
        self.answers: dict[str, Outcome] = {}
        self.record: dict[str, Outcome] = {}  # what the "provider" knows, for reconcile

    def send(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        out = []
        for m in batch:
            self.calls.append(m.key)
            outcome = self.answers.get(m.key, Outcome(m.key, "sent", provider_id=f"biz-{m.key}"))
            if outcome.status == "sent":
                self.record[m.key] = outcome
            out.append(outcome)
        return out

    def reconcile(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        return [self.record.get(m.key, Outcome(m.key, "unknown")) for m in batch]

    def close(self) -> None:
        pass


class Plain:
    """Send-time decisions: every row goes, to a fixed test address, unless its recipient is in `skip`."""

    def __init__(self, skip: dict[str, str] | None = None) -> None:
        self.skip = skip or {}

    def prepare(self, rows: Sequence[Claimed], now: dt.datetime) -> list[Ready | Deferred | str]:
        out: list[Ready | Deferred | str] = []
        for r in rows:
            if r.recipient in self.skip:
                out.append(self.skip[r.recipient])
                continue
            text = f"【测试店】{r.variables.get('item', '')}"
            out.append(
                Ready(
                    Outgoing(r.key, r.channel, "19900000001", text),
                    Called(r.seq, text, 1, Decimal("0.05"), "d1", r.order_ids),
                )
            )
        return out

    def addresses(self, rows: Sequence[Claimed]) -> list[str | None]:
        return ["19900000001" for _ in rows]


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    store = Store.open(tmp_path / "s.duckdb")
    return Outbox(store.con)


def states(box: Outbox) -> dict[str, tuple[str, str | None, int]]:
    rows = box.con.execute("SELECT recipient, state, state_reason, attempts FROM outbox").fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_planning_twice_merges_into_the_planned_row_and_never_adds_one(outbox: Outbox) -> None:
    assert outbox.plan([message("b1"), message("b2")], T0).new == 2
    again = outbox.plan([message("b1", orders=("o1", "o7"))], T0)
    assert (again.new, again.existing) == (0, 1)
    assert outbox.con.execute("SELECT order_ids FROM outbox WHERE recipient='b1'").fetchall() == [(["o1", "o7"],)]
    Dispatcher(outbox, {"sms": Recorder()}, Plain()).run(T0)
    outbox.plan([message("b1", orders=("o9",))], T0)  # already sent: the row stays as sent
    assert outbox.con.execute("SELECT order_ids, state FROM outbox WHERE recipient='b1'").fetchall() == [
        (["o1", "o7"], "sent")
    ]


def test_only_due_messages_go_and_each_once(outbox: Outbox) -> None:
    later = T0 + dt.timedelta(hours=1)
    outbox.plan([message("b1"), message("b2", at=later)], T0)
    sender = Recorder()
    first = Dispatcher(outbox, {"sms": sender}, Plain()).run(T0)
    assert (first.sent, sender.calls) == (1, ["payment_reminder:b1:2026-11-11"])
    Dispatcher(outbox, {"sms": sender}, Plain()).run(later)
    Dispatcher(outbox, {"sms": sender}, Plain()).run(later)
    assert sender.calls == ["payment_reminder:b1:2026-11-11", "payment_reminder:b2:2026-11-11"]
    assert states(outbox) == {"b1": ("sent", None, 0), "b2": ("sent", None, 0)}


def test_send_time_skips_and_missing_senders_are_rows_with_reasons(outbox: Outbox) -> None:
    outbox.plan([message("b1"), message("b2"), message("b3", channel="email")], T0)
    counts = Dispatcher(outbox, {"sms": Recorder()}, Plain({"b2": "remind.skip.paid"})).run(T0)
    assert (counts.sent, counts.skipped, counts.failed) == (1, 1, 1)
    assert states(outbox) == {
        "b1": ("sent", None, 0),
        "b2": ("skipped", "remind.skip.paid", 0),
        "b3": ("failed", NO_SENDER, 0),
    }


def test_a_refusal_fails_and_a_retryable_failure_tries_again_then_gives_up(outbox: Outbox) -> None:
    outbox.plan([message("b1"), message("b2")], T0)
    sender = Recorder(reconcilable=False)
    sender.answers["payment_reminder:b1:2026-11-11"] = Outcome(
        "payment_reminder:b1:2026-11-11", "failed", reason="isv.MOBILE_NUMBER_ILLEGAL"
    )
    sender.answers["payment_reminder:b2:2026-11-11"] = Outcome(
        "payment_reminder:b2:2026-11-11", "failed", reason="connection refused", retryable=True
    )
    box = Dispatcher(outbox, {"sms": sender}, Plain(), max_attempts=3)
    box.run(T0)
    assert states(outbox)["b1"] == ("failed", "isv.MOBILE_NUMBER_ILLEGAL", 0)
    assert states(outbox)["b2"] == ("planned", "connection refused", 1)
    box.run(T0)  # not yet: a retry waits retry_after
    assert sender.calls.count("payment_reminder:b2:2026-11-11") == 1
    box.run(T0 + dt.timedelta(minutes=1))
    box.run(T0 + dt.timedelta(minutes=2))
    assert sender.calls.count("payment_reminder:b2:2026-11-11") == 3
    assert states(outbox)["b2"][0] == "failed" and "outbox.gave_up" in str(states(outbox)["b2"][1])


def test_a_retryable_failure_on_a_reconcilable_channel_waits_for_the_providers_record(outbox: Outbox) -> None:
    """A timeout may have landed: the message is not called again until the provider says it has no record."""
    outbox.plan([message("b1"), message("b2")], T0)
    sender = Recorder()
    for b in ("b1", "b2"):
        key = f"payment_reminder:{b}:2026-11-11"
        sender.answers[key] = Outcome(key, "failed", reason="timeout", retryable=True)
    sender.record["payment_reminder:b1:2026-11-11"] = Outcome("payment_reminder:b1:2026-11-11", "sent")  # it landed
    box = Dispatcher(outbox, {"sms": sender}, Plain(), reconcile_after=dt.timedelta(minutes=2))
    first = box.run(T0)
    assert first.waiting == 2 and states(outbox)["b1"][0] == "provider_called"
    box.run(T0 + dt.timedelta(minutes=1))  # too fresh to ask
    assert len(sender.calls) == 2
    sender.answers.clear()
    box.run(T0 + dt.timedelta(minutes=3))
    assert states(outbox)["b1"][0] == "sent"  # from the provider's record: not called again
    assert states(outbox)["b2"][0] == "sent"  # the provider had no record: called once more
    assert sender.calls.count("payment_reminder:b1:2026-11-11") == 1
    assert sender.calls.count("payment_reminder:b2:2026-11-11") == 2


def test_left_provider_called_on_a_channel_that_cannot_be_asked_fails_unconfirmed(outbox: Outbox) -> None:
    outbox.plan([message("b1")], T0)
    claimed = outbox.claim(T0, 10)
    outbox.mark_called([Called(claimed[0].seq, "x", 1, Decimal(0), None, ())], T0)
    sender = Recorder(reconcilable=False)
    counts = Dispatcher(outbox, {"sms": sender}, Plain()).run(T0 + dt.timedelta(hours=1))
    assert sender.calls == [] and counts.failed == 1
    assert states(outbox)["b1"] == ("failed", UNCONFIRMED, 0)


def test_a_claim_left_by_a_crash_goes_back_to_planned(outbox: Outbox) -> None:
    outbox.plan([message("b1")], T0)
    assert len(outbox.claim(T0, 10)) == 1
    sender = Recorder()
    counts = Dispatcher(outbox, {"sms": sender}, Plain()).run(T0)
    assert (counts.released, counts.sent, sender.calls) == (1, 1, ["payment_reminder:b1:2026-11-11"])


def test_sent_order_ids_are_written_only_when_some_planned_order_was_paid(outbox: Outbox) -> None:
    outbox.plan([message("b1", orders=("o1", "o2")), message("b2", orders=("o3",))], T0)
    rows = {r.recipient: r for r in outbox.claim(T0, 10)}
    outbox.mark_called(
        [
            Called(rows["b1"].seq, "x", 1, Decimal(0), None, ("o2",)),  # o1 was paid since it was planned
            Called(rows["b2"].seq, "y", 1, Decimal(0), None, None),  # all still unpaid
        ],
        T0,
    )
    got = outbox.con.execute(
        "SELECT recipient, sent_order_ids, coalesce(sent_order_ids, order_ids) FROM outbox ORDER BY 1"
    ).fetchall()
    assert got == [("b1", ["o2"], ["o2"]), ("b2", None, ["o3"])]
