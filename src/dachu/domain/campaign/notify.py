"""The campaign file's optional `notify:` section: customer notices (活动通知) and logistics notices (物流通知).

Every key is optional; a campaign without the section gets the default waves below (`Campaign.notify` is
never None). The rules are `dachu.domain.automation.notices`. The send windows, the signature, the opt-out
text and the per-phone daily cap are the `remind:` section's: one set of rules for every message to a buyer.

    notify:
      enabled: true
      waves:                               # the calendar's waves (seed 002, docs/domain.md §6)
        - {name: wake_up, day: -8, at: "12:00", segment: past_buyers,
           text: "{shop}双11狂欢{event_day}开启，老朋友专享券已放入账户。{opt_out}"}
        - {name: start, day: 0, at: "00:00", segment: past_buyers, text: "..."}   # 00:00 is quiet: 08:00
        - {name: care, day: 15, at: "10:00", segment: event_new_buyers, text: "...", class: notice}
      logistics:
        enabled: true
        channel: sms
        lookback_hours: 48                 # a shipment or delivery older than this gets no notice
        templates:
          shipped: {text: "亲，您的订单{order}已由{carrier}发出，运单号{tracking}。"}
          arrived_city: {text: "亲，您的订单{order}已到达{city}，正在派送。"}
          exception: {text: "亲，您的订单{order}物流异常（{problem}），我们正在处理。"}
          delivered: {text: "亲，您的订单{order}已签收（{carrier} {tracking}）。"}

Wave variables: `{shop}`, `{event_day}` (11月11日), `{offer}` (the wave's `offer`), `{opt_out}` (the
remind section's opt-out text). Logistics variables: `{shop}`, `{order}`, `{carrier}`, `{tracking}` (the
tracking number in full: it identifies a parcel, not a person), `{city}` (the order's shipping city) and
`{problem}` (the tracker's name for the exception: 派件异常, 拒收, 破损…). A wave is marketing class unless it says
`class: notice` (waves carry offers); logistics notices are notice class.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from dachu.domain.automation.actions import Channel
from dachu.domain.campaign.remind import Template
from dachu.domain.types import Model, PositiveCount

Segment = Literal["past_buyers", "event_new_buyers", "event_old_buyers"]
"""Who a wave goes to: 老客 past buyers (a paid order before the event day), 活动新客 the event's new buyers
(first paid order on the event day), 活动老客 the event's old buyers (paid on the event day and before)."""
SEGMENTS: tuple[Segment, ...] = ("past_buyers", "event_new_buyers", "event_old_buyers")

WAVE_VARIABLES: tuple[str, ...] = ("shop", "event_day", "offer", "opt_out")
"""The names a wave's text may use between braces."""
LOGISTICS_VARIABLES: tuple[str, ...] = ("shop", "order", "carrier", "tracking", "city", "problem")
"""The names a logistics template may use between braces (`city`: the order's shipping city; `problem`: the
tracker's name for an exception, 派件异常; both empty where they do not apply)."""

LogisticsKind = Literal["shipped", "arrived_city", "exception", "delivered"]
LOGISTICS_KINDS: tuple[LogisticsKind, ...] = ("shipped", "arrived_city", "exception", "delivered")
"""The logistics notices: 已发货 (`shipments.shipped_at`), 到达您所在城市 and 物流异常 (from the parcel's
tracking events, `shipment_events`: `dachu.domain.automation.tracking`), 已签收 (`shipments.delivered_at`
or a delivery event)."""


def _time(value: Any) -> Any:
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)
        if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise PydanticCustomError("notify_time", "not a time such as 12:00: {value}", {"value": value})
        return dt.time(int(match.group(1)), int(match.group(2)))
    return value


TimeText = Annotated[dt.time, BeforeValidator(_time)]


class Wave(Model):
    """One wave of customer notices: on event day + `day`, at `at` (quiet hours defer it), to `segment`.

    `text` is the message (variables in braces); `class` is marketing unless said otherwise (an offer, a
    coupon); `offer` is what `{offer}` becomes.
    """

    name: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+$")]
    day: Annotated[int, Field(ge=-60, le=60)]
    at: TimeText
    segment: Segment
    text: Annotated[str, Field(min_length=1)]
    message_class: Literal["notice", "marketing"] = Field("marketing", alias="class")
    offer: str = ""
    channel: Channel = "sms"
    enabled: bool = True

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def template(self) -> Template:
        """The wave as a template (its text and class)."""
        return Template(text=self.text, message_class=self.message_class)


DEFAULT_WAVES: tuple[Wave, ...] = (
    Wave(name="wake_up", day=-8, at=dt.time(12), segment="past_buyers",
         text="亲，{shop}{event_day}大促即将开始，老朋友专享福利已备好，记得来看看哦。{opt_out}"),
    Wave(name="warm_up", day=-3, at=dt.time(15), segment="past_buyers",
         text="亲，{shop}{event_day}预热中，先加购收藏，开场即享优惠。{opt_out}"),
    Wave(name="eve", day=-1, at=dt.time(18), segment="past_buyers",
         text="亲，{shop}大促明天开始，购物车里的宝贝别忘了哦。{opt_out}"),
    Wave(name="start", day=0, at=dt.time(0), segment="past_buyers",
         text="亲，{shop}{event_day}大促已开始，爆款限量抢购中。{opt_out}"),
    Wave(name="thanks", day=3, at=dt.time(10), segment="event_old_buyers",
         text="亲，感谢您在{event_day}又一次光顾{shop}，老顾客回购礼已为您备好。{opt_out}"),
    Wave(name="care", day=15, at=dt.time(10), segment="event_new_buyers", message_class="notice",
         text="亲，您在{shop}买的宝贝用得还好吗？有任何问题请随时联系我们。"),
)
"""The calendar's waves (seed 002): wake past buyers up 8 days before at lunch, warm up 3 days before in
the afternoon-tea hour, remind them the evening before, open the day (00:00 is quiet: it goes at the window's
start), thank the day's old buyers 3 days after, and care for its new buyers 15 days after (15–20)."""


class LogisticsSettings(Model):
    """Logistics notices (物流通知): shipped, arrived in the buyer's city, exception, delivered; notice class."""

    enabled: bool = True
    channel: Channel = "sms"
    lookback_hours: PositiveCount = 48
    templates: dict[LogisticsKind, Template] = {}

    def template(self, kind: str) -> Template:
        """The template of a kind: the file's, else the built-in one."""
        builtin = {
            "shipped": Template(text="亲，您的订单{order}已由{carrier}发出，运单号{tracking}，请留意查收。"),
            "arrived_city": Template(text="亲，您的订单{order}已到达{city}，正在安排派送，请保持电话畅通。"),
            "exception": Template(text="亲，您的订单{order}物流出现异常（{problem}），我们已在跟进，请放心。"),
            "delivered": Template(text="亲，您的订单{order}已签收（{carrier} {tracking}），如有问题请联系我们。"),
        }
        return next((v for k, v in self.templates.items() if k == kind), builtin[kind])


class NotifySettings(Model):
    """Customer and logistics notices' settings (通知设置); the defaults are the seed's calendar."""

    enabled: bool = True
    waves: list[Wave] = list(DEFAULT_WAVES)
    logistics: LogisticsSettings = LogisticsSettings()

    def wave(self, name: str) -> Wave | None:
        """The wave named `name`, or None."""
        return next((w for w in self.waves if w.name == name), None)
