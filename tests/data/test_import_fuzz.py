"""The parsers fuzzed: whatever the bytes, no crash, and every row is imported or quarantined."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_makers import JD, SHOPIFY, TAOBAO_45, csv_bytes, jd_row, shopify_rows, taobao_order

from dachu.data.importers import REGISTRY, choose, import_file
from dachu.data.store import Store

# values that look like what the platforms write, plus junk
cell = st.one_of(
    st.sampled_from(
        [
            "",
            "null",
            "58.00元",
            "-1",
            "1e3",
            '="123"',
            "'13800000000",
            "2026/11/11 00:01",
            "2026-11-11 00:01:05",
            "45607.5",
            "交易成功",
            "x,y",
            'a"b',
            "line\nbreak",
            "\ufffd",
        ]
    ),
    st.text(max_size=12),
)
encodings = st.sampled_from(["gbk", "gb18030", "utf-8", "utf-8-sig"])
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def encode(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    safe = [[c.encode(encoding, errors="replace").decode(encoding) for c in r] for r in rows]
    return csv_bytes(header, safe, encoding)


def mutate(row: list[str], edits: list[tuple[int, str]], cut: int | None) -> list[str]:
    out = list(row)
    for pos, value in edits:
        out[pos % len(out)] = value
    return out[:cut] if cut is not None else out


def check(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    with Store.open(":memory:") as store:
        r = import_file(store, path, REGISTRY[name], force=True)
        assert r.rows_read == r.inserted + r.updated + r.unchanged + r.rejected
        quarantined = store.con.execute("SELECT count(*) FROM quarantine").fetchone()
        assert quarantined == (r.rejected,)


edits = st.lists(st.tuples(st.integers(0, 100), cell), max_size=6)
cuts = st.one_of(st.none(), st.integers(1, 50))


@FUZZ
@given(rows=st.lists(st.tuples(edits, cuts), min_size=1, max_size=6), encoding=encodings)
def test_taobao_orders_fuzzed(
    tmp_path: Path, rows: list[tuple[list[tuple[int, str]], int | None]], encoding: str
) -> None:
    body = [mutate(taobao_order(i), e, c) for i, (e, c) in enumerate(rows)]
    check(tmp_path, "taobao_orders", encode(TAOBAO_45, body, encoding))


@FUZZ
@given(rows=st.lists(st.tuples(edits, cuts), min_size=1, max_size=6), encoding=encodings)
def test_jd_fuzzed(
    tmp_path: Path, rows: list[tuple[list[tuple[int, str]], int | None]], encoding: str
) -> None:
    body = [mutate(jd_row(i % 2, i), e, c) for i, (e, c) in enumerate(rows)]
    check(tmp_path, "jd_orders", encode(JD, body, encoding))


@FUZZ
@given(rows=st.lists(st.tuples(edits, cuts), min_size=1, max_size=6))
def test_shopify_fuzzed(tmp_path: Path, rows: list[tuple[list[tuple[int, str]], int | None]]) -> None:
    base = shopify_rows("#1", [("1", "a", "1.00")] * len(rows))
    body = [mutate(b, e, c) for b, (e, c) in zip(base, rows, strict=True)]
    check(tmp_path, "shopify_orders", encode(SHOPIFY, body, "utf-8"))


@FUZZ
@given(data=st.binary(max_size=400))
def test_raw_bytes_never_crash_any_importer(tmp_path: Path, data: bytes) -> None:
    header = ",".join(TAOBAO_45).encode("gbk") + b"\r\n"
    check(tmp_path, "taobao_orders", header + data)
    check(tmp_path, "tianchi_behaviour", b"1,2,3,pv,1511539200\n" + data)


# complaints, DSR ratings and shipments (dachu.data.importers.after_sale): built-in layouts, late rejects
AFTER_SALE = {
    "complaints": (
        ["维权编号", "订单编号", "买家会员名", "发起时间", "维权类型", "维权原因", "维权状态", "完结时间"],
        lambda i: [f'="{9000 + i}"', f'="{2026111100000000000 + i}"', f"测试买家{i:03d}", "2026-11-13 10:00:00",
                   "投诉", "延迟发货", "处理中", ""],
    ),
    "dsr_ratings": (
        ["订单编号", "买家会员名", "评价时间", "描述相符", "服务态度", "物流服务"],
        lambda i: [f'="{2026111100000000000 + i}"', f"测试买家{i:03d}", "2026-11-16 10:00:00", "5", "4", "5"],
    ),
    "shipments": (
        ["订单编号", "店铺名称", "物流公司", "运单号", "发货时间", "签收时间"],
        lambda i: [str(2026111100000000000 + i), "测试店铺", "测试快递", f"70000000{i:05d}", "2026-11-12 08:00:00", ""],
    ),
}
scores = st.sampled_from(["1", "5", "5.0", "0", "6", "4.5", "-1", "五", "1e0", " 3 "])


@FUZZ
@given(
    table=st.sampled_from(sorted(AFTER_SALE)),
    rows=st.lists(st.tuples(st.lists(st.tuples(st.integers(0, 100), st.one_of(cell, scores)), max_size=6), cuts),
                  min_size=1, max_size=6),
    encoding=encodings,
)
def test_after_sale_files_fuzzed(
    tmp_path: Path, table: str, rows: list[tuple[list[tuple[int, str]], int | None]], encoding: str
) -> None:
    header, make = AFTER_SALE[table]
    path = tmp_path / f"{table}.csv"
    path.write_bytes(encode(header, [mutate(make(i), e, c) for i, (e, c) in enumerate(rows)], encoding))
    orders = tmp_path / "orders.csv"
    orders.write_bytes(csv_bytes(TAOBAO_45, [taobao_order(i) for i in range(3)], "gbk"))
    with Store.open(":memory:") as store:
        import_file(store, orders, REGISTRY["taobao_orders"], force=True)
        before = store.con.execute("SELECT count(*) FROM quarantine").fetchone()
        r = import_file(store, path, choose(path), force=True)
        assert r.rows_read == r.inserted + r.updated + r.unchanged + r.rejected
        quarantined = store.con.execute("SELECT count(*) FROM quarantine").fetchone()
        assert before is not None and quarantined == (before[0] + r.rejected,)
        assert store.con.execute("SELECT count(*) FROM orders").fetchone() == (3,)  # never an order created
        bad = store.con.execute(
            "SELECT count(*) FROM dsr_ratings WHERE description NOT BETWEEN 1 AND 5 OR service NOT BETWEEN 1 AND 5 "
            "OR logistics NOT BETWEEN 1 AND 5"
        ).fetchone()
        assert bad == (0,)
