"""Shopify orders export (79 columns): one row per line item, order fields blank on continuation rows.

Older exports lack some columns (`Fulfillment Date` instead of `Fulfilled at`); times carry the shop's
UTC offset (`2026-11-11 00:05:12 +0800`), kept as wall time plus `tz_offset_min`. The order id is the
`Name` (#1001), present on every row.
"""

from __future__ import annotations

from typing import ClassVar

from dachu.data import schema
from dachu.data.importers.base import (
    Field,
    Importer,
    buyer_key_sql,
    drop_source,
    make_source,
    status_sql,
)
from dachu.data.importers.taobao import ORDER_KEEP, ORDER_TIMES, upsert_lines
from dachu.data.store import Store, UpsertCounts

_ORDER_VALUES = (
    "email",
    "financial_status",
    "fulfillment_status",
    "created_at",
    "tz_offset_min",
    "paid_at",
    "fulfilled_at",
    "cancelled_at",
    "subtotal",
    "shipping",
    "total",
    "refunded",
    "source",
    "ship_name",
    "ship_address",
    "ship_city",
    "ship_province",
    "ship_phone",
)


class ShopifyOrders(Importer):
    """Shopify `orders_export.csv`."""

    name = "shopify_orders"
    platform = "shopify"
    primary = schema.ORDER_LINES
    signature = ("Name", "Financial Status", "Lineitem name", "Lineitem quantity")
    fields: ClassVar[tuple[Field, ...]] = (
        Field("order_id", ("Name",), "id", required=True),
        Field("email", ("Email",)),
        Field("financial_status", ("Financial Status",)),
        Field("paid_at", ("Paid at",), "time"),
        Field("fulfillment_status", ("Fulfillment Status",)),
        Field("fulfilled_at", ("Fulfilled at", "Fulfillment Date"), "time"),
        Field("subtotal", ("Subtotal",), "money"),
        Field("shipping", ("Shipping",), "money"),
        Field("total", ("Total",), "money"),
        Field("created_at", ("Created at",), "time"),
        Field("tz_offset_min", ("Created at",), "tz_offset"),
        Field("quantity", ("Lineitem quantity",), "count", required=True),
        Field("title", ("Lineitem name",)),
        Field("unit_price", ("Lineitem price",), "money"),
        Field("sku", ("Lineitem sku",), "id"),
        Field("ship_name", ("Shipping Name",)),
        Field("ship_address", ("Shipping Address1",)),
        Field("ship_city", ("Shipping City",)),
        Field("ship_province", ("Shipping Province Name", "Shipping Province")),
        Field("ship_phone", ("Shipping Phone", "Phone"), "phone"),
        Field("cancelled_at", ("Cancelled at",), "time"),
        Field("refunded", ("Refunded Amount",), "money"),
        Field("source", ("Source",)),
    )

    def finalize(self, store: Store, stage: str) -> dict[str, UpsertCounts]:
        """Upsert lines and products, then orders from the non-blank order fields, then contacts."""
        out = upsert_lines(
            store,
            "SELECT 'shopify' AS platform, order_id, "
            "CAST(row_number() OVER (PARTITION BY order_id ORDER BY _line) AS INTEGER) AS line_no, "
            "sku, title, CAST(NULL AS VARCHAR) AS attributes, unit_price, "
            "CAST(quantity AS INTEGER) AS quantity, "
            "CAST(NULL AS VARCHAR) AS status, CAST(NULL AS VARCHAR) AS status_raw "
            f"FROM {stage} WHERE _rej IS NULL",
        )
        # order fields: the first non-blank value over the order's rows (continuation rows are blank)
        firsts = ", ".join(
            f"first({c} ORDER BY _line) FILTER (WHERE {c} IS NOT NULL) AS {c}" for c in _ORDER_VALUES
        )
        fin = status_sql("financial_status")
        status = (
            f"CASE WHEN cancelled_at IS NOT NULL AND {fin} NOT IN ('refunded', 'partially_refunded') "
            "THEN 'closed' "
            f"WHEN {fin} = 'paid' AND fulfillment_status = 'fulfilled' THEN 'shipped' "
            f"WHEN {fin} = 'paid' AND fulfillment_status = 'partial' THEN 'partially_shipped' ELSE {fin} END"
        )
        kind = make_source(
            store,
            schema.ORDERS,
            "SELECT 'shopify' AS platform, order_id, "
            f"{buyer_key_sql('shopify', 'email')} AS buyer_key, {status} AS status, "
            "financial_status AS status_raw, CAST(NULL AS VARCHAR) AS close_reason, created_at, paid_at, "
            "fulfilled_at AS shipped_at, CAST(NULL AS TIMESTAMP) AS completed_at, "
            "CAST(tz_offset_min AS SMALLINT) AS tz_offset_min, subtotal AS goods_amount, "
            "shipping AS shipping_fee, total AS total_amount, "
            "CASE WHEN paid_at IS NULL THEN 0 ELSE total END AS paid_amount, "
            "coalesce(refunded, 0) AS refund_amount, CAST(item_count AS INTEGER) AS item_count, "
            "CAST(NULL AS VARCHAR) AS title, ship_province AS province, ship_city AS city, "
            "CAST(NULL AS VARCHAR) AS carrier, CAST(NULL AS VARCHAR) AS tracking_no, "
            "CAST(NULL AS VARCHAR) AS shop_id, CAST(NULL AS BOOLEAN) AS is_mobile, source AS channel, "
            "CAST(NULL AS DECIMAL(18,2)) AS deposit_amount, "
            "email, ship_name, ship_phone, ship_address "
            f"FROM (SELECT order_id, {firsts}, sum(quantity) AS item_count FROM {stage} "
            "WHERE _rej IS NULL GROUP BY order_id)"
        )
        out["orders"] = store.upsert(schema.ORDERS, "_src", keep=ORDER_KEEP, minutes=ORDER_TIMES)
        out["contacts"] = store.upsert(
            schema.CONTACTS,
            "(SELECT platform, order_id, buyer_key, email AS buyer_account, ship_name AS receiver_name, "
            "ship_phone AS phone, CAST(NULL AS VARCHAR) AS mobile, province, city, "
            "CAST(NULL AS VARCHAR) AS district, ship_address AS street, "
            "ship_address AS address_raw FROM _src)",
        )
        drop_source(store, kind)
        return out
