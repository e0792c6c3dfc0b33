"""The campaign file's optional `remind:` section: the payment-reminder rules' settings (催付规则).

Every key is optional and a missing key keeps its default below; a campaign without the section has the
defaults (`Campaign.remind` is never None). The rules themselves are `dachu.domain.automation.remind`.
Times are shop wall-clock; amounts are yuan; windows are `HH:MM-HH:MM`, the end excluded.

    remind:
      enabled: true
      channel: sms
      first_after_minutes: 10      # 催付: 10 minutes after the order is placed, if still unpaid
      before_close_minutes: 15     # 临关单催付: 15 minutes before the order closes
      close_after_hours: 72        # an unpaid order closes 72 h after it was placed (Taobao's default) ...
      items:                       # ... unless one of its items closes sooner (聚划算, flash sales)
        - {activity: 聚划算秒杀, close_after_minutes: 30, offer: 前100名加赠试吃装}
        - {sku: A01, template: honey_close, offer: 付款再送蜂蜜勺}
      min_amount: 10               # filters: the order's amount, its skus, buyers never reminded
      exclude_skus: [Z99]
      blacklist: [b-9f2c]
      per_phone_daily_cap: 50      # the provider's cap for one phone a day (checked at send time)
      opt_out_replies: [TD, R, 退订, T]
      marketing_window: 08:00-21:00   # marketing class (anything with an offer) only in this window
      notice_window: 08:00-22:00      # notices in this one; outside, a reminder waits for the next window
      holdout: 5%                  # buyers never reminded, to measure what reminding wins (对照组)
      signature: 【野菊蜜旗舰店】
      opt_out_text: 拒收请回复R
      templates:
        honey_close: {text: "您拍下的{item}将于{close_at}关闭，{offer}。拒收请回复R", class: marketing}

Template variables: `{item}` (the order's first item), `{amount}` (yuan), `{close_at}` (when it closes),
`{offer}` (the item's offer), `{orders}` (how many unpaid orders the message is about), `{shop}`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Any, Literal, Protocol

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from dachu.domain.automation.actions import Channel
from dachu.domain.types import Count, Model, Money, PositiveCount, Rate

VARIABLES: tuple[str, ...] = ("item", "amount", "close_at", "offer", "orders", "shop")
"""The names a template may use between braces."""

FIRST = "first"
BEFORE_CLOSE = "before_close"
BEFORE_CLOSE_NOTICE = "before_close_notice"
"""Built-in template names: the first reminder, the before-close reminder with an offer, and without one."""

DEFAULT_HOLDOUT_SALT = "dachu.remind.holdout.v1"
"""The default salt of the holdout split: a fixed string, so the same buyers are held out by every process,
every run and the review; change it (any text) to draw another control group."""

SMS_SINGLE = 70
SMS_PART = 67
SMS_MAX = 500
"""China's carriers (Alibaba Cloud SMS 计费规则): signature + text up to 70 characters is one message;
a longer one is billed in 67-character parts; at most 500 characters."""


def _window(value: Any) -> Any:
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", value)
        if match is None:
            raise PydanticCustomError("remind_window", "not a window such as 08:00-21:00: {value}", {"value": value})
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise PydanticCustomError("remind_window", "not a window such as 08:00-21:00: {value}", {"value": value})
        return {"start": h1 * 60 + m1, "end": h2 * 60 + m2}
    return value


class Window(Model):
    """A daily send window in minutes of the day: `start` ≤ minute < `end` (written `08:00-21:00`)."""

    start: Annotated[int, Field(ge=0, le=1439)]
    end: Annotated[int, Field(ge=1, le=1440)]

    def text(self) -> str:
        """`08:00-21:00`."""
        return f"{self.start // 60:02d}:{self.start % 60:02d}-{self.end // 60:02d}:{self.end % 60:02d}"


WindowText = Annotated[Window, BeforeValidator(_window)]


class Template(Model):
    """A message text and its class: `notice` (通知类) or `marketing` (营销类, needs the opt-out text)."""

    text: Annotated[str, Field(min_length=1)]
    message_class: Literal["notice", "marketing"] = Field("notice", alias="class")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def effective_class(self) -> Literal["notice", "marketing"]:
        """Marketing when declared so or when it mentions the offer (any offer is marketing)."""
        return "marketing" if self.message_class == "marketing" or "offer" in variables_of(self.text) else "notice"


class RemindItem(Model):
    """Settings for some items: matched by `sku`, a list of `skus`, or an `activity` (a promotion's name).

    `close_after_minutes`: unpaid orders of these items close this soon (聚划算 / flash: 30).
    `template`: the before-close reminder's template for them; `offer`: the text `{offer}` becomes.
    """

    sku: str | None = None
    skus: list[str] = []
    activity: str | None = None
    close_after_minutes: PositiveCount | None = None
    template: str | None = None
    offer: str | None = None

    def sku_list(self) -> list[str]:
        """The skus named directly (`sku` then `skus`)."""
        return ([self.sku] if self.sku is not None else []) + list(self.skus)


class RemindSettings(Model):
    """The payment-reminder rules' settings (催付设置); the defaults are the documented practice (§7)."""

    enabled: bool = True
    channel: Channel = "sms"
    first_after_minutes: Annotated[int, Field(ge=0, le=1440)] = 10
    before_close_minutes: Annotated[int, Field(ge=1, le=1440)] = 15
    close_after_hours: PositiveCount = 72
    items: list[RemindItem] = []
    min_amount: Money | None = None
    max_amount: Money | None = None
    skus: list[str] = []
    exclude_skus: list[str] = []
    blacklist: list[str] = []
    per_phone_daily_cap: Count = 50
    opt_out_replies: list[str] = ["TD", "R", "退订", "T"]
    marketing_window: WindowText = Window(start=8 * 60, end=21 * 60)
    notice_window: WindowText = Window(start=8 * 60, end=22 * 60)
    holdout: Rate = Decimal("0.05")
    holdout_salt: str = DEFAULT_HOLDOUT_SALT
    templates: dict[str, Template] = {}
    signature: str | None = None
    opt_out_text: Annotated[str, AfterValidator(str.strip), Field(min_length=1)] = "拒收请回复R"

    def all_templates(self) -> Mapping[str, Template]:
        """The built-in templates, overridden by (and joined with) the file's `templates` (made once)."""
        return self._all_templates

    @cached_property
    def _all_templates(self) -> Mapping[str, Template]:
        builtin = {
            FIRST: Template(text="亲，您拍下的{item}还未付款，{close_at}前付款即可尽快发货哦。"),
            BEFORE_CLOSE: Template(
                text=f"亲，您拍下的{{item}}将于{{close_at}}关闭，现在付款{{offer}}。{self.opt_out_text}",
                message_class="marketing",
            ),
            BEFORE_CLOSE_NOTICE: Template(text="亲，您拍下的{item}将于{close_at}自动关闭，如需要请尽快付款哦。"),
        }
        return MappingProxyType({**builtin, **self.templates})

    def signature_for(self, shop: str) -> str:
        """The signature: the file's, else the shop's name in 【】."""
        return self.signature if self.signature is not None else f"【{shop}】"

    def window(self, message_class: str) -> Window:
        """The send window of a class: marketing or notice."""
        return self.marketing_window if message_class == "marketing" else self.notice_window


def variables_of(text: str) -> list[str]:
    """The field names a template uses, in order (`{item}` → `item`). Raises ValueError on bad braces."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def render(settings: RemindSettings, template: str, variables: dict[str, str], shop: str) -> str:
    """The message as the buyer reads it: signature then the template's text with its variables filled."""
    text = settings.all_templates()[template].text
    return settings.signature_for(shop) + text.format_map({name: variables.get(name, "") for name in VARIABLES})


def sms_length(text: str) -> int:
    """Characters an SMS counts, signature included.

    Every character is 1 (Chinese, letters, digits, punctuation, spaces, the signature's 【】); a character
    outside the basic plane (an emoji) 2, as UCS-2 carries it.
    """
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # UTF-16 code units: 2 for an astral character


def sms_segments(text: str) -> int:
    """Messages billed for `text` (signature included): 1 up to 70 characters, else one per 67 (0 if empty)."""
    length = sms_length(text)
    if length <= SMS_SINGLE:
        return 1 if length else 0
    return -(-length // SMS_PART)


def sms_cost(text: str, price: Decimal) -> Decimal:
    """What sending `text` once costs: its segments × the price of one message."""
    return sms_segments(text) * price


class _Promotion(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def sku(self) -> str | None: ...


class _HasPromotions(Protocol):
    """A campaign, as far as activities go (typed structurally: the campaign model imports this module)."""

    @property
    def promotions(self) -> Sequence[_Promotion]: ...


def activity_skus(campaign: _HasPromotions) -> dict[str, tuple[str, ...]]:
    """The skus of each activity an item may name: the campaign's promotions (推广) with a sku, by name."""
    out: dict[str, tuple[str, ...]] = {}
    for promo in campaign.promotions:
        if promo.sku is not None:
            out[promo.name] = (*out.get(promo.name, ()), promo.sku)
    return out
