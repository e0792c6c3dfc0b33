"""What a simulation is made from (模拟参数): the plan's days, hours, products, sources and capacities.

Everything here is small (days × 24 hours × sources) and computed once; the generator then draws orders
bucket by bucket. Orders are spread over:

- a year of earlier orders (`history_orders`, default half the campaign's) over the 365 days before the
  daily plan starts, an ordinary day's hourly shape, list prices;
- the campaign's days (`plan.daily`: preparation, warm-up, event day, follow-up) in proportion to each
  day's planned orders. The event day follows `day_profile.ORDER_SHARES` (the midnight rush and the
  evening peak) at promo prices; the other days follow `ORDINARY_DAY_SHARES` at list prices.

`scale` = simulated campaign orders ÷ planned orders; visitors, ad spend and capacities scale with it,
so a 10,000-order simulation of a 100,000-order plan is the same campaign in miniature.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from dachu.domain.campaign.model import Campaign
from dachu.domain.day_profile import ORDER_SHARES, VISITOR_SHARES, spread
from dachu.domain.plan.budget import Scenario
from dachu.domain.plan.plan import Plan

_ORDINARY = (
    0.020,
    0.010,
    0.006,
    0.004,
    0.003,
    0.004,
    0.008,
    0.015,
    0.030,
    0.048,
    0.058,
    0.060,
    0.056,
    0.056,
    0.058,
    0.058,
    0.056,
    0.052,
    0.050,
    0.056,
    0.066,
    0.076,
    0.072,
    0.078,
)
ORDINARY_DAY_SHARES: tuple[float, ...] = tuple(s / sum(_ORDINARY) for s in _ORDINARY)
"""Share of an ordinary day's orders in each hour 0–23 (morning and evening peaks, quiet small hours)."""

HISTORY_DAYS = 365
PHASES = ("history", "preparation", "warm_up", "event", "follow_up", "after")
PHASE_CODE = {name: code for code, name in enumerate(PHASES)}
ORGANIC = "organic"
NON_EVENT_AD_SHARE = 0.3
"""On days other than the event day, paid channels bring this fraction of their event-day share."""

TZ_OFFSET_MIN = {"CNY": 480, "HKD": 480, "USD": -300, "EUR": 60}
"""The shop's UTC offset in minutes by currency (Chinese platforms are always UTC+8)."""

ID_BASE = {"tmall": 3_100_000_000_000_000_000, "jd": 280_000_000_000, "shopify": 5_900_000_000_000}
"""Where order numbers start per platform family: 19 digits (Tmall), 12 (JD), 13 (Shopify ids)."""


@dataclass(frozen=True)
class Options:
    """Knobs of a simulation; defaults are a typical Tmall store's Double 11.

    `orders`: campaign orders (the plan's days). `history_orders`: orders of the year before (None =
    half of `orders`). `unpaid_rate`: share of orders not paid when placed; `paid_later_rate`: the share
    of those paid later (hours to two days later). `refund_rate`: share of paid orders refunded, in full
    or one line. `returning_rate`: share of campaign orders placed by buyers of the year before.
    `ship_capacity`: parcels the warehouse ships per day (None = 1.5 × the busiest ordinary day, at least
    a third of the event day). `agents`: CS agents (None = enough for the busiest hour at 120% load).
    """

    orders: int
    seed: int = 0
    history_orders: int | None = None
    chunk_size: int = 50_000
    unpaid_rate: float = 0.33
    paid_later_rate: float = 1 / 3
    refund_rate: float = 0.08
    returning_rate: float = 0.35
    browse_per_order: float = 3.0
    cs_rate: float = 0.15
    ship_capacity: int | None = None
    agents: int | None = None


@dataclass(frozen=True)
class ProductSpec:
    """A product as the simulator sells it: prices in fen, platform item and category ids."""

    sku: str
    name: str
    item_id: int
    category_id: int
    list_fen: int
    promo_fen: int
    weight: float


@dataclass(frozen=True)
class Setup:
    """The fixed frame of a simulation (see the module docstring)."""

    campaign: Campaign
    plan: Plan
    scenario: Scenario
    options: Options
    platform: str
    products: tuple[ProductSpec, ...]
    sources: tuple[str, ...]
    source_kinds: tuple[str, ...]
    source_weights: npt.NDArray[np.float64]  # [phase, source], rows sum to 1
    bucket_start: npt.NDArray[np.int64]  # shop seconds at the start of each hour bucket
    bucket_count: npt.NDArray[np.int64]  # orders placed in each bucket
    bucket_phase: npt.NDArray[np.int8]
    bucket_cum: npt.NDArray[np.int64]  # cumulative counts: order seq < bucket_cum[b] lies in bucket ≤ b
    history_orders: int
    as_of: int  # export time: midnight after the last simulated day
    scale: float
    ship_capacity: int
    agents: int
    agent_speed: npt.NDArray[np.float64]  # per agent: median first response in seconds when idle
    buyers: int
    history_buyers: int
    tz_offset_min: int
    id_base: int
    daily_visitors: tuple[tuple[dt.date, str, int], ...] = field(default=())  # (day, phase, visitors)

    @property
    def total_orders(self) -> int:
        """History plus campaign orders."""
        return int(self.bucket_cum[-1]) if len(self.bucket_cum) else 0


def epoch_seconds(day: dt.date, hour: int = 0) -> int:
    """Shop-time seconds since 1970-01-01 of `day` at `hour`:00."""
    return (day - dt.date(1970, 1, 1)).days * 86400 + hour * 3600


def fen_of(amount: Decimal) -> int:
    """Whole fen of a money amount."""
    return int((amount * 100).to_integral_value())


def stable_int(text: str, low: int, high: int) -> int:
    """A number in [low, high) that depends only on `text` (item and category ids of a sku)."""
    return low + zlib.crc32(text.encode("utf-8")) % (high - low)


def spread_float(total: int, weights: list[float]) -> list[int]:
    """Split `total` by `weights` (largest remainders get the leftovers); the parts sum to `total`."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    whole = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - whole[i], -i), reverse=True)
    for i in order[: total - sum(whole)]:
        whole[i] += 1
    return whole


def platform_family(campaign: Campaign, platform: str | None) -> str:
    """tmall, jd or shopify: the export family to simulate (taobao and others write Tmall's formats)."""
    name = platform or campaign.campaign.platform
    return name if name in ("jd", "shopify") else "tmall"


def _products(plan: Plan, scenario: Scenario) -> tuple[ProductSpec, ...]:
    planned = {pp.sku: pp.orders for pp in scenario.products}
    total = sum(planned.values()) or 1
    out = []
    for p in plan.campaign.products:
        weight = planned.get(p.sku, 0) / total
        out.append(
            ProductSpec(
                sku=p.sku,
                name=p.name,
                item_id=stable_int(p.sku, 500_000_000_000, 700_000_000_000),
                category_id=stable_int(p.name, 1_000_000, 5_000_000),
                list_fen=fen_of(p.list_price),
                promo_fen=fen_of(p.promo_price),
                weight=weight if total else 1 / len(plan.campaign.products),
            )
        )
    if sum(p.weight for p in out) <= 0:
        out = [
            ProductSpec(p.sku, p.name, p.item_id, p.category_id, p.list_fen, p.promo_fen, 1 / len(out))
            for p in out
        ]
    return tuple(out)


def _sources(scenario: Scenario) -> tuple[tuple[str, ...], tuple[str, ...], npt.NDArray[np.float64]]:
    lines = scenario.channels.lines
    names = (ORGANIC, *(line.name for line in lines))
    kinds = ("organic", *(line.kind for line in lines))
    event = np.array([float(scenario.baseline), *(float(line.traffic) for line in lines)])
    event = event / event.sum() if event.sum() > 0 else np.eye(len(names))[0]
    other = event.copy()
    other[1:] *= NON_EVENT_AD_SHARE
    other[0] = 0.0
    other[0] = 1.0 - other.sum()
    weights = np.tile(other, (len(PHASES), 1))
    weights[PHASE_CODE["history"]] = np.eye(len(names))[0] * 0.9 + event * 0.1
    weights[PHASE_CODE["event"]] = event
    return names, kinds, weights


def _hour_counts(count: int, event: bool) -> list[int]:
    return spread(count, ORDER_SHARES) if event else spread_float(count, list(ORDINARY_DAY_SHARES))


def build_setup(plan: Plan, options: Options, platform: str | None = None) -> Setup:
    """The frame of a simulation of `options.orders` campaign orders of `plan`."""
    campaign = plan.campaign
    scenario = plan.floor  # the working floor the daily plan is built on
    family = platform_family(campaign, platform)
    history = options.orders // 2 if options.history_orders is None else options.history_orders
    planned_total = sum(d.orders for d in plan.daily) or 1
    scale = options.orders / planned_total
    day_counts = spread_float(options.orders, [float(d.orders) for d in plan.daily])
    first_day = plan.daily[0].date
    hist_counts = spread_float(history, [1.0] * HISTORY_DAYS)

    starts: list[int] = []
    counts: list[int] = []
    phases: list[int] = []
    for i, n in enumerate(hist_counts):
        day = first_day - dt.timedelta(days=HISTORY_DAYS - i)
        for hour, c in enumerate(_hour_counts(n, False)):
            starts.append(epoch_seconds(day, hour))
            counts.append(c)
            phases.append(PHASE_CODE["history"])
    for d, n in zip(plan.daily, day_counts, strict=True):
        for hour, c in enumerate(_hour_counts(n, d.phase == "event")):
            starts.append(epoch_seconds(d.date, hour))
            counts.append(c)
            phases.append(PHASE_CODE.get(d.phase, PHASE_CODE["after"]))

    bucket_count = np.array(counts, dtype=np.int64)
    event_total = max(
        (n for d, n in zip(plan.daily, day_counts, strict=True) if d.phase == "event"), default=0
    )
    busiest_other = max(
        (n for d, n in zip(plan.daily, day_counts, strict=True) if d.phase != "event"), default=1
    )
    ship_capacity = options.ship_capacity or max(
        1, math.ceil(1.5 * busiest_other), math.ceil(event_total / 3)
    )
    peak_sessions = float(bucket_count.max(initial=0)) * options.cs_rate * 1.1
    agents = options.agents or max(2, math.ceil(peak_sessions / (20 * 1.2)))
    rng = np.random.default_rng([options.seed, 7])
    agent_speed = np.exp(rng.normal(np.log(15.0), 0.35, agents))
    buyers = max(50, int(0.55 * (history + options.orders)))
    history_buyers = max(1, int(buyers * history / (history + options.orders))) if history else 0
    names, kinds, weights = _sources(scenario)
    daily_visitors = tuple((d.date, d.phase, round(d.visitors * scale)) for d in plan.daily)
    return Setup(
        campaign=campaign,
        plan=plan,
        scenario=scenario,
        options=options,
        platform=family,
        products=_products(plan, scenario),
        sources=names,
        source_kinds=kinds,
        source_weights=weights,
        bucket_start=np.array(starts, dtype=np.int64),
        bucket_count=bucket_count,
        bucket_phase=np.array(phases, dtype=np.int8),
        bucket_cum=np.cumsum(bucket_count),
        history_orders=history,
        as_of=epoch_seconds(plan.daily[-1].date + dt.timedelta(days=1)),
        scale=scale,
        ship_capacity=ship_capacity,
        agents=agents,
        agent_speed=agent_speed,
        buyers=buyers,
        history_buyers=history_buyers,
        tz_offset_min=TZ_OFFSET_MIN.get(campaign.campaign.currency, 480) if family == "shopify" else 480,
        id_base=ID_BASE[family],
        daily_visitors=daily_visitors,
    )


def hourly_visitor_shares(phase: str) -> tuple[float, ...]:
    """How a day's visitors spread over its hours: the event day's profile, else flatter than orders."""
    if phase == "event":
        return tuple(float(s) for s in VISITOR_SHARES)
    flat = [0.7 * s + 0.3 / 24 for s in ORDINARY_DAY_SHARES]
    return tuple(s / sum(flat) for s in flat)
