"""`build_review`: measure the campaign from the store and set it against the plan (复盘).

The review covers the event day (`campaign.event_day`, shop time) unless a section says otherwise: the
headline's day table spans the plan's days, logistics follows the event day's orders until they ship,
customers look back 365 days and forward 15/30/60 days. Every number comes from `dachu.analytics.queries`
(one function per metric); each section, one module of this package named by its id (`SECTIONS`), only
arranges them into a `Section`, divides ratios and adds the plan's figures. Where the store lacks the data
for a section, the section carries a note (catalogue key) instead of numbers. No buyer id, name, phone or
address is ever put in the review.

"An earlier campaign" is the same calendar day one year before the event day (or `previous_day`), used
when the store holds paid orders on it.

The sections are called through their modules (`headline.headline`), so a benchmark can time each one by
wrapping the module's function (`bench/review.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from dachu.analytics import queries as q
from dachu.analytics.review import (
    after_sale,
    calibration,
    channels,
    customers,
    funnel,
    headline,
    hourly,
    logistics,
    products,
    profit,
    reminders,
    service,
)
from dachu.analytics.review.common import DEFAULT_PRIORITY_CITIES, Context, whole
from dachu.analytics.review_model import Review, Section
from dachu.analytics.source import Period, Source
from dachu.domain.plan.plan import Plan


def build_review(
    src: Source,
    plan: Plan,
    *,
    previous_day: dt.date | None = None,
    priority_cities: Sequence[str] = DEFAULT_PRIORITY_CITIES,
    calibrate: bool = True,
) -> Review:
    """Measure the campaign in `src` against `plan`: the sections of the review (`SECTIONS`)."""
    ctx = event_context(src, plan, previous_day=previous_day, priority_cities=priority_cities)
    return _build(ctx, calibrate=calibrate)


def event_context(
    src: Source,
    plan: Plan,
    *,
    previous_day: dt.date | None = None,
    priority_cities: Sequence[str] = DEFAULT_PRIORITY_CITIES,
) -> Context:
    """What every section reads: the store, the plan, the periods and the latest order's time.

    The previous day counts only when the store holds sales on it.
    """
    campaign = plan.campaign
    event_day = campaign.campaign.event_day
    day = Period.day(event_day)
    first = plan.daily[0].date if plan.daily else event_day
    last = plan.daily[-1].date if plan.daily else event_day
    if previous_day is None:
        try:
            previous_day = event_day.replace(year=event_day.year - 1)
        except ValueError:  # 29 February
            previous_day = event_day - dt.timedelta(days=365)
    prev = Period.day(previous_day)
    has_prev = whole(src.one(q.sales(src, prev)).get("orders_paid")) > 0
    end = src.one(q.data_end(src)).get("covered_until")
    return Context(src, plan, day, Period.days(first, last), prev if has_prev else None, tuple(priority_cities), end)


def _build(ctx: Context, *, calibrate: bool) -> Review:
    sections = [
        headline.headline(ctx),
        hourly.hourly(ctx),
        funnel.funnel(ctx),
        reminders.reminders(ctx),
        channels.channels(ctx),
        products.products(ctx),
        service.service(ctx),
        logistics.logistics(ctx),
        after_sale.after_sale(ctx),
        customers.customers(ctx),
    ]
    profit_section, profit_review = profit.profit(ctx)
    sections.append(profit_section)
    section, yaml_text = (
        calibration.calibration(ctx) if calibrate else (Section("calibration", "review.section.calibration"), None)
    )
    sections.append(section)
    source: dict[str, int | str] = {"store": ctx.src.name, **ctx.src.counts()}
    campaign = ctx.plan.campaign.campaign
    return Review(campaign.name, campaign.event_day, tuple(sections), source, yaml_text, profit_review)
