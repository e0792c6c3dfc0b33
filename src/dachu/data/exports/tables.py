"""Behaviour logs (Tianchi UserBehavior.csv), generic tables (traffic, ad spend, CS sessions) and Parquet.

Traffic and ad spend are per hour/day, so they are small: writers count paid buyers, orders and revenue
per (hour, source) as batches pass and write the table when closed. Visitors come from the plan's
daily visitors × scale, spread over the hours (the event day by `day_profile.VISITOR_SHARES`) and over
sources by the phase's source weights; page views ≈ 3.2 per visitor.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import numpy.typing as npt

from dachu.data.exports.render import Col, CsvSink, CsvStyle, format_dates, format_money
from dachu.data.simulate import batch as b
from dachu.data.simulate import people as pp
from dachu.data.simulate.people import People
from dachu.data.simulate.setup import ORGANIC, PHASE_CODE, Setup, epoch_seconds, hourly_visitor_shares

PAGES_PER_VISIT = 3.2
EVENT_AD_SHARE = 0.7
"""Share of a channel's budget spent on the event day; the rest over the warm-up days."""


def behaviour_builder(setup: Setup):  # type: ignore[no-untyped-def]
    """Rows of UserBehavior.csv: user_id, item_id, category_id, behavior_type, unix timestamp.

    user_id = buyer id + 1 (the visitor who placed an order is the same user); unix time = shop time
    − the shop's UTC offset.
    """
    items = np.array([p.item_id for p in setup.products], dtype=np.int64)
    cats = np.array([p.category_id for p in setup.products], dtype=np.int64)
    kinds = np.array(b.BEHAVIOURS, dtype=object)
    offset = setup.tz_offset_min * 60

    def build(batch: b.Batch) -> list[Col]:
        e = batch.events
        return [
            Col("int", e.visitor + 1),
            Col("int", items[e.product]),
            Col("int", cats[e.product]),
            Col("text", kinds[e.behaviour].tolist()),
            Col("int", e.at - offset),
        ]

    return build


def cs_builder(setup: Setup):  # type: ignore[no-untyped-def]
    """Rows of cs_sessions.csv (agent names 客服01…; buyer as account, order id blank when none).

    `avg_response_seconds` is the session's mean wait per reply to 0.1 s, as CS exports give it (平均响应时间);
    the importer turns it back into the sum of reply waits (× replies).
    """
    agents = np.array([f"客服{i + 1:02d}" for i in range(setup.agents)], dtype=object)

    def build(batch: b.Batch) -> list[Col]:
        s, o = batch.cs, batch.orders
        has_order = s.order_row >= 0
        ids = np.where(has_order, o.order_id[np.maximum(s.order_row, 0)], 0)
        return [
            Col("text", [f"S{v:012d}" for v in s.session_id.tolist()]),
            Col("text", agents[s.agent].tolist()),
            Col("text", pp.account(s.buyer)),
            Col("date", s.started),
            Col("date", s.first_response),
            Col("int", s.first_response - s.started),
            Col("int", s.replies),
            Col("date", s.ended),
            Col("text", [str(v) for v in ids.tolist()], ~has_order),
            Col("text", [f"{v:.1f}" for v in (s.reply_wait / np.maximum(s.replies, 1)).tolist()]),
        ]

    return build


class HourlyTotals:
    """Paid buyers, orders and revenue per campaign hour bucket and source, counted batch by batch."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.first = setup.plan.daily[0].date
        self.hours = len(setup.plan.daily) * 24
        self.start = epoch_seconds(self.first)
        shape = (self.hours, len(setup.sources))
        self.buyers = np.zeros(shape, dtype=np.int64)
        self.revenue = np.zeros(shape, dtype=np.int64)

    def add(self, batch: b.Batch) -> None:
        """Count the batch's paid campaign orders by the hour they were paid."""
        o = batch.orders
        hour = (o.paid - self.start) // 3600
        keep = (o.paid != b.NONE) & (hour >= 0) & (hour < self.hours)
        np.add.at(self.buyers, (hour[keep], o.source[keep]), 1)
        np.add.at(self.revenue, (hour[keep], o.source[keep]), o.paid_amount[keep])

    def visitors(self) -> npt.NDArray[np.int64]:
        """Visitors per hour bucket and source (see the module docstring)."""
        out = np.zeros((self.hours, len(self.setup.sources)), dtype=np.int64)
        for d, (_day, phase, total) in enumerate(self.setup.daily_visitors):
            weights = self.setup.source_weights[PHASE_CODE.get(phase, PHASE_CODE["after"])]
            hours = np.array(hourly_visitor_shares(phase))
            out[d * 24 : (d + 1) * 24] = np.rint(total * hours[:, None] * weights[None, :]).astype(np.int64)
        return np.maximum(out, self.buyers)


class TrafficSink:
    """traffic.csv: hour, source, visitors, page_views, buyers (paid orders in the hour)."""

    def __init__(self, path: Path, setup: Setup) -> None:
        self.path, self.totals, self.rows = path, HourlyTotals(setup), 0

    def write(self, batch: b.Batch) -> None:
        """Count the batch."""
        self.totals.add(batch)

    def close(self) -> None:
        """Write the table."""
        t = self.totals
        visitors = t.visitors()
        hours = np.repeat(t.start + np.arange(t.hours, dtype=np.int64) * 3600, len(t.setup.sources))
        names = list(t.setup.sources) * t.hours
        views = np.rint(visitors * PAGES_PER_VISIT).astype(np.int64).ravel()
        with open(self.path, "w", encoding="utf-8", newline="") as f:
            f.write("hour,source,visitors,page_views,buyers\n")
            for h, s, v, p, n in zip(
                format_dates(hours, "platform"),
                names,
                visitors.ravel().tolist(),
                views.tolist(),
                t.buyers.ravel().tolist(),
                strict=True,
            ):
                f.write(f"{h},{s},{v},{p},{n}\n")
        self.rows = len(names)


class AdSpendSink:
    """ad_spend.csv: day, channel, campaign, spend, impressions, clicks, orders, revenue (per paid channel).

    Spend = the plan's channel budget × scale, 70% on the event day and the rest spread over the warm-up
    days; clicks = the channel's visitors; impressions = clicks ÷ CTR for CPM channels, × 25 otherwise.
    """

    def __init__(self, path: Path, setup: Setup) -> None:
        self.path, self.totals, self.rows = path, HourlyTotals(setup), 0

    def write(self, batch: b.Batch) -> None:
        """Count the batch."""
        self.totals.add(batch)

    def close(self) -> None:
        """Write the table."""
        setup = self.totals.setup
        visitors = self.totals.visitors()
        days = [d.date for d in setup.plan.daily]
        phases = [d.phase for d in setup.plan.daily]
        warm = [i for i, p in enumerate(phases) if p == "warm_up"]
        channels = {c.name: c for c in setup.campaign.channels}
        rows: list[str] = []
        for s, line in enumerate(setup.scenario.channels.lines, start=1):
            budget = round(float(line.budget) * setup.scale * 100)
            for i, day in enumerate(days):
                share = (
                    EVENT_AD_SHARE
                    if phases[i] == "event"
                    else ((1 - EVENT_AD_SHARE) / len(warm) if i in warm else 0.0)
                )
                if share == 0 or budget == 0:
                    continue
                spend = np.array([int(budget * share)], dtype=np.int64)
                clicks = int(visitors[i * 24 : (i + 1) * 24, s].sum())
                ctr = getattr(channels.get(line.name), "ctr", None)
                impressions = int(clicks / float(ctr)) if ctr else clicks * 25
                orders = int(self.totals.buyers[i * 24 : (i + 1) * 24, s].sum())
                revenue = np.array([self.totals.revenue[i * 24 : (i + 1) * 24, s].sum()], dtype=np.int64)
                rows.append(
                    f"{day.isoformat()},{line.name},{line.name}-{day:%m%d},{format_money(spend)[0]},"
                    f"{impressions},{clicks},{orders},{format_money(revenue)[0]}"
                )
        with open(self.path, "w", encoding="utf-8", newline="") as f:
            f.write("day,channel,campaign,spend,impressions,clicks,orders,revenue\n")
            f.writelines(r + "\n" for r in rows)
        self.rows = len(rows)


def generic_csv(path: Path, header: tuple[str, ...], build, setup: Setup) -> CsvSink:  # type: ignore[no-untyped-def]
    """A plain UTF-8 CSV sink (no BOM, LF line ends, plain ids)."""
    style = CsvStyle(
        encoding="utf-8", newline="\n", wrap_ids=False, phone_quote=False, tz_offset_min=setup.tz_offset_min
    )
    return CsvSink(path, header, build, style)


def as_of(setup: Setup) -> dt.datetime:
    """The export time (shop time)."""
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=setup.as_of)


def today_stamp(setup: Setup) -> str:
    """The export time as platforms put it in file names (yyyyMMddHHmm)."""
    return as_of(setup).strftime("%Y%m%d%H%M")


__all__ = [
    "ORGANIC",
    "AdSpendSink",
    "HourlyTotals",
    "People",
    "TrafficSink",
    "behaviour_builder",
    "cs_builder",
    "generic_csv",
    "today_stamp",
]
