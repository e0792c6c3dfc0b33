"""Hand-built unpaid orders for the reminder tests: one tuple an order, lines by sku name."""

from __future__ import annotations

import datetime as dt

import numpy as np

from dachu.domain.automation.remind_inputs import BuyerFacts, UnpaidOrders


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def build(rows, *, paid=None, opted_out=()):
    """rows: (order_id, buyer, created 'YYYY-MM-DD HH:MM', amount yuan, [skus]); paid: {buyer: 'time'}."""
    paid = paid or {}
    skus: list[str] = []
    line_order, line_sku = [], []
    for i, (_, _, _, _, items) in enumerate(rows):
        for sku in items:
            if sku not in skus:
                skus.append(sku)
            line_order.append(i)
            line_sku.append(skus.index(sku))
    orders = UnpaidOrders(
        order_ids=[r[0] for r in rows],
        buyers=[r[1] for r in rows],
        created=np.array([np.datetime64(at(r[2]), "s") for r in rows], dtype="datetime64[s]"),
        amount_fen=np.array([round(r[3] * 100) for r in rows], dtype=np.int64),
        line_order=np.array(line_order, dtype=np.int32),
        line_sku=np.array(line_sku, dtype=np.int32),
        sku_names=skus,
    )
    last_paid = np.array([np.datetime64(at(paid[r[1]]), "s") if r[1] in paid else np.datetime64("NaT")
                          for r in rows], dtype="datetime64[s]")
    facts = BuyerFacts(last_paid, np.array([r[1] in opted_out for r in rows], dtype=bool))
    return orders, facts
