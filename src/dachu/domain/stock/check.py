"""The ledger's invariants (库存核对), and the ledger reconciled with the store's orders. Pure.

- no SKU's available is negative;
- each SKU's balance is the sum of its ledger rows (on hand, reserved, allocated; shipped = units shipped);
- every order's units add up: per SKU its held and its allocated units are each 0 or what it ordered, and never
  both at once (a released, expired or shipped order holds nothing);
- reconciled with the store: orders paid in the store but not allocated in the ledger, and orders allocated
  (or shipped) in the ledger that the store does not have as paid.

Each problem is a catalogue key and its parameters (`stock.check.*`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dachu.domain.stock.model import Balance, LedgerRow


@dataclass(frozen=True)
class Finding:
    """One problem the check found: its catalogue key and parameters."""

    key: str
    params: tuple[tuple[str, str], ...]


def _f(key: str, **params: object) -> Finding:
    return Finding(key, tuple((k, str(v)) for k, v in params.items()))


def sold_orders(rows: Iterable[LedgerRow]) -> set[str]:
    """Orders the ledger holds as sold: allocated (a `commit` row) and not released since."""
    state: dict[str, str] = {}
    for row in rows:
        if row.order_id and row.reason in ("commit", "release"):
            state[row.order_id] = row.reason
    return {order for order, reason in state.items() if reason == "commit"}


def check_ledger(balances: Sequence[Balance], rows: Sequence[LedgerRow]) -> list[Finding]:
    """The invariants of the module doc over every balance and every ledger row (expired holds cleaned first)."""
    out: list[Finding] = []
    sums: dict[str, list[int]] = {}
    units: dict[tuple[str, str], list[int]] = {}  # (order, SKU) → [reserved, allocated, most ordered]
    for row in rows:
        total = sums.setdefault(row.sku, [0, 0, 0, 0])
        total[0] += row.on_hand
        total[1] += row.reserved
        total[2] += row.allocated
        if row.reason == "ship":
            total[3] -= row.on_hand
        if row.order_id:
            per = units.setdefault((row.order_id, row.sku), [0, 0, 0])
            per[0] += row.reserved
            per[1] += row.allocated
            per[2] = max(per[2], row.reserved, row.allocated)
    for b in balances:
        if b.available < 0:
            out.append(_f("stock.check.negative", sku=b.sku, available=b.available))
        total = sums.get(b.sku, [0, 0, 0, 0])
        for bucket, balance, summed in zip(("on_hand", "reserved", "allocated", "shipped"),
                                           (b.on_hand, b.reserved, b.allocated, b.shipped), total, strict=True):
            if balance != summed:
                out.append(_f("stock.check.balance", sku=b.sku, bucket=bucket, balance=balance, rows=summed))
    for (order, sku), (held, allocated, ordered) in sorted(units.items()):
        if held not in (0, ordered) or allocated not in (0, ordered) or (held and allocated):
            out.append(_f("stock.check.order_units", order=order, sku=sku, units=held + allocated))
    return out


def reconcile(ledger_sold: set[str], store_paid: set[str]) -> list[Finding]:
    """Orders paid in the store but not allocated in the ledger, and allocated in the ledger but not paid."""
    out = [_f("stock.check.paid_not_allocated", order=o) for o in sorted(store_paid - ledger_sold)]
    out += [_f("stock.check.allocated_not_paid", order=o) for o in sorted(ledger_sold - store_paid)]
    return out
