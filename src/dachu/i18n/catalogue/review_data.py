"""Catalogue: the review's after-sale, service and shipping data (complaints, DSR, reply waits, shipments).

Keys follow the families the code looks them up by: `data_import.reason.*` (the importer's reject
reasons, read by the import engine under that prefix), `review.col.*`, `review.table.*`, `review.note.*`
(the review's `col`, `Table` and `note` helpers) and `review.dsr_item.*` (row labels of the DSR table).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # import reasons
    "data_import.reason.unknown_order": (
        "店铺数据中没有这个订单：发货明细只更新已导入的订单；先导入订单报表",
        "order not in the store: a shipping list only updates orders already imported; import the order export first",
    ),
    "data_import.reason.bad_score": ("评分不是 1–5 的整数", "score is not a whole number from 1 to 5"),
    # review: service
    "review.note.no_reply_waits": (
        "客服接待记录没有响应时间（每次会话的平均响应时间），无法计算平均响应时间；导入含平均响应时间的客服接待明细",
        "The CS sessions carry no response times (each session's average response time): import a CS "
        "export that has them to measure the average response time",
    ),
    # review: after sale
    "review.table.complaints": ("活动日付款订单的投诉/维权（按类型和原因）", "Complaints about the event day's paid orders, by kind and reason"),
    "review.table.dsr": ("店铺评分 DSR（近 180 天）", "Shop ratings, DSR (last 180 days)"),
    "review.col.complaint_kind": ("类型", "Kind"),
    "review.col.complaint_reason": ("原因", "Reason"),
    "review.col.complaints": ("投诉/维权数", "Cases"),
    "review.col.share_of_orders_paid": ("占支付单数", "Share of orders paid"),
    "review.col.dsr_item": ("评分项", "Item"),
    "review.col.dsr_mean": ("平均分", "Mean score"),
    "review.col.ratings": ("评分数", "Ratings"),
    "review.col.share_5": ("5 分占比", "Share of 5"),
    "review.col.share_1_3": ("1–3 分占比", "Share of 1–3"),
    "review.dsr_item.description": ("描述相符", "Item as described"),
    "review.dsr_item.service": ("服务态度", "Service"),
    "review.dsr_item.logistics": ("物流服务", "Logistics"),
    "review.note.dsr_window": (
        "DSR：{first} 至 {last}（最近一条评分所在日）的评分；店铺 DSR = 三项各自平均分的平均",
        "DSR: ratings from {first} to {last} (the day of the latest rating); the shop's DSR = the mean of the "
        "three items' means",
    ),
}
