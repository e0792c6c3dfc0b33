"""The stock guard's door for the faces (库存防超卖): the ledger seen through the campaign's products.

`open_stock(url)` opens a ledger (`sqlite` — `stock.sqlite` beside the store —, `sqlite:///path`, a plain
path, or `redis://HOST:PORT/DB`). `Stock` wraps it with the campaign's products: order lines are resolved
into components first (`dachu.domain.stock.lines.resolve`: a bundle takes its components' units), a line
of an unknown SKU is refused by name, and a SKU the ledger has never counted starts at the campaign's
`stock` (a `count` row, source `campaign`). The HTTP API of `dachu serve` (reserve / commit / release) and
`dachu stock` call it; the war room drives it from its events through `RoomStock`.

`RoomStock` is the war room's part: each order event's `StockMove` (decided with the figures by the order
state machine, `LiveState.apply`) goes to the ledger — placed → reserve (held `hold_minutes`), paid →
commit, refunded before shipping → release, shipped → ship. A platform order the ledger cannot hold was
taken by the platform all the same: it is an oversell, kept as the ledger's `refused` rows and alerted on.
A line whose SKU is no product of the campaign is set aside (not in the ledger), with its reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dachu.domain.campaign.live import DEFAULT_SETTINGS, LiveSettings
from dachu.domain.live.state import StockMove
from dachu.domain.plan.plan import Plan
from dachu.domain.prepare.stock_plan import stock_plan
from dachu.domain.stock.check import Finding, check_ledger, reconcile, sold_orders
from dachu.domain.stock.lines import UnknownSku, bundles, resolve
from dachu.domain.stock.model import Balance, LedgerRow, Line, Outcome
from dachu.errors import IngestError, InputError
from dachu.ops.stock.backend import StockBackend, open_backend

__all__ = [
    "DEFAULT_FILE",
    "Balance",
    "Finding",
    "LedgerRow",
    "Line",
    "Outcome",
    "Plan",
    "RoomStock",
    "StatusRow",
    "Stock",
    "StockBackend",
    "api_call",
    "balance_json",
    "check",
    "ledger_of",
    "open_stock",
    "status",
    "stock_url",
    "store_paid_orders",
]

DEFAULT_FILE = "stock.sqlite"
"""The SQLite ledger's file name, beside the store (`--stock sqlite`, the default)."""
SOURCE_CAMPAIGN = "campaign"
MAX_ROWS = 10_000_000
_M = TypeVar("_M", bound="_Body")


class _Product(Protocol):
    @property
    def sku(self) -> str: ...

    @property
    def stock(self) -> int | None: ...

    @property
    def components(self) -> Mapping[str, int] | None: ...


def stock_url(option: str | None, beside: Path) -> str | None:
    """The ledger's URL: `option` as given, for `sqlite` / None the file `stock.sqlite` in `beside`, for `none` None.

    `none`: a war room that guards no stock (it shows the campaign's stock less the units ordered).
    """
    if option == "none":
        return None
    if option is None or option == "sqlite":
        return str(beside / DEFAULT_FILE)
    return option


def open_stock(url: str) -> StockBackend:
    """The ledger at `url`. Raises InputError (`stock.backend_unknown`) when it cannot be opened."""
    try:
        return open_backend(url)
    except (ImportError, OSError, ValueError) as exc:
        raise InputError("stock.backend_unknown", url=url, detail=f"{type(exc).__name__}: {exc}") from None


class Stock:
    """The ledger with the campaign's products: resolves bundles, knows the SKUs, seeds the first counts."""

    def __init__(self, backend: StockBackend, products: Iterable[_Product]) -> None:
        self.backend = backend
        self.products = list(products)
        self.table = bundles(self.products)  # SKU → components (a single product: itself)
        self.components = sorted({sku for parts in self.table.values() for sku in parts})

    def seed(self, now: dt.datetime) -> list[str]:
        """Count the campaign's `stock` for each single product the ledger has never counted; which were."""
        seeded = []
        for p in self.products:
            if p.components or p.stock is None:
                continue
            if not self.backend.ledger(sku=p.sku, limit=1):
                self.backend.count(p.sku, p.stock, now=now, source=SOURCE_CAMPAIGN)
                seeded.append(p.sku)
        return seeded

    def lines(self, lines: Sequence[Any], field_prefix: str = "lines") -> tuple[Line, ...]:
        """The component lines of an order's `lines` (objects or dicts with `sku` and `quantity`).

        Raises IngestError (400, `stock.api.unknown_sku`) naming the first line of an unknown SKU.
        """
        items = [Line(str(x["sku"]), int(x["quantity"])) if isinstance(x, Mapping) else x for x in lines]
        try:
            return resolve(items, self.table)
        except UnknownSku as exc:
            raise IngestError("stock.api.unknown_sku", status=400, field=f"{field_prefix}[{exc.index}].sku",
                              sku=exc.sku) from None

    def available(self, now: dt.datetime) -> dict[str, int]:
        """Units available per product at `now`: a single product's balance, a bundle's whole sets."""
        by_sku = {b.sku: b.available for b in self.backend.balances(now, self.components)}
        out: dict[str, int] = {}
        for sku, parts in self.table.items():
            out[sku] = max(0, min((by_sku.get(c, 0) // units for c, units in parts.items()), default=0))
        return out

    def balances(self, now: dt.datetime) -> list[Balance]:
        """Each component SKU's balance at `now` (SKUs the ledger holds beyond the campaign's too)."""
        return self.backend.balances(now)

    def reserve(self, order_id: str, lines: Sequence[Any], *, hold_minutes: int, now: dt.datetime,
                channel: str = "") -> Outcome:
        """Hold the order's units for `hold_minutes`, all or none (a repeat answers as the first did)."""
        resolved = self.lines(lines)
        hold_until = now + dt.timedelta(minutes=hold_minutes)
        return self.backend.reserve(order_id, resolved, hold_until=hold_until, now=now, source=f"api:{channel}")

    def commit(self, order_id: str, *, now: dt.datetime, channel: str = "") -> Outcome:
        """Paid: allocate the order's held units (taken again if its hold ended and they are still there)."""
        return self.backend.commit(order_id, (), now=now, source=f"api:{channel}")

    def release(self, order_id: str, *, now: dt.datetime, channel: str = "") -> bool:
        """Closed before shipping: free its units; False when it held nothing."""
        return self.backend.release(order_id, now=now, source=f"api:{channel}")

    def close(self) -> None:
        """Let the ledger go."""
        self.backend.close()


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    """An outcome as the HTTP API answers it."""
    if outcome.ok:
        return {"reserved": [{"sku": x.sku, "quantity": x.quantity} for x in outcome.lines],
                "repeated": outcome.repeated}
    return {"short": [{"sku": s.sku, "available": s.available} for s in outcome.short]}


def balance_json(b: Balance) -> dict[str, Any]:
    """A balance as the HTTP API and `dachu stock status --format json` show it."""
    return {"sku": b.sku, "on_hand": b.on_hand, "reserved": b.reserved, "allocated": b.allocated,
            "shipped": b.shipped, "available": b.available}


@dataclass
class RoomStock:
    """The war room's ledger: its events' stock moves in, the oversells and the set-aside lines out."""

    stock: Stock
    settings: LiveSettings = DEFAULT_SETTINGS
    source: str = "warroom"
    oversold: dict[str, set[str]] = field(default_factory=dict)  # SKU → orders refused and not since allocated

    def __post_init__(self) -> None:
        for sku in self.stock.components:  # the oversells a previous run recorded
            for row in self.stock.backend.ledger(sku=sku, limit=MAX_ROWS):
                if row.reason == "refused":
                    self.oversold.setdefault(sku, set()).add(row.order_id)
                elif row.reason == "commit":
                    self.oversold.get(sku, set()).discard(row.order_id)

    def _applied(self, move: StockMove) -> bool:
        """Whether the ledger already holds this move (a rebuild reads again events it took before a stop)."""
        reasons = {"reserve": ("reserve", "refused"), "commit": ("commit", "refused"),
                   "release": ("release",), "ship": ("ship",)}[move.kind]
        return any(r.at == move.at and r.reason in reasons
                   for r in self.stock.backend.ledger(order_id=move.order_id, limit=MAX_ROWS))

    def apply(self, moves: Sequence[StockMove], *, replay: bool = False) -> list[dict[str, Any]]:
        """Send the moves to the ledger, in order; the lines set aside (unknown SKUs), each with its reason.

        With `replay` (the start-up's rebuild) a move the ledger already holds is skipped, so a refused
        order is not counted twice; every other move is idempotent by order id anyway.
        """
        backend = self.stock.backend
        batch = getattr(backend, "batch", None)  # SQLite: the batch's moves in one transaction
        with batch() if batch is not None else contextlib.nullcontext():
            return self._apply(moves, replay)

    def _apply(self, moves: Sequence[StockMove], replay: bool) -> list[dict[str, Any]]:
        set_aside: list[dict[str, Any]] = []
        backend, table = self.stock.backend, self.stock.table
        for move in moves:
            if replay and self._applied(move):
                continue
            if move.kind in ("reserve", "commit"):
                known: list[Line] = []
                for i, (sku, units) in enumerate(move.lines):
                    if sku in table:
                        known.append(Line(sku, units))
                    elif move.kind == "reserve":
                        set_aside.append({"order_id": move.order_id, "line": i, "sku": sku, "quantity": units})
                lines = resolve(known, table)
                if move.kind == "reserve":
                    until = move.at + dt.timedelta(minutes=self.settings.hold_minutes)
                    outcome = backend.reserve(move.order_id, lines, hold_until=until, now=move.at, source=self.source)
                else:
                    outcome = backend.commit(move.order_id, lines, now=move.at, source=self.source)
                if outcome.ok and move.kind == "commit":
                    for line in outcome.lines:
                        self.oversold.get(line.sku, set()).discard(move.order_id)
                for short in outcome.short:
                    self.oversold.setdefault(short.sku, set()).add(move.order_id)
            elif move.kind == "release":
                backend.release(move.order_id, now=move.at, source=self.source)
            else:
                backend.ship(move.order_id, now=move.at, source=self.source)
        return set_aside

    def oversold_orders(self) -> dict[str, int]:
        """Orders refused per component SKU (taken by a platform beyond the stock, not allocated since)."""
        return {sku: len(orders) for sku, orders in sorted(self.oversold.items()) if orders}


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ApiLine(_Body):
    sku: Annotated[str, Field(min_length=1, max_length=100)]
    quantity: Annotated[int, Field(gt=0, le=100_000)] = 1


class ReserveBody(_Body):
    """`POST /api/stock/reserve`: the order, its lines, the selling channel, how long to hold (minutes)."""

    order_id: Annotated[str, Field(min_length=1, max_length=100)]
    lines: Annotated[list[_ApiLine], Field(min_length=1, max_length=1000)]
    channel: Annotated[str, Field(max_length=100)] = ""
    hold_minutes: Annotated[int, Field(ge=1, le=7 * 24 * 60)] = 15


class OrderBody(_Body):
    """`POST /api/stock/commit` and `/release`: the order (and the channel, for the ledger's source)."""

    order_id: Annotated[str, Field(min_length=1, max_length=100)]
    channel: Annotated[str, Field(max_length=100)] = ""


def _parse(model: type[_M], body: bytes) -> _M:
    """The body as `model`; IngestError 400 (`stock.api.bad_body`) naming the field otherwise."""
    try:
        return model.model_validate_json(body or b"{}")
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(x) if not isinstance(x, int) else f"[{x}]" for x in err["loc"]).replace(".[", "[")
        raise IngestError("stock.api.bad_body", status=400, field=where, detail=f"{where}: {err['msg']}"[:300]
                          ) from None


def api_call(stock: Stock, kind: str, body: bytes, now: dt.datetime) -> tuple[int, dict[str, Any]]:
    """One call of the stock API (`reserve`, `commit`, `release`): (HTTP status, JSON answer).

    Idempotent by order id: a repeated reserve or commit answers as the first did. Raises IngestError for a
    bad body (400, the field named) or an unknown SKU (400, the line named).
    """
    if kind == "reserve":
        req = _parse(ReserveBody, body)
        outcome = stock.reserve(req.order_id, [Line(x.sku, x.quantity) for x in req.lines],
                                hold_minutes=req.hold_minutes, now=now, channel=req.channel)
        return (200 if outcome.ok else 409), {"order_id": req.order_id, **outcome_json(outcome)}
    order = _parse(OrderBody, body)
    if not stock.backend.ledger(order_id=order.order_id, limit=1):
        raise IngestError("stock.api.unknown_order", status=404, order=order.order_id)
    if kind == "commit":
        outcome = stock.commit(order.order_id, now=now, channel=order.channel)
        if outcome.ok:
            return 200, {"order_id": order.order_id, "allocated": outcome_json(outcome)["reserved"],
                         "repeated": outcome.repeated}
        if not outcome.short:  # closed before: not paid again
            raise IngestError("stock.api.not_paid", status=409, order=order.order_id)
        return 409, {"order_id": order.order_id, **outcome_json(outcome)}
    released = stock.release(order.order_id, now=now, channel=order.channel)
    return 200, {"order_id": order.order_id, "released": released}


@dataclass(frozen=True)
class StatusRow:
    """One SKU of `dachu stock status`: its balance, and the replenishment suggested (units, lead time, point)."""

    sku: str
    name: str
    balance: Balance
    reorder: tuple[int, str, int] | None  # (units to order, lead time in days, reorder point) when due


def ledger_of(plan: Plan, url: str, now: dt.datetime) -> Stock:
    """The campaign's ledger at `url`, its never-counted SKUs counted from the campaign's `stock`."""
    stock = Stock(open_stock(url), plan.campaign.products)
    stock.seed(now)
    return stock


def status(plan: Plan, stock: Stock, now: dt.datetime) -> list[StatusRow]:
    """Every SKU's balance with its replenishment suggestion.

    A product whose available units are at or below its reorder point (daily demand × the supplier's lead
    time + safety stock: the stock plan's, `warehouse.stock.items[sku].lead_time_days`) is suggested an
    order of the reorder point plus one event day's demand, less what is available.
    """
    lines = {line.sku: line for line in stock_plan(plan).lines}
    campaign = plan.campaign
    items = campaign.warehouse.stock.items if campaign.warehouse is not None else {}
    names = {p.sku: p.name for p in campaign.products}
    out = []
    for b in stock.balances(now):
        line = lines.get(b.sku)
        item = items.get(b.sku)
        reorder = None
        if line is not None and line.reorder_point is not None and item is not None and item.lead_time_days is not None:
            if b.available <= line.reorder_point:
                units = line.reorder_point + line.day_units - b.available
                reorder = (units, f"{item.lead_time_days.normalize():f}", line.reorder_point)
        out.append(StatusRow(b.sku, names.get(b.sku, ""), b, reorder))
    return out


def store_paid_orders(store_path: Path) -> set[str]:
    """Orders the store holds as paid (and not refunded before shipping), by the war room's order ids.

    An order of platform `live` is its id; any other is `platform:id` (as the war room's events name it).
    """
    from dachu.data.store import Store

    if not store_path.exists():
        return set()
    with Store.open(store_path) as store:
        rows = store.con.execute(
            "SELECT platform, order_id FROM orders WHERE paid_at IS NOT NULL AND NOT "
            "(status IN ('refunded', 'closed', 'closed_by_platform') AND shipped_at IS NULL)").fetchall()
    return {oid if platform == "live" else f"{platform}:{oid}" for platform, oid in rows}


def check(stock: Stock, store_path: Path, now: dt.datetime) -> tuple[list[Finding], dict[str, int]]:
    """The ledger's invariants and its reconciliation with the store (`dachu.domain.stock.check`).

    Expired holds are cleaned first (`expire`, idempotent), so the balances and the rows agree on them.
    Returns the problems and the counts checked (SKUs, rows, orders).
    """
    stock.backend.expire(now)
    balances = stock.backend.balances(now)
    rows = stock.backend.ledger(limit=MAX_ROWS)
    sold = sold_orders(rows)
    findings = check_ledger(balances, rows) + reconcile(sold, store_paid_orders(store_path))
    orders = len({r.order_id for r in rows if r.order_id})
    return findings, {"skus": len(balances), "rows": len(rows), "orders": orders}
