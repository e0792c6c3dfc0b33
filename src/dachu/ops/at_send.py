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
from collections.abc import Callable, Sequence
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


class StoreSendTime:
    """The send-time checks and texts of the payment reminders, from an open store."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        campaign: Campaign,
        address_key: str,
        needs_address: Callable[[str], bool] = lambda channel: True,
    ) -> None:
        self.con = con
        self.campaign = campaign
        self.settings = campaign.remind
        self.shop = campaign.campaign.name
        self.price = sms_price(campaign)
        self._key = address_key.encode()
        self._needs_address = needs_address
        self._outbox = Outbox(con)
        sms = campaign.senders.sms
        self._codes = dict(sms.templates) if sms is not None else {}

    def digest(self, address: str) -> str:
        """A keyed hash of an address: the same phone gives the same digest, and no digest gives the phone."""
        return hmac.new(self._key, address.encode(), hashlib.sha256).hexdigest()[:32]

    def prepare(self, rows: Sequence[Claimed], now: dt.datetime) -> list[Ready | Deferred | str]:
        """Each row `Ready` with its address and text, or the reason it is skipped now."""
        orders = [o for r in rows for o in r.order_ids]
        buyers = [r.recipient for r in rows]
        unpaid = recipients.still_unpaid(self.con, orders)
        paid = recipients.last_payments(self.con, buyers)
        opted = recipients.opted_out(self.con, buyers)
        by_channel: dict[str, list[str]] = {}
        for r in rows:
            by_channel.setdefault(r.channel, []).append(r.recipient)
        found = {ch: recipients.addresses(self.con, keys, ch) for ch, keys in by_channel.items()}
        digests = {r.key: self.digest(a) for r in rows if (a := found[r.channel].get(r.recipient))}
        today = self._outbox.sent_today(list(digests.values()), now.date())
        out: list[Ready | Deferred | str] = []
        for r in rows:
            address = found[r.channel].get(r.recipient)
            if address is None and self._needs_address(r.channel):
                out.append(NO_ADDRESS)
                continue
            digest = digests.get(r.key)
            still = tuple(o for o in r.order_ids if o in unpaid)
            facts = SendFacts(
                unpaid_order_ids=still,
                last_paid=paid.get(r.recipient),
                opted_out=r.recipient in opted,
                sent_today_to_phone=today.get(digest, 0) if digest else 0,
            )
            reason = check_at_send(self.settings, r.kind, r.message_class, r.expires_at, facts, now)
            if reason == WAIT:
                out.append(Deferred(reopens_at(self.settings, r.message_class, now)))
                continue
            if reason is not None:
                out.append(reason)
                continue
            if digest:  # the next message of this batch to the same phone counts this one
                today[digest] = today.get(digest, 0) + 1
            variables = {**r.variables, "orders": str(len(still)) if still else r.variables.get("orders", "")}
            text = render(self.settings, r.template, variables, self.shop)
            segments = sms_segments(text) if r.channel == "sms" else 0
            cost = segments * self.price if (self.price is not None and r.channel == "sms") else Decimal(0)
            out.append(
                Ready(
                    Outgoing(
                        key=r.key,
                        channel=r.channel,
                        address=address or "",
                        text=text,
                        template_code=self._codes.get(r.template, r.template) if r.channel == "sms" else None,
                        params=variables,
                        order_ids=still,
                    ),
                    Called(r.seq, text, segments, cost, digest, None if still == r.order_ids else still),
                )
            )
        return out

    def addresses(self, rows: Sequence[Claimed]) -> list[str | None]:
        """Each row's address now (for reconciling a message called before a crash)."""
        by_channel: dict[str, list[str]] = {}
        for r in rows:
            by_channel.setdefault(r.channel, []).append(r.recipient)
        found = {ch: recipients.addresses(self.con, keys, ch) for ch, keys in by_channel.items()}
        return [found[r.channel].get(r.recipient) for r in rows]
