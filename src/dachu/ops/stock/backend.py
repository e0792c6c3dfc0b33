"""The `StockBackend` seam: what every stock ledger backend does (the promises: `dachu.domain.stock.model`).

Every method is one atomic step, safe from many threads and processes at once, and idempotent by order id.
`now` is the caller's clock (a replayed day holds and expires in its own time). `lines` are component SKUs
(bundles resolved first). `source` says who moved the stock (`warroom`, `api:<channel>`, `cli`, `count`).

`open_backend(url)` opens one by URL: `sqlite:///path/to/stock.sqlite` (or a plain path) or
`redis://HOST:PORT/DB`. Each process opens its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from dachu.domain.stock.model import Balance, LedgerRow, Line, Outcome


class StockBackend(Protocol):
    """A stock ledger (see the module docstring and `dachu.domain.stock.model` for each promise)."""

    url: str
    """Where it lives, without any password (shown in `dachu stock status` and the war room's health)."""

    def reserve(self, order_id: str, lines: Sequence[Line], *, hold_until: dt.datetime, now: dt.datetime,
                source: str = "") -> Outcome:
        """Hold every line until `hold_until`, or none (answering the short lines); a repeat changes nothing."""
        ...

    def commit(self, order_id: str, lines: Sequence[Line], *, now: dt.datetime, source: str = "") -> Outcome:
        """Paid: allocate the order's units (held, else taken again if available; `lines` for an order never held)."""
        ...

    def release(self, order_id: str, *, now: dt.datetime, source: str = "") -> bool:
        """Closed or refunded before shipping: free its held or allocated units; False if nothing to free."""
        ...

    def ship(self, order_id: str, *, now: dt.datetime, source: str = "") -> bool:
        """Shipped: its allocated units leave on hand; False if it was not allocated."""
        ...

    def count(self, sku: str, on_hand: int, *, now: dt.datetime, source: str = "") -> bool:
        """A stock count (盘点) sets on hand; refused (False) below 0 or below allocated + unexpired held."""
        ...

    def receive(self, sku: str, units: int, *, now: dt.datetime, source: str = "") -> bool:
        """A delivery adds `units` (> 0) to on hand; False for units ≤ 0."""
        ...

    def expire(self, now: dt.datetime) -> int:
        """Clean-up: reservations whose hold ended by `now` become `expire` rows; how many orders (idempotent)."""
        ...

    def balances(self, now: dt.datetime, skus: Sequence[str] | None = None) -> list[Balance]:
        """Each SKU's balance at `now` (expired holds not counted), in SKU order; `skus` None: every SKU known."""
        ...

    def ledger(self, *, sku: str | None = None, order_id: str | None = None, limit: int = 1000) -> list[LedgerRow]:
        """The ledger's rows, oldest first, for one SKU or one order (or all), at most `limit`."""
        ...

    def close(self) -> None:
        """Let the file or the connection go."""
        ...


def open_backend(url: str) -> StockBackend:
    """The backend at `url`: `redis://…` for Redis, `sqlite:///path` or a plain path for SQLite."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from dachu.ops.stock.redis_backend import RedisStock

        return RedisStock(url)
    from dachu.ops.stock.sqlite_backend import SqliteStock

    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url
    return SqliteStock(Path(path))
