"""An order's lines as the ledger holds them (出库明细): bundles resolved into their components.

A bundle (组合装) is a product with `components` (`{SKU: units}`): selling one takes each component's units
from the stock, and the bundle has no stock of its own. `resolve` turns an order's lines — any objects with
`sku` and `quantity`, the war room's event lines or the HTTP API's — into component lines, one per SKU (the
ledger's `merge`), so two bundles sharing a component take from one count and can never oversell it.

A line whose SKU is not a product of the campaign is not guessed at: `resolve` raises `UnknownSku` naming
the first one (its index in the lines), `unknown_lines` lists them all. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from dachu.domain.stock.model import Line, merge


class _Product(Protocol):
    @property
    def sku(self) -> str: ...

    @property
    def components(self) -> Mapping[str, int] | None: ...


class _OrderLine(Protocol):
    @property
    def sku(self) -> str: ...

    @property
    def quantity(self) -> int: ...


class UnknownSku(ValueError):
    """A line's SKU is no product of the campaign: `sku` and the line's `index`."""

    def __init__(self, sku: str, index: int) -> None:
        super().__init__(f"unknown sku {sku!r} (line {index})")
        self.sku = sku
        self.index = index


def bundles(products: Iterable[_Product]) -> dict[str, dict[str, int]]:
    """Every SKU of `products` → its components (a plain product is one unit of itself)."""
    return {p.sku: dict(p.components) if p.components else {p.sku: 1} for p in products}


def unknown_lines(lines: Sequence[_OrderLine], products: Iterable[_Product]) -> list[int]:
    """The indexes of the lines whose SKU is no product of the campaign (empty when all are known)."""
    known = {p.sku for p in products}
    return [i for i, line in enumerate(lines) if line.sku not in known]


def resolve(lines: Sequence[_OrderLine], products: Iterable[_Product] | Mapping[str, Mapping[str, int]]
            ) -> tuple[Line, ...]:
    """The component lines of `lines`, one per SKU in SKU order (quantities × the bundles' units, added up).

    `products` is the campaign's products, or their `bundles(...)` already made (cheaper per order).
    Raises `UnknownSku` for the first line whose SKU is not among them.
    """
    table = products if isinstance(products, Mapping) else bundles(products)
    out: list[Line] = []
    for i, line in enumerate(lines):
        parts = table.get(line.sku)
        if parts is None:
            raise UnknownSku(line.sku, i)
        out.extend(Line(sku, units * line.quantity) for sku, units in parts.items())
    return merge(out)
