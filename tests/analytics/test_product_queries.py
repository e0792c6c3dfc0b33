"""Product sales per hour with each sku's totals, on a tiny store worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from dachu.analytics import queries as q
from dachu.analytics.source import Period, Source
from dachu.data.store import Store

DAY = Period.day(dt.date(2026, 11, 11))


def test_each_hour_row_carries_its_skus_totals(tmp_path: Path) -> None:
    # o1 paid 10:00: A 2 × 40.00; o2 paid 10:30: A 1 × 50.00, B 1 × 30.50; o3 paid 21:00: A 3 × 10.00;
    # o4 paid the day after (A 9 × 1.00): out. A: hour 10 → 3 units, 130.00; hour 21 → 3, 30.00; total 6, 160.00.
    # B: hour 10 → 1, 30.50 = its total.
    path = tmp_path / "s.duckdb"
    with Store.open(path) as st:
        st.con.execute(
            "INSERT INTO orders (platform, order_id, status, paid_at, paid_amount) VALUES "
            "('tmall', 'o1', 'paid', '2026-11-11 10:00:00', 80), ('tmall', 'o2', 'paid', '2026-11-11 10:30:00', 80.5), "
            "('tmall', 'o3', 'paid', '2026-11-11 21:00:00', 30), ('tmall', 'o4', 'paid', '2026-11-12 00:00:00', 9)"
        )
        st.con.execute(
            "INSERT INTO order_lines (platform, order_id, line_no, sku, unit_price, quantity) VALUES "
            "('tmall', 'o1', 1, 'A', 40, 2), ('tmall', 'o2', 1, 'A', 50, 1), ('tmall', 'o2', 2, 'B', 30.5, 1), "
            "('tmall', 'o3', 1, 'A', 10, 3), ('tmall', 'o4', 1, 'A', 1, 9)"
        )
    with Source.open(path) as src:
        rows = sorted(src.rows(q.product_sales_by_hour(src, DAY)), key=lambda r: (r["sku"], r["hour"]))
    got = [
        (r["sku"], r["hour"], r["units_sold"], r["product_sales"], r["sku_units_sold"], r["sku_product_sales"])
        for r in rows
    ]
    assert got == [
        ("A", 10, 3, Decimal("130.00"), 6, Decimal("160.00")),
        ("A", 21, 3, Decimal("30.00"), 6, Decimal("160.00")),
        ("B", 10, 1, Decimal("30.50"), 1, Decimal("30.50")),
    ]
