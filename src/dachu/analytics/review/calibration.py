"""Section 10, calibration: next year's campaign file, starting from this year's truth.

`calibration(ctx)` measures, from the same queries as the other sections, the event-day conversion (paid
orders ÷ visitors, the way the plan uses it: traffic needed = orders ÷ conversion), the day profile
(visitors, conversion and order value — GMV ÷ paid orders — of each planned day against the ordinary day),
each channel's cost per click and click-through rate, the unpaid rate, the reminder-recovery rate (reminded
orders paid after the reminder, from the outbox), the inquiry rate and the hour profile, and writes them into
a copy of the campaign: its usual keys where it has them (`store.event_conversion`, `daily_profile`, channel
`cpc`/`ctr`/`click_rate`, `service.inquiry_rate`), the `measured:` section (`dachu.domain.campaign.measured`)
for the rest. The event day moves one year on.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import yaml
from ibis import _

from dachu.analytics import queries as q
from dachu.analytics import remind_queries as rq
from dachu.analytics.review.common import Context, col, fig, note, ratio, whole
from dachu.analytics.review_model import Section, Table
from dachu.domain.campaign.measured import HOURS, Measured, MeasuredChannel
from dachu.domain.money import fen

RATE_PLACES = Decimal("0.0001")


def _rate(value: float | None) -> Decimal | None:
    """A measured share to 4 decimals, kept within (0, 1]; None when unknown or zero."""
    if value is None or value <= 0:
        return None
    return min(Decimal(repr(value)).quantize(RATE_PLACES, ROUND_HALF_UP), Decimal(1)) or None


def hour_shares(counts: list[int]) -> list[Decimal] | None:
    """Hour shares to 4 decimals summing to exactly 1 (largest remainders take the leftovers)."""
    total = sum(counts)
    if total <= 0:
        return None
    raw = [Decimal(c) / total for c in counts]
    out = [r.quantize(RATE_PLACES, rounding="ROUND_DOWN") for r in raw]
    left = int((1 - sum(out)) / RATE_PLACES)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[:left]:
        out[i] += RATE_PLACES
    return out


def measure(ctx: Context) -> tuple[Measured, dict[str, Any]]:
    """The event day's measurements, and the per-day figures the day profile needs."""
    src = ctx.src
    s = src.one(q.sales(src, ctx.day))
    t = src.one(q.traffic(src, ctx.day))
    p = src.one(q.placing(src, ctx.day))
    cs = src.one(q.service(src, ctx.day))
    # what reminders won back: reminded orders paid after the reminder, from the outbox (None without one)
    r = src.one(rq.reminded(src, ctx.day, by_kind=False))
    by_hour = {r["hour"]: r for r in src.rows(q.sales_by_hour(src, ctx.day))}
    visitors_by_hour = {r["hour"]: r for r in src.rows(q.traffic(src, ctx.day, hour=_.hour.hour()))}
    day = ctx.event_day
    channels = []
    for r in sorted(src.rows(q.ads(src, day, day, channel=_.channel)), key=lambda r: str(r["channel"])):
        clicks, shows = whole(r["clicks"]), whole(r["impressions"])
        channels.append(
            MeasuredChannel(
                name=str(r["channel"]),
                spend=fen(Decimal(r["spend"] or 0)),
                impressions=shows,
                clicks=clicks,
                cost_per_click=fen(Decimal(r["spend"] or 0) / clicks) if clicks else None,
                ctr=_rate(ratio(clicks, shows)),
            )
        )
    visitors = whole(t.get("visitors"))
    placed = whole(p.get("orders_placed"))
    measured = Measured(
        event_day=day,
        store=src.name,
        visitors=visitors,
        paying_buyers=whole(s.get("paying_buyers")),
        orders_paid=whole(s.get("orders_paid")),
        gmv_paid=fen(Decimal(s.get("gmv_paid") or 0)),
        # as the plan uses it: orders = visitors × event conversion (traffic_for_orders), so paid orders
        # ÷ visitors, not paying buyers ÷ visitors (a buyer paying two orders is two orders to the plan)
        conversion=_rate(ratio(s.get("orders_paid"), visitors)),
        unpaid_rate=_rate(ratio(placed - whole(p.get("placed_paid")), placed)),
        recovery_rate=_rate(ratio(r.get("paid"), r.get("orders"))),
        inquiry_rate=_rate(ratio(cs.get("cs_buyers"), visitors)),
        hour_order_shares=hour_shares([whole(by_hour.get(h, {}).get("orders_paid")) for h in range(HOURS)]),
        hour_visitor_shares=hour_shares([whole(visitors_by_hour.get(h, {}).get("visitors")) for h in range(HOURS)]),
        channels=channels,
    )
    daily_sales = {r["day"]: r for r in src.rows(q.sales_by_day(src, ctx.campaign))}
    daily_traffic = {r["day"]: r for r in src.rows(q.traffic(src, ctx.campaign, day=_.hour.date()))}
    return measured, {"sales": daily_sales, "traffic": daily_traffic}


def _factor(value: float | None) -> Decimal | None:
    if value is None or value <= 0:
        return None
    return Decimal(repr(value)).quantize(RATE_PLACES, ROUND_HALF_UP) or None


def calibrated_campaign(ctx: Context, m: Measured, daily: dict[str, Any]) -> dict[str, Any]:
    """The campaign as a plain mapping with the measured values written in, ready for YAML."""
    campaign = ctx.plan.campaign
    data: dict[str, Any] = campaign.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    info = data["campaign"]
    try:
        info["event_day"] = campaign.campaign.event_day.replace(year=campaign.campaign.event_day.year + 1)
    except ValueError:
        info["event_day"] = campaign.campaign.event_day + dt.timedelta(days=365)
    store = campaign.store
    if m.conversion is not None:
        data["store"]["event_conversion"] = m.conversion
    segments = []
    for d in ctx.plan.daily:
        if d.offset == 0:
            continue
        s, t = daily["sales"].get(d.date, {}), daily["traffic"].get(d.date, {})
        # the plan's day: orders = visitors × conversion, GMV = orders × order value (daily_plan)
        visitors, orders = whole(t.get("visitors")), whole(s.get("orders_paid"))
        uv = _factor(ratio(visitors, store.baseline_daily_uv))
        conv = _factor(ratio(ratio(orders, visitors), store.baseline_conversion))
        if uv is None or conv is None:
            continue
        seg: dict[str, Any] = {"from_day": d.offset, "to_day": d.offset, "uv_factor": uv, "conversion_factor": conv}
        base_aov = store.baseline_aov
        aov = _factor(ratio(ratio(s.get("gmv_paid"), orders), base_aov)) if base_aov else None
        if aov is not None:
            seg["aov_factor"] = aov
        segments.append(seg)
    if segments:
        data["daily_profile"] = segments
    by_name = {c.name: c for c in m.channels}
    for ch in data.get("channels", []):
        mc = by_name.get(ch["name"])
        if mc is None:
            continue
        if ch["kind"] == "cpc" and mc.cost_per_click:
            ch["cpc"] = mc.cost_per_click
        elif ch["kind"] == "cpm" and mc.ctr:
            ch["ctr"] = mc.ctr
        elif ch["kind"] == "sms" and mc.ctr:
            ch["click_rate"] = mc.ctr  # clicks / messages sent (the export's impressions)
    if "service" in data and m.inquiry_rate is not None:
        data["service"]["inquiry_rate"] = m.inquiry_rate
    data["measured"] = m.model_dump(mode="python", exclude_none=True)
    return data


class _Dumper(yaml.SafeDumper):
    """YAML with Decimals written as plain numbers and no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never write `&id001` anchors: repeated values are written out."""
        return True


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value.normalize(), "f"))


_Dumper.add_representer(Decimal, _decimal)


def calibrated_yaml(ctx: Context, m: Measured, daily: dict[str, Any]) -> str:
    """The text of calibrated.yaml."""
    header = (
        f"# dachu calibrated campaign: {ctx.plan.campaign.campaign.name}, measured on {ctx.event_day}\n"
        "# written by `dachu review`; the `measured:` section records what the review measured\n"
    )
    body = yaml.dump(calibrated_campaign(ctx, m, daily), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
    return header + body


def calibration(ctx: Context) -> tuple[Section, str | None]:
    """Section 10 and the calibrated campaign file (None when the event day has no visitors or orders)."""
    m, daily = measure(ctx)
    text = calibrated_yaml(ctx, m, daily) if m.visitors and m.orders_paid else None
    figures = (
        fig(
            "conversion",
            "rate",
            float(m.conversion) if m.conversion is not None else None,
            floor=float(ctx.event_conversion),
        ),
        fig("unpaid_share", "rate", float(m.unpaid_rate) if m.unpaid_rate is not None else None),
        fig("paid_after_reminder", "rate", float(m.recovery_rate) if m.recovery_rate is not None else None),
        fig("inquiry_rate", "rate", float(m.inquiry_rate) if m.inquiry_rate is not None else None),
    )
    hours = tuple(
        (
            h,
            float(m.hour_order_shares[h]) if m.hour_order_shares else None,
            float(m.hour_visitor_shares[h]) if m.hour_visitor_shares else None,
        )
        for h in range(HOURS)
    )
    hour_cols = (col("hour", "hour"), col("order_share", "rate"), col("visitor_share", "rate"))
    chan_rows = tuple(
        (c.name, c.spend, c.impressions, c.clicks, c.cost_per_click, float(c.ctr) if c.ctr is not None else None)
        for c in m.channels
    )
    chan_cols = (
        col("channel", "text"),
        col("spend", "yuan", "spend"),
        col("impressions", "count", "impressions"),
        col("clicks", "count", "clicks"),
        col("cost_per_click", "yuan", "cost_per_click"),
        col("ctr", "rate", "ctr"),
    )
    notes = (note("calibrated"),) if text else (note("not_calibrated"),)
    section = Section(
        "calibration",
        "review.section.calibration",
        figures=figures,
        tables=(
            Table("hour_profile", "review.table.hour_profile", hour_cols, hours),
            Table("channel_prices", "review.table.channel_prices", chan_cols, chan_rows),
        ),
        notes=notes,
    )
    return section, text
