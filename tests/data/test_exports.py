"""The export writers: headers exactly as the platforms write them, and their quirks in the bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pyarrow.parquet as pq
import pytest

from dachu.data.exports import FORMATS, ExportOptions
from dachu.data.exports.render import Quirks, escape, format_dates, format_money
from dachu.data.simulate.run import run_simulation
from dachu.data.simulate.setup import Options
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import Plan, make_plan

CAMPAIGN = Path(__file__).parent / "simulate_campaign.yaml"
STAMP = "202611210000"  # the export time: midnight after the last follow-up day (11.11 + 9 days)

# Issue 3, verbatim: the 45-column 订单报表.
ISSUE_TMALL_45 = (
    "订单编号, 买家会员名, 买家支付宝账号, 买家应付货款, 买家应付邮费, 买家支付积分, 总金额, "
    "返点积分, 买家实际支付金额, 买家实际支付积分, 订单状态, 买家留言, 收货人姓名, 收货地址, "
    "运送方式, 联系电话, 联系手机, 订单创建时间, 订单付款时间, 宝贝标题, 宝贝种类, 物流单号, "
    "物流公司, 订单备注, 宝贝总数量, 店铺Id, 店铺名称, 订单关闭原因, 卖家服务费, 买家服务费, "
    "发票抬头, 是否手机订单, 分阶段订单信息, 特权订金订单id, 是否上传合同照片, 是否上传小票, "
    "是否代付, 定金排名, 修改后的sku, 修改后的收货地址, 异常信息, 天猫卡券抵扣, 集分宝抵扣, "
    "是否是O2O交易, 退款金额"
).split(", ")
ISSUE_ITEMS = (
    "订单编号, 标题, 价格, 购买数量, 外部系统编号, 商品属性, 套餐信息, 备注, 订单状态, 商家编码".split(", ")
)
ISSUE_JD = (
    "订单号, 商品ID, 商品名称, 订购数量, 支付方式, 下单时间, 京东价, 订单金额, 结算金额, 余额支付, "
    "应付金额, 订单状态, 订单类型, 下单帐号, 客户姓名, 客户地址, 联系电话, 订单备注, 发票类型, "
    "发票抬头, 发票内容, 商家备注, 商家备注等级（等级1-5为由高到低）, 运费金额, 付款确认时间, "
    "增值税发票, 货号, 订单完成时间, 订单来源, 订单渠道"
).split(", ")
# The 67-column layout as public parsers list it: the 45 plus 支付单号, 支付详情 after 买家支付宝账号, …
NEW_67_EXTRA = (
    "支付单号",
    "支付详情",
    "满返红包金额",
    "新零售交易类型",
    "新零售导购门店名称",
    "新零售导购门店id",
    "新零售发货门店名称",
    "新零售发货门店id",
    "预约门店",
    "确认收货时间",
    "打款商家金额",
    "含应开票给个人的个人红包",
    "是否信用购",
    "体验期结束时间",
    "前N有礼",
    "配送类型",
    "直播返现状态",
    "返现金额",
    "新零售成交门店昵称",
    "新零售成交门店id",
    "新零售成交经销商id",
    "主订单编号",
)
SHOPIFY_NAMED_IN_ISSUE = (
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem sku",
    "Refunded Amount",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make_plan(parse_campaign(CAMPAIGN.read_text(encoding="utf-8"), str(CAMPAIGN)))


@pytest.fixture(scope="module")
def out(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plain")
    run_simulation(
        plan, Options(orders=3000, seed=8, chunk_size=1000), folder, ExportOptions(formats=FORMATS, xlsx=True)
    )
    return folder


@pytest.fixture(scope="module")
def resaved(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("excel")
    run_simulation(
        plan,
        Options(orders=500, seed=8),
        folder,
        ExportOptions(
            formats=("tmall45", "tmall67"),
            encoding="utf-8-sig",
            quirks=Quirks(excel_dates=True, yuan=True, header_spaces=True),
        ),
    )
    return folder


def _rows(path: Path, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


@pytest.mark.parametrize(
    ("name", "encoding", "expected"),
    [
        (f"ExportOrderList{STAMP}_45.csv", "gbk", ISSUE_TMALL_45),
        (f"ExportOrderDetailList{STAMP}.csv", "gbk", ISSUE_ITEMS),
        (f"jd_orders_{STAMP}.csv", "gbk", ISSUE_JD),
    ],
    ids=["tmall45", "taobao_items", "jd"],
)
def test_headers_are_the_issues_column_lists(
    out: Path, name: str, encoding: str, expected: list[str]
) -> None:
    assert _rows(out / name, encoding)[0] == expected


def test_the_67_column_layout_is_the_45_plus_the_newer_columns(out: Path) -> None:
    header = _rows(out / f"ExportOrderList{STAMP}.csv", "gbk")[0]
    assert len(header) == 67
    assert set(header) == set(ISSUE_TMALL_45) | set(NEW_67_EXTRA)
    assert header[:5] == ["订单编号", "买家会员名", "买家支付宝账号", "支付单号", "支付详情"]
    assert header[-1] == "主订单编号"


def test_shopify_has_79_columns_including_those_the_issue_names(out: Path) -> None:
    header = _rows(out / "orders_export_1.csv", "utf-8")[0]
    assert len(header) == 79
    assert set(SHOPIFY_NAMED_IN_ISSUE) <= set(header)
    assert header[:6] == list(SHOPIFY_NAMED_IN_ISSUE[:6])


def test_tmall_bytes_are_gbk_with_wrapped_ids_and_quoted_phones(out: Path) -> None:
    raw = (out / f"ExportOrderList{STAMP}_45.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gbk")
    lines = text.split("\r\n")
    assert lines[1].startswith('="31')
    assert re.match(r'^="\d{19}",', lines[1])
    rows = _rows(out / f"ExportOrderList{STAMP}_45.csv", "gbk")
    head = rows[0]
    body = rows[1:]
    assert len(body) == 4500
    assert all(len(r) == 45 for r in body)
    assert all(r[head.index("联系手机")].startswith("'1000") for r in body)
    assert all(
        re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", r[head.index("订单创建时间")]) for r in body
    )
    assert all(re.fullmatch(r"\d+\.\d{2}", r[head.index("总金额")]) for r in body)
    assert all(len(r[head.index("收货地址")].split(" ")) == 4 for r in body)
    statuses = {r[head.index("订单状态")] for r in body}
    assert {"交易成功", "交易关闭", "交易被淘宝关闭", "卖家已发货，等待买家确认"} <= statuses


def test_excel_resaved_quirks_are_in_the_bytes(resaved: Path) -> None:
    raw = (resaved / f"ExportOrderList{STAMP}_45.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = _rows(resaved / f"ExportOrderList{STAMP}_45.csv", "utf-8-sig")
    head = rows[0]
    assert "订单付款时间 " in head and "收货地址 " in head and "订单编号" in head
    created = head.index("订单创建时间")
    assert all(re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", r[created]) for r in rows[1:])
    assert all(r[head.index("总金额")].endswith("元") for r in rows[1:])


def test_jd_export_is_gbk_with_one_row_per_line(out: Path) -> None:
    rows = _rows(out / f"jd_orders_{STAMP}.csv", "gbk")
    items = _rows(out / f"ExportOrderDetailList{STAMP}.csv", "gbk")
    assert len(rows) == len(items)
    assert all(re.fullmatch(r"\d{19}", r[0]) for r in rows[1:])


def test_shopify_leaves_order_fields_blank_on_continuation_rows(out: Path) -> None:
    rows = _rows(out / "orders_export_1.csv", "utf-8")
    head, body = rows[0], rows[1:]
    name, email, created, qty = (head.index(c) for c in ("Name", "Email", "Created at", "Lineitem quantity"))
    seen: set[str] = set()
    continuation = 0
    for r in body:
        assert r[qty].isdigit()
        if r[name] in seen:
            continuation += 1
            assert r[email] == "" and r[created] == "" and r[head.index("Total")] == ""
        else:
            seen.add(r[name])
            assert r[email].endswith("@example.com")
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+0800", r[created])
    assert continuation > 0


def test_user_behavior_has_no_header_and_unix_times(out: Path) -> None:
    rows = _rows(out / "UserBehavior.csv", "ascii")
    assert all(len(r) == 5 for r in rows)
    assert {r[3] for r in rows} == {"pv", "fav", "cart", "buy"}
    assert all(r[0].isdigit() and r[1].isdigit() and r[2].isdigit() for r in rows)
    # 2026-11-11 00:00 +08:00 is unix 1794326400 (2025-11-11 00:00 +08:00 = 1762790400, + 365 days);
    # every event lies between a year and a half before it and the end of the follow-up (+10 days).
    times = np.array([int(r[4]) for r in rows])
    assert times.max() <= 1794326400 + 10 * 86400
    assert times.min() > 1794326400 - 450 * 86400


def test_generic_tables(out: Path) -> None:
    traffic = _rows(out / "traffic.csv", "utf-8")
    assert traffic[0] == ["hour", "source", "visitors", "page_views", "buyers"]
    assert {r[1] for r in traffic[1:]} == {"organic", "直通车", "钻石展位", "淘宝客"}
    spend = _rows(out / "ad_spend.csv", "utf-8")
    assert spend[0] == ["day", "channel", "campaign", "spend", "impressions", "clicks", "orders", "revenue"]
    cs = _rows(out / "cs_sessions.csv", "utf-8")
    assert cs[0][:2] == ["session_id", "agent"]
    assert all(int(r[5]) > 0 for r in cs[1:])


def test_xlsx_twin_has_the_header_and_excel_dates(out: Path) -> None:
    book = openpyxl.load_workbook(out / f"ExportOrderList{STAMP}_45.xlsx", read_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    head = list(next(rows))
    first = next(rows)
    book.close()
    assert head == ISSUE_TMALL_45
    assert isinstance(first[head.index("订单创建时间")], dt.datetime)
    assert isinstance(first[head.index("总金额")], int | float)
    assert isinstance(first[0], str) and first[0].isdigit()


def test_parquet_amounts_agree_with_the_csv(out: Path) -> None:
    orders = pq.read_table(out / "parquet" / "orders.parquet")
    rows = _rows(out / f"ExportOrderList{STAMP}_45.csv", "gbk")
    col = rows[0].index("买家实际支付金额")
    csv_total = sum(Decimal(r[col]) for r in rows[1:])
    assert sum(orders.column("paid_amount").to_pylist()) == csv_total
    assert orders.num_rows == 4500


def test_no_real_looking_personal_data(out: Path) -> None:
    rows = _rows(out / f"ExportOrderList{STAMP}_45.csv", "gbk")
    head = rows[0]
    for r in rows[1:]:
        assert r[head.index("收货人姓名")].startswith("测试")
        assert "测试路" in r[head.index("收货地址")]
        assert r[head.index("买家支付宝账号")].endswith("@example.com")
        assert r[head.index("买家会员名")].startswith("TEST_")
    shop = _rows(out / "orders_export_1.csv", "utf-8")
    sh = shop[0]
    for r in shop[1:]:
        if r[sh.index("Billing Name")]:
            assert r[sh.index("Billing Name")].startswith("TEST ")
            assert re.fullmatch(r"\+1 202-555-01\d\d", r[sh.index("Billing Phone")])


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "0.00"), (5, "0.05"), (12345, "123.45"), (990, "9.90")],
    ids=["zero", "fen", "yuan", "dime"],
)
def test_money_text(fen: int, text: str) -> None:
    assert format_money(np.array([fen], dtype=np.int64)) == [text]


def test_date_styles() -> None:
    # 1762790400 s after 1970-01-01 00:00 is 2025-11-10 16:00:00 (20402 days + 16 h); + 8 h 3 min 7 s.
    secs = np.array([1762790400 + 8 * 3600 + 3 * 60 + 7, -1], dtype=np.int64)
    assert format_dates(secs, "platform") == ["2025-11-11 00:03:07", ""]
    assert format_dates(secs, "excel") == ["2025/11/11 00:03", ""]
    assert format_dates(secs, "offset", -300) == ["2025-11-11 00:03:07 -0500", ""]


def test_escape_quotes_only_when_needed() -> None:
    assert escape("保温杯") == "保温杯"
    assert escape('a,"b"') == '"a,""b"""'
