"""JD (京东) order export: one row per order item, GB2312/GBK; later exports add columns (ignored)."""

from __future__ import annotations

from typing import ClassVar

from dachu.data import schema
from dachu.data.importers.base import (
    Field,
    Importer,
    address_parts_sql,
    address_split_sql,
    buyer_key_sql,
    drop_source,
    make_source,
    status_sql,
)
from dachu.data.importers.taobao import ORDER_KEEP, ORDER_TIMES, upsert_lines
from dachu.data.store import Store, UpsertCounts


class JdOrders(Importer):
    """京东订单导出: order fields repeat on each item row of the order."""

    name = "jd_orders"
    platform = "jd"
    primary = schema.ORDER_LINES
    signature = ("订单号", "商品ID", "京东价", "下单时间")
    fields: ClassVar[tuple[Field, ...]] = (
        Field("order_id", ("订单号",), "id", required=True),
        Field("sku", ("商品ID",), "id"),
        Field("title", ("商品名称",)),
        Field("quantity", ("订购数量",), "count", required=True),
        Field("created_at", ("下单时间",), "time", required=True),
        Field("unit_price", ("京东价",), "money"),
        Field("total_amount", ("订单金额",), "money"),
        Field("settled_amount", ("结算金额",), "money"),
        Field("payable", ("应付金额",), "money"),
        Field("status_raw", ("订单状态",), required=True),
        Field("buyer", ("下单帐号", "下单账号")),
        Field("receiver_name", ("客户姓名",)),
        Field("address", ("客户地址",)),
        Field("phone", ("联系电话",), "phone"),
        Field("shipping_fee", ("运费金额",), "money"),
        Field("paid_at", ("付款确认时间",), "time"),
        Field("completed_at", ("订单完成时间",), "time"),
        Field("channel", ("订单来源",)),
        Field("item_code", ("货号",), "id"),
    )

    def finalize(self, store: Store, stage: str) -> dict[str, UpsertCounts]:
        """Upsert lines and products, then orders (the first row of each order) and contacts."""
        out = upsert_lines(
            store,
            "SELECT 'jd' AS platform, order_id, "
            "CAST(row_number() OVER (PARTITION BY order_id ORDER BY _line) AS INTEGER) AS line_no, "
            "coalesce(sku, item_code) AS sku, title, CAST(NULL AS VARCHAR) AS attributes, unit_price, "
            f"CAST(quantity AS INTEGER) AS quantity, {status_sql('status_raw')} AS status, status_raw "
            f"FROM {stage} WHERE _rej IS NULL",
        )
        addr = address_parts_sql("address")
        kind = make_source(
            store,
            schema.ORDERS,
            "SELECT 'jd' AS platform, order_id, "
            f"{buyer_key_sql('jd', 'buyer')} AS buyer_key, {status_sql('status_raw')} AS status, status_raw, "
            "CAST(NULL AS VARCHAR) AS close_reason, created_at, paid_at, "
            "CAST(NULL AS TIMESTAMP) AS shipped_at, "
            "completed_at, CAST(480 AS SMALLINT) AS tz_offset_min, "
            "CAST(total_amount - coalesce(shipping_fee, 0) AS DECIMAL(18,2)) AS goods_amount, shipping_fee, "
            "total_amount, CASE WHEN paid_at IS NULL THEN 0 ELSE coalesce(payable, total_amount) END "
            "AS paid_amount, CAST(0 AS DECIMAL(18,2)) AS refund_amount, "
            "CAST(sum_qty AS INTEGER) AS item_count, title, "
            f"{addr['province']} AS province, {addr['city']} AS city, {addr['district']} AS district, "
            f"{addr['street']} AS street, CAST(NULL AS VARCHAR) AS carrier, "
            "CAST(NULL AS VARCHAR) AS tracking_no, CAST(NULL AS VARCHAR) AS shop_id, "
            "CAST(NULL AS BOOLEAN) AS is_mobile, channel, CAST(NULL AS DECIMAL(18,2)) AS deposit_amount, "
            "buyer, receiver_name, phone, address "
            f"FROM (SELECT *, sum(quantity) OVER (PARTITION BY order_id) AS sum_qty, "
            f"{address_split_sql('address')} AS _parts FROM {stage} "
            "WHERE _rej IS NULL QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY _line) = 1)"
        )
        out["orders"] = store.upsert(schema.ORDERS, "_src", keep=ORDER_KEEP, minutes=ORDER_TIMES)
        out["contacts"] = store.upsert(
            schema.CONTACTS,
            "(SELECT platform, order_id, buyer_key, buyer AS buyer_account, receiver_name, phone, "
            "CAST(NULL AS VARCHAR) AS mobile, province, city, district, street, address AS address_raw "
            "FROM _src)",
        )
        drop_source(store, kind)
        return out
