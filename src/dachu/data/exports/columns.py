"""The platforms' export headers (表头), column by column, as the platforms write them.

Taken from issue 3 (the 45-column 订单报表, the 宝贝报表, the JD export) and from public code that parses
these exports (the 67-column 订单报表, the 79-column Shopify orders CSV). Tests pin every list.
"""

from __future__ import annotations

TMALL_ORDERS_45: tuple[str, ...] = (
    "订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "买家支付积分", "总金额", "返点积分",
    "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址", "运送方式", "联系电话",
    "联系手机", "订单创建时间", "订单付款时间", "宝贝标题", "宝贝种类", "物流单号", "物流公司", "订单备注", "宝贝总数量",
    "店铺Id", "店铺名称", "订单关闭原因", "卖家服务费", "买家服务费", "发票抬头", "是否手机订单", "分阶段订单信息",
    "特权订金订单id", "是否上传合同照片", "是否上传小票", "是否代付", "定金排名", "修改后的sku", "修改后的收货地址",
    "异常信息", "天猫卡券抵扣", "集分宝抵扣", "是否是O2O交易", "退款金额",
)
"""Taobao/Tmall 订单报表 (ExportOrderList*.csv), the older 45-column layout."""

TMALL_ORDERS_67: tuple[str, ...] = (
    "订单编号", "买家会员名", "买家支付宝账号", "支付单号", "支付详情", "买家应付货款", "买家应付邮费", "买家支付积分",
    "总金额", "返点积分", "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址",
    "运送方式", "联系电话", "联系手机", "订单创建时间", "订单付款时间", "宝贝标题", "宝贝种类", "物流单号", "物流公司",
    "订单备注", "宝贝总数量", "店铺Id", "店铺名称", "订单关闭原因", "卖家服务费", "买家服务费", "发票抬头", "是否手机订单",
    "分阶段订单信息", "特权订金订单id", "是否上传合同照片", "是否上传小票", "是否代付", "定金排名", "修改后的sku",
    "修改后的收货地址", "异常信息", "天猫卡券抵扣", "集分宝抵扣", "是否是O2O交易", "满返红包金额", "新零售交易类型",
    "新零售导购门店名称", "新零售导购门店id", "新零售发货门店名称", "新零售发货门店id", "退款金额", "预约门店",
    "确认收货时间", "打款商家金额", "含应开票给个人的个人红包", "是否信用购", "体验期结束时间", "前N有礼", "配送类型",
    "直播返现状态", "返现金额", "新零售成交门店昵称", "新零售成交门店id", "新零售成交经销商id", "主订单编号",
)
"""Taobao/Tmall 订单报表, the newer 67-column layout (支付单号, 新零售…, 确认收货时间, 打款商家金额, 主订单编号)."""

TMALL_SPACED_HEADERS = frozenset({"收货地址", "联系电话", "订单付款时间", "宝贝标题", "宝贝种类", "物流单号"})
"""Headers seen with a trailing space in real exports (e.g. `订单付款时间 `); reproduced by the quirk."""

TAOBAO_ITEMS: tuple[str, ...] = (
    "订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息", "备注", "订单状态", "商家编码",
)
"""Taobao 宝贝报表 (ExportOrderDetailList*.csv): one row per order line."""

JD_ORDERS: tuple[str, ...] = (
    "订单号", "商品ID", "商品名称", "订购数量", "支付方式", "下单时间", "京东价", "订单金额", "结算金额", "余额支付",
    "应付金额", "订单状态", "订单类型", "下单帐号", "客户姓名", "客户地址", "联系电话", "订单备注", "发票类型", "发票抬头",
    "发票内容", "商家备注", "商家备注等级（等级1-5为由高到低）", "运费金额", "付款确认时间", "增值税发票", "货号",
    "订单完成时间", "订单来源", "订单渠道",
)
"""JD (京东) order export: one row per order line, order fields repeated."""

SHOPIFY_ORDERS: tuple[str, ...] = (
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
    "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method",
    "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price",
    "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status",
    "Billing Name", "Billing Street", "Billing Address1", "Billing Address2", "Billing Company", "Billing City",
    "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip",
    "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at",
    "Payment Method", "Payment Reference", "Refunded Amount", "Vendor", "Outstanding Balance", "Employee",
    "Location", "Device ID", "Id", "Tags", "Risk Level", "Source", "Lineitem discount", "Tax 1 Name",
    "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value",
    "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name",
    "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References",
)
"""Shopify orders export (79 columns): one row per line item, order fields only on an order's first row."""

SHOPIFY_LINE_COLUMNS = frozenset({
    "Name", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price", "Lineitem sku",
    "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status", "Vendor", "Lineitem discount",
})
"""Columns filled on every row; every other column is blank on an order's continuation rows."""

USER_BEHAVIOR: tuple[str, ...] = ("user_id", "item_id", "category_id", "behavior_type", "timestamp")
"""Tianchi UserBehavior.csv: these columns, written WITHOUT a header; timestamp in unix seconds."""

TRAFFIC: tuple[str, ...] = ("hour", "source", "visitors", "page_views", "buyers")
AD_SPEND: tuple[str, ...] = ("day", "channel", "campaign", "spend", "impressions", "clicks", "orders", "revenue")
CS_SESSIONS: tuple[str, ...] = (
    "session_id", "agent", "buyer", "started_at", "first_response_at", "first_response_seconds", "replies",
    "ended_at", "order_id",
)
