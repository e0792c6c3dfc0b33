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

What counts on which day. The room takes events of the whole campaign (the warm-up to the end of the
follow-up); the day's sales figures are the event day's:
- orders placed, the placed amount, the per-minute series and the sell-out rate: orders placed on the day;
  an order placed earlier (a pre-sale order, 预售) is counted in `presale_orders` instead;
- paid orders, GMV, paying buyers and units sold: orders paid in full on the day (a pre-sale order on the
  day its balance is paid, deposit and balance together); an order paid on another day is not the day's sale;
- units ordered (stock): every order placed, pre-sale orders included (their stock is taken);
- shipped, waiting to ship, refunds: every order, whatever day (shipping and refunds run on after the day);
  `refunds` counts orders with a refund, `refund_fen` every refund (partial refunds add up).
Which event of an order counts at all is `dachu.domain.live.orders.step`'s decision, nowhere else.

Memory is bounded per order and per id (`dachu.domain.live.keys`): an order costs 29–57 bytes of index,
23 bytes of columns (flags 1, minute 2, buyer 4, source 4, first line 8, line count 4) and 8 bytes a line
(SKU and units); a distinct buyer 30–58 bytes, a paying (source, buyer) pair 29–57 bytes; nothing else
grows with the day but the deposits of pre-sale orders (a dict, until paid). `bench/ingest.py` measures
about 100 bytes an order (one line, a buyer for every two orders) and 33–35 bytes an event id (the room's).
`export()`/`restore()` turn the state into plain arrays for a snapshot.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from dachu.domain import day_profile
from dachu.domain.live.events import (
    AdSpendEvent,
    CsEvent,
    Event,
    OrderEvent,
    PaymentEvent,
    TrafficEvent,
)
from dachu.domain.live.keys import KeyIndex, digests
from dachu.domain.live.orders import DEPOSIT, ORDER_EVENTS, PAID, PLACED, SHIPPED, Effect, step
from dachu.domain.plan.plan import Plan

MINUTES = 24 * 60


@dataclass(frozen=True)
class LiveProduct:
    """A product of the campaign: SKU, name, the stock prepared for the day (None when unknown), its parts.

    `parts`: a bundle's components as (SKU, units) pairs (empty for a single product); see `components`.
    """

    sku: str
    name: str
    stock: int | None
    parts: tuple[tuple[str, int], ...] = ()

    @property
    def components(self) -> dict[str, int] | None:
        """A bundle's `{SKU: units}` (None for a single product), as `dachu.domain.stock.lines` reads it."""
        return dict(self.parts) if self.parts else None


@dataclass(frozen=True, slots=True)
class StockMove:
    """What an order's event does to the stock ledger, decided with its figures (`LiveState.apply`).

    `reserve` (placed), `commit` (paid: a deposit or in full), `release` (refunded before shipping), `ship`.
    `lines` are the order's lines as placed, (SKU, units) — bundles not yet resolved; `at` the event's time.
    """

    kind: Literal["reserve", "commit", "release", "ship"]
    order_id: str
    lines: tuple[tuple[str, int], ...]
    at: dt.datetime


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
        products=tuple(LiveProduct(p.sku, p.name, p.stock, tuple(sorted((p.components or {}).items())))
                       for p in campaign.products),
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

DAY_PLACED, DAY_PAID = 32, 64
"""The room's own bits of an order's flags, above the state machine's: placed / paid on the event day."""

_TOTALS = ("seq", "placed", "placed_fen", "presale_orders", "paid", "paid_fen", "shipped", "paid_not_shipped",
           "refunds", "refund_fen", "visitors", "page_views", "cs_sessions", "buyers")
_SERIES = ("paid_by_minute", "placed_by_minute", "paid_of_placed", "cs_count", "cs_wait")
_COUNTS = ("units", "units_paid", "visitors_by_page", "entry_paths", "visitors_by_source", "buyers_by_source",
           "spend_fen", "clicks", "units_by_minute")
_COLUMNS = (("order_flags", "B", np.uint8), ("order_minute", "h", np.int16), ("order_buyer", "i", np.int32),
            ("order_source", "i", np.int32), ("order_line", "q", np.int64), ("order_lines", "I", np.uint32),
            ("line_sku", "i", np.int32), ("line_units", "i", np.int32))
_INDEXES = ("order_index", "buyer_index", "source_buyers")
SNAPSHOT_FORMAT = 1
"""Bumped whenever `export()`'s layout changes: a snapshot of another format is not read (the log is replayed)."""


def _np(values: array[Any] | bytearray, dtype: type[np.generic], copy: bool = True) -> npt.NDArray[Any]:
    if not len(values):
        return np.zeros(0, dtype=dtype)
    view = np.frombuffer(values, dtype=dtype)
    return view.copy() if copy else view


class LiveState:
    """Running totals of the campaign's events. Apply events in any order; a payment may come before its order.

    Totals (see the module doc for what each includes): `placed`/`placed_fen` orders placed on the day,
    `presale_orders` placed before it; `paid`/`paid_fen` paid on the day; `buyers` distinct paying buyers of the
    day; `shipped`, `paid_not_shipped`, `refunds` (orders), `refund_fen`; `visitors`, `page_views`,
    `cs_sessions`. Per-minute series of the day (1,440 entries): `paid_by_minute` (fen), `placed_by_minute`,
    `paid_of_placed` (by the placing minute), `cs_wait` (seconds) and `cs_count`. Per name: `units`,
    `units_paid`, `units_by_minute` (by SKU), `visitors_by_page`, `visitors_by_source`, `entry_paths`,
    `buyers_by_source`, `spend_fen`, `clicks`.
    """

    def __init__(self, start: dt.datetime) -> None:
        self.start = start
        self.end = start + _DAY
        self.clock: dt.datetime | None = None  # the latest event time seen on the event day (the day's "now")
        self.seq = 0  # events applied
        self.placed = self.placed_fen = self.presale_orders = 0
        self.paid = self.paid_fen = self.shipped = self.paid_not_shipped = 0
        self.refunds = self.refund_fen = self.visitors = self.page_views = self.cs_sessions = self.buyers = 0
        self.paid_by_minute = [0] * MINUTES  # fen
        self.placed_by_minute = [0] * MINUTES  # orders
        self.paid_of_placed = [0] * MINUTES  # orders placed on the day and paid, by the placing minute
        self.cs_wait = [0.0] * MINUTES  # seconds, by minute
        self.cs_count = [0] * MINUTES
        self.units: dict[str, int] = {}  # units ordered (placed orders), by SKU
        self.units_paid: dict[str, int] = {}  # units sold: units of the day's paid orders, by SKU
        self.units_by_minute: dict[str, list[int]] = {}  # units ordered on the day, by SKU and minute
        self.visitors_by_page: dict[str, int] = {}
        self.entry_paths: dict[str, int] = {}  # activity-page visitors by source
        self.visitors_by_source: dict[str, int] = {}
        self.buyers_by_source: dict[str, int] = {}  # distinct paying buyers of the day by the order's source
        self.spend_fen: dict[str, int] = {}
        self.clicks: dict[str, int] = {}
        # Orders: row r of each column is the r-th order id seen (`order_index`); lines are flat, an order's
        # `order_lines` of them from `order_line`. SKUs and sources are numbered in `skus` and `sources`.
        self.order_index = KeyIndex()
        self.order_flags: array[int] = array("B")  # `orders` flags | DAY_PLACED | DAY_PAID
        self.order_minute: array[int] = array("h")  # the minute it was placed on the day, else -1
        self.order_buyer: array[int] = array("i")  # its buyer's row in `buyer_index`, -1 until placed
        self.order_source: array[int] = array("i")  # its source's number, -1 for none
        self.order_line: array[int] = array("q")
        self.order_lines: array[int] = array("I")
        self.line_sku: array[int] = array("i")
        self.line_units: array[int] = array("i")
        self.deposits: dict[int, int] = {}  # order row → deposit fen of a pre-sale order not yet paid
        self.skus: list[str] = []
        self.sources: list[str] = []
        self._sku_no: dict[str, int] = {}
        self._source_no: dict[str, int] = {}
        self.buyer_index = KeyIndex()
        self.paying = bytearray()  # by buyer row: 1 once counted among the day's paying buyers
        self.source_buyers = KeyIndex()  # (source number, buyer row) pairs counted in `buyers_by_source`

    def minute(self, at: dt.datetime) -> int:
        """Minutes since the start of the day, clamped to 0–1439."""
        m = int((at - self.start).total_seconds() // 60)
        return 0 if m < 0 else MINUTES - 1 if m >= MINUTES else m

    def on_day(self, at: dt.datetime) -> bool:
        """True when `at` falls on the event day."""
        return self.start <= at < self.end

    def apply(self, events: Sequence[Event], moves: list[StockMove] | None = None) -> None:
        """Fold `events` into the totals (each event once: the ingest removes duplicate ids before).

        With `moves`, what each order event does to the stock is appended to it, decided by the same step
        of the order's state machine as the figures (a resend moves nothing): placed → `reserve`; paid (or a
        deposit) → `commit`, once the order is placed (a payment that came first commits with the order);
        a refund before the shipment → `release`; shipped → `ship`.
        """
        of_orders = [e for e in events if isinstance(e, ORDER_EVENTS)]
        rows = iter(self._order_rows([e.order_id for e in of_orders]))
        placing = [e for e in of_orders if isinstance(e, OrderEvent)]
        buyers = iter(self._buyer_rows([e.buyer_key or "order:" + e.order_id for e in placing]))
        pairs: list[tuple[int, int]] = []  # (source, buyer) of orders just counted as the day's sales
        flags_of = self.order_flags
        for e in events:
            self.seq += 1
            at = e.at
            # only the day's own events move its clock: a shipment or refund dated on a later day (or a
            # pre-sale order placed before) must not move the day's minute
            if self.start <= at < self.end and (self.clock is None or at > self.clock):
                self.clock = at
            if isinstance(e, ORDER_EVENTS):
                row = next(rows)
                buyer = next(buyers) if isinstance(e, OrderEvent) else -1
                old = flags_of[row]
                machine, effect = step(old, e)
                if effect is Effect.NONE:
                    continue
                flags = machine | (old & (DAY_PLACED | DAY_PAID))
                if moves is not None:
                    self._move(moves, row, old, effect, e)
                if effect is Effect.PLACE:
                    flags = self._place(row, flags, e, buyer, pairs)  # type: ignore[arg-type]
                elif effect is Effect.PAY:
                    flags = self._pay(row, flags, e, pairs)  # type: ignore[arg-type]
                elif effect is Effect.DEPOSIT:
                    self.deposits[row] = fen_of(e.amount)  # type: ignore[union-attr]
                elif effect is Effect.SHIP:
                    self.shipped += 1
                    if flags & PAID:
                        self.paid_not_shipped -= 1
                else:
                    if effect is Effect.FIRST_REFUND:
                        self.refunds += 1
                    self.refund_fen += fen_of(e.amount)  # type: ignore[union-attr]
                flags_of[row] = flags
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
        self._count_sources(pairs)

    def _move(self, moves: list[StockMove], row: int, old: int, effect: Effect, e: Event) -> None:
        """The stock move of an order's event (see `apply`); `old` the order's flags before it."""
        order_id: str = e.order_id  # type: ignore[union-attr]
        if effect is Effect.PLACE:
            lines = tuple((line.sku, line.quantity) for line in e.lines)  # type: ignore[union-attr]
            moves.append(StockMove("reserve", order_id, lines, e.at))
            if old & (PAID | DEPOSIT):  # paid before the order arrived
                moves.append(StockMove("commit", order_id, lines, e.at))
        elif effect in (Effect.PAY, Effect.DEPOSIT):
            if old & PLACED and not old & DEPOSIT:  # a balance after a deposit: committed already
                moves.append(StockMove("commit", order_id, self.order_items(row), e.at))
        elif effect is Effect.SHIP:
            moves.append(StockMove("ship", order_id, (), e.at))
        elif not old & SHIPPED:
            moves.append(StockMove("release", order_id, (), e.at))

    def order_items(self, row: int) -> tuple[tuple[str, int], ...]:
        """The (SKU, units) lines of the order in `row`, as placed (empty before its order event)."""
        first = self.order_line[row]
        return tuple((self.skus[self.line_sku[i]], self.line_units[i])
                     for i in range(first, first + self.order_lines[row]))

    def _order_rows(self, order_ids: list[str]) -> list[int]:
        if not order_ids:
            return []
        rows, _ = self.order_index.add(digests(order_ids))
        grow = self.order_index.count - len(self.order_flags)
        if grow:
            self.order_flags.frombytes(bytes(grow))
            self.order_minute.extend([-1] * grow)
            self.order_buyer.extend([-1] * grow)
            self.order_source.extend([-1] * grow)
            self.order_line.extend([0] * grow)
            self.order_lines.extend([0] * grow)
        return rows.tolist()  # type: ignore[no-any-return]

    def _buyer_rows(self, keys: list[str]) -> list[int]:
        if not keys:
            return []
        rows, _ = self.buyer_index.add(digests(keys))
        self.paying.extend(bytes(self.buyer_index.count - len(self.paying)))
        return rows.tolist()  # type: ignore[no-any-return]

    def _number(self, name: str, numbers: dict[str, int], names: list[str]) -> int:
        n = numbers.get(name)
        if n is None:
            n = numbers[name] = len(names)
            names.append(name)
        return n

    def _place(self, row: int, flags: int, e: OrderEvent, buyer: int, pairs: list[tuple[int, int]]) -> int:
        self.order_buyer[row] = buyer
        if e.source is not None:
            self.order_source[row] = self._number(e.source, self._source_no, self.sources)
        self.order_line[row] = len(self.line_sku)
        self.order_lines[row] = len(e.lines)
        day = self.start <= e.at < self.end
        m = self.minute(e.at)
        for line in e.lines:
            self.line_sku.append(self._number(line.sku, self._sku_no, self.skus))
            self.line_units.append(line.quantity)
            self.units[line.sku] = self.units.get(line.sku, 0) + line.quantity
            if day:
                series = self.units_by_minute.get(line.sku)
                if series is None:
                    series = self.units_by_minute[line.sku] = [0] * MINUTES
                series[m] += line.quantity
        if day:
            flags |= DAY_PLACED
            self.order_minute[row] = m
            self.placed += 1
            self.placed_fen += fen_of(e.amount)
            self.placed_by_minute[m] += 1
            if flags & PAID:
                self.paid_of_placed[m] += 1
        elif e.at < self.start:
            self.presale_orders += 1
        if flags & DAY_PAID:
            self._count_sale(row, pairs)
        return flags

    def _pay(self, row: int, flags: int, e: PaymentEvent, pairs: list[tuple[int, int]]) -> int:
        if not flags & SHIPPED:
            self.paid_not_shipped += 1
        deposit = self.deposits.pop(row, 0)
        if self.start <= e.at < self.end:
            flags |= DAY_PAID
            amount = fen_of(e.amount) + deposit
            self.paid += 1
            self.paid_fen += amount
            self.paid_by_minute[self.minute(e.at)] += amount
            if flags & PLACED:
                self._count_sale(row, pairs)
        if flags & DAY_PLACED:
            self.paid_of_placed[self.order_minute[row]] += 1
        return flags

    def _count_sale(self, row: int, pairs: list[tuple[int, int]]) -> None:
        """An order placed and paid on the day: its buyer among the paying buyers, its units among units sold."""
        buyer = self.order_buyer[row]
        if not self.paying[buyer]:
            self.paying[buyer] = 1
            self.buyers += 1
        if self.order_source[row] >= 0:
            pairs.append((self.order_source[row], buyer))
        first = self.order_line[row]
        for i in range(first, first + self.order_lines[row]):
            sku = self.skus[self.line_sku[i]]
            self.units_paid[sku] = self.units_paid.get(sku, 0) + self.line_units[i]

    def _count_sources(self, pairs: list[tuple[int, int]]) -> None:
        if not pairs:
            return
        _, new = self.source_buyers.add(digests([f"{s}:{b}" for s, b in pairs]))
        for (source, _), fresh in zip(pairs, new.tolist(), strict=True):
            if fresh:
                name = self.sources[source]
                self.buyers_by_source[name] = self.buyers_by_source.get(name, 0) + 1

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

    @property
    def nbytes(self) -> int:
        """Bytes the orders, buyers and ids of the state hold (columns and indexes; the small totals aside)."""
        columns = sum(getattr(self, name).itemsize * len(getattr(self, name)) for name, _, _ in _COLUMNS)
        indexes: int = sum(getattr(self, name).nbytes for name in _INDEXES)
        return int(columns) + len(self.paying) + indexes

    def export(self, copy: bool = True) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        """The whole state as JSON-ready values and numpy arrays (a snapshot's content); see `restore`.

        With `copy` False the arrays are views of the state's own memory: valid (and the state must not
        change) until they are dropped — a caller copies them into buffers it keeps (`ops.snapshots.Shadow`),
        cheaper than fresh copies of a large state.
        """
        meta: dict[str, Any] = {
            "format": SNAPSHOT_FORMAT,
            "start": self.start.isoformat(),
            "clock": None if self.clock is None else self.clock.isoformat(),
            "totals": {name: getattr(self, name) for name in _TOTALS},
            "series": {name: list(getattr(self, name)) for name in _SERIES},
            "counts": {name: dict(getattr(self, name)) for name in _COUNTS},
            "deposits": [[row, fen] for row, fen in self.deposits.items()],
            "skus": list(self.skus),
            "sources": list(self.sources),
        }
        arrays = {name: _np(getattr(self, name), dtype, copy) for name, _, dtype in _COLUMNS}
        arrays["paying"] = _np(self.paying, np.uint8, copy)
        for name in _INDEXES:
            arrays.update(getattr(self, name).arrays(name, copy))
        return meta, arrays

    @classmethod
    def restore(cls, meta: dict[str, Any], arrays: dict[str, npt.NDArray[Any]]) -> LiveState:
        """The state `export()` gave. Raises ValueError (or KeyError, TypeError) when the parts do not fit."""
        if meta.get("format") != SNAPSHOT_FORMAT:
            raise ValueError(f"snapshot format {meta.get('format')!r}, not {SNAPSHOT_FORMAT}")
        state = cls(dt.datetime.fromisoformat(meta["start"]))
        state.clock = None if meta["clock"] is None else dt.datetime.fromisoformat(meta["clock"])
        for name in _TOTALS:
            setattr(state, name, int(meta["totals"][name]))
        for name in _SERIES:
            values = meta["series"][name]
            if len(values) != MINUTES:
                raise ValueError(f"{name}: {len(values)} minutes")
            setattr(state, name, [float(v) for v in values] if name == "cs_wait" else [int(v) for v in values])
        for name in _COUNTS:
            setattr(state, name, dict(meta["counts"][name]))
        state.deposits = {int(row): int(fen) for row, fen in meta["deposits"]}
        state.skus, state.sources = list(meta["skus"]), list(meta["sources"])
        state._sku_no = {name: i for i, name in enumerate(state.skus)}
        state._source_no = {name: i for i, name in enumerate(state.sources)}
        for name, code, dtype in _COLUMNS:
            column = array(code)
            column.frombytes(np.ascontiguousarray(arrays[name], dtype=dtype).tobytes())
            setattr(state, name, column)
        state.paying = bytearray(np.ascontiguousarray(arrays["paying"], dtype=np.uint8).tobytes())
        for name in _INDEXES:
            setattr(state, name, KeyIndex.from_arrays(arrays, name))
        orders = len(state.order_flags)
        if any(len(getattr(state, name)) != orders for name, _, _ in _COLUMNS[:6]) or state.order_index.count != orders:
            raise ValueError("order columns of different lengths")
        if len(state.line_units) != len(state.line_sku) or len(state.paying) != state.buyer_index.count:
            raise ValueError("line or buyer columns of different lengths")
        return state

    def content(self) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        """What the state holds, independent of how its indexes are laid out: for comparing two states."""
        meta, _ = self.export()
        arrays: dict[str, list[Any]] = {name: list(getattr(self, name)) for name, _, _ in _COLUMNS}
        arrays["paying"] = list(self.paying)
        for name in _INDEXES:
            arrays[name] = getattr(self, name).keys_by_row().tolist()
        return meta, arrays
