"""Every format with the quirks the platforms' files carry, encoded as the platform encodes."""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from import_makers import (
    JD,
    SHOPIFY,
    TAOBAO_45,
    TAOBAO_67,
    TAOBAO_LINES,
    csv_bytes,
    jd_row,
    shopify_rows,
    taobao_order,
    tianchi_rows,
    to_xlsx,
    write,
)

from dachu.data.importers import REGISTRY, ImportResult, choose, import_files
from dachu.data.store import Store
from dachu.errors import InputError


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as st:
        yield st


def one(store: Store, path: Path, **kw: object) -> ImportResult:
    return import_files(store, [path], **kw)[0]  # type: ignore[arg-type]


def balanced(r: ImportResult) -> bool:
    return r.rows_read == r.inserted + r.updated + r.unchanged + r.rejected


# ---- Taobao 订单报表 ----


@pytest.mark.parametrize(
    ("layout", "encoding"),
    [(45, "gbk"), (45, "gb18030"), (67, "gbk"), (67, "utf-8-sig")],
    ids=["45-gbk", "45-gb18030", "67-gbk", "67-utf8-bom"],
)
def test_taobao_orders_both_layouts_and_encodings(
    store: Store, tmp_path: Path, layout: int, encoding: str
) -> None:
    header = TAOBAO_45 if layout == 45 else TAOBAO_67
    rows = [
        taobao_order(1, layout=layout),
        taobao_order(2, layout=layout, slash_dates=True, yuan=False),
        taobao_order(3, layout=layout, status="等待买家付款", paid=None),
    ]
    path = write(tmp_path / "ExportOrderList202611.csv", csv_bytes(header, rows, encoding, pad_header=True))
    r = one(store, path)
    assert (r.source, r.rows_read, r.inserted, r.rejected) == ("taobao_orders", 3, 3, 0)
    got = store.con.execute(
        "SELECT order_id, status, created_at, paid_at, paid_amount, total_amount, province, city, shop_id "
        "FROM orders ORDER BY order_id"
    ).fetchall()
    # ="2026111100000000001" loses its Excel guard; 58.00元 → 58.00; 2026/11/11 00:01 (Excel) keeps minutes
    assert got[0] == (
        "2026111100000000001",
        "completed",
        dt.datetime(2026, 11, 11, 0, 1, 5),
        dt.datetime(2026, 11, 11, 0, 3, 10),
        Decimal("58.00"),
        Decimal("58.00"),
        "浙江省",
        "杭州市",
        "12345",
    )
    assert got[1][2] == dt.datetime(2026, 11, 11, 0, 1) and got[1][4] == Decimal("58.00")
    assert got[2][1:4] == ("pending_payment", dt.datetime(2026, 11, 11, 0, 1, 5), None)
    if layout == 67:  # 确认收货时间 exists only in the newer layout
        assert store.con.execute("SELECT completed_at FROM orders WHERE order_id LIKE '%1'").fetchone() == (
            dt.datetime(2026, 11, 15, 10, 0),
        )


def test_personal_data_goes_to_contacts_only(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "o.csv", csv_bytes(TAOBAO_45, [taobao_order(7)], "gbk"))
    one(store, path)
    contact = store.con.execute(
        "SELECT receiver_name, mobile, district, street, buyer_account, buyer_key FROM contacts"
    ).fetchone()
    assert contact is not None
    # the leading ' of 联系手机 is gone; district and street only here
    assert contact[:5] == ("测试收货人007", "13800000000", "西湖区", "测试路7号(000000)", "测试买家007")
    order = (
        store.con.execute("SELECT * FROM orders").fetchdf()
        if False
        else store.con.execute("SELECT buyer_key FROM orders").fetchone()
    )
    assert order == (contact[5],) and len(contact[5]) == 16 and "测试" not in contact[5]


def test_every_taobao_status_maps_to_a_canonical_status(store: Store, tmp_path: Path) -> None:
    statuses = {
        "等待买家付款": "pending_payment",
        "买家已付款，等待卖家发货": "paid",
        "卖家部分发货": "partially_shipped",
        "卖家已发货，等待买家确认": "shipped",
        "买家已签收": "delivered",
        "交易成功": "completed",
        "交易关闭": "closed",
        "交易被淘宝关闭": "closed_by_platform",
        "火星状态": "unknown",
    }
    rows = [taobao_order(i, status=s) for i, s in enumerate(statuses)]
    one(store, write(tmp_path / "o.csv", csv_bytes(TAOBAO_45, rows, "gbk")))
    got = dict(store.con.execute("SELECT status_raw, status FROM orders").fetchall())
    assert got == statuses
    assert store.con.execute("SELECT close_reason FROM orders WHERE status = 'closed'").fetchone() == (
        "买家不想买了",
    )


def test_reimport_of_the_same_file_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "o.csv", csv_bytes(TAOBAO_45, [taobao_order(i) for i in range(5)], "gbk"))
    first = one(store, path)
    before = store.con.execute("SELECT * FROM orders ORDER BY order_id").fetchall()
    again = one(store, path)
    forced = one(store, path, force=True)
    assert first.inserted == 5
    assert again.skipped and again.rows_read == 0
    assert (forced.inserted, forced.updated, forced.unchanged) == (0, 0, 5)
    assert store.con.execute("SELECT * FROM orders ORDER BY order_id").fetchall() == before
    assert store.con.execute("SELECT count(*) FROM import_log").fetchone() == (2,)


def test_a_newer_export_updates_status_payment_shipping_and_refunds(store: Store, tmp_path: Path) -> None:
    old = [
        taobao_order(1, status="等待买家付款", paid=None),
        taobao_order(2, status="买家已付款，等待卖家发货"),
    ]
    new = [
        taobao_order(1, status="买家已付款，等待卖家发货", paid="2026-11-11 09:00:00"),
        taobao_order(2, status="交易关闭", refund="58.00元", tracking="SF0000000001"),
        taobao_order(3),
    ]
    one(store, write(tmp_path / "old.csv", csv_bytes(TAOBAO_45, old, "gbk")))
    r = one(store, write(tmp_path / "new.csv", csv_bytes(TAOBAO_45, new, "gbk")))
    assert (r.inserted, r.updated, r.unchanged, r.rejected) == (1, 2, 0, 0)
    got = store.con.execute(
        "SELECT status, paid_at, refund_amount, tracking_no FROM orders ORDER BY order_id"
    ).fetchall()
    assert got[0] == ("paid", dt.datetime(2026, 11, 11, 9, 0), Decimal("0.00"), None)
    assert got[1] == ("closed", dt.datetime(2026, 11, 11, 0, 3, 10), Decimal("58.00"), "SF0000000001")


def test_bad_rows_are_quarantined_with_line_column_value_and_reason(store: Store, tmp_path: Path) -> None:
    bad_date = taobao_order(2)
    bad_date[TAOBAO_45.index("订单创建时间")] = "2026-13-45 25:61"
    negative = taobao_order(3)
    negative[TAOBAO_45.index("买家实际支付金额")] = "-58.00元"
    no_id = taobao_order(4)
    no_id[TAOBAO_45.index("订单编号")] = '=""'
    broken = csv_bytes(TAOBAO_45, [taobao_order(5)], "gbk").split(b"\r\n")[1]
    broken = broken.replace("测试收货人".encode("gbk"), b"\xff\xfe\xfd")  # bytes GBK cannot decode
    data = csv_bytes(TAOBAO_45, [taobao_order(1), bad_date, negative, no_id], "gbk")
    data += broken + b"\r\n" + '="99",测试买家,短行\r\n'.encode("gbk")
    r = one(store, write(tmp_path / "o.csv", data))
    assert (r.rows_read, r.inserted, r.rejected) == (6, 1, 5) and balanced(r)
    got = store.con.execute(
        "SELECT line, col, raw_value, reason, reason_zh FROM quarantine ORDER BY line"
    ).fetchall()
    assert [(g[0], g[1], g[3]) for g in got] == [
        (3, "订单创建时间", "data_import.reason.bad_date"),
        (4, "买家实际支付金额", "data_import.reason.negative_amount"),
        (5, "订单编号", "data_import.reason.missing_id"),
        (6, "收货人姓名", "data_import.reason.broken_encoding"),
        (7, "", "data_import.reason.short_row"),
    ]
    assert got[0][2] == "2026-13-45 25:61" and got[1][2] == "-58.00元" and got[4][4] == "这一行的列数比表头少"


# ---- Taobao 宝贝报表 ----


def test_taobao_order_lines_number_lines_within_orders_and_fill_products(
    store: Store, tmp_path: Path
) -> None:
    rows = [
        ['="20261111001"', "野菊蜜 500g", "29.00", "2", "OUT1", "颜色分类:500g", "", "", "交易成功", "A01"],
        ['="20261111001"', "枣花蜜 250g", "19.90元", "1", "", "", "", "", "交易成功", "A02"],
        ['="20261111002"', "野菊蜜 500g", "29.00", "1", "", "", "", "", "等待买家付款", ""],
    ]
    r = one(
        store,
        write(tmp_path / "ExportOrderDetailList.csv", csv_bytes(TAOBAO_LINES, rows, "gbk", pad_header=True)),
    )
    assert (r.source, r.inserted) == ("taobao_lines", 3)
    got = store.con.execute(
        "SELECT order_id, line_no, sku, unit_price, quantity, status FROM order_lines "
        "ORDER BY order_id, line_no"
    ).fetchall()
    assert got == [
        ("20261111001", 1, "A01", Decimal("29.00"), 2, "completed"),
        ("20261111001", 2, "A02", Decimal("19.90"), 1, "completed"),
        ("20261111002", 1, None, Decimal("29.00"), 1, "pending_payment"),
    ]
    assert store.con.execute("SELECT sku, last_price FROM products ORDER BY sku").fetchall() == [
        ("A01", Decimal("29.00")),
        ("A02", Decimal("19.90")),
    ]


# ---- JD ----


def test_jd_export_gives_lines_orders_and_contacts(store: Store, tmp_path: Path) -> None:
    rows = [jd_row(1, 1, qty="2"), jd_row(1, 2), jd_row(2, 1, status="等待付款", paid="")]
    r = one(store, write(tmp_path / "jd.csv", csv_bytes(JD, rows, "gb2312")))
    assert (r.source, r.inserted, r.rejected) == ("jd_orders", 3, 0)
    orders = store.con.execute(
        "SELECT order_id, status, item_count, paid_amount, shipping_fee, province "
        "FROM orders ORDER BY order_id"
    ).fetchall()
    # order 1: 2 + 1 units; 应付金额 63.00 paid; 客户地址 without spaces cut at 北京市
    assert orders == [
        ("300000000001", "completed", 3, Decimal("63.00"), Decimal("5.00"), "北京市"),
        ("300000000002", "pending_payment", 1, Decimal("0"), Decimal("5.00"), "北京市"),
    ]
    assert store.con.execute("SELECT count(*) FROM contacts WHERE platform = 'jd'").fetchone() == (2,)


# ---- Shopify ----


def test_shopify_line_items_continuation_rows_and_utc_offsets(store: Store, tmp_path: Path) -> None:
    rows = (
        shopify_rows("#1001", [("1", "Honey", "25.00"), ("1", "Jar", "15.00")])
        + shopify_rows("#1002", [("2", "Honey", "20.00")], status="pending", fulfilled="", offset="-0500")
        + shopify_rows("#1003", [("1", "Jar", "40.00")], status="refunded", refunded="45.00")
    )
    r = one(store, write(tmp_path / "orders_export.csv", csv_bytes(SHOPIFY, rows, "utf-8")))
    assert (r.source, r.rows_read, r.inserted, r.rejected) == ("shopify_orders", 4, 4, 0)
    got = store.con.execute(
        "SELECT order_id, status, created_at, tz_offset_min, shipped_at, item_count, "
        "refund_amount FROM orders ORDER BY order_id"
    ).fetchall()
    assert got == [
        (
            "#1001",
            "shipped",
            dt.datetime(2026, 11, 11, 0, 4),
            480,
            dt.datetime(2026, 11, 12, 9, 0),
            2,
            Decimal("0.00"),
        ),
        ("#1002", "pending_payment", dt.datetime(2026, 11, 11, 0, 4), -300, None, 2, Decimal("0.00")),
        (
            "#1003",
            "refunded",
            dt.datetime(2026, 11, 11, 0, 4),
            480,
            dt.datetime(2026, 11, 12, 9, 0),
            1,
            Decimal("45.00"),
        ),
    ]
    assert store.con.execute(
        "SELECT line_no, sku FROM order_lines WHERE order_id = '#1001' ORDER BY 1"
    ).fetchall() == [(1, "SKU-Honey"), (2, "SKU-Jar")]


def test_an_older_shopify_export_with_fulfillment_date_and_fewer_columns(
    store: Store, tmp_path: Path
) -> None:
    header = [
        h
        for h in SHOPIFY
        if h
        not in (
            "Fulfilled at",
            "Payment ID",
            "Payment Terms name",
            "Duties",
            "Receipt Number",
            "Shipping Province Name",
            "Billing Province Name",
        )
    ]
    header = [*header, "Fulfillment Date"]
    rows = shopify_rows("#9", [("1", "Honey", "25.00")], header=header)
    one(store, write(tmp_path / "old_orders_export.csv", csv_bytes(header, rows, "utf-8")))
    assert store.con.execute("SELECT shipped_at FROM orders").fetchone() == (dt.datetime(2026, 11, 12, 9, 0),)


# ---- XLSX re-saves ----


def test_taobao_export_resaved_as_xlsx_with_excel_serial_dates(store: Store, tmp_path: Path) -> None:
    rows = [taobao_order(1), taobao_order(2, status="等待买家付款", paid=None)]
    path = to_xlsx(
        tmp_path / "ExportOrderList.xlsx", TAOBAO_45, rows, date_columns=("订单创建时间", "订单付款时间")
    )
    r = one(store, path)
    assert (r.source, r.inserted, r.rejected) == ("taobao_orders", 2, 0)
    assert store.con.execute("SELECT created_at, paid_at FROM orders ORDER BY order_id").fetchall() == [
        (dt.datetime(2026, 11, 11, 0, 1, 5), dt.datetime(2026, 11, 11, 0, 3, 10)),
        (dt.datetime(2026, 11, 11, 0, 1, 5), None),
    ]


def test_jd_and_shopify_resaved_as_xlsx(store: Store, tmp_path: Path) -> None:
    one(store, to_xlsx(tmp_path / "jd.xlsx", JD, [jd_row(1, 1)], date_columns=("下单时间",)))
    one(store, to_xlsx(tmp_path / "shop.xlsx", SHOPIFY, shopify_rows("#1", [("1", "Honey", "25.00")])))
    got = store.con.execute("SELECT platform, created_at FROM orders ORDER BY platform").fetchall()
    assert got == [("jd", dt.datetime(2026, 11, 11, 0, 1)), ("shopify", dt.datetime(2026, 11, 11, 0, 4))]


# ---- Tianchi behaviour ----


def test_tianchi_user_behaviour_without_header(store: Store, tmp_path: Path) -> None:
    rows = [*tianchi_rows(10), ["8", "9", "1", "like", "1511539200"], ["8", "9", "1", "pv", "yesterday"]]
    path = write(tmp_path / "UserBehavior.csv", "".join(",".join(r) + "\n" for r in rows).encode())
    r = one(store, path)
    assert (r.source, r.rows_read, r.inserted, r.rejected) == ("tianchi_behaviour", 12, 10, 2)
    # 1511539200 = 2017-11-24 16:00:00 UTC = 2017-11-25 00:00 in UTC+8
    assert store.con.execute("SELECT min(event_at) FROM behaviour_events").fetchone() == (
        dt.datetime(2017, 11, 25),
    )
    reasons = [r[0] for r in store.con.execute("SELECT reason FROM quarantine ORDER BY line").fetchall()]
    assert reasons == ["data_import.reason.bad_behaviour", "data_import.reason.bad_date"]


# ---- Generic with a mapping ----


def test_generic_ad_spend_csv_with_a_mapping_file(store: Store, tmp_path: Path) -> None:
    data = (
        "日期,渠道,计划,花费,展现,点击\n"
        + "2026-11-10,直通车,双11,1200.50元,100000,2000\n2026/11/11,直通车,双11,-1,1,1\n"
    )
    path = write(tmp_path / "spend.csv", data.encode("gbk"))
    mapping = write(
        tmp_path / "spend.mapping.yaml",
        (
            "table: ad_spend\ncolumns:\n  day: 日期\n  channel: 渠道\n  campaign: 计划\n  spend: 花费\n"
            "  impressions: 展现\n  clicks: 点击\n"
        ).encode(),
    )
    r = one(store, path)
    assert (r.source, r.inserted, r.rejected) == ("generic", 1, 1)
    assert store.con.execute("SELECT day, spend, clicks FROM ad_spend").fetchall() == [
        (dt.date(2026, 11, 10), Decimal("1200.50"), 2000)
    ]
    assert choose(path, mapping=mapping).name == "generic"


def test_generic_traffic_parquet_and_cs_sessions_xlsx(store: Store, tmp_path: Path) -> None:
    table = pa.table(
        {
            "hour": [dt.datetime(2026, 11, 11, 0), dt.datetime(2026, 11, 11, 1)],
            "src": ["搜索", "搜索"],
            "uv": [5000, 3000],
        }
    )
    pq.write_table(table, tmp_path / "traffic.parquet")
    write(
        tmp_path / "traffic.parquet.mapping.yaml",
        b"table: traffic\ncolumns: {hour: hour, source: src, visitors: uv}\n",
    )
    r = one(store, tmp_path / "traffic.parquet")
    assert r.inserted == 2
    assert store.con.execute("SELECT sum(visitors) FROM traffic").fetchone() == (8000,)
    header = ["会话", "客服", "买家", "开始", "首次响应", "回复数", "订单"]
    rows = [
        ["S1", "客服小美", "测试买家001", "2026-11-11 00:00:05", "2026-11-11 00:00:20", "6", "20261111001"]
    ]
    path = to_xlsx(tmp_path / "cs.xlsx", header, rows, date_columns=("开始", "首次响应"))
    mapping = write(
        tmp_path / "cs.yaml",
        (
            "table: cs_sessions\ncolumns: {session_id: 会话, agent: 客服, buyer: 买家, started_at: 开始, "
            "first_response_at: 首次响应, replies: 回复数, order_id: 订单}\n"
        ).encode(),
    )
    one(store, path, mapping=mapping)
    got = store.con.execute(
        "SELECT agent, buyer_key, first_response_at - started_at, replies FROM cs_sessions"
    ).fetchone()
    assert (
        got is not None and got[0] == "客服小美" and len(got[1]) == 16 and got[2] == dt.timedelta(seconds=15)
    )


def test_a_mapping_naming_an_unknown_table_says_which_file(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", b"a\n1\n")
    mapping = write(tmp_path / "m.yaml", b"table: planets\n")
    with pytest.raises(InputError) as err:
        choose(path, mapping=mapping)
    assert "m.yaml" in err.value.render("en") and "traffic" in err.value.render("en")


# ---- the contract over every registered importer ----


def sample(name: str, tmp_path: Path) -> Path:
    if name == "taobao_orders":
        return write(
            tmp_path / "a.csv",
            csv_bytes(TAOBAO_67, [taobao_order(1, layout=67), taobao_order(2, layout=67)], "gbk"),
        )
    if name == "taobao_lines":
        return write(
            tmp_path / "a.csv",
            csv_bytes(TAOBAO_LINES, [['="1"', "t", "1元", "1", "", "", "", "", "交易成功", "A"]], "gbk"),
        )
    if name == "jd_orders":
        return write(tmp_path / "a.csv", csv_bytes(JD, [jd_row(1, 1), jd_row(1, 2)], "gbk"))
    if name == "shopify_orders":
        return write(
            tmp_path / "a.csv",
            csv_bytes(SHOPIFY, shopify_rows("#1", [("1", "a", "1"), ("2", "b", "2")]), "utf-8"),
        )
    if name == "tianchi_behaviour":
        return write(tmp_path / "a.csv", "".join(",".join(r) + "\n" for r in tianchi_rows(5)).encode())
    raise AssertionError(f"no sample for importer {name}: add one")


@pytest.mark.parametrize("name", sorted(REGISTRY), ids=sorted(REGISTRY))
def test_contract_detects_imports_balances_and_is_idempotent(store: Store, tmp_path: Path, name: str) -> None:
    path = sample(name, tmp_path)
    assert choose(path).name == name  # detected from the header alone
    first = one(store, path)
    again = one(store, path, force=True)
    assert balanced(first) and balanced(again)
    assert first.inserted == first.rows_read > 0 and first.rejected == 0
    assert again.inserted == again.updated == 0 and again.unchanged == again.rows_read


def test_unknown_formats_and_sources_fail_with_a_fix(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "甲,乙\n1,2\n".encode())
    with pytest.raises(InputError, match="format"):
        choose(path)
    with pytest.raises(InputError, match="no importer"):
        choose(path, source="nope")
    assert choose(path, source="taobao_lines").name == "taobao_lines"


def test_utf8_bom_is_not_mistaken_for_gbk(tmp_path: Path) -> None:
    from dachu.data.importers.reader import sniff_encoding

    assert sniff_encoding(write(tmp_path / "b.csv", codecs.BOM_UTF8 + "订单编号\n".encode())) == "utf-8-sig"
    assert sniff_encoding(write(tmp_path / "g.csv", "订单编号\n".encode("gbk"))) == "gb18030"


def test_broken_bytes_in_a_utf8_export_quarantine_only_their_row(store: Store, tmp_path: Path) -> None:
    data = csv_bytes(SHOPIFY, shopify_rows("#1", [("1", "Honey", "25.00")]), "utf-8")
    data += csv_bytes(
        SHOPIFY, shopify_rows("#2", [("1", "Hon\udcffey", "25.00")]), "utf-8", errors="surrogateescape"
    ).split(b"\r\n", 1)[1]
    r = one(store, write(tmp_path / "orders_export.csv", data))
    assert (r.rows_read, r.inserted, r.rejected) == (2, 1, 1)
    assert store.con.execute("SELECT line, col, reason FROM quarantine").fetchall() == [
        (3, "Lineitem name", "data_import.reason.broken_encoding")
    ]


def test_a_header_only_export_imports_nothing_and_logs_it(store: Store, tmp_path: Path) -> None:
    r = one(store, write(tmp_path / "o.csv", csv_bytes(TAOBAO_45, [], "gbk")))
    assert (r.rows_read, r.inserted, r.rejected) == (0, 0, 0)
    assert store.con.execute("SELECT rows_read FROM import_log").fetchone() == (0,)


def test_a_corrupt_workbook_is_an_input_error_naming_the_file(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "broken.xlsx", b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError) as err:
        one(store, path, source="taobao_orders")
    assert "broken.xlsx" in err.value.render("zh")


def test_generic_files_with_canonical_headers_need_no_mapping(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "cs_sessions.csv",
        b"session_id,agent,buyer,started_at,first_response_at,first_response_seconds,replies,order_id\n"
        b"S1,agent01,TEST_buyer1,2026-11-11 00:00:05,2026-11-11 00:00:44,39,11,31000001\n",
    )
    r = one(store, path)
    assert (r.source, r.inserted) == ("generic", 1)
    got = store.con.execute(
        "SELECT agent, first_response_at - started_at, replies FROM cs_sessions"
    ).fetchone()
    assert got == ("agent01", dt.timedelta(seconds=39), 11)


# ---- Tmall or Taobao ----


@pytest.mark.parametrize(
    ("name", "layout", "coupon", "platform"),
    [
        ("ExportOrderList.csv", 45, "0", "taobao"),  # nothing says Tmall
        ("ExportOrderList.csv", 67, "0", "tmall"),  # the 新零售… columns of the newer layout
        ("ExportOrderList.csv", 45, "5.00元", "tmall"),  # a 天猫卡券 (Tmall coupon) was used
        ("天猫ExportOrderList.csv", 45, "0", "tmall"),  # the file name says so
    ],
    ids=["taobao-45", "tmall-67", "tmall-coupon", "tmall-name"],
)
def test_tmall_is_told_from_taobao_by_what_the_data_says(
    store: Store, tmp_path: Path, name: str, layout: int, coupon: str, platform: str
) -> None:
    header = TAOBAO_45 if layout == 45 else TAOBAO_67
    rows = [taobao_order(1, layout=layout), taobao_order(2, layout=layout)]
    rows[1][header.index("天猫卡券抵扣")] = coupon
    one(store, write(tmp_path / name, csv_bytes(header, rows, "gbk")))
    got = store.con.execute("SELECT DISTINCT platform FROM orders").fetchall()
    assert got == [(platform,)]
    assert store.con.execute("SELECT DISTINCT platform FROM contacts").fetchall() == [(platform,)]


def test_order_lines_take_the_platform_of_their_order(store: Store, tmp_path: Path) -> None:
    orders = write(tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_67, [taobao_order(1, layout=67)], "gbk"))
    lines = write(
        tmp_path / "ExportOrderDetailList.csv",
        csv_bytes(
            TAOBAO_LINES,
            [
                ['="2026111100000000001"', "野菊蜜 500g", "29.00", "2", "", "", "", "", "交易成功", "A01"],
                ['="2026111100000000009"', "野菊蜜 500g", "29.00", "1", "", "", "", "", "交易成功", "A01"],
            ],
            "gbk",
        ),
    )
    import_files(store, [lines, orders])  # given lines first: orders are still read first
    got = store.con.execute("SELECT order_id, platform FROM order_lines ORDER BY order_id").fetchall()
    # order …001 is a Tmall order (67-column file); …009 is not in the store, and its file says nothing
    assert got == [("2026111100000000001", "tmall"), ("2026111100000000009", "taobao")]


# ---- Excel re-saves drop the seconds ----


def test_an_excel_resave_without_seconds_then_the_export_with_seconds_does_not_churn(
    store: Store, tmp_path: Path
) -> None:
    # the same two orders: re-saved by Excel (yyyy/MM/dd HH:mm, seconds lost), and as downloaded
    resaved = [taobao_order(1, slash_dates=True), taobao_order(2, slash_dates=True, status="买家已付款，等待卖家发货")]
    exact = [taobao_order(1), taobao_order(2, status="卖家已发货，等待买家确认")]
    old = write(tmp_path / "resaved.csv", csv_bytes(TAOBAO_45, resaved, "gbk"))
    new = write(tmp_path / "exact.csv", csv_bytes(TAOBAO_45, exact, "gbk"))
    first = one(store, old)
    assert first.inserted == 2
    assert store.con.execute("SELECT created_at, paid_at FROM orders ORDER BY order_id").fetchone() == (
        dt.datetime(2026, 11, 11, 0, 1),  # 2026/11/11 00:01 accepted as the whole minute
        dt.datetime(2026, 11, 11, 0, 3),
    )
    refined = one(store, new)
    # order 1: only its seconds were missing (refined: one update); order 2 also shipped since
    assert (refined.inserted, refined.updated, refined.unchanged) == (0, 2, 0)
    exact_times = store.con.execute("SELECT created_at, paid_at FROM orders ORDER BY order_id").fetchall()
    assert exact_times[0] == (dt.datetime(2026, 11, 11, 0, 1, 5), dt.datetime(2026, 11, 11, 0, 3, 10))
    # importing the re-save again neither drops the seconds nor counts a change; nor does the exact one
    again = one(store, old, force=True)
    assert (again.updated, again.unchanged) == (1, 1)  # only order 2's older status comes back
    assert store.con.execute("SELECT created_at, paid_at FROM orders ORDER BY order_id").fetchall() == exact_times
    exact_again = one(store, new, force=True)
    assert (exact_again.updated, exact_again.unchanged) == (1, 1)  # order 2's status again, times untouched


def test_addresses_with_odd_whitespace_split_like_single_spaced_ones(store: Store, tmp_path: Path) -> None:
    rows = [taobao_order(1), taobao_order(2), taobao_order(3)]
    addr = TAOBAO_45.index("收货地址")
    rows[0][addr] = " 浙江省  杭州市\t西湖区 测试路 1号 "  # doubled space, a tab, padding
    rows[1][addr] = "浙江省 杭州市 西湖区"  # three words: no street
    rows[2][addr] = "北京市朝阳区测试街道1号"  # no spaces (as JD writes): cut at the suffixes
    one(store, write(tmp_path / "o.csv", csv_bytes(TAOBAO_45, rows, "gbk")))
    got = store.con.execute(
        "SELECT province, city, district, street FROM contacts ORDER BY order_id"
    ).fetchall()
    assert got == [
        ("浙江省", "杭州市", "西湖区", "测试路 1号"),
        ("浙江省", "杭州市", "西湖区", ""),
        ("北京市", None, None, "北京市朝阳区测试街道1号"),  # no 市/州 after the municipality
    ]
