"""Tmall/Taobao exports: 订单报表 (ExportOrderList*.csv, 45 or 67 columns) and 宝贝报表 (order lines).

Both are GBK (or GB18030) CSV, or UTF-8 with BOM after re-saving; ids wrapped as `="…"`, phones with a
leading `'`, dates `yyyy-MM-dd HH:mm:ss` or `yyyy/MM/dd HH:mm` after Excel, amounts with a `元` suffix,
header names with trailing spaces. Excel's re-save drops the seconds: such times are accepted as the
whole minute, and a time stored with seconds is not coarsened by them (nor churned back and forth when
both files are imported again); an export with seconds refines a whole-minute time (one update).
收货地址 is "province city district street"; orders keep province and city, the rest goes to `contacts`
only.

Tmall (天猫) shops download the same export. An order is recorded as platform `tmall` when the file says
so: the 67-column layout's 新零售… columns (Tmall's New Retail stores), 天猫/Tmall in the file name, or a
row carrying a Tmall marker (a 店铺名称 or 订单状态 naming 天猫, a 天猫卡券抵扣 above zero); else `taobao`.
A 宝贝报表 line takes the platform of its order when that order is already in the store (`import_files`
reads 订单报表 before 宝贝报表), else what its own file says.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import ClassVar

from dachu.data import schema
from dachu.data.importers.base import (
    Field,
    Importer,
    address_parts_sql,
    address_split_sql,
    buyer_key_sql,
    drop_source,
    latest_per_key,
    make_source,
    status_sql,
)
from dachu.data.store import Store, UpsertCounts

ORDER_KEEP = ("paid_at", "shipped_at", "completed_at", "tracking_no", "carrier", "deposit_amount")
"""Order columns a newer export may not blank out (a known payment time stays known; so does a deposit the
war room recorded, which the exports do not carry)."""
ORDER_TIMES = ("created_at", "paid_at", "shipped_at", "completed_at")
"""Order times an export re-saved by Excel (whole minutes) may not coarsen (see `Store.upsert`)."""

TMALL_NAME_MARKERS = ("天猫", "tmall")
"""Words in a file name that say the export is a Tmall shop's."""


def says_tmall(header: list[str], path: Path) -> bool:
    """Whether the header (the 67-column layout's 新零售… columns) or the file name says Tmall."""
    name = path.name.lower()
    return any(h.startswith("新零售") for h in header) or any(m in name for m in TMALL_NAME_MARKERS)


def platform_of(store: Store, stage: str, file_says_tmall: bool) -> str:
    """The file's platform: `tmall` if the file or any accepted row says Tmall, else `taobao`."""
    if file_says_tmall:
        return "tmall"
    row = store.con.execute(
        f"SELECT coalesce(bool_or(contains(coalesce(shop_name, ''), '天猫') "
        f"OR contains(coalesce(status_raw, ''), '天猫') OR coalesce(tmall_coupon, 0) > 0), false) "
        f"FROM {stage} WHERE _rej IS NULL"
    ).fetchone()
    return "tmall" if row and row[0] else "taobao"


class TaobaoOrders(Importer):
    """订单报表: one row per order."""

    name = "taobao_orders"
    platform = "taobao"
    primary = schema.ORDERS
    signature = ("订单编号", "买家会员名", "订单状态", "收货地址")
    fields: ClassVar[tuple[Field, ...]] = (
        Field("order_id", ("订单编号",), "id", required=True),
        Field("buyer", ("买家会员名",)),
        Field("goods_amount", ("买家应付货款",), "money"),
        Field("shipping_fee", ("买家应付邮费",), "money"),
        Field("total_amount", ("总金额",), "money"),
        Field("paid_amount", ("买家实际支付金额",), "money"),
        Field("status_raw", ("订单状态",), required=True),
        Field("receiver_name", ("收货人姓名",)),
        Field("address", ("收货地址",)),
        Field("phone", ("联系电话",), "phone"),
        Field("mobile", ("联系手机",), "phone"),
        Field("created_at", ("订单创建时间",), "time", required=True),
        Field("paid_at", ("订单付款时间",), "time"),
        Field("shipped_at", ("发货时间",), "time"),
        Field("completed_at", ("确认收货时间", "交易结束时间"), "time"),
        Field("title", ("宝贝标题",)),
        Field("tracking_no", ("物流单号",), "id"),
        Field("carrier", ("物流公司",)),
        Field("item_count", ("宝贝总数量",), "count"),
        Field("shop_id", ("店铺Id",), "id"),
        Field("close_reason", ("订单关闭原因",)),
        Field("is_mobile", ("是否手机订单",)),
        Field("refund_amount", ("退款金额",), "money"),
        Field("channel", ("订单来源",)),
        Field("shop_name", ("店铺名称",)),
        Field("tmall_coupon", ("天猫卡券抵扣",), "money"),
    )
    file_says_tmall: bool = False

    def prepare(self, header: list[str], path: Path) -> TaobaoOrders:
        """A copy that knows whether the header or file name says Tmall."""
        mine = copy.copy(self)
        mine.file_says_tmall = says_tmall(header, path)
        return mine

    def finalize(self, store: Store, stage: str) -> dict[str, UpsertCounts]:
        """Upsert orders and their contacts."""
        addr = address_parts_sql("address")
        platform = platform_of(store, stage, self.file_says_tmall)
        kind = make_source(
            store,
            schema.ORDERS,
            f"SELECT '{platform}' AS platform, order_id, "
            f"{buyer_key_sql(platform, 'buyer')} AS buyer_key, {status_sql('status_raw')} AS status, "
            "status_raw, close_reason, created_at, paid_at, shipped_at, completed_at, "
            "CAST(480 AS SMALLINT) AS tz_offset_min, goods_amount, shipping_fee, total_amount, "
            "coalesce(paid_amount, 0) AS paid_amount, coalesce(refund_amount, 0) AS refund_amount, "
            f"CAST(item_count AS INTEGER) AS item_count, title, {addr['province']} AS province, "
            f"{addr['city']} AS city, {addr['district']} AS district, {addr['street']} AS street, "
            "carrier, tracking_no, shop_id, "
            "CASE WHEN is_mobile IS NULL THEN NULL ELSE is_mobile IN ('是', '手机订单', '1', 'true') END "
            "AS is_mobile, channel, CAST(NULL AS DECIMAL(18,2)) AS deposit_amount, "
            "buyer, receiver_name, phone, mobile, address "
            f"FROM (SELECT *, {address_split_sql('address')} AS _parts "
            f"FROM ({latest_per_key(store, stage, 'order_id')}))"
        )
        orders = store.upsert(schema.ORDERS, "_src", keep=ORDER_KEEP, minutes=ORDER_TIMES)
        contacts = store.upsert(
            schema.CONTACTS,
            "(SELECT platform, order_id, buyer_key, buyer AS buyer_account, receiver_name, phone, mobile, "
            "province, city, district, street, address AS address_raw FROM _src)",
        )
        drop_source(store, kind)
        return {"orders": orders, "contacts": contacts}


class TaobaoOrderLines(Importer):
    """宝贝报表 (ExportOrderDetailList*.csv): one row per item line."""

    name = "taobao_lines"
    platform = "taobao"
    primary = schema.ORDER_LINES
    signature = ("订单编号", "标题", "价格", "购买数量")
    fields: ClassVar[tuple[Field, ...]] = (
        Field("order_id", ("订单编号",), "id", required=True),
        Field("title", ("标题",)),
        Field("unit_price", ("价格",), "money"),
        Field("quantity", ("购买数量",), "count", required=True),
        Field("outer_id", ("外部系统编号",), "id"),
        Field("attributes", ("商品属性",)),
        Field("package", ("套餐信息",)),
        Field("note", ("备注",)),
        Field("status_raw", ("订单状态",)),
        Field("merchant_code", ("商家编码",), "id"),
    )
    file_says_tmall: bool = False

    def prepare(self, header: list[str], path: Path) -> TaobaoOrderLines:
        """A copy that knows whether the file name says Tmall."""
        mine = copy.copy(self)
        mine.file_says_tmall = says_tmall(header, path)
        return mine

    def finalize(self, store: Store, stage: str) -> dict[str, UpsertCounts]:
        """Upsert order lines (numbered within their order in file order) and products."""
        fallback = "'tmall'" if self.file_says_tmall else "'taobao'"
        known = (
            "(SELECT order_id, max(platform) AS platform FROM orders "  # 'tmall' > 'taobao'
            f"WHERE platform IN ('taobao', 'tmall') AND order_id IN (SELECT order_id FROM {stage}) "
            "GROUP BY order_id)"
        )
        return upsert_lines(
            store,
            f"SELECT coalesce(k.platform, {fallback}) AS platform, s.order_id, "
            "CAST(row_number() OVER (PARTITION BY s.order_id ORDER BY _line) AS INTEGER) AS line_no, "
            "coalesce(merchant_code, outer_id) AS sku, title, attributes, unit_price, "
            f"CAST(quantity AS INTEGER) AS quantity, {status_sql('status_raw')} AS status, status_raw "
            f"FROM {stage} s LEFT JOIN {known} k ON k.order_id = s.order_id WHERE _rej IS NULL",
        )


def upsert_lines(store: Store, select: str) -> dict[str, UpsertCounts]:
    """Upsert order lines from `select` (order_lines columns) and the products they name."""
    store.con.execute(f"CREATE OR REPLACE TEMP TABLE _lines AS {select}")
    lines = store.upsert(schema.ORDER_LINES, "_lines")
    products = store.upsert(
        schema.PRODUCTS,
        "(SELECT platform, sku, arg_max(title, order_id || lpad(CAST(line_no AS VARCHAR), 6, '0')) AS title, "
        "arg_max(unit_price, order_id || lpad(CAST(line_no AS VARCHAR), 6, '0')) AS last_price "
        "FROM _lines WHERE sku IS NOT NULL GROUP BY platform, sku)",
        keep=("title", "last_price"),
    )
    store.con.execute("DROP TABLE _lines")
    return {"order_lines": lines, "products": products}
