"""Complaints, DSR ratings, shipments and CS response times: detection, checks, quarantine, idempotence.

Fixtures are small files in the seller centre's and ERP's layouts (GBK, ids as ="…"), with obviously fake
buyers (测试买家001). Orders come from a 45-column 订单报表 of the same fake buyers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from import_makers import TAOBAO_45, csv_bytes, taobao_order, to_xlsx, write

from dachu.data.importers import choose, import_file, import_files
from dachu.data.importers.after_sale import AfterSaleTable
from dachu.data.store import Store

COMPLAINTS = ["维权编号", "订单编号", "买家会员名", "发起时间", "维权类型", "维权原因", "维权状态", "完结时间"]
RATINGS = ["订单编号", "买家会员名", "评价时间", "描述相符", "服务态度", "物流服务"]
SHIPMENTS = ["订单编号", "店铺名称", "物流公司", "运单号", "发货时间", "签收时间"]


def oid(n: int) -> str:
    """The order number `taobao_order(n)` writes (unwrapped)."""
    return str(2026111100000000000 + n)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A store holding orders 1–3 of 测试买家001–003 (Taobao, paid 2026-11-11 00:03:10)."""
    st = Store.open(tmp_path / "s.duckdb")
    orders = write(tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_45, [taobao_order(n) for n in (1, 2, 3)], "gbk"))
    import_files(st, [orders])
    return st


def rejects(store: Store) -> list[tuple[int, str, str, str]]:
    return [
        (int(r[0]), str(r[1]), str(r[2]), str(r[3]))
        for r in store.con.execute("SELECT line, col, raw_value, reason FROM quarantine ORDER BY line").fetchall()
    ]


def test_complaints_detected_from_the_header_and_keyed_to_their_orders(store: Store, tmp_path: Path) -> None:
    rows = [
        ['="9001"', f'="{oid(1)}"', "测试买家001", "2026-11-13 10:00:00", "维权", "退款纠纷", "已完结", "2026-11-15"],
        ['="9002"', f'="{oid(2)}"', "测试买家002", "2026/11/14 09:30", "投诉", "延迟发货", "处理中", ""],
        ['="9003"', f'="{oid(3)}"', "测试买家003", "2026-13-40 99:00:00", "投诉", "服务态度", "处理中", ""],  # bad date
        ["", f'="{oid(3)}"', "测试买家003", "2026-11-14 09:30:00", "投诉", "服务态度", "处理中", ""],  # no case id
    ]
    path = write(tmp_path / "complaints.csv", csv_bytes(COMPLAINTS, rows, "gbk"))
    importer = choose(path)
    assert isinstance(importer, AfterSaleTable) and importer.mapping.table == "complaints"
    r = import_file(store, path, importer)
    assert (r.rows_read, r.inserted, r.rejected) == (4, 2, 2)
    assert rejects(store) == [
        (4, "发起时间", "2026-13-40 99:00:00", "data_import.reason.bad_date"),
        (5, "维权编号", "", "data_import.reason.missing_id"),
    ]
    got = store.con.execute(
        "SELECT c.complaint_id, c.platform, c.order_id, c.opened_at, c.buyer_key = o.buyer_key "
        "FROM complaints c JOIN orders o USING (platform, order_id) ORDER BY 1"
    ).fetchall()
    assert got == [
        ("9001", "taobao", oid(1), dt.datetime(2026, 11, 13, 10), True),  # ="…" unwrapped, platform of the order
        ("9002", "taobao", oid(2), dt.datetime(2026, 11, 14, 9, 30), True),  # Excel's yyyy/MM/dd HH:mm
    ]
    again = import_file(store, path, choose(path), force=True)
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 2)
    assert len(rejects(store)) == 2  # a forced re-import replaces the file's rejects


def test_dsr_scores_must_be_whole_numbers_from_1_to_5(store: Store, tmp_path: Path) -> None:
    rows = [
        [f'="{oid(1)}"', "测试买家001", "2026-11-16 10:00:00", "5", "4", "4.0"],  # 4.0 is a whole 4
        [f'="{oid(2)}"', "测试买家002", "2026-11-16 11:00:00", "3", "", "5"],  # an item left unrated
        [f'="{oid(3)}"', "测试买家003", "2026-11-16 12:00:00", "6", "5", "5"],  # outside 1–5
        [f'="{oid(4)}"', "测试买家004", "2026-11-16 12:00:00", "5", "4.5", "5"],  # not whole
        [f'="{oid(5)}"', "测试买家005", "2026-11-16 12:00:00", "5", "5", "0"],
        [f'="{oid(6)}"', "测试买家006", "2026-11-16 12:00:00", "", "", ""],  # nothing rated
        [f'="{oid(7)}"', "测试买家007", "yesterday", "5", "5", "5"],
    ]
    path = write(tmp_path / "ratings.csv", csv_bytes(RATINGS, rows, "gbk"))
    r = import_file(store, path, choose(path))
    assert (r.rows_read, r.inserted, r.rejected) == (7, 2, 5)
    assert rejects(store) == [
        (4, "描述相符", "6", "data_import.reason.bad_score"),
        (5, "服务态度", "4.5", "data_import.reason.bad_score"),
        (6, "物流服务", "0", "data_import.reason.bad_score"),
        (7, "描述相符", "", "data_import.reason.missing_value"),
        (8, "评价时间", "yesterday", "data_import.reason.bad_date"),
    ]
    got = store.con.execute(
        "SELECT order_id, description, service, logistics FROM dsr_ratings ORDER BY order_id"
    ).fetchall()
    assert got == [(oid(1), 5, 4, 4), (oid(2), 3, None, 5)]
    again = import_file(store, path, choose(path), force=True)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)


def test_shipments_set_ship_times_and_never_create_orders(store: Store, tmp_path: Path) -> None:
    rows = [
        [oid(1), "测试店铺", "测试快递", "7000000000001", "2026-11-11 10:00:05", "2026-11-13 09:00:00"],
        [oid(2), "测试店铺", "测试快递", "7000000000002", "2026-11-12 08:00:00", ""],
        [oid(9), "测试店铺", "测试快递", "7000000000009", "2026-11-12 08:00:00", ""],  # no such order
        [oid(3), "测试店铺", "测试快递", "7000000000003", "", ""],  # no ship time
        ["", "测试店铺", "测试快递", "7000000000004", "2026-11-12 08:00:00", ""],  # no order number
        [oid(3), "测试店铺", "测试快递", "7000000000003", "2026-11-32 08:00:00", ""],  # bad date
    ]
    path = write(tmp_path / "shipments.csv", csv_bytes(SHIPMENTS, rows, "utf-8-sig"))
    r = import_file(store, path, choose(path))
    assert (r.rows_read, r.inserted, r.rejected) == (6, 2, 4)
    assert r.tables["orders"].updated == 2
    assert rejects(store) == [
        (4, "订单编号", oid(9), "data_import.reason.unknown_order"),
        (5, "发货时间", "", "data_import.reason.missing_value"),
        (6, "订单编号", "", "data_import.reason.missing_id"),
        (7, "发货时间", "2026-11-32 08:00:00", "data_import.reason.bad_date"),
    ]
    assert store.con.execute("SELECT count(*) FROM orders").fetchone() == (3,)  # order 9 was not created
    times = dict(store.con.execute("SELECT order_id, shipped_at FROM orders").fetchall())
    assert times == {oid(1): dt.datetime(2026, 11, 11, 10, 0, 5), oid(2): dt.datetime(2026, 11, 12, 8), oid(3): None}
    again = import_file(store, path, choose(path), force=True)
    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 4)
    assert again.tables["orders"].updated == 0
    # the order export imported again (it has no ship time) keeps the ship times
    orders = tmp_path / "ExportOrderList.csv"
    import_file(store, orders, choose(orders), force=True)
    assert store.con.execute("SELECT count(shipped_at) FROM orders").fetchone() == (2,)
    # the same list re-saved by Excel (whole minutes, serial dates) does not coarsen 10:00:05
    xlsx = to_xlsx(tmp_path / "shipments.xlsx", SHIPMENTS, rows[:2], date_columns=("发货时间", "签收时间"))
    excel = import_file(store, xlsx, choose(xlsx))
    assert excel.tables["orders"].updated == 0
    assert store.con.execute(f"SELECT shipped_at FROM orders WHERE order_id = '{oid(1)}'").fetchone() == (
        dt.datetime(2026, 11, 11, 10, 0, 5),
    )


def test_a_shipping_list_given_before_its_orders_is_read_after_them(tmp_path: Path) -> None:
    orders = write(tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_45, [taobao_order(1)], "gbk"))
    ships = write(
        tmp_path / "shipments.csv",
        csv_bytes(SHIPMENTS, [[oid(1), "测试店铺", "测试快递", "7000000000001", "2026-11-11 10:00:00", ""]], "gbk"),
    )
    with Store.open(":memory:") as st:
        results = import_files(st, [ships, orders])
        assert [Path(r.file).name for r in results] == ["ExportOrderList.csv", "shipments.csv"]
        assert results[1].rejected == 0
        assert st.con.execute("SELECT shipped_at FROM orders").fetchone() == (dt.datetime(2026, 11, 11, 10),)


def test_cs_average_response_time_becomes_the_sum_of_reply_waits(tmp_path: Path) -> None:
    header = ["session_id", "agent", "buyer", "started_at", "first_response_at", "replies", "avg_response_seconds"]
    rows = [
        ["S1", "客服01", "测试买家001", "2026-11-11 00:05:00", "2026-11-11 00:05:10", "4", "32.5"],  # 130 s
        ["S2", "客服01", "测试买家002", "2026-11-11 00:06:00", "2026-11-11 00:06:08", "2", ""],  # not given
        ["S3", "客服02", "测试买家003", "2026-11-11 00:07:00", "2026-11-11 00:07:08", "2", "-3"],  # negative
    ]
    path = write(tmp_path / "cs_sessions.csv", csv_bytes(header, rows, "utf-8"))
    with Store.open(":memory:") as st:
        r = import_file(st, path, choose(path))
        assert (r.inserted, r.rejected) == (2, 1)
        got = st.con.execute("SELECT session_id, reply_wait_seconds FROM cs_sessions ORDER BY 1").fetchall()
        assert got == [("S1", 130.0), ("S2", None)]


def test_a_mapping_names_a_cs_exports_chinese_columns(tmp_path: Path) -> None:
    header = ["会话ID", "客服", "买家", "开始时间", "首次响应时间", "回复数", "平均响应时间(秒)"]
    rows = [["S1", "客服01", "测试买家001", "2026-11-11 00:05:00", "2026-11-11 00:05:10", "3", "31.0"]]
    path = write(tmp_path / "接待明细.csv", csv_bytes(header, rows, "gbk"))
    (tmp_path / "接待明细.mapping.yaml").write_text(
        "table: cs_sessions\ncolumns:\n  session_id: 会话ID\n  agent: 客服\n  buyer: 买家\n  started_at: 开始时间\n"
        "  first_response_at: 首次响应时间\n  replies: 回复数\n  avg_response_seconds: 平均响应时间(秒)\n",
        encoding="utf-8",
    )
    with Store.open(":memory:") as st:
        import_file(st, path, choose(path))
        assert st.con.execute("SELECT reply_wait_seconds FROM cs_sessions").fetchone() == (93.0,)


def test_a_mapping_names_a_complaint_files_own_columns(store: Store, tmp_path: Path) -> None:
    header = ["投诉单号", "关联订单", "时间", "状态"]
    path = write(tmp_path / "投诉.csv", csv_bytes(header, [["T1", oid(2), "2026-11-12 10:00:00", "处理中"]], "gbk"))
    mapping = tmp_path / "投诉.mapping.yaml"
    mapping.write_text(
        "table: complaints\ncolumns:\n  complaint_id: 投诉单号\n  order_id: 关联订单\n  opened_at: 时间\n"
        "  status: 状态\nconstants:\n  kind: 投诉\n",
        encoding="utf-8",
    )
    r = import_file(store, path, choose(path, mapping=mapping))
    assert r.inserted == 1
    assert store.con.execute("SELECT complaint_id, platform, kind, status FROM complaints").fetchone() == (
        "T1",
        "taobao",
        "投诉",
        "处理中",
    )


def test_parquet_ratings_in_canonical_names_import_without_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "dsr_ratings.parquet"
    pq.write_table(
        pa.table(
            {
                "platform": ["tmall", "tmall"],
                "order_id": ["1", "2"],
                "buyer_id": [7, 8],
                "rated_at": pa.array([dt.datetime(2026, 11, 16), dt.datetime(2026, 11, 17)], pa.timestamp("s")),
                "description": pa.array([5, 9], pa.int16()),
                "service": pa.array([5, 5], pa.int16()),
                "logistics": pa.array([4, 5], pa.int16()),
            }
        ),
        path,
    )
    with Store.open(":memory:") as st:
        r = import_file(st, path, choose(path))
        assert (r.inserted, r.rejected) == (1, 1)
        assert rejects(st) == [(3, "description", "9", "data_import.reason.bad_score")]


TRACK = ["运单号", "快递公司", "轨迹时间", "物流状态", "状态码", "所在城市"]


def test_a_tracking_download_is_detected_kept_by_tracking_number_and_re_imported_without_duplicates(
    store: Store, tmp_path: Path
) -> None:
    rows = [
        ['="SF0000000001"', "顺丰速运", "2026-11-12 09:00:00", "到达派件城市", "1001", "广东,深圳市"],
        ['="SF0000000001"', "顺丰速运", "2026-11-12 15:00:00", "派件异常", "204", "广东,深圳市"],
        ['="SF0000000002"', "顺丰速运", "2026-11-12 25:00:00", "在途", "0", "浙江,杭州市"],  # bad time
        ["", "顺丰速运", "2026-11-12 10:00:00", "在途", "0", "浙江,杭州市"],  # no tracking number
    ]
    path = write(tmp_path / "物流轨迹.csv", csv_bytes(TRACK, rows, "gbk"))
    importer = choose(path)
    assert isinstance(importer, AfterSaleTable) and importer.mapping.table == "shipment_events"
    first = import_file(store, path, importer)
    assert (first.rows_read, first.inserted, first.rejected) == (4, 2, 2)
    assert [r[3] for r in rejects(store)] == ["data_import.reason.bad_date", "data_import.reason.missing_id"]
    again = import_file(store, path, choose(path))
    assert again.inserted == 0
    got = store.con.execute(
        "SELECT tracking_no, code, status, area, source FROM shipment_events ORDER BY event_at").fetchall()
    assert got == [("SF0000000001", "1001", "到达派件城市", "广东,深圳市", "file"),
                   ("SF0000000001", "204", "派件异常", "广东,深圳市", "file")]
