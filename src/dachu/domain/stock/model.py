"""The stock ledger's model (库存账): what every backend must do, as a plain in-memory reference.

Per SKU the ledger keeps units **on hand** (在库: in the warehouse, not yet shipped), **reserved** (占用: held
by unpaid orders until they are paid or their hold ends), **allocated** (已分配: paid, waiting to ship) and
**shipped**. **Available** (可售) = on hand − allocated − unexpired reservations; it is never negative.

Operations, each all-or-nothing and idempotent by order id (the Magento MSI model: every change is an
append-only ledger row with its reason and source, the balance kept in step):

- `reserve(order, lines, hold_until)`: holds every line's units, or none (the short lines and what is
  available are answered; nothing is kept of a refused order but its `refused` rows, so a retry is judged
  afresh). A second reserve of an order the ledger has answers `repeated`, changing nothing: `ok` while it
  is held (unexpired), allocated or shipped, not ok once released or expired.
- `commit(order)`: paid — the order's held units become allocated. A reservation whose hold has ended is
  taken again if the units are still there, else the commit is refused (`short`); an order never reserved
  is reserved and allocated in one step on the same terms.
- `release(order)`: closed or refunded before shipping — its held or allocated units are free again. An order
  whose hold has ended has nothing left to free (its hold expires: False).
- `ship(order)`: its allocated units leave: on hand and allocated both fall.
- `count(sku, on_hand)`: a stock count (盘点) sets on hand; `receive(sku, units)` adds a delivery. A count
  below what is promised (allocated + unexpired reservations) is refused: release the orders that cannot be
  filled first, so available never goes negative.
- `expire(now)`: turns reservations whose hold ended into `expired` rows (a clean-up: reads already
  ignore them), idempotent.

When ended holds become `expire` rows (the same in every backend, so their ledgers agree): a step on an
order first expires that order if its hold has ended; a new reserve, a commit that takes its units again
and a count first expire every held order with a line of their SKUs whose hold has ended (wholly: all its
lines); `expire(now)` the rest.

Time is the caller's (`now`): a replayed day holds and expires in its own time. Lines are component SKUs
(a bundle is resolved into its components first: `dachu.domain.stock.lines.resolve`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

Reason = Literal["count", "receive", "reserve", "refused", "commit", "release", "expire", "ship"]


@dataclass(frozen=True, slots=True)
class Line:
    """A quantity of one SKU (units > 0)."""

    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Short:
    """A line that could not be held: its SKU and the units available then."""

    sku: str
    available: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a reserve or commit did: `ok` with the lines held, or the short lines (nothing changed).

    `repeated`: the order was already in that state (an idempotent repeat: nothing written).
    """

    ok: bool
    lines: tuple[Line, ...] = ()
    short: tuple[Short, ...] = ()
    repeated: bool = False


@dataclass(frozen=True, slots=True)
class Balance:
    """One SKU's units at a time: on hand, unexpired reservations, allocated, shipped, and available."""

    sku: str
    on_hand: int
    reserved: int
    allocated: int
    shipped: int

    @property
    def available(self) -> int:
        """On hand − allocated − unexpired reservations (never negative: the ledger refuses what would be)."""
        return self.on_hand - self.allocated - self.reserved


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One change: the SKU, the signed change of each bucket, why (`reason`), for which order, from where."""

    sku: str
    reason: Reason
    on_hand: int
    reserved: int
    allocated: int
    order_id: str
    source: str
    at: dt.datetime


def merge(lines: Iterable[Line]) -> tuple[Line, ...]:
    """The lines with one per SKU (quantities added), in SKU order; lines of 0 units dropped."""
    units: dict[str, int] = {}
    for line in lines:
        units[line.sku] = units.get(line.sku, 0) + line.quantity
    return tuple(Line(sku, q) for sku, q in sorted(units.items()) if q > 0)


@dataclass
class _Order:
    lines: tuple[Line, ...]
    state: Literal["held", "allocated", "released", "expired", "shipped"]
    hold_until: dt.datetime | None


@dataclass
class PlainLedger:
    """The reference: the same promises in dictionaries (the backends' stateful test compares with it)."""

    on_hand: dict[str, int] = field(default_factory=dict)
    allocated: dict[str, int] = field(default_factory=dict)
    shipped: dict[str, int] = field(default_factory=dict)
    orders: dict[str, _Order] = field(default_factory=dict)
    rows: list[LedgerRow] = field(default_factory=list)

    def _held(self, sku: str, now: dt.datetime) -> int:
        return sum(
            q.quantity for o in self.orders.values() if o.state == "held" and o.hold_until and o.hold_until > now
            for q in o.lines if q.sku == sku
        )

    def balance(self, sku: str, now: dt.datetime) -> Balance:
        """The SKU's balance at `now` (a SKU never seen has all zeros)."""
        return Balance(sku, self.on_hand.get(sku, 0), self._held(sku, now), self.allocated.get(sku, 0),
                       self.shipped.get(sku, 0))

    def _short(self, lines: Sequence[Line], now: dt.datetime) -> tuple[Short, ...]:
        out = []
        for line in lines:
            available = self.balance(line.sku, now).available
            if available < line.quantity:
                out.append(Short(line.sku, max(0, available)))
        return tuple(out)

    def _row(self, sku: str, reason: Reason, order: str, now: dt.datetime, *, on_hand: int = 0, reserved: int = 0,
             allocated: int = 0, source: str = "") -> None:
        self.rows.append(LedgerRow(sku, reason, on_hand, reserved, allocated, order, source, now))

    def reserve(self, order: str, lines: Sequence[Line], hold_until: dt.datetime, now: dt.datetime,
                source: str = "") -> Outcome:
        """Hold every line or none (see the module docstring)."""
        lines = merge(lines)
        known = self.orders.get(order)
        if known is not None:
            self._lapse(order, known, now)
            return Outcome(known.state in ("held", "allocated", "shipped"), known.lines, repeated=True)
        self._lapse_skus({line.sku for line in lines}, now)
        short = self._short(lines, now)
        if short:
            for s in short:
                self._row(s.sku, "refused", order, now, source=source)
            return Outcome(False, short=short)
        self.orders[order] = _Order(lines, "held", hold_until)
        for line in lines:
            self._row(line.sku, "reserve", order, now, reserved=line.quantity, source=source)
        return Outcome(True, lines)

    def _lapse(self, order: str, known: _Order, now: dt.datetime) -> None:
        """Expire a held order whose hold has ended (reads ignore it already; this writes its rows)."""
        if known.state == "held" and known.hold_until is not None and known.hold_until <= now:
            known.state = "expired"
            for line in known.lines:
                self._row(line.sku, "expire", order, now, reserved=-line.quantity)

    def _lapse_skus(self, skus: set[str], now: dt.datetime) -> None:
        """Expire the held orders with a line of `skus` whose hold has ended (in order id order)."""
        for order, o in sorted(self.orders.items()):
            if any(line.sku in skus for line in o.lines):
                self._lapse(order, o, now)

    def commit(self, order: str, lines: Sequence[Line], now: dt.datetime, source: str = "") -> Outcome:
        """Allocate the order's units (its held ones, or taken again: see the module docstring)."""
        known = self.orders.get(order)
        if known is not None:
            self._lapse(order, known, now)
        if known is not None and known.state in ("allocated", "shipped"):
            return Outcome(True, known.lines, repeated=True)
        if known is not None and known.state == "released":
            return Outcome(False, known.lines)  # a closed order is not paid again
        held = known is not None and known.state == "held"
        wanted = known.lines if known is not None else merge(lines)
        if not held:
            self._lapse_skus({line.sku for line in wanted}, now)
            short = self._short(wanted, now)
            if short:
                for s in short:
                    self._row(s.sku, "refused", order, now, source=source)
                return Outcome(False, short=short)
        for line in wanted:
            self.allocated[line.sku] = self.allocated.get(line.sku, 0) + line.quantity
            self._row(line.sku, "commit", order, now, reserved=-line.quantity if held else 0,
                      allocated=line.quantity, source=source)
        self.orders[order] = _Order(wanted, "allocated", None)
        return Outcome(True, wanted)

    def release(self, order: str, now: dt.datetime, source: str = "") -> bool:
        """Free a held or allocated order's units; False when there was nothing to free."""
        known = self.orders.get(order)
        if known is not None:
            self._lapse(order, known, now)
        if known is None or known.state not in ("held", "allocated"):
            return False
        for line in known.lines:
            if known.state == "allocated":
                self.allocated[line.sku] -= line.quantity
                self._row(line.sku, "release", order, now, allocated=-line.quantity, source=source)
            else:
                self._row(line.sku, "release", order, now, reserved=-line.quantity, source=source)
        known.state = "released"
        return True

    def ship(self, order: str, now: dt.datetime, source: str = "") -> bool:
        """Ship an allocated order: its units leave on hand and allocated; False when not allocated."""
        known = self.orders.get(order)
        if known is not None:
            self._lapse(order, known, now)
        if known is None or known.state != "allocated":
            return False
        for line in known.lines:
            self.allocated[line.sku] -= line.quantity
            self.on_hand[line.sku] = self.on_hand.get(line.sku, 0) - line.quantity
            self.shipped[line.sku] = self.shipped.get(line.sku, 0) + line.quantity
            self._row(line.sku, "ship", order, now, on_hand=-line.quantity, allocated=-line.quantity, source=source)
        known.state = "shipped"
        return True

    def count(self, sku: str, on_hand: int, now: dt.datetime, source: str = "") -> bool:
        """Set on hand from a count; refused (False) below what is promised (allocated + unexpired held)."""
        self._lapse_skus({sku}, now)
        if on_hand < 0 or on_hand < self.allocated.get(sku, 0) + self._held(sku, now):
            return False
        delta = on_hand - self.on_hand.get(sku, 0)
        self.on_hand[sku] = on_hand
        self._row(sku, "count", "", now, on_hand=delta, source=source)
        return True

    def receive(self, sku: str, units: int, now: dt.datetime, source: str = "") -> bool:
        """Add a delivery of `units` (> 0) to on hand."""
        if units <= 0:
            return False
        self.on_hand[sku] = self.on_hand.get(sku, 0) + units
        self._row(sku, "receive", "", now, on_hand=units, source=source)
        return True

    def expire(self, now: dt.datetime) -> int:
        """Mark reservations whose hold ended as expired; how many orders."""
        n = 0
        for order, o in sorted(self.orders.items()):
            before = o.state
            self._lapse(order, o, now)
            n += before != o.state
        return n
