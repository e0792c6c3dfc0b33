"""Customer notices (活动通知) and logistics notices (物流通知): who gets which message, when, at what cost.

Waves (`plan_waves`): each wave of the `notify:` section goes on event day + `day` at `at`, moved out of quiet
hours (a marketing wave due at 00:00 goes at the marketing window's start, 08:00), to the buyers of its
segment, one message per buyer per wave (key `notice:<wave>:<buyer>`). A wave is due from its send time to
the end of that day's window (its messages expire then: a wake-up call a day late is noise). Its cost is
recipients × the text's SMS segments × the plan's SMS price, added up wave after wave against the SMS
channel's budget: a wave that takes the total past the budget is over budget (`notify.over_budget`).

Logistics (`plan_logistics`): a notice when a parcel is shipped, reaches the buyer's city, hits an exception
(物流异常) or is delivered — each within `lookback_hours` before now, and only while no later event says more
(a shipped notice is not sent once the parcel is in the buyer's city) — keys `logistics_notice:<kind>:<order>`,
notice class, in the notice window. The city and the exception come from the parcel's tracking events
(`dachu.domain.automation.tracking`).

Pure: the segments' buyers and the shipments come in; the store is read by `dachu.data.segments`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from dachu.domain.automation.actions import SendMessage
from dachu.domain.automation.quiet import defer_one
from dachu.domain.campaign.channels import Channel as PlanChannel
from dachu.domain.campaign.notify import LOGISTICS_KINDS, NotifySettings, Wave
from dachu.domain.campaign.remind import RemindSettings, Window, sms_segments
from dachu.errors import Problem

WAVE_RULE = "notify.rule.wave"
LOGISTICS_RULES = {kind: f"notify.rule.{kind}" for kind in LOGISTICS_KINDS}

WAIT = "notify.send.quiet"
"""`check_notice_at_send`'s answer for a message that must wait for its window (not a skip)."""


def day_text(day: dt.date) -> str:
    """How `{event_day}` reads: `11月11日`."""
    return f"{day.month}月{day.day}日"


def sms_terms(channels: Sequence[PlanChannel]) -> tuple[Decimal | None, Decimal | None]:
    """The plan's SMS price and budget: the first SMS channel's `cost_per_message` and `budget` (None if none)."""
    for channel in channels:
        if channel.kind == "sms":
            price = getattr(channel, "cost_per_message", None)
            return (Decimal(price) if price is not None else None), channel.budget
    return None, None


def wave_variables(wave: Wave, event_day: dt.date, shop: str, opt_out: str) -> tuple[tuple[str, str], ...]:
    """The variables of a wave's message (the same for every buyer)."""
    return (("shop", shop), ("event_day", day_text(event_day)), ("offer", wave.offer), ("opt_out", opt_out))


def render_notice(remind: RemindSettings, text: str, variables: Mapping[str, str], shop: str) -> str:
    """The message as the buyer reads it: the signature, then the text with its variables filled."""
    return remind.signature_for(shop) + text.format_map(_Blank(variables))


class _Blank(dict[str, str]):
    """Variables for `format_map`: an unknown name reads as nothing (the checks refuse them at read time)."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class WavePlan:
    """One wave as planned at `now`.

    `send_at`: when it goes (quiet hours applied); `expires_at`: the end of that day's window.
    `state`: `later` (not yet due), `due` (from send_at to expires_at), `past` (expired: not sent).
    `segments`: SMS segments of one message (0 off SMS); `cost`: recipients × segments × price (None without a
    price); `spent`: the waves' costs up to this one; `overrun`: how far `spent` passes the budget (0 if not).
    """

    wave: Wave
    send_at: dt.datetime
    expires_at: dt.datetime
    state: str
    recipients: int
    text: str
    segments: int
    cost: Decimal | None
    spent: Decimal | None
    budget: Decimal | None
    overrun: Decimal
    actions: tuple[SendMessage, ...]

    @property
    def over_budget(self) -> bool:
        """Whether this wave takes the SMS spend past the channel's budget."""
        return self.overrun > 0

    def problem(self) -> Problem | None:
        """`notify.over_budget` naming the wave and the overrun, or None."""
        if not self.over_budget:
            return None
        return Problem("notify.over_budget", params={
            "wave": self.wave.name, "cost": self.cost, "spent": self.spent, "budget": self.budget,
            "overrun": self.overrun,
        })


def wave_window(remind: RemindSettings, wave: Wave) -> Window:
    """The window a wave's class sends in (the remind section's windows)."""
    return remind.window(wave.template().effective_class)


def plan_waves(
    settings: NotifySettings,
    remind: RemindSettings,
    recipients: Mapping[str, Sequence[str]],
    event_day: dt.date,
    now: dt.datetime,
    *,
    shop: str,
    price: Decimal | None = None,
    budget: Decimal | None = None,
) -> list[WavePlan]:
    """Every enabled wave at `now`, in send order, with its messages when due (none when later or past).

    `recipients`: buyer keys per segment name (opted-out buyers already left out). Deterministic: the same
    inputs give the same keys, so planning again is harmless (the outbox dedups by key).
    """
    midnight = dt.datetime.combine(event_day, dt.time())
    waves = sorted(
        (w for w in settings.waves if w.enabled and settings.enabled),
        key=lambda w: (w.day, w.at, w.name),
    )
    out: list[WavePlan] = []
    spent: Decimal | None = Decimal(0) if price is not None else None
    for wave in waves:
        window = wave_window(remind, wave)
        due = midnight + dt.timedelta(days=wave.day, hours=wave.at.hour, minutes=wave.at.minute)
        send_at = defer_one(due, window)
        expires_at = dt.datetime.combine(send_at.date(), dt.time()) + dt.timedelta(minutes=window.end)
        state = "later" if now < send_at else ("due" if now < expires_at else "past")
        buyers = sorted(set(recipients.get(wave.segment, ())))
        variables = wave_variables(wave, event_day, shop, remind.opt_out_text)
        text = render_notice(remind, wave.text, dict(variables), shop)
        segments = sms_segments(text) if wave.channel == "sms" else 0
        cost = len(buyers) * segments * price if price is not None else None
        spent = spent + cost if spent is not None and cost is not None else spent
        overrun = max(Decimal(0), spent - budget) if spent is not None and budget is not None else Decimal(0)
        actions = tuple(
            SendMessage(
                key=f"notice:{wave.name}:{buyer}",
                kind="notice",
                recipient=buyer,
                channel=wave.channel,
                template=wave.name,
                variables=variables,
                not_before=send_at,
                expires_at=expires_at,
                message_class=wave.template().effective_class,
                reason=WAVE_RULE,
            )
            for buyer in buyers
        ) if state == "due" else ()
        out.append(WavePlan(wave, send_at, expires_at, state, len(buyers), text, segments, cost, spent, budget,
                            overrun, actions))
    return out


@dataclass(frozen=True)
class Shipment:
    """A shipped order as the logistics rules read it: `shipments`, its order's buyer key and city, its track.

    `arrived_at`, `exception_at` and `problem` come from the parcel's tracking events
    (`dachu.domain.automation.tracking.milestones`); `delivered_at` is the earlier of the shipment's 签收时间
    and the track's first delivery. `city` is the order's shipping city ("" when unknown).
    """

    order_id: str
    buyer: str
    carrier: str
    tracking: str
    shipped_at: dt.datetime | None
    delivered_at: dt.datetime | None
    city: str = ""
    arrived_at: dt.datetime | None = None
    exception_at: dt.datetime | None = None
    problem: str = ""

    def at(self, kind: str) -> dt.datetime | None:
        """When the event of a logistics kind happened (None: not yet, or not known)."""
        return {
            "shipped": self.shipped_at, "arrived_city": self.arrived_at, "exception": self.exception_at,
            "delivered": self.delivered_at,
        }[kind]


_SAYS_MORE: dict[str, tuple[str, ...]] = {
    "shipped": ("arrived_city", "delivered"),
    "arrived_city": ("delivered",),
    "exception": ("delivered",),
    "delivered": (),
}
"""A notice not sent once a later event has happened: the later notice says more (a parcel delivered has no
exception left to apologise for)."""


def plan_logistics(
    settings: NotifySettings, remind: RemindSettings, shipments: Sequence[Shipment], now: dt.datetime, *, shop: str
) -> list[SendMessage]:
    """The logistics notices due by `now` (quiet hours applied), one per order and kind, ever.

    Each kind's event (shipped, arrived in the buyer's city, exception, delivered) must have happened within
    `lookback_hours` before `now`, and no later event (`_SAYS_MORE`) by `now`. A shipment without a buyer key
    gets none. Each expires `lookback_hours` after its event.
    """
    log = settings.logistics
    if not (settings.enabled and log.enabled):
        return []
    lookback = dt.timedelta(hours=log.lookback_hours)
    out: list[SendMessage] = []
    for s in shipments:
        if not s.buyer:
            continue
        for kind in LOGISTICS_KINDS:
            at = s.at(kind)
            if at is None or not now - lookback <= at <= now:
                continue
            if any((later := s.at(k)) is not None and later <= now for k in _SAYS_MORE[kind]):
                continue
            template = log.template(kind)
            out.append(
                SendMessage(
                    key=f"logistics_notice:{kind}:{s.order_id}",
                    kind="logistics_notice",
                    recipient=s.buyer,
                    channel=log.channel,
                    template=kind,
                    variables=(("shop", shop), ("order", s.order_id), ("carrier", s.carrier),
                               ("tracking", s.tracking), ("city", s.city), ("problem", s.problem)),
                    not_before=defer_one(at, remind.window(template.effective_class)),
                    expires_at=at + lookback,
                    message_class=template.effective_class,
                    reason=LOGISTICS_RULES[kind],
                    order_ids=(s.order_id,),
                )
            )
    return out


def notice_text(settings: NotifySettings, kind: str, template: str) -> str | None:
    """A planned notice's text before rendering: the wave's, or the logistics template's (None if gone)."""
    if kind == "notice":
        wave = settings.wave(template)
        return wave.text if wave is not None else None
    if template in LOGISTICS_KINDS:
        return settings.logistics.template(template).text
    return None


def check_notice_at_send(
    window: Window,
    expires_at: dt.datetime | None,
    opted_out: bool,
    sent_today_to_phone: int,
    cap: int,
    now: dt.datetime,
) -> str | None:
    """Whether a planned notice may go at `now`: None to send, `WAIT` (quiet hours), else the skip's key.

    Skips: `notify.skip.expired` (at or past `expires_at`), `notify.skip.opted_out` (opted out since it was
    planned), `notify.skip.phone_cap` (the phone had `cap` messages today, reminders included).
    """
    if expires_at is not None and now >= expires_at:
        return "notify.skip.expired"
    if opted_out:
        return "notify.skip.opted_out"
    if defer_one(now, window) != now:
        return WAIT
    if sent_today_to_phone >= cap:
        return "notify.skip.phone_cap"
    return None
