"""Cross-field rules of a campaign file: what each key may be alone is the models' job; this is the rest.

Each rule returns `Problem`s whose `params["_path"]` is the key path as a tuple; `campaign_file` turns it
into the dotted path and the line.
"""

from __future__ import annotations

import calendar
from decimal import Decimal

from dachu.domain.campaign.channels import FlatChannel
from dachu.domain.campaign.model import Campaign
from dachu.domain.campaign.notify_checks import check_notify
from dachu.domain.campaign.remind_checks import check_remind
from dachu.domain.campaign.service import DEFAULT_CONTRACT
from dachu.domain.campaign.stock_checks import check_bundles
from dachu.domain.money import ZERO
from dachu.errors import Problem


def _p(key: str, path: tuple[str | int, ...], **params: object) -> Problem:
    return Problem(key, params={"_path": path, **params})


def _goal(c: Campaign) -> list[Problem]:
    if c.goal.stretch < c.goal.floor:
        return [_p("campaign.stretch_below_floor", ("goal", "stretch"), floor=c.goal.floor, stretch=c.goal.stretch)]
    return []


def _products(c: Campaign) -> list[Problem]:
    out: list[Problem] = []
    seen: set[str] = set()
    for i, p in enumerate(c.products):
        if p.sku in seen:
            out.append(_p("campaign.duplicate_sku", ("products", i, "sku"), sku=p.sku))
        seen.add(p.sku)
        if p.goal_share is None and p.planned_orders is None:
            out.append(_p("campaign.product_no_target", ("products", i), sku=p.sku))
        if p.goal_share is not None and p.planned_orders is not None:
            out.append(_p("campaign.product_two_targets", ("products", i), sku=p.sku))
        if p.promo_price > p.list_price:
            out.append(
                _p("campaign.promo_above_list", ("products", i, "promo_price"),
                   sku=p.sku, promo=p.promo_price, list=p.list_price)
            )
        if c.goal.metric == "profit" and p.goal_share is not None and p.goal_share > 0 and p.unit_profit <= 0:
            out.append(
                _p("campaign.share_product_loses", ("products", i, "goal_share"), sku=p.sku, profit=p.unit_profit)
            )
    shares = [p.goal_share for p in c.products if p.goal_share is not None]
    if shares and sum(shares, ZERO) != 1:
        total = sum(shares, ZERO)
        out.append(_p("campaign.shares_sum", ("products",), total=total, gap=Decimal(1) - total))
    return out


def _promotions(c: Campaign) -> list[Problem]:
    out: list[Problem] = []
    for i, promo in enumerate(c.promotions):
        if promo.list_price - promo.coupon != promo.promo_price:
            out.append(
                _p("campaign.coupon_mismatch", ("promotions", i, "promo_price"),
                   name=promo.name, list=promo.list_price, coupon=promo.coupon,
                   expected=promo.list_price - promo.coupon, promo=promo.promo_price)
            )
        if promo.sku is not None and c.product(promo.sku) is None:
            out.append(_p("campaign.unknown_sku", ("promotions", i, "sku"), sku=promo.sku))
    return out


def _channels(c: Campaign) -> list[Problem]:
    out: list[Problem] = []
    seen: set[str] = set()
    for i, ch in enumerate(c.channels):
        if ch.name in seen:
            out.append(_p("campaign.duplicate_channel", ("channels", i, "name"), name=ch.name))
        seen.add(ch.name)
        previous_from, previous_factor = 0, Decimal(1)
        for j, step in enumerate(ch.rising):
            if step.from_visitors <= previous_from or step.factor < previous_factor:
                out.append(_p("campaign.rising_order", ("channels", i, "rising", j), name=ch.name))
            previous_from, previous_factor = step.from_visitors, step.factor
        if isinstance(ch, FlatChannel) and ch.budget is not None and ch.budget != ch.fee:
            out.append(_p("campaign.flat_budget", ("channels", i, "budget"), name=ch.name, fee=ch.fee))
    return out


def _paid_traffic(c: Campaign) -> list[Problem]:
    if not c.channels and c.store.cost_per_visitor is None:
        return [_p("campaign.no_channels", ("channels",))]
    return []


def _baskets(c: Campaign) -> list[Problem]:
    return [
        _p("campaign.unknown_sku", ("baskets", i, "items", j, "sku"), sku=item.sku)
        for i, basket in enumerate(c.baskets)
        for j, item in enumerate(basket.items)
        if c.product(item.sku) is None
    ]


def _profile(c: Campaign) -> list[Problem]:
    out: list[Problem] = []
    covered: set[int] = set()
    for i, seg in enumerate(c.daily_profile or []):
        if seg.to_day < seg.from_day:
            out.append(_p("campaign.profile_backwards", ("daily_profile", i), start=seg.from_day, end=seg.to_day))
        days = set(range(seg.from_day, seg.to_day + 1))
        if 0 in days or days & covered:
            out.append(_p("campaign.profile_overlap", ("daily_profile", i), start=seg.from_day, end=seg.to_day))
        covered |= days
    ph = c.phases
    if not ph.preparation_from < ph.warm_up_from < 0 < ph.follow_up_to or ph.plan_from >= 0:
        out.append(_p("campaign.phases_order", ("phases",)))
    return out


def check_service(c: Campaign) -> list[Problem]:
    """Cross-field problems of the `service:` section (`_path` in params, as every check here)."""
    s = c.service
    if s is None:
        return []
    out: list[Problem] = []
    if s.shrinkage >= 1:
        out.append(_p("staff.shrinkage_whole", ("service", "shrinkage"), value=s.shrinkage))
    if s.target_share >= 1:
        out.append(_p("staff.target_whole", ("service", "target_share"), value=s.target_share))
    if s.agents.size == 0:
        out.append(_p("staff.no_agents", ("service", "agents")))
    ids = set(s.agents.agent_ids())
    for i, leave in enumerate(s.leave):
        if leave.agent not in ids:
            first = next(iter(sorted(ids)), "P01")
            out.append(
                _p("staff.unknown_agent", ("service", "leave", i, "agent"), agent=leave.agent, example=first)
            )
    return out + _contract_days(c)


def _contract_days(c: Campaign) -> list[Problem]:
    """`service.contract_days`: keys are `default` or temporary agents; days between 1 and the team's."""
    s = c.service
    if s is None or not s.contract_days:
        return []
    month = s.month or c.campaign.event_day.strftime("%Y-%m")
    year, mon = (int(x) for x in month.split("-"))
    days = calendar.monthrange(year, mon)[1]
    top = days - s.days_off
    temporary = [a for a in s.agents.agent_ids() if a.startswith("T")]
    out: list[Problem] = []
    if not temporary:
        out.append(_p("staff.contract_no_temporary", ("service", "contract_days")))
    for key, value in s.contract_days.items():
        path = ("service", "contract_days", key)
        if key != DEFAULT_CONTRACT and key not in temporary:
            out.append(_p("staff.contract_not_temporary", path, agent=key,
                          example=temporary[0] if temporary else "T01"))
        elif not 1 <= value <= top:
            out.append(_p("staff.contract_days_range", path, value=value, top=top, month=month, days=days,
                          days_off=s.days_off))
    return out


def check_warehouse(c: Campaign) -> list[Problem]:
    """Cross-field rules of the `warehouse:` section : stock items name real skus."""
    if c.warehouse is None:
        return []
    return [
        Problem("prepare.unknown_sku", params={"_path": ("warehouse", "stock", "items", sku), "sku": sku})
        for sku in c.warehouse.stock.items
        if c.product(sku) is None
    ]


LOOPBACK = ("localhost", "127.0.0.1", "::1")


def check_senders(c: Campaign) -> list[Problem]:
    """The `senders:` section: an SMTP login never goes in clear to another machine (starttls: false)."""
    mail = c.senders.email
    if mail is None or mail.starttls or mail.username is None or mail.host in LOOPBACK:
        return []
    return [_p("senders.login_in_clear", ("senders", "email", "starttls"), host=mail.host)]


def check_campaign(c: Campaign) -> list[Problem]:
    """Every cross-field problem of `c`, in file order of the sections (each area's own rules included)."""
    return [
        *_goal(c), *_products(c), *check_bundles(c), *_channels(c), *_paid_traffic(c), *_promotions(c), *_baskets(c),
        *_profile(c),
        *check_warehouse(c), *check_service(c),
        *check_remind(c), *check_notify(c), *check_senders(c),
    ]
