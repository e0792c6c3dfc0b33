"""Send-time decisions for customer and logistics notices (通知发送时判定): re-check, address, render.

`NoticeSendTime` is the `SendTime` the dispatcher asks for each claimed notice, as `StoreSendTime` is for the
reminders, and shares its address lookup, its keyed phone digest and its per-phone daily cap
(`dachu.ops.at_send.reach`): a phone's reminders and notices count against one cap. At send time it reads
whether the buyer opted out since the message was planned; the pure check
(`dachu.domain.automation.notices.check_notice_at_send`) decides; the text is the wave's or the logistics
template's as the campaign file says now, with the remind section's signature.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import duckdb

from dachu.data import recipients
from dachu.domain.automation.notices import WAIT, check_notice_at_send, notice_text, render_notice
from dachu.domain.automation.quiet import defer_one
from dachu.domain.campaign.model import Campaign
from dachu.ops.at_send import CampaignSendTime, reach, ready
from dachu.ops.dispatcher import NO_ADDRESS, Deferred, Ready
from dachu.ops.outbox import Claimed

NO_TEMPLATE = "notify.skip.no_template"
"""A planned notice whose wave or template is no longer in the campaign file."""


class NoticeSendTime(CampaignSendTime):
    """The send-time checks and texts of the notices (waves and logistics), from an open store."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        campaign: Campaign,
        address_key: str,
        needs_address: Callable[[str], bool] = lambda channel: True,
    ) -> None:
        super().__init__(con, campaign, address_key, needs_address)
        self.settings = campaign.notify

    def prepare(self, rows: Sequence[Claimed], now: dt.datetime) -> list[Ready | Deferred | str]:
        """Each row `Ready` with its address and text, `Deferred` in quiet hours, or why it is skipped."""
        opted = recipients.opted_out(self.con, [r.recipient for r in rows])
        phones = reach(self.con, self._outbox, rows, self._key, now.date())
        cap = self.remind.per_phone_daily_cap
        out: list[Ready | Deferred | str] = []
        for r in rows:
            address = phones.address(r)
            if address is None and self._needs_address(r.channel):
                out.append(NO_ADDRESS)
                continue
            text = notice_text(self.settings, r.kind, r.template)
            if text is None:
                out.append(NO_TEMPLATE)
                continue
            window = self.remind.window(r.message_class)
            reason = check_notice_at_send(
                window, r.expires_at, r.recipient in opted, phones.sent_today(r), cap, now
            )
            if reason == WAIT:
                out.append(Deferred(defer_one(now, window)))
                continue
            if reason is not None:
                out.append(reason)
                continue
            phones.count(r)
            body = render_notice(self.remind, text, r.variables, self.shop)
            out.append(ready(r, address=address, text=body, variables=r.variables, order_ids=r.order_ids,
                             digest=phones.digest(r), price=self.price, codes=self._codes))
        return out

