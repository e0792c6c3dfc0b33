"""The metrics dictionary's names and definitions (指标字典), keyed `metric.<id>.name` / `.definition`.

Definitions follow docs/domain.md §9; each says what the figure includes and excludes.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # traffic
    "metric.visitors.name": ("访客数 UV", "Visitors (UV)"),
    "metric.visitors.definition": (
        "期间内访问店铺页或商品页的去重人数；全终端访客数 = PC 访客数 + 无线访客数",
        "Distinct visitors of store or item pages in the period; all-device UV = PC UV + mobile UV",
    ),
    "metric.page_views.name": ("浏览量 PV", "Page views (PV)"),
    "metric.page_views.definition": ("店铺页与商品页被浏览的次数，重复浏览累计", "Page views of store and item pages, repeats counted"),
    "metric.pv_per_visitor.name": ("人均浏览量", "Page views per visitor"),
    "metric.pv_per_visitor.definition": (
        "浏览量 / 访客数；多天时为各天数值的平均",
        "PV / UV; over several days, the mean of the daily values",
    ),
    "metric.returning_visitors.name": ("老访客数", "Returning visitors"),
    "metric.returning_visitors.definition": (
        "本次访问前 6 天内来访过的访客",
        "Visitors who visited in the 6 days before this visit",
    ),
    "metric.new_visitors.name": ("新访客数", "New visitors"),
    "metric.new_visitors.definition": ("访客数 − 老访客数", "Visitors − returning visitors"),
    "metric.returning_visitor_share.name": ("老访客占比", "Returning visitor share"),
    "metric.returning_visitor_share.definition": ("老访客数 / (新访客数 + 老访客数)", "Returning / (new + returning) visitors"),
    "metric.favouriters.name": ("收藏人数", "Favouriters"),
    "metric.favouriters.definition": ("期间内收藏店铺或商品的去重人数", "Distinct visitors who favourited the store or an item"),
    "metric.favourites.name": ("收藏次数", "Favourites"),
    "metric.favourites.definition": ("收藏行为的次数，重复累计", "Favourite events, repeats counted"),
    "metric.cart_adders.name": ("加购人数", "Cart adders"),
    "metric.cart_adders.definition": ("期间内把商品加入购物车的去重人数", "Distinct visitors who added an item to the cart"),
    "metric.items_viewed.name": ("被浏览商品数", "Items viewed"),
    "metric.items_viewed.definition": ("访客数大于 0 的商品数", "Items with UV > 0"),
    # sales
    "metric.orders_placed.name": ("下单笔数", "Orders placed"),
    "metric.orders_placed.definition": (
        "期间内创建的订单数，含未付款与已关闭的订单",
        "Orders created in the period, including unpaid and closed ones",
    ),
    "metric.orders_paid.name": ("支付笔数", "Orders paid"),
    "metric.orders_paid.definition": (
        "期间内付款的订单数（按付款时间）；付款后退款的订单仍计入",
        "Orders paid in the period (by payment time); orders refunded after payment still count",
    ),
    "metric.paying_buyers.name": ("支付买家数", "Paying buyers"),
    "metric.paying_buyers.definition": ("有已付款订单的去重买家数", "Distinct buyers with a paid order"),
    "metric.gmv_paid.name": ("支付金额", "GMV paid"),
    "metric.gmv_paid.definition": (
        "期间内付款订单的实付金额之和（按付款时间），含邮费，不扣退款",
        "Sum of what buyers paid on orders paid in the period (by payment time), shipping included, refunds not subtracted",
    ),
    "metric.aov.name": ("客单价", "Order value per buyer (AOV)"),
    "metric.aov.definition": ("支付金额 / 支付买家数", "GMV paid / paying buyers"),
    "metric.paid_per_order.name": ("笔单价", "Paid amount per order"),
    "metric.paid_per_order.definition": ("支付金额 / 支付笔数", "GMV paid / orders paid"),
    "metric.conversion.name": ("支付转化率", "Conversion"),
    "metric.conversion.definition": ("支付买家数 / 访客数", "Paying buyers / visitors"),
    # funnel
    "metric.unpaid_share.name": ("未付款占比", "Unpaid share"),
    "metric.unpaid_share.definition": (
        "期间内下单且始终未付款的订单 / 下单笔数",
        "Orders placed in the period and never paid / orders placed",
    ),
    # payment reminders (催付), measured from the outbox
    "metric.reminders_sent.name": ("催付发送条数", "Reminders sent"),
    "metric.reminders_sent.definition": (
        "发件箱中已发出的催付消息条数（催付与临关单催付）",
        "Reminder messages (first and before-close) the outbox marks sent",
    ),
    "metric.reminder_segments.name": ("短信计费条数", "SMS segments"),
    "metric.reminder_segments.definition": (
        "已发出的催付消息的短信计费条数之和",
        "Sum of the billed SMS segments of the sent reminders",
    ),
    "metric.reminder_cost.name": ("催付费用", "Reminder cost"),
    "metric.reminder_cost.definition": (
        "已发出的催付消息的费用之和（计费条数 × 单价）",
        "Sum of the cost of the sent reminders (segments × price)",
    ),
    "metric.reminded_orders.name": ("催付订单数", "Reminded orders"),
    "metric.reminded_orders.definition": (
        "已发出的催付消息所涉及的订单（发送时仍未付款），按订单去重",
        "Distinct orders a sent reminder was about (still unpaid when it went out)",
    ),
    "metric.paid_after_reminder.name": ("催付挽回率", "Paid after a reminder"),
    "metric.paid_after_reminder.definition": (
        "催付订单中付款时间晚于催付发出时间的订单 / 催付订单，取自发件箱；dachu 未发催付时不计算",
        "Reminded orders paid after the reminder went out / reminded orders, from the outbox; "
        "absent when dachu sent no reminder",
    ),
    "metric.paid_after_reminder_gmv.name": ("催付后付款金额", "GMV paid after a reminder"),
    "metric.paid_after_reminder_gmv.definition": (
        "催付后付款订单的实付金额之和（毛额，未扣除本来就会付款的部分）",
        "Paid amount of the orders paid after a reminder (gross: includes those that would have paid anyway)",
    ),
    "metric.holdout_orders.name": ("对照组订单数", "Holdout orders"),
    "metric.holdout_orders.definition": (
        "对照组买家（从不催付）的当天订单中，到应催付时仍未付款的订单：下单后若干分钟（临关单：关闭前若干分钟）",
        "The day's orders of holdout buyers (never reminded) still unpaid when a reminder would have been due: "
        "minutes after placing (before-close: minutes before the close)",
    ),
    "metric.holdout_paid_rate.name": ("对照组付款率", "Holdout paid share"),
    "metric.holdout_paid_rate.definition": (
        "对照组订单中此后付款的订单 / 对照组订单",
        "Holdout orders paid after that moment / holdout orders",
    ),
    "metric.reminder_lift.name": ("催付提升", "Reminder lift"),
    "metric.reminder_lift.definition": (
        "催付挽回率 − 对照组付款率，单位为百分点",
        "Paid after a reminder − holdout paid share, in percentage points",
    ),
    "metric.recovered_gmv.name": ("催付挽回金额", "Recovered GMV"),
    "metric.recovered_gmv.definition": (
        "催付提升 × 催付订单的订单金额：催付带来的增量，不含本来就会付款的部分",
        "Reminder lift × the reminded orders' total amount: the increment, not what would have been paid anyway",
    ),
    "metric.reminder_roi.name": ("催付投入产出比", "Reminder return on cost"),
    "metric.reminder_roi.definition": ("催付挽回金额 / 催付费用", "Recovered GMV / reminder cost"),
    # channels
    "metric.spend.name": ("推广花费", "Spend"),
    "metric.spend.definition": ("广告渠道的花费之和", "Sum of advertising spend"),
    "metric.clicks.name": ("点击量", "Clicks"),
    "metric.clicks.definition": ("广告点击次数之和", "Sum of ad clicks"),
    "metric.impressions.name": ("展现量", "Impressions"),
    "metric.impressions.definition": ("广告展现次数之和", "Sum of ad impressions"),
    "metric.ctr.name": ("点击率", "Click-through rate"),
    "metric.ctr.definition": ("点击量 / 展现量", "Clicks / impressions"),
    "metric.cost_per_click.name": ("平均点击花费", "Cost per click"),
    "metric.cost_per_click.definition": ("花费 / 点击量", "Spend / clicks"),
    "metric.roi.name": ("投入产出比 ROI", "ROI"),
    "metric.roi.definition": (
        "渠道报表归因的成交金额 / 渠道花费",
        "Revenue the channel's report attributes to it / its spend",
    ),
    "metric.cost_per_order.name": ("单笔成本", "Cost per order"),
    "metric.cost_per_order.definition": ("渠道花费 / 渠道报表归因的订单数", "Channel spend / orders the channel's report attributes to it"),
    # products
    "metric.units_sold.name": ("销售件数", "Units sold"),
    "metric.units_sold.definition": ("已付款订单中该商品的件数之和", "Units of the item in paid orders"),
    "metric.product_sales.name": ("商品销售额", "Product sales"),
    "metric.product_sales.definition": (
        "已付款订单中该商品的单价 × 件数之和，不含邮费",
        "Unit price × quantity over paid orders' lines, shipping excluded",
    ),
    "metric.sell_through.name": ("售罄率", "Sell-through"),
    "metric.sell_through.definition": ("销售件数 / 活动备货量", "Units sold / stock prepared for the event"),
    "metric.sell_out_hour.name": ("售罄时刻", "Sell-out hour"),
    "metric.sell_out_hour.definition": (
        "活动当天累计销售件数首次达到备货量的小时；未售罄为空",
        "The event day's first hour when cumulative units sold reach the stock; empty if never",
    ),
    "metric.sales_share.name": ("销售额贡献", "Sales contribution"),
    "metric.sales_share.definition": ("该商品（或角色）销售额 / 全部商品销售额", "The item's (or role's) sales / all product sales"),
    "metric.margin_after_promotion.name": ("促销后毛利", "Margin after promotion"),
    "metric.margin_after_promotion.definition": (
        "商品销售额 − 件数 × 成本 − 促销成本（佣金、赠品）；不含广告花费",
        "Product sales − units × unit cost − promotion costs (commission, gifts); ad spend excluded",
    ),
    # service
    "metric.cs_sessions.name": ("接待人次", "CS sessions"),
    "metric.cs_sessions.definition": ("客服接待的会话数", "Customer-service chat sessions"),
    "metric.cs_buyers.name": ("询单人数", "Buyers who chatted"),
    "metric.cs_buyers.definition": ("与客服会话过的去重买家数", "Distinct buyers with a CS session"),
    "metric.inquiry_rate.name": ("询单率", "Inquiry rate"),
    "metric.inquiry_rate.definition": ("询单人数 / 访客数", "Buyers who chatted / visitors"),
    "metric.inquiry_conversion.name": ("询单转化率", "Inquiry conversion"),
    "metric.inquiry_conversion.definition": (
        "询单后付款的买家数 / 询单人数",
        "Buyers who chatted and paid / buyers who chatted",
    ),
    "metric.cs_sales.name": ("客服销售额", "CS sales"),
    "metric.cs_sales.definition": ("客服会话促成的已付款订单的实付金额之和", "GMV paid of the paid orders a CS session led to"),
    "metric.cs_aov.name": ("客服客单价", "CS order value per buyer"),
    "metric.cs_aov.definition": ("客服销售额 / 客服促成的支付买家数", "CS sales / buyers who paid an order a CS session led to"),
    "metric.first_response_seconds.name": ("首次响应时间", "First response time"),
    "metric.first_response_seconds.definition": (
        "会话开始到客服首次回复的秒数的平均值；未回复的会话不计入",
        "Mean seconds from a session's start to the agent's first reply; unanswered sessions excluded",
    ),
    "metric.avg_response_seconds.name": ("平均响应时间", "Average response time"),
    "metric.avg_response_seconds.definition": (
        "每次回复等待秒数之和 / 回复次数（即各会话平均响应时间按回复次数加权）；只计给出响应时间的会话",
        "Sum of the seconds each reply waited / replies (each session's average response time weighted by its "
        "replies); sessions without response times left out",
    ),
    "metric.cs_refund_amount.name": ("客服退款金额", "CS refund amount"),
    "metric.cs_refund_amount.definition": ("客服促成订单的退款金额之和", "Refunds of the orders a CS session led to"),
    "metric.cs_sales_share.name": ("客服销售占比", "CS share of sales"),
    "metric.cs_sales_share.definition": ("客服销售额 / 支付金额", "CS sales / GMV paid"),
    # logistics
    "metric.shipped_within_24h.name": ("24 小时发货率", "Shipped within 24 h"),
    "metric.shipped_within_24h.definition": ("付款后 24 小时内发货的订单 / 支付笔数", "Paid orders shipped within 24 h of payment / orders paid"),
    "metric.shipped_within_48h.name": ("48 小时发货率", "Shipped within 48 h"),
    "metric.shipped_within_48h.definition": ("付款后 48 小时内发货的订单 / 支付笔数", "Paid orders shipped within 48 h of payment / orders paid"),
    "metric.shipped_within_7d.name": ("7 天发货率", "Shipped within 7 days"),
    "metric.shipped_within_7d.definition": ("付款后 7 天内发货的订单 / 支付笔数", "Paid orders shipped within 7 days of payment / orders paid"),
    "metric.priority_within_2d.name": ("重点城市 2 天发货率", "Priority cities shipped within 2 days"),
    "metric.priority_within_2d.definition": (
        "发往重点城市、付款后 2 天内发货的订单 / 发往重点城市的已付款订单",
        "Paid orders to priority cities shipped within 2 days of payment / paid orders to priority cities",
    ),
    "metric.backlog.name": ("未发货积压", "Backlog"),
    "metric.backlog.definition": (
        "当天结束时已付款未发货的订单数（全额退款未发货的不计）",
        "Paid orders not yet shipped at the end of the day (refunded unshipped orders excluded)",
    ),
    # after sale
    "metric.refund_rate.name": ("退款率", "Refund rate"),
    "metric.refund_rate.definition": ("有退款的已付款订单 / 支付笔数", "Paid orders with a refund / orders paid"),
    "metric.refund_amount.name": ("退款金额", "Refund amount"),
    "metric.refund_amount.definition": ("已付款订单的退款金额之和", "Sum of refunds on paid orders"),
    "metric.complaint_rate.name": ("投诉率", "Complaint rate"),
    "metric.complaint_rate.definition": (
        "有投诉/维权的已付款订单 / 支付笔数（按订单，投诉时间到数据截止；目标 < 3%）",
        "Paid orders with a complaint or dispute / orders paid (per order, complaints up to the data's end; goal < 3%)",
    ),
    "metric.dsr.name": ("店铺评分 DSR", "DSR"),
    "metric.dsr.definition": (
        "近 180 天描述相符、服务态度、物流服务评分的平均",
        "Mean of the last 180 days' ratings on description, service and logistics",
    ),
    "metric.dsr_low_score_buyers.name": ("DSR 低分买家数", "DSR low-score buyers"),
    "metric.dsr_low_score_buyers.definition": ("所评 DSR 项平均分低于 4 的买家数", "Buyers whose mean of the rated DSR items is below 4"),
    # customers
    "metric.returning_buyers.name": ("老买家数", "Returning buyers"),
    "metric.returning_buyers.definition": ("期间前 365 天内有过付款的支付买家", "Paying buyers who paid in the 365 days before the period"),
    "metric.new_buyers.name": ("新买家数", "New buyers"),
    "metric.new_buyers.definition": ("支付买家数 − 老买家数", "Paying buyers − returning buyers"),
    "metric.returning_buyer_share.name": ("老买家占比", "Returning buyer share"),
    "metric.returning_buyer_share.definition": ("老买家数 / 支付买家数", "Returning buyers / paying buyers"),
    "metric.repurchase_15d.name": ("15 天回购率", "Repurchase within 15 days"),
    "metric.repurchase_15d.definition": (
        "活动日买家中活动日后 15 天内再次付款的比例",
        "Share of the event's buyers who paid again within 15 days after the event day",
    ),
    "metric.repurchase_30d.name": ("30 天回购率", "Repurchase within 30 days"),
    "metric.repurchase_30d.definition": (
        "活动日买家中活动日后 30 天内再次付款的比例",
        "Share of the event's buyers who paid again within 30 days after the event day",
    ),
    "metric.repurchase_60d.name": ("60 天回购率", "Repurchase within 60 days"),
    "metric.repurchase_60d.definition": (
        "活动日买家中活动日后 60 天内再次付款的比例",
        "Share of the event's buyers who paid again within 60 days after the event day",
    ),
    "metric.rfm_segment.name": ("RFM 分层", "RFM segment"),
    "metric.rfm_segment.definition": (
        "近 365 天：最近付款 R、付款次数 F、付款金额 M 各打 1–5 分 = ⌈5k/n⌉（k 为不优于该买家的买家数，含并列；"
        "并列者同分，取其组能达到的最高分）；按 R 与 F、M 均值分层",
        "Over 365 days: recency R, frequency F, monetary M each scored 1–5 = ⌈5k/n⌉ (k = buyers no better than "
        "this one, ties included; tied buyers share the highest score their group reaches); segments by R and "
        "the mean of F and M",
    ),
    # the command
    "metrics.help": ("打印指标字典：每个指标的名称、单位、公式与定义", "Print the metrics dictionary: each metric's name, unit, formula and definition"),
    "metrics.col.id": ("编号", "Id"),
    "metrics.col.name": ("名称", "Name"),
    "metrics.col.unit": ("单位", "Unit"),
    "metrics.col.formula": ("公式", "Formula"),
    "metrics.col.definition": ("定义", "Definition"),
    # the units of `dachu.domain.metrics.MetricUnit`, as `dachu metrics` shows them
    "metrics.unit.yuan": ("元", "yuan"),
    "metrics.unit.count": ("个数", "count"),
    "metrics.unit.rate": ("比率", "rate"),
    "metrics.unit.points": ("百分点", "points"),
    "metrics.unit.seconds": ("秒", "seconds"),
    "metrics.unit.hours": ("小时", "hours"),
    "metrics.unit.days": ("天", "days"),
    "metrics.unit.ratio": ("倍数", "ratio"),
    "metrics.unit.text": ("文字", "text"),
    "metrics.unit.date": ("日期", "date"),
    "metrics.unit.datetime": ("时间", "datetime"),
    "metrics.unit.hour": ("整点", "hour"),
    "metrics.title": ("指标字典（{count} 个指标）", "Metrics dictionary ({count} metrics)"),
    # profit after everything (dachu.domain.profit)
    "metric.profit_product_cost.name": ("商品成本", "Product cost"),
    "metric.profit_product_cost.definition": (
        "已付款订单商品行的件数 × 活动文件中的单位成本；退款的商品按未退回计",
        "Units of paid lines × the campaign file's unit cost; refunded goods are taken as not returned",
    ),
    "metric.profit_shipping.name": ("运费成本", "Shipping cost"),
    "metric.profit_shipping.definition": ("已付款订单商品行的件数 × 单件运费", "Units of paid lines × the shipping cost per unit"),
    "metric.profit_platform_fees.name": ("平台扣点", "Platform fees"),
    "metric.profit_platform_fees.definition": (
        "商品销售额（成交单价 × 件数）× 平台扣点率（技术服务费）",
        "Product sales (line price × units) × the platform's fee rate (技术服务费)",
    ),
    "metric.profit_commissions.name": ("佣金", "Commissions"),
    "metric.profit_commissions.definition": (
        "按成交付费渠道（淘宝客、达人直播）的花费，加推广核算中每单的佣金和服务费",
        "Spend of pay-per-sale channels (affiliates, live hosts), plus the promotions' commission and service "
        "fee per order",
    ),
    "metric.profit_ad_spend.name": ("广告花费", "Ad spend"),
    "metric.profit_ad_spend.definition": (
        "按点击、按展现付费渠道（直通车、钻展、站外）的花费；不含佣金、坑位费和短信",
        "Spend of pay-per-click and per-impression channels (search, display, off-site); commissions, slot fees "
        "and SMS excluded",
    ),
    "metric.profit_offers.name": ("商家承担的优惠", "Merchant-borne offers"),
    "metric.profit_offers.definition": (
        "支付金额之外商家承担的优惠：推广的赠品成本；满减、店铺券已从支付金额中扣除，不重复计",
        "Offers the merchant bears outside the paid amount: promotion gifts; threshold discounts and store "
        "coupons are already out of the paid amount and are not counted twice",
    ),
    "metric.profit_flat_fees.name": ("坑位费", "Flat fees"),
    "metric.profit_flat_fees.definition": (
        "按坑位一次付费渠道（聚划算、KOL）的花费", "Spend of flat-fee channels (group-buy slots, KOL posts)",
    ),
    "metric.profit_message_costs.name": ("短信费用", "Message costs"),
    "metric.profit_message_costs.definition": (
        "短信营销渠道的花费，加发件箱中已发送消息的费用",
        "Spend of SMS marketing channels, plus the cost of the outbox's sent messages",
    ),
    "metric.net_profit.name": ("净利润", "Net profit"),
    "metric.net_profit.definition": (
        "支付金额 − 退款 − 商品成本 − 运费 − 平台扣点 − 佣金 − 广告花费 − 商家承担的优惠 − 坑位费 − 短信费用；"
        "任何一项未知则为未知",
        "Paid GMV − refunds − product cost − shipping − platform fees − commissions − ad spend − merchant-borne "
        "offers − flat fees − message costs; unknown when any line is",
    ),
}
