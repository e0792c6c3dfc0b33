"""One batch (一批) of simulated rows: orders, lines, behaviour events and CS sessions, as numpy columns.

The generator yields batches of a bounded number of orders; writers turn each batch into rows of an export
format and append them. Nothing holds more than one batch.

Conventions of every column here:
- Times are whole seconds since 1970-01-01 in the shop's wall-clock time (naive, no zone); -1 = none.
- Money is whole fen (分, int64); never negative.
- Codes (`status`, `close_reason`, `source`, `carrier`, `behaviour`) index the tuples below or the
  setup's `sources`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
B = npt.NDArray[np.bool_]

NONE = -1
"""A missing time or reference."""

# Order states as of the export time; each platform writer names them in its own words.
PENDING = 0  # placed, not paid, still payable (等待买家付款)
PAID = 1  # paid, not shipped (买家已付款，等待卖家发货)
PART_SHIPPED = 2  # some lines shipped (卖家部分发货)
SHIPPED = 3  # shipped, not signed for (卖家已发货，等待买家确认)
DELIVERED = 4  # signed for, not confirmed (买家已签收)
COMPLETED = 5  # confirmed (交易成功)
CLOSED = 6  # closed by the buyer or after a full refund (交易关闭)
CLOSED_BY_PLATFORM = 7  # never paid and timed out (交易被淘宝关闭)

STATE_NAMES = (
    "pending",
    "paid",
    "partially_shipped",
    "shipped",
    "delivered",
    "completed",
    "closed",
    "closed_by_platform",
)

# Why an order was closed (订单关闭原因); index 0 = not closed.
CLOSE_REASONS = ("", "买家不想买了", "未在规定时间内付款", "退款成功")
CLOSE_NONE, CLOSE_BUYER, CLOSE_TIMEOUT, CLOSE_REFUND = 0, 1, 2, 3

CARRIERS = ("中通快递", "圆通速递", "韵达快递", "申通快递", "顺丰速运")

BEHAVIOURS = ("pv", "fav", "cart", "buy")
PV, FAV, CART, BUY = 0, 1, 2, 3


@dataclass(frozen=True)
class OrderBatch:
    """Orders, one entry per order; order `i` has lines `line_start[i]` … `line_start[i] + n_lines[i] - 1`.

    `seq` is the order's position in the whole simulation (0-based, history first); `order_id` the
    platform order number. `goods` excludes shipping; `total` = goods + postage; `paid_amount` is what the
    buyer paid (0 when unpaid); `refund` what was refunded by the export time (a part of `paid_amount`).
    `paid_later`: paid, but more than an hour after placing the order.
    """

    seq: I64
    order_id: I64
    buyer: I64
    created: I64
    paid: I64
    shipped: I64
    delivered: I64
    confirmed: I64
    refunded_at: I64
    source: I64
    phase: I8
    mobile: B
    goods: I64
    postage: I64
    total: I64
    paid_amount: I64
    refund: I64
    status: I8
    close_reason: I8
    carrier: I64
    line_start: I64
    n_lines: I64
    units: I64
    paid_later: B

    def __len__(self) -> int:
        return int(self.seq.shape[0])


@dataclass(frozen=True)
class LineBatch:
    """Order lines (宝贝/商品行). `order_row` indexes the batch's orders; `amount` = price × quantity."""

    order_row: I64
    line_no: I64
    product: I64
    quantity: I64
    price: I64
    amount: I64
    refunded: B

    def __len__(self) -> int:
        return int(self.order_row.shape[0])


@dataclass(frozen=True)
class EventBatch:
    """Behaviour events (用户行为): visitor, product index, behaviour code, shop time."""

    visitor: I64
    product: I64
    behaviour: I8
    at: I64

    def __len__(self) -> int:
        return int(self.visitor.shape[0])


@dataclass(frozen=True)
class CsBatch:
    """Customer-service sessions (客服接待). `order_row` is the order the session led to (-1 = none).

    `reply_wait`: seconds the buyer waited for each of the agent's `replies`, summed (the first reply's
    wait, `first_response - started`, included); the session's average response time is
    `reply_wait / replies` (平均响应时间).
    """

    session_id: I64
    agent: I64
    buyer: I64
    started: I64
    first_response: I64
    replies: I64
    ended: I64
    order_row: I64
    reply_wait: I64

    def __len__(self) -> int:
        return int(self.session_id.shape[0])


COMPLAINT_KINDS = ("投诉", "维权")
"""Kinds of complaint case (投诉: about service or shipping; 维权: an after-sale dispute over a refund)."""
COMPLAINT_REASONS = ("延迟发货", "描述不符", "服务态度", "商品质量问题", "退款纠纷")
LATE_SHIP, NOT_AS_DESCRIBED, ATTITUDE, QUALITY, REFUND_DISPUTE = 0, 1, 2, 3, 4
COMPLAINT_STATUS = ("处理中", "已完结")


@dataclass(frozen=True)
class ComplaintBatch:
    """Complaints (投诉/维权) about the batch's orders, at most one per order; `closed` -1 while open."""

    order_row: I64
    opened: I64
    kind: I8
    reason: I8
    closed: I64

    def __len__(self) -> int:
        return int(self.order_row.shape[0])


@dataclass(frozen=True)
class RatingBatch:
    """DSR ratings (店铺评分) of the batch's orders: 1–5 on description, service and logistics."""

    order_row: I64
    rated: I64
    description: I8
    service: I8
    logistics: I8

    def __len__(self) -> int:
        return int(self.order_row.shape[0])


@dataclass(frozen=True)
class Batch:
    """Everything one batch of orders brings; `index` counts batches from 0."""

    index: int
    orders: OrderBatch
    lines: LineBatch
    events: EventBatch
    cs: CsBatch
    complaints: ComplaintBatch
    ratings: RatingBatch
