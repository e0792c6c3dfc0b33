"""Why an order is (or is not) reminded, step by step (催付说明): the rules of `remind` for one order.

Written one order at a time and apart from the vectorised `plan_reminders`, in the same order of rules, so the
two can check each other (tests/domain/automation: for random cases, the explained verdict and send time of
every order equal the planned ones). Steps are (catalogue key, params) pairs the faces render in zh or en.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from dachu.domain.automation.holdout import in_holdout
from dachu.domain.automation.quiet import defer_one
from dachu.domain.automation.remind_inputs import (
    BEFORE_CLOSE,
    FIRST,
    KINDS,
    RULES,
    BuyerFacts,
    ItemBook,
    UnpaidOrders,
    before_close_template,
    item_matches,
    previous_midnight,
)
from dachu.domain.campaign.remind import FIRST as FIRST_TEMPLATE
from dachu.domain.campaign.remind import RemindItem, RemindSettings

Step = tuple[str, dict[str, str]]


@dataclass(frozen=True)
class Verdict:
    """One reminder's outcome for the order: the rule or skip key, and when its message goes (None: never)."""

    kind: str
    reason: str
    send_at: dt.datetime | None = None
    key: str = ""


@dataclass(frozen=True)
class Explanation:
    """The steps for one order (what was checked, what fired, when it goes and why) and the two verdicts."""

    order_id: str
    steps: tuple[Step, ...]
    verdicts: tuple[Verdict, Verdict]

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON: the order, the steps (key and params) and the verdicts (send_at in ISO form)."""
        return {
            "order_id": self.order_id,
            "steps": [{"key": key, "params": dict(params)} for key, params in self.steps],
            "verdicts": [
                {"kind": v.kind, "reason": v.reason, "key": v.key,
                 "send_at": v.send_at.isoformat(sep=" ") if v.send_at is not None else None}
                for v in self.verdicts
            ],
        }


def _when(at: dt.datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M}"


def _time(value: np.datetime64) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=int(value.astype("datetime64[s]").astype(np.int64)))


class _Order:
    """One order's facts, read from the columns."""

    def __init__(self, orders: UnpaidOrders, facts: BuyerFacts, i: int) -> None:
        self.index = i
        self.order_id = orders.order_ids[i]
        self.buyer = orders.buyers[i]
        self.created = _time(orders.created[i])
        self.amount = Decimal(int(orders.amount_fen[i])) / 100
        self.skus = [orders.sku_names[int(orders.line_sku[j])] for j in np.flatnonzero(orders.line_order == i)]
        paid = facts.last_paid[i]
        self.last_paid = None if np.isnat(paid) else _time(paid)
        self.opted_out = bool(facts.opted_out[i])


def _item(settings: RemindSettings, order: _Order, book: ItemBook) -> tuple[int, RemindItem | None, int]:
    """The order's item (index, item) and close time in minutes: the matched item closing soonest."""
    default = settings.close_after_hours * 60
    best: tuple[int, int] | None = None
    for i, it in enumerate(settings.items):
        if any(item_matches(it, sku, book) for sku in order.skus):
            candidate = (it.close_after_minutes or default, i)
            best = candidate if best is None or candidate < best else best
    if best is None:
        return -1, None, default
    return best[1], settings.items[best[1]], best[0]


def _order_skip(settings: RemindSettings, order: _Order, close: dt.datetime, now: dt.datetime) -> list[Step]:
    """The first order-level rule that stops any reminder of `order` (its detail, then its key), or none."""
    found = _order_stop(settings, order, close, now)
    if found is None:
        return []
    key, detail = found
    return [detail, (key, {})] if detail is not None else [(key, {})]


def _order_stop(
    settings: RemindSettings, order: _Order, close: dt.datetime, now: dt.datetime
) -> tuple[str, Step | None] | None:
    s = settings
    if not s.enabled:
        return "remind.skip.disabled", None
    if not order.buyer:
        return "remind.skip.no_buyer", None
    if order.opted_out:
        return "remind.skip.opted_out", None
    if order.buyer in s.blacklist:
        return "remind.skip.blacklist", None
    if in_holdout(s, order.buyer):
        return "remind.skip.holdout", ("remind.explain.holdout", {"share": f"{s.holdout:%}"})
    if s.min_amount is not None and order.amount < s.min_amount:
        return "remind.skip.amount_low", ("remind.explain.amount_low", {"amount": str(order.amount),
                                                                         "limit": str(s.min_amount)})
    if s.max_amount is not None and order.amount > s.max_amount:
        return "remind.skip.amount_high", ("remind.explain.amount_high", {"amount": str(order.amount),
                                                                           "limit": str(s.max_amount)})
    if s.skus and not set(order.skus) & set(s.skus):
        return "remind.skip.sku_not_listed", ("remind.explain.skus", {"skus": ", ".join(s.skus)})
    excluded = sorted(set(order.skus) & set(s.exclude_skus))
    if excluded:
        return "remind.skip.sku_excluded", ("remind.explain.sku", {"sku": excluded[0]})
    if close <= now:
        return "remind.skip.closed", ("remind.explain.closed", {"close_at": _when(close)})
    return None


def _kind(
    settings: RemindSettings, order: _Order, kind: int, now: dt.datetime, book: ItemBook
) -> tuple[list[Step], str, dt.datetime | None]:
    """One order's steps, reason and own send time for one kind, before merging with the buyer's others."""
    _, item, minutes = _item(settings, order, book)
    close = order.created + dt.timedelta(minutes=minutes)
    stop = _order_skip(settings, order, close, now)
    if stop:
        return stop, stop[-1][0], None
    if kind == FIRST:
        due, name = order.created + dt.timedelta(minutes=settings.first_after_minutes), FIRST_TEMPLATE
    else:
        due, name = close - dt.timedelta(minutes=settings.before_close_minutes), before_close_template(settings, item)
    message_class = settings.all_templates()[name].effective_class
    steps: list[Step] = [(f"remind.explain.{'first' if kind == FIRST else 'before_close'}_due",
                          {"due": _when(due), "template": name})]
    window = settings.window(message_class)
    send = defer_one(due, window)
    if send != due:
        key = "remind.explain.deferred_marketing" if message_class == "marketing" else "remind.explain.deferred_notice"
        steps.append((key, {"due": _when(due), "send_at": _when(send), "window": window.text()}))
    if send >= close:
        reason = "remind.skip.closes_in_quiet_hours" if send != due else "remind.skip.closes_first"
        steps.extend([("remind.explain.closes", {"close_at": _when(close), "send_at": _when(send)}), (reason, {})])
        return steps, reason, None
    if order.last_paid is not None and order.last_paid >= previous_midnight(send):
        since = previous_midnight(send)
        steps.extend([("remind.explain.paid", {"paid_at": _when(order.last_paid), "since": _when(since)}),
                      ("remind.skip.paid_recently", {})])
        return steps, "remind.skip.paid_recently", None
    return steps, RULES[kind], send


def explain(
    settings: RemindSettings,
    orders: UnpaidOrders,
    facts: BuyerFacts,
    now: dt.datetime,
    order_id: str,
    *,
    book: ItemBook | None = None,
    shop: str = "",
) -> Explanation:
    """The steps and verdicts for `order_id`, exactly as `plan_reminders` decides it (raises KeyError if absent).

    `book` as for `plan_reminders`; `shop` is accepted for symmetry with it (no step names the shop).
    """
    del shop
    book = book or ItemBook()
    try:
        i = orders.order_ids.index(order_id)
    except ValueError:
        raise KeyError(order_id) from None
    order = _Order(orders, facts, i)
    index, item, minutes = _item(settings, order, book)
    close = order.created + dt.timedelta(minutes=minutes)
    steps: list[Step] = [("remind.explain.order", {"order": order_id, "created": _when(order.created),
                                                   "amount": str(order.amount)})]
    if item is None:
        steps.append(("remind.explain.close_default", {"close_at": _when(close),
                                                       "hours": str(settings.close_after_hours)}))
    else:
        steps.append(("remind.explain.close_item", {"close_at": _when(close), "minutes": str(minutes),
                                                    "item": str(index + 1)}))
    stop = _order_skip(settings, order, close, now)
    if stop:
        key = stop[-1][0]
        steps.extend(stop)
        return Explanation(order_id, tuple(steps), (Verdict(KINDS[FIRST], key), Verdict(KINDS[BEFORE_CLOSE], key)))
    verdicts: list[Verdict] = []
    same_buyer = [j for j, b in enumerate(orders.buyers) if b == order.buyer and j != i] if order.buyer else []
    for kind in (FIRST, BEFORE_CLOSE):
        kind_steps, reason, send = _kind(settings, order, kind, now, book)
        steps.extend(kind_steps)
        if send is None:
            verdicts.append(Verdict(KINDS[kind], reason))
            continue
        group = [(send, i)]
        for j in same_buyer:
            *_, other_send = _kind(settings, _Order(orders, facts, j), kind, now, book)
            if other_send is not None and other_send.date() == send.date():
                group.append((other_send, j))
        at, lead = min(group)
        key = f"{KINDS[kind]}:{order.buyer}:{at:%Y-%m-%d}"
        if len(group) > 1:
            steps.append(("remind.explain.merged", {"orders": str(len(group)), "lead": orders.order_ids[lead],
                                                    "send_at": _when(at)}))
        steps.append(("remind.explain.now" if at <= now else "remind.explain.later", {"send_at": _when(at)}))
        steps.append((reason, {}))
        verdicts.append(Verdict(KINDS[kind], reason, at, key))
    return Explanation(order_id, tuple(steps), (verdicts[0], verdicts[1]))
