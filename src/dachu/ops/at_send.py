"""Send-time decisions (发送时判定) over the store: re-check, look the address up, render the text.

`StoreSendTime` is the `SendTime` the dispatcher asks for each claimed message. At send time — not at
scan time — it reads what may have changed since the message was planned: which of its orders are still
unpaid, the buyer's latest payment and opt-out, how many messages the phone got today. The pure rules
(`dachu.domain.automation.remind.check_at_send`) decide on those facts; the address is read from `contacts`
only here and lives in memory for this one send; the outbox keeps a keyed hash of it (`phone_digest`) for
the per-phone daily cap, never the address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from dachu.data import recipients
from dachu.domain.automation.remind import WAIT, SendFacts, check_at_send, reopens_at
from dachu.domain.campaign.model import Campaign
from dachu.domain.campaign.remind import render, sms_segments
from dachu.ops.dispatcher import NO_ADDRESS, Deferred, Ready
from dachu.ops.outbox import Called, Claimed, Outbox
from dachu.ops.senders.base import Outgoing


def sms_price(campaign: Campaign) -> Decimal | None:
    """The price of one SMS: the plan's first SMS channel's `cost_per_message` (None when it has none)."""
    for channel in campaign.channels:
        if channel.kind == "sms":
            price = getattr(channel, "cost_per_message", None)
            return Decimal(price) if price is not None else None
    return None


def address_digest(key: bytes, address: str) -> str:
    """A keyed hash of an address: the same phone gives the same digest, and no digest gives the phone."""
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]


def _found(con: duckdb.DuckDBPyConnection, rows: Sequence[Claimed]) -> dict[str, dict[str, str]]:
    by_channel: dict[str, list[str]] = {}
    for r in rows:
        by_channel.setdefault(r.channel, []).append(r.recipient)
    return {ch: recipients.addresses(con, keys, ch) for ch, keys in by_channel.items()}


def addresses_of(con: duckdb.DuckDBPyConnection, rows: Sequence[Claimed]) -> list[str | None]:
    """Each row's address now (for reconciling a message called before a crash)."""
    found = _found(con, rows)
    return [found[r.channel].get(r.recipient) for r in rows]


@dataclass
class Reach:
    """A claimed batch's addresses and how many messages each phone got today.

    The addresses are read from `contacts` now and held in memory for this send only; the counts are the
    per-phone daily cap's, shared by every kind of message (reminders and notices alike).
    """

    found: dict[str, dict[str, str]]
    digests: dict[str, str]  # message key → the keyed hash of its address
    today: dict[str, int]  # digest → messages called or sent today

    def address(self, r: Claimed) -> str | None:
        """The row's address, or None when the buyer has none for its channel."""
        return self.found[r.channel].get(r.recipient)

    def digest(self, r: Claimed) -> str | None:
        """The keyed hash of the row's address, or None."""
        return self.digests.get(r.key)

    def sent_today(self, r: Claimed) -> int:
        """Messages the row's phone got today (0 without an address)."""
        digest = self.digests.get(r.key)
        return self.today.get(digest, 0) if digest else 0

    def count(self, r: Claimed) -> None:
        """Count the row as sent: the next message of the batch to the same phone sees it."""
        digest = self.digests.get(r.key)
        if digest:
            self.today[digest] = self.today.get(digest, 0) + 1


def reach(
    con: duckdb.DuckDBPyConnection, outbox: Outbox, rows: Sequence[Claimed], key: bytes, day: dt.date
) -> Reach:
    """The batch's addresses, their digests and the phones' counts on `day`."""
    found = _found(con, rows)
    digests = {r.key: address_digest(key, a) for r in rows if (a := found[r.channel].get(r.recipient))}
    return Reach(found, digests, outbox.sent_today(list(digests.values()), day))


def ready(
    r: Claimed,
    *,
    address: str | None,
    text: str,
    variables: Mapping[str, str],
    order_ids: tuple[str, ...],
    digest: str | None,
    price: Decimal | None,
    codes: Mapping[str, str],
) -> Ready:
    """A row cleared to go: what the sender gets, and what is written (text, segments, cost) before the call."""
    segments = sms_segments(text) if r.channel == "sms" else 0
    cost = segments * price if (price is not None and r.channel == "sms") else Decimal(0)
    return Ready(
        Outgoing(
            key=r.key,
            channel=r.channel,
            address=address or "",
            text=text,
            template_code=codes.get(r.template, r.template) if r.channel == "sms" else None,
            params=dict(variables),
            order_ids=order_ids,
        ),
        Called(r.seq, text, segments, cost, digest, None if order_ids == r.order_ids else order_ids),
    )


class CampaignSendTime:
    """What every kind's send-time check shares, and the address lookup for reconciling.

    The store, the shop, the SMS price and template codes, the address key, which channels need an address.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        campaign: Campaign,
        address_key: str,
        needs_address: Callable[[str], bool] = lambda channel: True,
    ) -> None:
        self.con = con
        self.campaign = campaign
        self.remind = campaign.remind  # quiet hours, signature, opt-out text and the per-phone cap
        self.shop = campaign.campaign.name
        self.price = sms_price(campaign)
        self._key = address_key.encode()
        self._needs_address = needs_address
        self._outbox = Outbox(con)
        sms = campaign.senders.sms
        self._codes = dict(sms.templates) if sms is not None else {}

    def addresses(self, rows: Sequence[Claimed]) -> list[str | None]:
        """Each row's address now (for reconciling a message called before a crash)."""
        return addresses_of(self.con, rows)


class StoreSendTime(CampaignSendTime):
    """The send-time checks and texts of the payment reminders, from an open store."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        campaign: Campaign,
        address_key: str,
        needs_address: Callable[[str], bool] = lambda channel: True,
    ) -> None:
        super().__init__(con, campaign, address_key, needs_address)
        self.settings = campaign.remind

    def digest(self, address: str) -> str:
        """A keyed hash of an address: the same phone gives the same digest, and no digest gives the phone."""
        return address_digest(self._key, address)

    def prepare(self, rows: Sequence[Claimed], now: dt.datetime) -> list[Ready | Deferred | str]:
        """Each payment reminder `Ready` with its address and text, or the reason it is skipped now."""
        orders = [o for r in rows for o in r.order_ids]
        buyers = [r.recipient for r in rows]
        unpaid = recipients.still_unpaid(self.con, orders)
        paid = recipients.last_payments(self.con, buyers)
        opted = recipients.opted_out(self.con, buyers)
        phones = reach(self.con, self._outbox, rows, self._key, now.date())
        out: list[Ready | Deferred | str] = []
        for r in rows:
            address = phones.address(r)
            if address is None and self._needs_address(r.channel):
                out.append(NO_ADDRESS)
                continue
            still = tuple(o for o in r.order_ids if o in unpaid)
            facts = SendFacts(
                unpaid_order_ids=still,
                last_paid=paid.get(r.recipient),
                opted_out=r.recipient in opted,
                sent_today_to_phone=phones.sent_today(r),
            )
            reason = check_at_send(self.settings, r.kind, r.message_class, r.expires_at, facts, now)
            if reason == WAIT:
                out.append(Deferred(reopens_at(self.settings, r.message_class, now)))
                continue
            if reason is not None:
                out.append(reason)
                continue
            phones.count(r)  # the next message of this batch to the same phone counts this one
            variables = {**r.variables, "orders": str(len(still)) if still else r.variables.get("orders", "")}
            text = render(self.settings, r.template, variables, self.shop)
            out.append(ready(r, address=address, text=text, variables=variables, order_ids=still,
                             digest=phones.digest(r), price=self.price, codes=self._codes))
        return out

