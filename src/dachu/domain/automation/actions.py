"""What a rule asks for (动作): a message to send, with everything needed to send it exactly once.

A `SendMessage` names its recipient by key (a buyer key, or a team robot's name), never by phone or e-mail:
the operations layer looks the address up only at send time. `key` is the message's unique key in the
outbox (`<kind>:<recipient>:<day>` for a daily message), so planning the same message twice is harmless.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

MessageKind = Literal["payment_reminder", "pre_close_reminder", "notice", "logistics_notice", "team_alert", "listing"]
"""What the message is for: 催付 (first reminder), 临关单催付 (before the order closes), 活动通知 (a wave
of the calendar), 物流通知 (shipped, arrived, exception), 团队告警 (the war room's alerts to the team),
渠道库存 (set a sales channel's listed quantity: the recipient is the channel's name)."""

MessageClass = Literal["notice", "marketing"]
"""Notice class (通知类) or marketing class (营销类, anything with an offer or a coupon): marketing needs
the buyer's consent, the opt-out text and the 08:00–21:00 window."""

Channel = Literal["sms", "email", "webhook", "dingtalk", "feishu", "wecom", "file", "listing_file"]
"""How the message travels: SMS, e-mail, a signed webhook, a team-chat robot, a CSV file for 千牛's
batch 催付 (or any 催付 tool), or the listings' CSV for a manual upload (`listing_file`, not a campaign choice)."""

CHANNELS: tuple[Channel, ...] = ("sms", "email", "webhook", "dingtalk", "feishu", "wecom", "file")


@dataclass(frozen=True, slots=True)
class SendMessage:
    """One message a rule wants sent.

    `recipient`: a buyer key (or a robot name for a team alert) — never an address.
    `template`: the template's name in the campaign file; `variables` fill its `{item}`, `{amount}`, ...
    `not_before`: the first shop-time minute it may go (quiet hours already applied).
    `expires_at`: after this it must not go (the order closes); None when it never expires.
    `reason`: the catalogue key of the rule that fired (`remind.rule.first`, ...).
    `order_ids`: the orders it is about (a buyer's unpaid orders merged into one message); empty for a notice.
    """

    key: str
    kind: MessageKind
    recipient: str
    channel: Channel
    template: str
    variables: tuple[tuple[str, str], ...]
    not_before: dt.datetime
    expires_at: dt.datetime | None
    message_class: MessageClass
    reason: str
    order_ids: tuple[str, ...] = ()
