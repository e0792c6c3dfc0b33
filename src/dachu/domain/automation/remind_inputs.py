"""What the payment-reminder rules read (催付输入): columnar, so a million unpaid orders decide in a second.

`UnpaidOrders` are the orders still unpaid at scan time with their lines; `BuyerFacts` what is known of each
order's buyer; `ItemBook` the names the messages print and the activities items may be matched by. Reason keys
(`remind.rule.*`, `remind.skip.*`) are catalogue keys (`dachu.i18n.catalogue.remind`) and stable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

from dachu.domain.automation.actions import MessageKind
from dachu.domain.campaign.model import Campaign
from dachu.domain.campaign.remind import BEFORE_CLOSE as BEFORE_CLOSE_TEMPLATE
from dachu.domain.campaign.remind import BEFORE_CLOSE_NOTICE, RemindItem, RemindSettings, activity_skus


@dataclass(frozen=True)
class UnpaidOrders:
    """Orders still unpaid at scan time, one entry per order in every order-aligned array.

    `buyers`: buyer keys, "" when unknown. `created`: placed at, shop wall-clock (naive `datetime64[s]`).
    `amount_fen`: what the buyer is to pay, in fen. Lines: `line_order[j]` is the order (index) of line j,
    `line_sku[j]` its sku (index into `sku_names`); an order may have any number of lines, in any order.
    """

    order_ids: list[str]
    buyers: list[str]
    created: npt.NDArray[np.datetime64]
    amount_fen: npt.NDArray[np.int64]
    line_order: npt.NDArray[np.int32]
    line_sku: npt.NDArray[np.int32]
    sku_names: list[str]

    def __len__(self) -> int:
        return len(self.order_ids)


@dataclass(frozen=True)
class BuyerFacts:
    """What is known of each order's buyer, aligned with the orders.

    `last_paid`: the buyer's latest payment of any order (`datetime64[s]`, NaT if none).
    `opted_out`: the buyer ever replied an opt-out word or withdrew consent.
    """

    last_paid: npt.NDArray[np.datetime64]
    opted_out: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class ItemBook:
    """Names for the messages and matching: sku → product name, activity (a promotion's name) → its skus."""

    names: Mapping[str, str] = field(default_factory=dict)
    activities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, campaign: Campaign) -> ItemBook:
        """The book of a campaign: its products' names and its promotions' skus."""
        return cls({p.sku: p.name for p in campaign.products}, activity_skus(campaign))


KINDS: Final[tuple[MessageKind, MessageKind]] = ("payment_reminder", "pre_close_reminder")
"""The two reminders, by number: 0 the first reminder (催付), 1 the before-close reminder (临关单催付)."""
FIRST, BEFORE_CLOSE = 0, 1

RULES: Final = ("remind.rule.first", "remind.rule.before_close")
"""The rule that fired, by kind."""

REMINDED = 0
SKIPS: Final = (
    "",  # 0: not skipped
    "remind.skip.disabled",
    "remind.skip.no_buyer",
    "remind.skip.opted_out",
    "remind.skip.blacklist",
    "remind.skip.holdout",
    "remind.skip.amount_low",
    "remind.skip.amount_high",
    "remind.skip.sku_not_listed",
    "remind.skip.sku_excluded",
    "remind.skip.closed",
    "remind.skip.closes_first",
    "remind.skip.closes_in_quiet_hours",
    "remind.skip.paid_recently",
)
"""Why an order gets no reminder of a kind, by code, in the order the rules test them (the first wins)."""
CODE: Final = {key: i for i, key in enumerate(SKIPS) if key}

SEND_SKIPS: Final = (
    "remind.skip.closed", "remind.skip.paid", "remind.skip.paid_recently", "remind.skip.opted_out",
    "remind.skip.closes_in_quiet_hours", "remind.skip.phone_cap",
)
"""Why the dispatcher drops a planned message at send time (`check_at_send`)."""


def item_matches(item: RemindItem, sku: str, book: ItemBook) -> bool:
    """Whether `item` applies to `sku`: named directly, or one of its activity's skus."""
    return sku in item.sku_list() or (item.activity is not None and sku in book.activities.get(item.activity, ()))


def before_close_template(settings: RemindSettings, item: RemindItem | None) -> str:
    """The before-close reminder's template: the item's, else with the offer when it has one, else the notice."""
    if item is not None and item.template is not None:
        return item.template
    return BEFORE_CLOSE_TEMPLATE if item is not None and item.offer else BEFORE_CLOSE_NOTICE


def previous_midnight(at: dt.datetime) -> dt.datetime:
    """00:00 of the day before `at`'s day: a payment since then means the buyer is not reminded."""
    return dt.datetime.combine(at.date() - dt.timedelta(days=1), dt.time())
