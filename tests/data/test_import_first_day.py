"""Issue #16's first-day rough edges: Excel damage, seller-tool downloads, mappings, a quarantine that resolves.

Every fixture is obviously fake: 测试… names, 13800000000-style phones, round made-up numbers.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import typer
from import_makers import TAOBAO_45, csv_bytes, taobao_order, write
from typer.testing import CliRunner

from dachu.cli import import_cmd
from dachu.data.importers import choose, import_files
from dachu.data.importers.generic import GenericTable, Mapping
from dachu.data.quarantine import rejected_rows
from dachu.data.store import Store
from dachu.errors import InputError

ID = TAOBAO_45.index("订单编号")
STATUS = TAOBAO_45.index("订单状态")
REFUND = TAOBAO_45.index("退款金额")
CREATED = TAOBAO_45.index("订单创建时间")


def app() -> typer.Typer:
    application = typer.Typer()
    import_cmd.register(application)

    @application.callback()
    def _root() -> None:
        pass

    return application


def run(*args: str) -> str:
    result = CliRunner(env={"COLUMNS": "300"}).invoke(app(), list(args))
    assert result.exit_code == 0, result.output
    return result.output.replace("\n", "")  # a long zh line is wrapped (its characters are wide)


# --- Excel damage -------------------------------------------------------------------------------------


def test_an_id_excel_turned_into_scientific_notation_is_quarantined_with_the_fix(tmp_path: Path) -> None:
    damaged = taobao_order(2)
    damaged[ID] = "4.00000000000001E+15"
    path = write(tmp_path / "o.csv", csv_bytes(TAOBAO_45, [taobao_order(1), damaged], "gbk"))
    with Store.open(":memory:") as store:
        r = import_files(store, [path])[0]
        ids = [row[0] for row in store.con.execute("SELECT order_id FROM orders").fetchall()]
        rows = rejected_rows(store, "en")
        zh = rejected_rows(store, "zh")
    assert (r.inserted, r.rejected) == (1, 1)
    assert ids == ["2026111100000000001"]  # the damaged id is not stored as is
    assert (rows[0].line, rows[0].column, rows[0].value) == (3, "订单编号", "4.00000000000001E+15")
    assert "scientific notation" in rows[0].reason and "format the column as text" in rows[0].reason
    assert "科学计数法" in zh[0].reason and "scientific" not in zh[0].reason


def test_a_repeated_order_with_conflicting_rows_is_reported_with_the_row_kept(tmp_path: Path) -> None:
    success = taobao_order(7)
    closed = taobao_order(7, status="交易关闭", refund="58.00")
    path = write(tmp_path / "o.csv", csv_bytes(TAOBAO_45, [success, taobao_order(8), closed], "gbk"))
    with Store.open(":memory:") as store:
        r = import_files(store, [path])[0]
        status = store.con.execute("SELECT status_raw FROM orders WHERE order_id LIKE '%7'").fetchone()
    assert status == ("交易关闭",)
    assert len(r.conflicts) == 1
    c = r.conflicts[0]
    assert (c.key, c.lines, c.kept) == ("2026111100000000007", (2, 4), 4)
    assert {"订单状态", "退款金额"} <= set(c.columns)
    assert r.rows_read == r.inserted + r.updated + r.unchanged + r.rejected  # the accounting still adds up


def test_identical_repeats_are_no_conflict(tmp_path: Path) -> None:
    path = write(tmp_path / "o.csv", csv_bytes(TAOBAO_45, [taobao_order(7), taobao_order(7)], "gbk"))
    with Store.open(":memory:") as store:
        assert import_files(store, [path])[0].conflicts == []


def test_the_cli_names_the_conflict_which_row_won_and_why(tmp_path: Path) -> None:
    rows = [taobao_order(7), taobao_order(7, status="交易关闭", refund="58.00")]
    path = write(tmp_path / "o.csv", csv_bytes(TAOBAO_45, rows, "gbk"))
    out = run("import", str(path), "--store", str(tmp_path / "s.duckdb"), "--lang", "zh")
    assert "2026111100000000007" in out and "第 2、3 行" in out and "保留了第 3 行" in out and "最后一行" in out
    en = run("import", str(path), "--store", str(tmp_path / "t.duckdb"), "--lang", "en")
    assert "line 3 was kept" in en and "the last row" in en


# --- 生意参谋 / 直通车 / 引力魔方 downloads -----------------------------------------------------------------

SYCM_TITLE = ["【生意参谋平台】无线店铺流量来源", "统计日期：2026-11-11 ~ 2026-11-12", ""]
SYCM_HEADER = ["统计日期", "流量来源", "来源明细", "访客数", "浏览量", "下单买家数", "下单转化率", "支付买家数",
               "支付转化率", "支付金额"]
SYCM_ROWS = [
    ["2026-11-11", "淘内免费", "手淘搜索", "1,200", "3,400", "80", "6.67%", "60", "5.00%", "1,196.00元"],
    ["2026-11-11", "付费流量", "直通车", "900", "2,100", "50", "5.56%", "40", "4.44%", "800.00"],
    ["2026-11-12", "淘内免费", "手淘搜索", "1000", "3000", "70", "7.00%", "55", "5.50%", "1,100.00"],
]


def sycm_csv(path: Path) -> Path:
    title = "".join(line + "\r\n" for line in SYCM_TITLE)
    return write(path, title.encode("gbk") + csv_bytes(SYCM_HEADER, SYCM_ROWS, "gbk"))


def sycm_xls(path: Path) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("店铺来源")
    for r, line in enumerate(SYCM_TITLE):
        sheet.write(r, 0, line)
    top = len(SYCM_TITLE)
    for c, name in enumerate(SYCM_HEADER):
        sheet.write(top, c, name)
    for r, row in enumerate(SYCM_ROWS, start=top + 1):
        for c, value in enumerate(row):
            sheet.write(r, c, float(value) if value.isdigit() else value)  # numbers as Excel keeps them
    book.save(str(path))
    return path


TRAFFIC_WANTED = [
    ("2026-11-11 00:00:00", "付费流量 / 直通车", 900, 2100, 40),
    ("2026-11-11 00:00:00", "淘内免费 / 手淘搜索", 1200, 3400, 60),
    ("2026-11-12 00:00:00", "淘内免费 / 手淘搜索", 1000, 3000, 55),
]


@pytest.mark.parametrize("make", [sycm_csv, sycm_xls], ids=["csv-gbk", "xls"])
def test_a_sycm_traffic_download_with_title_lines_imports(tmp_path: Path, make: object) -> None:
    suffix = ".csv" if make is sycm_csv else ".xls"
    path = make(tmp_path / f"【生意参谋平台】无线店铺流量来源-2026-11-11_2026-11-12{suffix}")  # type: ignore[operator]
    with Store.open(":memory:") as store:
        r = import_files(store, [path])[0]
        got = store.con.execute(
            "SELECT strftime(hour, '%Y-%m-%d %H:%M:%S'), source, visitors, page_views, buyers FROM traffic "
            "ORDER BY hour, source"
        ).fetchall()
        again = import_files(store, [path], force=True)[0]
    assert (r.rows_read, r.inserted, r.rejected) == (3, 3, 0)
    assert got == TRAFFIC_WANTED  # "1,200" read as 1200; the header found under the title lines
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)


def test_a_bad_value_in_a_download_with_title_lines_names_its_real_line(tmp_path: Path) -> None:
    rows = [*SYCM_ROWS[:1], ["2026-11-11", "淘内免费", "猜你喜欢", "很多", "1", "0", "0%", "0", "0%", "0"]]
    title = "".join(line + "\r\n" for line in SYCM_TITLE)
    path = write(tmp_path / "sycm.csv", title.encode("utf-8") + csv_bytes(SYCM_HEADER, rows, "utf-8"))
    with Store.open(":memory:") as store:
        import_files(store, [path])
        bad = rejected_rows(store, "en")
    assert [(b.line, b.column, b.value) for b in bad] == [(6, "访客数", "很多")]  # title 3 lines, header line 4


def test_a_missing_column_names_the_file_and_the_header_it_found(tmp_path: Path) -> None:
    header = [h for h in TAOBAO_45 if h != "订单创建时间"]
    row = [v for h, v in zip(TAOBAO_45, taobao_order(1), strict=True) if h != "订单创建时间"]
    path = write(tmp_path / "ExportOrderList.csv", csv_bytes(header, [row], "gbk"))
    with Store.open(":memory:") as store, pytest.raises(InputError) as err:
        import_files(store, [path], source="taobao_orders")
    message = err.value.message("en")
    assert str(path) in message and "订单创建时间" in message and "订单编号" in message


ZTC_HEADER = ["日期", "推广计划名称", "宝贝名称", "关键词", "展现量", "点击量", "点击率", "花费", "平均点击花费",
              "总成交金额", "总成交笔数", "投入产出比"]
ZTC_ROWS = [
    ["2026-11-11", "测试计划A", "测试宝贝1", "测试词甲", "10,000", "300", "3.00%", "150.00", "0.50", "1,500.00", "15",
     "10.00"],
    ["2026-11-11", "测试计划A", "测试宝贝1", "测试词乙", "5,000", "100", "2.00%", "60.00", "0.60", "300.00", "3",
     "5.00"],
]
YLMF_HEADER = ["日期", "计划名称", "单元名称", "展现量", "点击量", "点击率", "消耗", "千次展现成本", "点击成本",
               "总成交金额", "总成交笔数", "投入产出比"]
YLMF_ROWS = [["2026-11-11", "测试人群计划", "测试单元1", "20,000", "400", "2.00%", "200.00", "10.00", "0.50",
              "1,000.00", "10", "5.00"]]


def test_a_ztc_keyword_report_keeps_each_keyword_spend(tmp_path: Path) -> None:
    path = write(tmp_path / "直通车关键词报表.csv", csv_bytes(ZTC_HEADER, ZTC_ROWS, "gbk"))
    with Store.open(":memory:") as store:
        r = import_files(store, [path])[0]
        got = store.con.execute(
            "SELECT channel, campaign, spend, impressions, clicks, orders, revenue FROM ad_spend ORDER BY campaign"
        ).fetchall()
    assert (r.inserted, r.rejected, r.conflicts) == (2, 0, [])
    assert [(g[0], g[1], str(g[2]), g[3], g[4], g[5], str(g[6])) for g in got] == [
        ("直通车", "测试计划A / 测试宝贝1 / 测试词乙", "60.00", 5000, 100, 3, "300.00"),
        ("直通车", "测试计划A / 测试宝贝1 / 测试词甲", "150.00", 10000, 300, 15, "1500.00"),
    ]


def test_a_ztc_item_report_and_a_ylmf_report_are_told_apart(tmp_path: Path) -> None:
    items = [h for h in ZTC_HEADER if h != "关键词"]
    item_rows = [[v for h, v in zip(ZTC_HEADER, row, strict=True) if h != "关键词"] for row in ZTC_ROWS[:1]]
    ztc = write(tmp_path / "直通车宝贝报表.csv", csv_bytes(items, item_rows, "utf-8"))
    ylmf = write(tmp_path / "引力魔方报表.csv", csv_bytes(YLMF_HEADER, YLMF_ROWS, "utf-8"))
    chosen = [choose(p) for p in (ztc, ylmf)]  # both recognised without a mapping
    assert [c.mapping.constants["channel"] for c in chosen if isinstance(c, GenericTable)] == ["直通车", "引力魔方"]
    with Store.open(":memory:") as store:
        import_files(store, [ztc, ylmf])
        got = store.con.execute("SELECT channel, campaign, CAST(spend AS VARCHAR) FROM ad_spend ORDER BY 1").fetchall()
    assert got == [("引力魔方", "测试人群计划 / 测试单元1", "200.00"), ("直通车", "测试计划A / 测试宝贝1", "150.00")]


# --- mappings -----------------------------------------------------------------------------------------

ORDERS_HEADER = ["order_id", "created_at", "paid_at", "paid_amount"]


def orders_file(tmp_path: Path, constants: str) -> Path:
    path = write(
        tmp_path / "paid.csv",
        csv_bytes(ORDERS_HEADER, [["T1", "2026-11-11 10:00:00", "2026-11-11 10:01:00", "10.00"]], "utf-8"),
    )
    (tmp_path / "paid.csv.mapping.yaml").write_text(
        "table: orders\ncolumns: {order_id: order_id, created_at: created_at, paid_at: paid_at, "
        f"paid_amount: paid_amount}}\nconstants: {{platform: generic, {constants}}}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(("given", "stored"), [("paid", "paid"), ("交易成功", "completed")])
def test_a_constant_status_in_a_mapping_is_applied(tmp_path: Path, given: str, stored: str) -> None:
    path = orders_file(tmp_path, f"status: {given}")
    with Store.open(":memory:") as store:
        import_files(store, [path])
        assert store.con.execute("SELECT status FROM orders").fetchall() == [(stored,)]


def test_a_constant_status_that_is_no_status_is_refused_naming_the_mapping(tmp_path: Path) -> None:
    path = orders_file(tmp_path, "status: 已付")
    with pytest.raises(InputError) as err:
        Mapping.load(path.with_name("paid.csv.mapping.yaml"))
    assert "已付" in err.value.message("zh") and "paid.csv.mapping.yaml" in err.value.message("zh")
    assert "paid" in err.value.fix("en") and "交易成功" in err.value.fix("zh")


# --- a quarantine that can be resolved ----------------------------------------------------------------


def test_rows_fixed_by_a_later_import_are_resolved_and_rejected_shows_only_open_ones(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    bad_date = taobao_order(2)
    bad_date[CREATED] = "昨天"
    damaged = taobao_order(3)
    damaged[ID] = "2.02611110000000E+18"
    first = write(tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_45, [taobao_order(1), bad_date, damaged], "gbk"))
    run("import", str(first), "--store", str(store))
    assert len(json.loads(run("import", "--rejected", "--store", str(store), "--format", "json"))) == 2
    # the shop downloads the export again, right this time (same name, new content)
    fixed_dir = tmp_path / "again"
    fixed_dir.mkdir()
    fixed = write(fixed_dir / "ExportOrderList.csv",
                  csv_bytes(TAOBAO_45, [taobao_order(1), taobao_order(2), taobao_order(3)], "gbk"))
    out = run("import", str(fixed), "--store", str(store), "--lang", "en")
    assert "2 rows rejected before came in accepted" in out
    assert json.loads(run("import", "--rejected", "--store", str(store), "--format", "json")) == []
    assert "No open rows in quarantine" in run("import", "--rejected", "--store", str(store), "--lang", "en")
    history = json.loads(run("import", "--rejected", "--all", "--store", str(store), "--format", "json"))
    assert [(h["line"], bool(h["resolved_at"])) for h in history] == [(3, True), (4, True)]


def test_a_row_still_bad_in_the_later_import_stays_open(tmp_path: Path) -> None:
    bad_date = taobao_order(2)
    bad_date[CREATED] = "昨天"
    with Store.open(":memory:") as st:
        import_files(st, [write(tmp_path / "a.csv", csv_bytes(TAOBAO_45, [taobao_order(1), bad_date], "gbk"))])
        import_files(st, [write(tmp_path / "b.csv", csv_bytes(TAOBAO_45, [taobao_order(1)], "gbk"))])
        open_rows = rejected_rows(st, "en")
    assert [(r.line, r.column) for r in open_rows] == [(3, "订单创建时间")]


def test_importing_a_file_again_says_already_imported_skipped_and_no_empty_table(tmp_path: Path) -> None:
    path = write(tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_45, [taobao_order(1)], "gbk"))
    store = str(tmp_path / "s.duckdb")
    run("import", str(path), "--store", store)
    out = run("import", str(path), "--store", store, "--lang", "zh")
    assert "已经导入过" in out and "跳过" in out
    assert "导入结果" not in out and "读取" not in out  # no empty summary table
    en = run("import", str(path), "--store", store, "--lang", "en")
    assert "imported before" in en and "skipped" in en and "Import summary" not in en


# --- personal data ------------------------------------------------------------------------------------


def test_buyer_messages_and_shifted_rows_keep_no_personal_data(tmp_path: Path) -> None:
    message = "请寄给测试甲，电话0571-88886666，地址浙江省杭州市西湖区测试路1号3幢201室"
    bad = taobao_order(2)
    bad[TAOBAO_45.index("买家留言")] = message
    bad[CREATED] = "昨天"
    long_row = taobao_order(3)
    long_row[TAOBAO_45.index("收货地址")] = "浙江省 杭州市 西湖区 测试路3号, 测试小区"  # a comma: one field more
    long_row[TAOBAO_45.index("联系手机")] = "+86 138 1234 5678"
    text = csv_bytes(TAOBAO_45, [taobao_order(1), bad], "utf-8").decode()
    long_line = ",".join(v.replace(", ", ",") for v in long_row)  # written unquoted, as a broken tool would
    path = write(tmp_path / "o.csv", (text + long_line + "\r\n").encode("utf-8"))
    with Store.open(":memory:") as st:
        import_files(st, [path])
        stored = " ".join(str(r[0]) for r in st.con.execute("SELECT raw_value FROM quarantine").fetchall())
    for clear in ("测试甲", "88886666", "测试路1号", "3幢201室", "1234 5678", "12345678", "测试小区", "测试路3号",
                  "测试收货人003", "测试买家003"):
        assert clear not in stored, clear
    assert "138****5678" in stored


# --- a killed import leaves no clear text behind ------------------------------------------------------

KILLED = r"""
import sys, time
from pathlib import Path
from dachu.data.importers import duckcsv, import_files
from dachu.data.store import Store

real = duckcsv.transcode_python
def transcode_then_hang(path, encoding, out):
    real(path, encoding, out)
    print(out, flush=True)  # the clear-text copy is written: now the parent kills us
    time.sleep(600)
duckcsv.transcode_python = transcode_then_hang
duckcsv.iconv_available = lambda: False
with Store.open(sys.argv[1]) as store:
    import_files(store, [Path(sys.argv[2])])
"""


def test_a_killed_import_leaves_a_private_folder_that_the_next_import_removes(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    store = tmp_path / "shop" / "s.duckdb"
    store.parent.mkdir()
    path = write(tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_45, [taobao_order(1), taobao_order(2)], "gbk"))
    child = subprocess.Popen([sys.executable, "-c", KILLED, str(store), str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        copy = Path(child.stdout.readline().strip())
        folder = copy.parent
        assert folder.parent == store.parent and folder.name.startswith("dachu-import-")
        assert "测试收货人001" in copy.read_text(encoding="utf-8")  # clear text, as the issue says
        assert folder.stat().st_mode & 0o777 == 0o700  # but private to the user
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
    assert folder.exists()  # nobody could clean up after a kill -9
    other = write(tmp_path / "other.csv", csv_bytes(TAOBAO_45, [taobao_order(3)], "gbk"))
    with Store.open(store) as st:
        import_files(st, [other])
    assert not folder.exists()
    assert [p for p in store.parent.iterdir() if p.name.startswith("dachu-import-")] == []


def test_a_running_imports_folder_is_not_swept(tmp_path: Path) -> None:
    from dachu.data.importers.workdir import import_folder, sweep

    with import_folder(tmp_path) as mine:
        assert sweep(tmp_path) == [] and mine.exists()
        assert oct(os.stat(mine).st_mode & 0o777) == oct(0o700)
    assert not mine.exists()
