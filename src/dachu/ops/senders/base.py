"""The one seam every sender stands behind (发送接口), and what a send comes back with.

The outbox (`dachu.ops.outbox`) hands a sender a batch of `Outgoing` messages it has already marked
`provider_called` on disk; the sender makes **one provider call per message** (concurrently inside the
batch if it can) and returns one `Outcome` per message, in the same order. A sender never retries on its
own: a retry is the outbox's decision, made from the outcome.

After a crash, messages left `provider_called` are handed to `reconcile`: a sender whose provider can be
asked (`reconcilable`: an SMS gateway's delivery report or query, a file we wrote) answers from the
provider's record — `sent`/`failed` if it has one, `unknown` if it surely has none, so the outbox may call
again. A sender that cannot be asked (SMTP, robots) is never called twice for one key: the outbox marks
the message failed with reason `unconfirmed`, shown in the war room.

`address` is the phone, e-mail or robot URL looked up at send time; it lives only in memory and must
never reach a log, an exception message, an outcome or a file in clear (mask it: 138****1234).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

Status = Literal["sent", "failed", "unknown"]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message ready to go.

    `key`: the outbox's unique message key; passed to the provider where it takes one (SMS `OutId`,
    e-mail `Message-ID`, webhook `X-Dachu-Message-Key`), so a delivery report or query can be matched to it.
    `text`: the full text as the recipient reads it (signature and opt-out text included).
    `template_code`, `params`: the provider's template and its parameters (SMS providers send only
    registered templates); None/empty for channels that send free text.
    """

    key: str
    channel: str
    address: str
    text: str
    subject: str | None = None
    template_code: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    called_at: dt.datetime | None = None  # when it was marked provider_called (for reconcile: the send date)
    order_ids: tuple[str, ...] = ()  # the orders it is about (the file sender lists them for 千牛's batch 催付)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the provider said about one message.

    `status`: `sent` (accepted or delivered), `failed` (refused; `reason` says why, `retryable` whether
    a later try may succeed: a timeout or a 5xx, not a bad number), `unknown` (reconcile only: the provider
    has no record of the key, so the call never landed).
    `provider_id`: the provider's id (SMS BizId, SMTP queue id), for support tickets.
    `reason`: the provider's code and message, never the address.
    """

    key: str
    status: Status
    provider_id: str | None = None
    reason: str | None = None
    retryable: bool = False


class Sender(Protocol):
    """A channel's sender. Thread-compatible: one outbox dispatcher uses it at a time."""

    channel: str
    reconcilable: bool
    needs_address: bool
    """Whether a message can go only with the buyer's phone or e-mail (SMS, e-mail). The file for 千牛 and a
    webhook carry the order ids and the buyer key; a robot's address is its own configured URL."""

    def send(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """Call the provider once per message; one outcome per message, in order.

        Never raises for a provider's refusal or a network error (those are `failed` outcomes).
        """
        ...

    def reconcile(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """Ask the provider what became of messages called before a crash; `unknown` where it has no record.

        Only called when `reconcilable`.
        """
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...
