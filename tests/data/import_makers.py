"""Write small exports in the platforms' own layouts, with their quirks, for the importer tests.

All personal data is obviously fake (测试买家001, 13800000000-style phones).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

TAOBAO_45 = [
    "订单编号",
    "买家会员名",
    "买家支付宝账号",
    "买家应付货款",
    "买家应付邮费",
    "买家支付积分",
    "总金额",
    "返点积分",
    "买家实际支付金额",
    "买家实际支付积分",
    "订单状态",
    "买家留言",
    "收货人姓名",
    "收货地址",
    "运送方式",
    "联系电话",
    "联系手机",
    "订单创建时间",
    "订单付款时间",
    "宝贝标题",
    "宝贝种类",
    "物流单号",
    "物流公司",
    "订单备注",
    "宝贝总数量",
    "店铺Id",
    "店铺名称",
    "订单关闭原因",
    "卖家服务费",
    "买家服务费",
    "发票抬头",
    "是否手机订单",
    "分阶段订单信息",
    "特权订金订单id",
    "是否上传合同照片",
    "是否上传小票",
    "是否代付",
    "定金排名",
    "修改后的sku",
    "修改后的收货地址",
    "异常信息",
    "天猫卡券抵扣",
    "集分宝抵扣",
    "是否是O2O交易",
    "退款金额",
]
TAOBAO_67_EXTRA = [
    "支付单号",
    "支付详情",
    "满返红包金额",
    "新零售交易类型",
    "新零售导购门店id",
    "新零售导购门店名称",
    "新零售发货门店id",
    "新零售发货门店名称",
    "新零售成交门店id",
    "新零售成交门店名称",
    "新零售成交导购id",
    "新零售成交导购名称",
    "新零售发货类型",
    "确认收货时间",
    "打款商家金额",
    "主订单编号",
    "发货时间",
    "订单来源",
    "下单渠道",
    "是否周期购",
    "预售类型",
    "门店自提",
]
TAOBAO_67 = TAOBAO_45 + TAOBAO_67_EXTRA
assert len(TAOBAO_45) == 45 and len(TAOBAO_67) == 67

TAOBAO_LINES = [
    "订单编号",
    "标题",
    "价格",
    "购买数量",
    "外部系统编号",
    "商品属性",
    "套餐信息",
    "备注",
    "订单状态",
    "商家编码",
]

JD = [
    "订单号",
    "商品ID",
    "商品名称",
    "订购数量",
    "支付方式",
    "下单时间",
    "京东价",
    "订单金额",
    "结算金额",
    "余额支付",
    "应付金额",
    "订单状态",
    "订单类型",
    "下单帐号",
    "客户姓名",
    "客户地址",
    "联系电话",
    "订单备注",
    "发票类型",
    "发票抬头",
    "发票内容",
    "商家备注",
    "商家备注等级（等级1-5为由高到低）",
    "运费金额",
    "付款确认时间",
    "增值税发票",
    "货号",
    "订单完成时间",
    "订单来源",
    "订单渠道",
]

SHOPIFY = [
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
    "Tax 1 Name",
    "Tax 1 Value",
    "Tax 2 Name",
    "Tax 2 Value",
    "Tax 3 Name",
    "Tax 3 Value",
    "Tax 4 Name",
    "Tax 4 Value",
    "Tax 5 Name",
    "Tax 5 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
]
assert len(SHOPIFY) == 79


def csv_bytes(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    encoding: str,
    *,
    pad_header: bool = False,
    errors: str = "strict",
) -> bytes:
    """CSV text as the platform writes it: unquoted where possible, CRLF, in `encoding`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([h + " " if pad_header else h for h in header])
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode(encoding, errors=errors)


def taobao_order(
    n: int,
    *,
    status: str = "交易成功",
    paid: str | None = "2026-11-11 00:03:10",
    created: str = "2026-11-11 00:01:05",
    refund: str = "0.00",
    layout: int = 45,
    slash_dates: bool = False,
    yuan: bool = True,
    tracking: str = "",
) -> list[str]:
    """One 订单报表 row for order number `n` (ids as ="…", phones with a leading ')."""
    if slash_dates:
        created = created.replace("-", "/")[:16]
        paid = paid.replace("-", "/")[:16] if paid else paid
    money = (lambda v: v + "元") if yuan else (lambda v: v)
    values = {
        "订单编号": f'="{2026111100000000000 + n}"',
        "买家会员名": f"测试买家{n:03d}",
        "买家支付宝账号": "",
        "买家应付货款": money("58.00"),
        "买家应付邮费": money("0.00"),
        "买家支付积分": "0",
        "总金额": money("58.00"),
        "返点积分": "0",
        "买家实际支付金额": money("58.00") if paid else money("0.00"),
        "买家实际支付积分": "0",
        "订单状态": status,
        "买家留言": "",
        "收货人姓名": f"测试收货人{n:03d}",
        "收货地址": f"浙江省 杭州市 西湖区 测试路{n}号(000000)",
        "运送方式": "快递",
        "联系电话": "",
        "联系手机": "'13800000000",
        "订单创建时间": created,
        "订单付款时间": paid or "",
        "宝贝标题": "野菊蜜 500g",
        "宝贝种类": "1",
        "物流单号": tracking,
        "物流公司": "测试快递" if tracking else "",
        "订单备注": "",
        "宝贝总数量": "2",
        "店铺Id": '="12345"',
        "店铺名称": "测试店铺",
        "订单关闭原因": "买家不想买了" if status == "交易关闭" else "",
        "是否手机订单": "手机订单",
        "退款金额": refund,
        "确认收货时间": "2026-11-15 10:00:00" if status == "交易成功" else "",
    }
    header = TAOBAO_45 if layout == 45 else TAOBAO_67
    return [values.get(h, "") for h in header]


def write(path: Path, data: bytes) -> Path:
    """Write bytes and return the path."""
    path.write_bytes(data)
    return path


def jd_row(
    order: int, item: int, *, qty: str = "1", status: str = "完成", paid: str = "2026-11-11 00:02:00"
) -> list[str]:
    """One JD export row (one per order item)."""
    values = {
        "订单号": str(300000000000 + order),
        "商品ID": str(100000 + item),
        "商品名称": f"测试商品{item}",
        "订购数量": qty,
        "支付方式": "在线支付",
        "下单时间": "2026-11-11 00:01:00",
        "京东价": "29.00",
        "订单金额": "63.00",
        "结算金额": "63.00",
        "余额支付": "0.00",
        "应付金额": "63.00",
        "订单状态": status,
        "订单类型": "普通订单",
        "下单帐号": f"jd_测试买家{order:03d}",
        "客户姓名": f"测试客户{order:03d}",
        "客户地址": "北京市朝阳区测试街道1号",
        "联系电话": "13800000001",
        "运费金额": "5.00",
        "付款确认时间": paid,
        "货号": f"HH{item}",
        "订单完成时间": "2026-11-14 12:00:00" if status == "完成" else "",
        "订单来源": "移动端",
    }
    return [values.get(h, "") for h in JD]


def shopify_rows(
    name: str,
    items: list[tuple[str, str, str]],
    *,
    status: str = "paid",
    fulfilled: str = "fulfilled",
    offset: str = "+0800",
    refunded: str = "0.00",
    header: Sequence[str] = SHOPIFY,
) -> list[list[str]]:
    """Rows of one Shopify order: the first carries the order fields, continuation rows leave them blank."""
    rows = []
    for i, (qty, title, price) in enumerate(items):
        line = dict.fromkeys(header, "")
        line.update(
            {
                "Name": name,
                "Lineitem quantity": qty,
                "Lineitem name": title,
                "Lineitem price": price,
                "Lineitem sku": f"SKU-{title}",
            }
        )
        if i == 0:
            line.update(
                {
                    "Email": f"test-buyer-{name.strip('#')}@example.com",
                    "Financial Status": status,
                    "Paid at": f"2026-11-11 00:05:12 {offset}" if status != "pending" else "",
                    "Fulfillment Status": fulfilled,
                    "Fulfilled at": f"2026-11-12 09:00:00 {offset}" if fulfilled == "fulfilled" else "",
                    "Fulfillment Date": f"2026-11-12 09:00:00 {offset}" if fulfilled == "fulfilled" else "",
                    "Currency": "USD",
                    "Subtotal": "40.00",
                    "Shipping": "5.00",
                    "Taxes": "0.00",
                    "Total": "45.00",
                    "Created at": f"2026-11-11 00:04:00 {offset}",
                    "Shipping Name": "Test Buyer",
                    "Shipping Address1": "1 Test Street",
                    "Shipping City": "Testville",
                    "Shipping Province": "CA",
                    "Shipping Phone": "+1 555 0100",
                    "Refunded Amount": refunded,
                    "Id": "5550001",
                    "Source": "web",
                }
            )
        rows.append([line[h] for h in header])
    return rows


def tianchi_rows(n: int) -> list[list[str]]:
    """UserBehavior.csv rows: user, item, category, behaviour, unix time (2017-11-25 and on)."""
    kinds = ["pv", "pv", "fav", "cart", "buy"]
    return [
        [str(1 + i % 7), str(1000 + i % 11), str(4000 + i % 3), kinds[i % 5], str(1511539200 + 60 * i)]
        for i in range(n)
    ]


def to_xlsx(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], date_columns: Sequence[str] = ()
) -> Path:
    """Re-save an export as Excel would: dates in `date_columns` become serial day numbers."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(header))
    idx = {header.index(c) for c in date_columns}
    for row in rows:
        out: list[object] = []
        for i, v in enumerate(row):
            if i in idx and v:
                when = dt.datetime.strptime(v[:19].replace("/", "-"), "%Y-%m-%d %H:%M:%S")
                out.append((when - dt.datetime(1899, 12, 30)).total_seconds() / 86400)
            elif v.startswith('="') and v.endswith('"'):
                out.append(v[2:-1])  # Excel evaluates ="…" and saves the text
            else:
                out.append(v)
        ws.append(out)
    wb.save(path)
    return path
