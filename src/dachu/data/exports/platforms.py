"""The platforms' order exports built from simulated batches: Tmall/Taobao, JD and Shopify.

Each builder maps a `Batch` to typed columns (`render.Col`) named by the platform's header; columns a
layout has but the simulator leaves empty are blank, as in a real export of a plain store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dachu.data.exports.render import Col
from dachu.data.simulate import batch as b
from dachu.data.simulate import people as pp
from dachu.data.simulate.people import People
from dachu.data.simulate.setup import ORGANIC, Setup

TMALL_STATUS = (
    "等待买家付款",
    "买家已付款，等待卖家发货",
    "卖家部分发货",
    "卖家已发货，等待买家确认",
    "买家已签收",
    "交易成功",
    "交易关闭",
    "交易被淘宝关闭",
)
"""Tmall/Taobao status text by batch state code (PENDING … CLOSED_BY_PLATFORM)."""

JD_STATUS = (
    "等待付款",
    "等待出库",
    "等待确认收货",
    "等待确认收货",
    "等待确认收货",
    "完成",
    "已取消",
    "已取消",
)
SHOP_ID = "100000001"
SHOP_NAME = "测试旗舰店"


class Exporter:
    """Column builders for one simulation (its setup and fake people)."""

    def __init__(self, setup: Setup, people: People) -> None:
        self.setup = setup
        self.people = people
        self.names = np.array([p.name for p in setup.products], dtype=object)
        self.skus = np.array([p.sku for p in setup.products], dtype=object)
        self.item_ids = np.array([p.item_id for p in setup.products], dtype=np.int64)
        self.list_fen = np.array([p.list_fen for p in setup.products], dtype=np.int64)
        self.sources = np.array(setup.sources, dtype=object)

    # -- Tmall / Taobao -------------------------------------------------------------------------------
    def titles(self, batch: b.Batch) -> list[str]:
        """宝贝标题: the order's product names joined by a full-width comma."""
        o, names = batch.orders, self.names[batch.lines.product].tolist()
        return [
            "，".join(names[s : s + k])
            for s, k in zip(o.line_start.tolist(), o.n_lines.tolist(), strict=True)
        ]

    def tmall_orders(self, header: Sequence[str]) -> Callable[[b.Batch], list[Col]]:
        """A builder of 订单报表 rows (one per order) in the layout `header`."""

        def build(batch: b.Batch) -> list[Col]:
            o = batch.orders
            n = len(o)
            zero = np.zeros(n, dtype=np.int64)
            shipped = o.shipped != b.NONE
            not_shipped = ~shipped
            paid = o.paid != b.NONE
            carriers = np.array(b.CARRIERS, dtype=object)[o.carrier].tolist()
            merchant = np.where(o.status == b.COMPLETED, o.paid_amount - o.refund, 0)
            values: dict[str, Col] = {
                "订单编号": Col("id", [str(v) for v in o.order_id.tolist()]),
                "主订单编号": Col("id", [str(v) for v in o.order_id.tolist()]),
                "买家会员名": Col("text", pp.account(o.buyer)),
                "买家支付宝账号": Col("text", pp.alipay(o.buyer)),
                "支付单号": Col("id", [f"2088{v}" for v in o.order_id.tolist()], ~paid),
                "支付详情": Col(
                    "text", [f"支付宝:{v // 100}.{v % 100:02d}元" for v in o.paid_amount.tolist()], ~paid
                ),
                "买家应付货款": Col("money", o.goods),
                "买家应付邮费": Col("money", o.postage),
                "买家支付积分": Col("const", "0"),
                "总金额": Col("money", o.total),
                "返点积分": Col("const", "0"),
                "买家实际支付金额": Col("money", o.paid_amount),
                "买家实际支付积分": Col("const", "0"),
                "订单状态": Col("text", np.array(TMALL_STATUS, dtype=object)[o.status].tolist()),
                "收货人姓名": Col("text", self.people.zh_name(o.buyer).tolist()),
                "收货地址": Col("text", pp.zh_address(o.buyer)),
                "运送方式": Col("const", "快递"),
                "联系手机": Col("phone", pp.zh_mobile(o.buyer)),
                "订单创建时间": Col("date", o.created),
                "订单付款时间": Col("date", o.paid),
                "宝贝标题": Col("text", self.titles(batch)),
                "宝贝种类": Col("int", o.n_lines),
                "物流单号": Col("text", [f"No:7{v % 10**13:013d}" for v in o.order_id.tolist()], not_shipped),
                "物流公司": Col("text", carriers, not_shipped),
                "宝贝总数量": Col("int", o.units),
                "店铺Id": Col("const", SHOP_ID),
                "店铺名称": Col("const", SHOP_NAME),
                "订单关闭原因": Col("text", np.array(b.CLOSE_REASONS, dtype=object)[o.close_reason].tolist()),
                "卖家服务费": Col("money", zero),
                "买家服务费": Col("money", zero),
                "是否手机订单": Col("text", ["手机订单" if m else "" for m in o.mobile.tolist()]),
                "是否上传合同照片": Col("const", "否"),
                "是否上传小票": Col("const", "否"),
                "是否代付": Col("const", "否"),
                "天猫卡券抵扣": Col("money", zero),
                "集分宝抵扣": Col("money", zero),
                "满返红包金额": Col("money", zero),
                "退款金额": Col("money", o.refund),
                "确认收货时间": Col("date", o.confirmed),
                "打款商家金额": Col("money", merchant.astype(np.int64)),
                "发货时间": Col("date", o.shipped),
            }
            return [values.get(h, Col("const", "")) for h in header]

        return build

    def taobao_items(self, batch: b.Batch) -> list[Col]:
        """宝贝报表 rows: one per order line."""
        li, o = batch.lines, batch.orders
        status = np.array(TMALL_STATUS, dtype=object)[o.status[li.order_row]]
        status = np.where(li.refunded, "交易关闭", status)
        return [
            Col("id", [str(v) for v in o.order_id[li.order_row].tolist()]),
            Col("text", self.names[li.product].tolist()),
            Col("money", li.price),
            Col("int", li.quantity),
            Col("const", ""),
            Col("const", "颜色分类:默认"),
            Col("const", ""),
            Col("const", ""),
            Col("text", status.tolist()),
            Col("text", self.skus[li.product].tolist()),
        ]

    # -- JD ---------------------------------------------------------------------------------------------
    def jd_orders(self, batch: b.Batch) -> list[Col]:
        """京东 order export rows: one per order line, order fields repeated on every line."""
        li, o = batch.lines, batch.orders
        r = li.order_row
        buyer = o.buyer[r]
        places = pp.zh_place(buyer)
        streets = pp.zh_street(buyer)
        settled = (o.paid_amount - o.refund)[r]
        return [
            Col("text", [str(v) for v in o.order_id[r].tolist()]),
            Col("text", [str(v) for v in self.item_ids[li.product].tolist()]),
            Col("text", self.names[li.product].tolist()),
            Col("int", li.quantity),
            Col("const", "在线支付"),
            Col("date", o.created[r]),
            Col("money", li.price),
            Col("money", o.total[r]),
            Col("money", settled),
            Col("money", np.zeros(len(li), dtype=np.int64)),
            Col("money", o.total[r]),
            Col("text", np.array(JD_STATUS, dtype=object)[o.status[r]].tolist()),
            Col("const", "普通订单"),
            Col("text", pp.account(buyer)),
            Col("text", self.people.zh_name(buyer).tolist()),
            Col("text", [p + c + d + s for (p, c, d), s in zip(places, streets, strict=True)]),
            Col("text", pp.zh_mobile(buyer)),
            Col("const", ""),
            Col("const", "电子发票"),
            Col("const", "个人"),
            Col("const", "商品明细"),
            Col("const", ""),
            Col("const", ""),
            Col("money", o.postage[r]),
            Col("date", o.paid[r]),
            Col("const", "否"),
            Col("text", self.skus[li.product].tolist()),
            Col("date", o.confirmed[r]),
            Col("text", ["移动端" if m else "PC端" for m in o.mobile[r].tolist()]),
            Col("text", self.sources[o.source[r]].tolist()),
        ]

    # -- Shopify ----------------------------------------------------------------------------------------
    def shopify_orders(
        self, header: Sequence[str], line_columns: frozenset[str]
    ) -> Callable[[b.Batch], list[Col]]:
        """A builder of Shopify orders-export rows (one per line item)."""
        currency = self.setup.campaign.campaign.currency

        def build(batch: b.Batch) -> list[Col]:
            li, o = batch.lines, batch.orders
            r = li.order_row
            cont = li.line_no != 1  # continuation rows: order fields blank
            buyer = o.buyer[r]
            status = o.status[r]
            paid = o.paid[r] != b.NONE
            refund = o.refund[r]
            financial = np.where(
                ~paid,
                np.where(status == b.PENDING, "pending", "voided"),
                np.where(
                    refund == 0, "paid", np.where(refund >= o.total[r], "refunded", "partially_refunded")
                ),
            )
            fulfilment = np.where(
                o.shipped[r] != b.NONE,
                np.where(status == b.PART_SHIPPED, "partial", "fulfilled"),
                "unfulfilled",
            )
            places = pp.us_place(buyer)
            city = [p[0] for p in places]
            code = [p[1] for p in places]
            prov = [p[2] for p in places]
            zips = [p[3] for p in places]
            name = self.people.en_name(buyer).tolist()
            street = pp.us_street(buyer)
            phone = pp.us_phone(buyer)
            src = [("web" if s == ORGANIC else s) for s in self.sources[o.source[r]].tolist()]
            listed = self.list_fen[li.product]
            cancelled = np.where(
                (status == b.CLOSED) | (status == b.CLOSED_BY_PLATFORM),
                np.where(paid, o.refunded_at[r], o.created[r] + 3 * 86400),
                b.NONE,
            )
            zero = np.zeros(len(li), dtype=np.int64)
            ref = [f"c{v}.1" for v in o.order_id[r].tolist()]
            values: dict[str, Col] = {
                "Name": Col("text", [f"#{1001 + v}" for v in o.seq[r].tolist()]),
                "Email": Col("text", [f"test{v:08d}@example.com" for v in buyer.tolist()]),
                "Financial Status": Col("text", financial.tolist()),
                "Paid at": Col("date", o.paid[r]),
                "Fulfillment Status": Col("text", fulfilment.tolist()),
                "Fulfilled at": Col("date", o.shipped[r]),
                "Accepts Marketing": Col("text", ["yes" if v % 3 == 0 else "no" for v in buyer.tolist()]),
                "Currency": Col("const", currency),
                "Subtotal": Col("money", o.goods[r]),
                "Shipping": Col("money", o.postage[r]),
                "Taxes": Col("money", zero),
                "Total": Col("money", o.total[r]),
                "Discount Amount": Col("money", zero),
                "Shipping Method": Col("const", "Standard"),
                "Created at": Col("date", o.created[r]),
                "Lineitem quantity": Col("int", li.quantity),
                "Lineitem name": Col("text", self.names[li.product].tolist()),
                "Lineitem price": Col("money", li.price),
                "Lineitem compare at price": Col("money", listed, listed <= li.price),
                "Lineitem sku": Col("text", self.skus[li.product].tolist()),
                "Lineitem requires shipping": Col("const", "true"),
                "Lineitem taxable": Col("const", "true"),
                "Lineitem fulfillment status": Col(
                    "text", np.where(o.shipped[r] != b.NONE, "fulfilled", "pending").tolist()
                ),
                "Billing Name": Col("text", name),
                "Billing Street": Col("text", street),
                "Billing Address1": Col("text", street),
                "Billing City": Col("text", city),
                "Billing Zip": Col("text", zips),
                "Billing Province": Col("text", code),
                "Billing Country": Col("const", "US"),
                "Billing Phone": Col("text", phone),
                "Shipping Name": Col("text", name),
                "Shipping Street": Col("text", street),
                "Shipping Address1": Col("text", street),
                "Shipping City": Col("text", city),
                "Shipping Zip": Col("text", zips),
                "Shipping Province": Col("text", code),
                "Shipping Country": Col("const", "US"),
                "Shipping Phone": Col("text", phone),
                "Cancelled at": Col("date", cancelled),
                "Payment Method": Col("const", "Shopify Payments"),
                "Payment Reference": Col("text", ref, ~paid),
                "Refunded Amount": Col("money", refund),
                "Vendor": Col("const", SHOP_NAME),
                "Outstanding Balance": Col("money", zero),
                "Id": Col("text", [str(v) for v in o.order_id[r].tolist()]),
                "Risk Level": Col("const", "Low"),
                "Source": Col("text", src),
                "Lineitem discount": Col("money", zero),
                "Phone": Col("text", phone),
                "Billing Province Name": Col("text", prov),
                "Shipping Province Name": Col("text", prov),
                "Payment ID": Col("text", ref, ~paid),
                "Payment References": Col("text", ref, ~paid),
            }
            out = []
            for h in header:
                col = values.get(h, Col("const", ""))
                if h not in line_columns and col.kind != "const":
                    blank = cont if col.blank is None else (cont | col.blank)
                    col = Col(col.kind, col.values, blank)
                elif h not in line_columns:
                    col = Col("text", [col.values] * len(li), cont)
                out.append(col)
            return out

        return build
