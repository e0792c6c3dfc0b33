"""The campaign's send-time decisions and senders, composed once for every face that dispatches.

The outbox holds every kind of message and a dispatcher claims whatever is due; `ByKind` hands each
claimed row to the send-time check of its kind — the payment reminders' (`StoreSendTime`: still unpaid,
paid since yesterday, opted out, cap, quiet hours), the notices' (`NoticeSendTime`) or the channel
listings' (`ListingSendTime`, to `out/listings.csv` or the webhook) — and keeps the batch's order.
`campaign_send_time` and `campaign_senders` are what `dachu remind`, `dachu notify` and the war room
dispatch with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import duckdb

from dachu.domain.automation.remind_inputs import KINDS as REMINDER_KINDS
from dachu.domain.campaign.model import Campaign
from dachu.ops.at_send import StoreSendTime, addresses_of
from dachu.ops.dispatcher import Deferred, Ready, SendTime
from dachu.ops.listings import ListingSendTime
from dachu.ops.notice_send_time import NoticeSendTime
from dachu.ops.outbox import Claimed
from dachu.ops.senders.base import Sender
from dachu.ops.senders.config import build_senders
from dachu.ops.senders.file import FileSender

NOTICE_KINDS = ("notice", "logistics_notice")


class ByKind:
    """A `SendTime` that asks, for each row, the check of the row's kind (in the batch's order)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, checks: Mapping[str, SendTime]) -> None:
        self.con = con
        self.checks = checks

    def prepare(self, rows: Sequence[Claimed], now: dt.datetime) -> list[Ready | Deferred | str]:
        """Each row's decision by its kind's check; a kind no check knows is skipped with that reason."""
        by_kind: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            by_kind.setdefault(r.kind, []).append(i)
        out: list[Ready | Deferred | str] = ["outbox.unknown_kind"] * len(rows)
        for kind, places in by_kind.items():
            check = self.checks.get(kind)
            if check is None:
                continue
            for i, decided in zip(places, check.prepare([rows[i] for i in places], now), strict=True):
                out[i] = decided
        return out

    def addresses(self, rows: Sequence[Claimed]) -> list[str | None]:
        """Each row's address now (the same lookup for every kind)."""
        return addresses_of(self.con, rows)


def campaign_send_time(
    con: duckdb.DuckDBPyConnection, campaign: Campaign, address_key: str, needs_address: Callable[[str], bool]
) -> ByKind:
    """The send-time checks of every kind of message the campaign sends."""
    reminders = StoreSendTime(con, campaign, address_key, needs_address)
    notices = NoticeSendTime(con, campaign, address_key, needs_address)
    return ByKind(con, {**dict.fromkeys(REMINDER_KINDS, reminders), **dict.fromkeys(NOTICE_KINDS, notices),
                        "listing": ListingSendTime(campaign.senders.file.lang)})


def campaign_senders(
    campaign: Campaign, env: Mapping[str, str], base: Path, channels: Iterable[str] = ()
) -> dict[str, Sender]:
    """The campaign's senders by channel.

    A channel of `channels` (and the reminders') with no provider configured goes to the CSV for 千牛: the
    embedded default.
    """
    senders = build_senders(campaign.senders, env, base=base)
    for channel in {*channels, campaign.remind.channel}:
        senders.setdefault(channel, senders["file"])
    senders["listing_file"] = FileSender(base / "out" / "listings.csv", lang=campaign.senders.file.lang)
    return senders


def close_senders(senders: Mapping[str, Sender]) -> None:
    """Close each sender once (one may serve several channels)."""
    for sender in {id(s): s for s in senders.values()}.values():
        sender.close()
