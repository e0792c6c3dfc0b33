"""Complaints (投诉/维权) and DSR ratings (店铺评分) of a batch's orders, drawn from the orders' own story.

Batch k draws from its own numpy Generator seeded by (seed, 2, k), apart from the orders' stream, so these
rows never change the orders, lines, events or sessions of a seed. Nothing is dated after the export
time (`setup.as_of`): a complaint or rating that would come later is not in the export yet.

Complaints, at most one per paid order (rates documented in docs/data.md):
- a refunded order becomes an after-sale dispute (维权, 退款纠纷 or 商品质量问题) with
  `REFUND_DISPUTE_RATE`, opened 1 h–5 days after the refund;
- an order shipped more than `LATE_SHIP_HOURS` after payment draws a complaint about the late shipment
  (投诉, 延迟发货) with `LATE_COMPLAINT_RATE`, opened 0–2 days after that deadline;
- any other paid order with `BASE_COMPLAINT_RATE` (投诉, 描述不符/服务态度/商品质量问题), 1–10 days after
  payment.
A case closes 1–7 days after it opened (已完结) unless that is after the export (处理中). With the default
8% refund rate this makes about 0.5–1.5% of paid orders, within what shops see (a few tenths of a percent
to 1–2%; docs/domain.md §11 sets the goal below 3%).

DSR ratings: `RATING_RATE` of confirmed orders are rated 0–3 days after confirmation, one score 1–5 for
each item. Scores are mostly 5 with a tail (`SCORE_P`), lower for an item the order went wrong on:
description after a refund or complaint, logistics after a late shipment. The shop's DSR comes out
around 4.8, as a typical Tmall store's.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dachu.data.simulate import batch as b
from dachu.data.simulate.setup import Setup

HOUR = 3600
DAY = 86400
REFUND_DISPUTE_RATE = 0.06
LATE_SHIP_HOURS = 72
"""Taobao's usual promise: shipped within 72 hours of payment (a late shipment compensates the buyer)."""
LATE_COMPLAINT_RATE = 0.02
BASE_COMPLAINT_RATE = 0.003
RATING_RATE = 0.35
SCORES = np.array([5, 4, 3, 2, 1], dtype=np.int8)
SCORE_P = {
    "good": np.array([0.88, 0.08, 0.02, 0.01, 0.01]),
    "late": np.array([0.62, 0.20, 0.10, 0.05, 0.03]),
    "bad": np.array([0.45, 0.20, 0.15, 0.08, 0.12]),
}
"""Probability of a score of 5, 4, 3, 2, 1 for an item that went well, a late parcel, a refund/complaint."""


def _scores(rng: np.random.Generator, bad: npt.NDArray[np.bool_], kind: str) -> npt.NDArray[np.int8]:
    good = rng.choice(SCORES, bad.size, p=SCORE_P["good"])
    worse = rng.choice(SCORES, bad.size, p=SCORE_P[kind])
    return np.where(bad, worse, good).astype(np.int8)


def after_sale(setup: Setup, o: b.OrderBatch, index: int) -> tuple[b.ComplaintBatch, b.RatingBatch]:
    """The complaints and DSR ratings of the batch's orders `o` (see the module docstring)."""
    rng = np.random.default_rng([setup.options.seed, 2, index])
    n = len(o)
    as_of = setup.as_of
    paid = o.paid != b.NONE
    refunded = o.refunded_at != b.NONE
    shipped = o.shipped != b.NONE
    deadline = o.paid + LATE_SHIP_HOURS * HOUR
    late = paid & ((shipped & (o.shipped > deadline)) | (~shipped & ~refunded & (deadline < as_of)))

    draw = rng.random(n)
    dispute = refunded & (draw < REFUND_DISPUTE_RATE)
    late_c = ~dispute & late & (draw < LATE_COMPLAINT_RATE)
    other = ~dispute & ~late_c & paid & (draw < BASE_COMPLAINT_RATE)
    opened = np.full(n, b.NONE, dtype=np.int64)
    opened[dispute] = o.refunded_at[dispute] + rng.integers(HOUR, 5 * DAY, int(dispute.sum()))
    opened[late_c] = deadline[late_c] + rng.integers(0, 2 * DAY, int(late_c.sum()))
    opened[other] = o.paid[other] + rng.integers(DAY, 10 * DAY, int(other.sum()))
    reason = np.where(
        dispute,
        np.where(rng.random(n) < 0.7, b.REFUND_DISPUTE, b.QUALITY),
        np.where(late_c, b.LATE_SHIP, rng.choice([b.NOT_AS_DESCRIBED, b.ATTITUDE, b.QUALITY], n)),
    ).astype(np.int8)
    rows = np.flatnonzero((opened != b.NONE) & (opened <= as_of))
    closes = opened[rows] + rng.integers(DAY, 7 * DAY, rows.size)
    complaints = b.ComplaintBatch(
        order_row=rows.astype(np.int64),
        opened=opened[rows],
        kind=dispute[rows].astype(np.int8),  # 0 投诉, 1 维权
        reason=reason[rows],
        closed=np.where(closes <= as_of, closes, b.NONE).astype(np.int64),
    )

    complained = opened != b.NONE
    rated_at = o.confirmed + rng.integers(0, 3 * DAY, n)
    rated = (o.confirmed != b.NONE) & (rng.random(n) < RATING_RATE) & (rated_at <= as_of)
    r = np.flatnonzero(rated)
    ratings = b.RatingBatch(
        order_row=r.astype(np.int64),
        rated=rated_at[r],
        description=_scores(rng, (refunded | complained)[r], "bad"),
        service=_scores(rng, complained[r], "bad"),
        logistics=_scores(rng, late[r], "late"),
    )
    return complaints, ratings
