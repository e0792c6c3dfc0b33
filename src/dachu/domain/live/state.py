"""The war room's running figures (实时战况), kept incrementally as events arrive.

`LiveState.apply(events)` folds events in; `snapshot(state, plan)` turns the state into the figures the
dashboard shows. Money is held in fen (int) so sums stay exact; times are minutes since the event day's
midnight (shop time), clamped to the day. Definitions (docs/domain.md §9):

- GMV here is the paid amount (支付金额): payments received, refunds not subtracted; `placed_amount` is
  the amount of orders placed (下单金额), paid or not.
- AOV (客单价) = paid amount / paying buyers; conversion (支付转化率) = paying buyers / visitors.
- Visitors are the sum of the traffic events (the sender reports each page and source apart).
- A product's units ordered (拍下件数) count when its order is placed (拍下减库存, how a mega-sale listing
  usually runs): stock left and the sell-out time use them. Units sold (`units_sold` of the metrics
  dictionary, 销售件数) count the units of paid orders only.
- An order with no `buyer_key` counts as its own buyer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from dachu.domain import day_profile
from dachu.domain.live.events import (
    AdSpendEvent,
    CsEvent,
    Event,
    OrderEvent,
    PaymentEvent,
    RefundEvent,
    ShipmentEvent,
    TrafficEvent,
)
from dachu.domain.plan.plan import Plan

MINUTES = 24 * 60


@dataclass(frozen=True)
class LiveProduct:
    """A product of the campaign: SKU, name and the stock prepared for the day (None when unknown)."""

    sku: str
    name: str
    stock: int | None


@dataclass(frozen=True)
class LivePlan:
    """What the live figures are compared with: the day, the floor and stretch GMV, stock, budgets.

    Promotion spend is budgeted on the floor (docs/domain.md §3), so channel budgets come from the floor plan.
    """

    day: dt.date
    floor_gmv: Decimal
    stretch_gmv: Decimal
    products: tuple[LiveProduct, ...]
    budgets: tuple[tuple[str, Decimal], ...]
    order_shares: tuple[Decimal, ...] = day_profile.ORDER_SHARES
    visitor_shares: tuple[Decimal, ...] = day_profile.VISITOR_SHARES
    days_before: int = 10  # the warm-up (pre-sale orders are placed then): `phases.warm_up_from`
    days_after: int = 9  # the follow-up (shipments, refunds): `phases.follow_up_to`

    @property
    def start(self) -> dt.datetime:
        """Midnight at the start of the event day, shop time."""
        return dt.datetime.combine(self.day, dt.time())

    @property
    def opens(self) -> dt.datetime:
        """The first moment an event may be dated: midnight at the start of the warm-up."""
        return self.start - dt.timedelta(days=self.days_before)

    @property
    def closes(self) -> dt.datetime:
        """The first moment past the campaign's days: midnight after the follow-up's last day."""
        return self.start + dt.timedelta(days=self.days_after + 1)


def live_plan(plan: Plan) -> LivePlan:
    """The live view of a plan: the working floor/stretch GMV, stock of each product, the floor's budgets."""
    floor, stretch = plan.floor, plan.stretch
    campaign = plan.campaign
    return LivePlan(
        day=campaign.campaign.event_day,
        floor_gmv=floor.gmv,
        stretch_gmv=stretch.gmv,
        products=tuple(LiveProduct(p.sku, p.name, p.stock) for p in campaign.products),
        budgets=tuple((line.name, line.budget) for line in floor.channels.lines),
        days_before=-campaign.phases.warm_up_from,
        days_after=campaign.phases.follow_up_to,
    )


def pace(shares: Sequence[Decimal], minute: int) -> Decimal:
    """Share of the day's total expected by `minute` (0–1440), linear within each hour."""
    minute = max(0, min(MINUTES, minute))
    hour, rest = divmod(minute, 60)
    done = sum(shares[:hour], Decimal(0))
    if hour < 24:
        done += shares[hour] * rest / 60
    return done


def fen_of(amount: Decimal) -> int:
    """Yuan (at most two decimals) → whole fen."""
    return int(amount * 100)


_DAY = dt.timedelta(days=1)


class _Order:
    __slots__ = ("buyer", "lines", "minute", "paid", "placed", "shipped", "source")

    def __init__(self) -> None:
        self.minute = -1
        self.placed = False
        self.paid = False
        self.shipped = False
        self.buyer: str = ""
        self.source: str | None = None
        self.lines: tuple[tuple[str, int], ...] = ()


@dataclass
class LiveState:
    """Running totals of the day. Apply events in any order; a payment may arrive before its order."""

    start: dt.datetime
    seq: int = 0  # events applied
    clock: dt.datetime | None = None  # the latest event time seen on the event day (the day's "now")
    placed: int = 0
    placed_fen: int = 0
    paid: int = 0
    paid_fen: int = 0
    shipped: int = 0
    paid_not_shipped: int = 0  # paid orders waiting to ship (未发货)
    refunds: int = 0
    refund_fen: int = 0
    visitors: int = 0
    page_views: int = 0
    cs_sessions: int = 0
    buyers: set[str] = field(default_factory=set)
    paid_by_minute: list[int] = field(default_factory=lambda: [0] * MINUTES)  # fen
    placed_by_minute: list[int] = field(default_factory=lambda: [0] * MINUTES)  # orders
    paid_of_placed: list[int] = field(default_factory=lambda: [0] * MINUTES)  # by the order's placing minute
    cs_wait: list[float] = field(default_factory=lambda: [0.0] * MINUTES)  # seconds, by minute
    cs_count: list[int] = field(default_factory=lambda: [0] * MINUTES)
    units: dict[str, int] = field(default_factory=dict)  # units ordered (placed orders), by SKU
    units_paid: dict[str, int] = field(default_factory=dict)  # units sold: units of paid orders, by SKU
    units_by_minute: dict[str, list[int]] = field(default_factory=dict)
    visitors_by_page: dict[str, int] = field(default_factory=dict)
    entry_paths: dict[str, int] = field(default_factory=dict)  # activity-page visitors by source
    visitors_by_source: dict[str, int] = field(default_factory=dict)
    buyers_by_source: dict[str, set[str]] = field(default_factory=dict)
    spend_fen: dict[str, int] = field(default_factory=dict)
    clicks: dict[str, int] = field(default_factory=dict)
    orders: dict[str, _Order] = field(default_factory=dict)

    def minute(self, at: dt.datetime) -> int:
        """Minutes since the start of the day, clamped to 0–1439."""
        m = int((at - self.start).total_seconds() // 60)
        return 0 if m < 0 else MINUTES - 1 if m >= MINUTES else m

    def _order(self, order_id: str) -> _Order:
        order = self.orders.get(order_id)
        if order is None:
            order = self.orders[order_id] = _Order()
            order.buyer = "order:" + order_id
        return order

    def apply(self, events: Iterable[Event]) -> None:
        """Fold `events` into the totals (each event once: the ingest removes duplicates before)."""
        for e in events:
            self.seq += 1
            # only the day's own events move its clock: a shipment or refund dated on a later day (or an
            # order sent with a wrong date) must not close the day early and fire "behind the floor"
            if (self.clock is None or e.at > self.clock) and self.start <= e.at < self.start + _DAY:
                self.clock = e.at
            if isinstance(e, OrderEvent):
                self._placed(e)
            elif isinstance(e, PaymentEvent):
                self._paid(e)
            elif isinstance(e, ShipmentEvent):
                order = self._order(e.order_id)
                if not order.shipped:
                    order.shipped = True
                    self.shipped += 1
                    if order.paid:
                        self.paid_not_shipped -= 1
            elif isinstance(e, RefundEvent):
                self.refunds += 1
                self.refund_fen += fen_of(e.amount)
            elif isinstance(e, TrafficEvent):
                self._traffic(e)
            elif isinstance(e, AdSpendEvent):
                self.spend_fen[e.channel] = self.spend_fen.get(e.channel, 0) + fen_of(e.spend)
                self.clicks[e.channel] = self.clicks.get(e.channel, 0) + e.clicks
            elif isinstance(e, CsEvent):
                m = self.minute(e.at)
                self.cs_sessions += 1
                self.cs_wait[m] += float(e.response_seconds)
                self.cs_count[m] += 1

    def _placed(self, e: OrderEvent) -> None:
        order = self._order(e.order_id)
        if order.placed:
            return
        order.placed = True
        m = order.minute = self.minute(e.at)
        if e.buyer_key:
            order.buyer = e.buyer_key
        order.source = e.source
        self.placed += 1
        self.placed_fen += fen_of(e.amount)
        self.placed_by_minute[m] += 1
        order.lines = tuple((line.sku, line.quantity) for line in e.lines)
        if order.paid:
            self.paid_of_placed[m] += 1
            self._count_buyer(order)
            self._count_sold(order)
        for line in e.lines:
            self.units[line.sku] = self.units.get(line.sku, 0) + line.quantity
            series = self.units_by_minute.get(line.sku)
            if series is None:
                series = self.units_by_minute[line.sku] = [0] * MINUTES
            series[m] += line.quantity

    def _paid(self, e: PaymentEvent) -> None:
        order = self._order(e.order_id)
        if order.paid:
            return
        order.paid = True
        self.paid += 1
        if not order.shipped:
            self.paid_not_shipped += 1
        amount = fen_of(e.amount)
        self.paid_fen += amount
        self.paid_by_minute[self.minute(e.at)] += amount
        if order.placed:
            self.paid_of_placed[order.minute] += 1
            self._count_buyer(order)
            self._count_sold(order)

    def _count_sold(self, order: _Order) -> None:
        for sku, quantity in order.lines:
            self.units_paid[sku] = self.units_paid.get(sku, 0) + quantity

    def _count_buyer(self, order: _Order) -> None:
        self.buyers.add(order.buyer)
        if order.source is not None:
            self.buyers_by_source.setdefault(order.source, set()).add(order.buyer)

    def _traffic(self, e: TrafficEvent) -> None:
        self.visitors += e.visitors
        self.page_views += e.page_views
        self.visitors_by_page[e.page] = self.visitors_by_page.get(e.page, 0) + e.visitors
        self.visitors_by_source[e.source] = self.visitors_by_source.get(e.source, 0) + e.visitors
        if e.page == "activity":
            self.entry_paths[e.source] = self.entry_paths.get(e.source, 0) + e.visitors

    @property
    def now_minute(self) -> int:
        """The minute of the latest event (0 before any)."""
        return 0 if self.clock is None else self.minute(self.clock) + 1 if self.clock >= self.start else 0

    def window(self, series: Sequence[int] | Sequence[float], minutes: int, end: int | None = None) -> float:
        """Sum of `series` over the `minutes` before minute `end` (default: now)."""
        stop = self.now_minute if end is None else end
        return float(sum(series[max(0, stop - minutes) : max(0, stop)]))
