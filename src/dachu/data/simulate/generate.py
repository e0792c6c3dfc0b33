"""Draw the orders of a simulation batch by batch (生成订单), in time order, deterministic for a seed.

`generate(setup)` yields `Batch`es of at most `options.chunk_size` orders. Batch k draws from its own
numpy Generator seeded by (seed, k), so its content depends only on the seed, the setup and k. The one
thing carried from batch to batch is the warehouse queue (the time the next parcel can leave), so
shipping times build a backlog when paid orders outrun the daily capacity (发货积压).

What each order gets:
- placed (created) in its hour bucket at a uniform second; `unpaid_rate` of orders are not paid when
  placed, `paid_later_rate` of those pay 1–48 hours later, the rest pay within minutes;
- buyer: returning buyers (the year before's pool) with `returning_rate`, else new ones;
- source by the phase's source weights; 1–4 lines of distinct products by the plan's product shares,
  quantities 1–5 (mostly 1), promo prices on the event day, list prices otherwise; postage ¥6 under ¥49;
- shipping through the FIFO queue (capacity per day), delivery 1–4 days later, confirmation by the buyer
  within days (automatic after 10);
- refunds: `refund_rate` of paid orders, in full (closing the order) or their last line;
- behaviour events: views before the order (carts days ahead of the event day), favourites, carts, and
  a `buy` for every line of every paid order by its buyer; plus visitors who only browse;
- CS sessions: `cs_rate` of orders ask before buying, every refund asks after; first-response times
  per agent grow with the hour's load (queueing), later replies wait about twice as long (reply waits);
- complaints and DSR ratings: `dachu.data.simulate.after_sale` (its own random stream, so adding them
  changed none of the orders, events or sessions drawn here).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from dachu.data.simulate import batch as b
from dachu.data.simulate.after_sale import after_sale
from dachu.data.simulate.setup import PHASE_CODE, Setup

HOUR = 3600
DAY = 86400
UNPAID_TIMEOUT = 3 * DAY
AUTO_CONFIRM = 10 * DAY
FREE_SHIPPING_FEN = 4900
POSTAGE_FEN = 600
QUANTITIES = np.array([1, 2, 3, 4, 5])
QUANTITY_P = np.array([0.74, 0.17, 0.05, 0.025, 0.015])
REPLY_WAIT_FACTOR = 2.2
"""Later replies' mean wait ÷ the agent's idle first-response time (see `_cs`)."""


class _Queue:
    """The warehouse's FIFO queue: one parcel leaves every `gap` seconds at most."""

    def __init__(self, per_day: int) -> None:
        self.gap = DAY / per_day
        self.free_at = -np.inf

    def ship(self, ready: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Departure times of parcels ready at `ready` (sorted), continuing the queue."""
        if ready.size == 0:
            return ready
        k = np.arange(ready.size, dtype=np.float64)
        head = np.maximum.accumulate(ready - k * self.gap)
        out = k * self.gap + np.maximum(head, self.free_at + self.gap)
        self.free_at = float(out[-1])
        return out


def generate(setup: Setup) -> Iterator[b.Batch]:
    """Every batch of the simulation, history first, in time order."""
    queue = _Queue(setup.ship_capacity)
    total = setup.total_orders
    size = max(1, setup.options.chunk_size)
    for index, start in enumerate(range(0, total, size)):
        rng = np.random.default_rng([setup.options.seed, 1, index])
        yield _batch(setup, rng, index, start, min(start + size, total), queue)


def _batch(
    setup: Setup, rng: np.random.Generator, index: int, start: int, stop: int, queue: _Queue
) -> b.Batch:
    opt = setup.options
    n = stop - start
    seq = np.arange(start, stop, dtype=np.int64)
    bucket = np.searchsorted(setup.bucket_cum, seq, side="right")
    created = np.sort(setup.bucket_start[bucket] + rng.integers(0, HOUR, n))
    phase = setup.bucket_phase[bucket]
    history = phase == PHASE_CODE["history"]
    order_id = setup.id_base + seq * 100 + rng.integers(0, 100, n)

    returning = rng.random(n) < opt.returning_rate
    new_low = setup.history_buyers if setup.history_buyers < setup.buyers else 0
    buyer = np.where(
        history | (returning & (setup.history_buyers > 0)),
        rng.integers(0, max(1, setup.history_buyers), n),
        rng.integers(new_low, setup.buyers, n),
    )
    cum = np.cumsum(setup.source_weights, axis=1)
    source = (
        (rng.random(n)[:, None] > cum[phase]).sum(axis=1).clip(0, len(setup.sources) - 1).astype(np.int64)
    )
    mobile = rng.random(n) < 0.85

    lines = _lines(setup, rng, n, phase)
    goods = np.add.reduceat(lines.amount, lines_start(lines, n)) if n else np.zeros(0, np.int64)
    units = np.add.reduceat(lines.quantity, lines_start(lines, n)) if n else np.zeros(0, np.int64)
    n_lines = np.bincount(lines.order_row, minlength=n).astype(np.int64)
    line_start = np.concatenate(([0], np.cumsum(n_lines)[:-1])).astype(np.int64)
    postage = np.where(goods < FREE_SHIPPING_FEN, POSTAGE_FEN, 0).astype(np.int64)
    total = goods + postage

    # Payment: most within minutes; some not at placing, a third of those hours later.
    not_at_once = rng.random(n) < opt.unpaid_rate
    later = not_at_once & (rng.random(n) < opt.paid_later_rate)
    delay = np.where(
        later, rng.integers(HOUR + 60, 48 * HOUR, n), rng.exponential(90.0, n).astype(np.int64) + 5
    )
    paid = np.where(not_at_once & ~later, b.NONE, created + delay)
    paid = np.where(paid > setup.as_of, b.NONE, paid)
    is_paid = paid != b.NONE

    # Refunds, some before shipping (仅退款) and some after delivery.
    refund_draw = is_paid & (rng.random(n) < opt.refund_rate)
    full = refund_draw & ((n_lines == 1) | (rng.random(n) < 0.4))
    before_ship = refund_draw & (rng.random(n) < 0.35)

    shipped = np.full(n, b.NONE, dtype=np.int64)
    ship_idx = np.flatnonzero(is_paid & ~(full & before_ship))
    ready = paid[ship_idx] + rng.integers(HOUR, 8 * HOUR, ship_idx.size)
    order = np.argsort(ready, kind="stable")
    departed = queue.ship(ready[order].astype(np.float64))
    shipped[ship_idx[order]] = departed.astype(np.int64)
    shipped = np.where(shipped > setup.as_of, b.NONE, shipped)
    has_shipped = shipped != b.NONE
    delivered = np.where(has_shipped, shipped + rng.integers(DAY, 4 * DAY, n), b.NONE)
    confirm = np.minimum(delivered + rng.exponential(2.0 * DAY, n).astype(np.int64), shipped + AUTO_CONFIRM)
    confirmed = np.where(has_shipped & (confirm <= setup.as_of), confirm, b.NONE)
    delivered = np.where(delivered > setup.as_of, b.NONE, delivered)

    refund_time = np.where(
        before_ship,
        paid + rng.integers(600, 12 * HOUR, n),
        np.where(delivered != b.NONE, delivered + rng.integers(HOUR, 3 * DAY, n), b.NONE),
    )
    refunded_at = np.where(
        refund_draw & (refund_time != b.NONE) & (refund_time <= setup.as_of), refund_time, b.NONE
    )
    is_refunded = refunded_at != b.NONE
    last_line = line_start + n_lines - 1
    refund = np.where(is_refunded, np.where(full, total, lines.amount[last_line]), 0).astype(np.int64)
    line_refunded = np.zeros(len(lines), dtype=np.bool_)
    line_refunded[last_line[is_refunded & ~full]] = True
    line_refunded |= np.repeat(is_refunded & full, n_lines)
    paid_amount = np.where(is_paid, total, 0).astype(np.int64)

    status, reason = _status(
        setup, rng, created, paid, shipped, delivered, confirmed, is_refunded & full, n_lines
    )
    out = b.OrderBatch(
        seq=seq,
        order_id=order_id,
        buyer=buyer.astype(np.int64),
        created=created,
        paid=paid,
        shipped=shipped,
        delivered=delivered,
        confirmed=confirmed,
        refunded_at=refunded_at,
        source=source,
        phase=phase,
        mobile=mobile,
        goods=goods,
        postage=postage,
        total=total,
        paid_amount=paid_amount,
        refund=refund,
        status=status,
        close_reason=reason,
        carrier=rng.integers(0, len(b.CARRIERS), n),
        line_start=line_start,
        n_lines=n_lines,
        units=units,
        paid_later=later & is_paid,
    )
    lines = b.LineBatch(
        lines.order_row,
        lines.line_no,
        lines.product,
        lines.quantity,
        lines.price,
        lines.amount,
        line_refunded,
    )
    events, cs = _events(setup, rng, out, lines), _cs(setup, rng, out, bucket, index)
    complaints, ratings = after_sale(setup, out, index)
    return b.Batch(index, out, lines, events, cs, complaints, ratings)


def lines_start(lines: b.LineBatch, n: int) -> npt.NDArray[np.int64]:
    """Index of each order's first line (lines are grouped by order)."""
    counts = np.bincount(lines.order_row, minlength=n)
    return np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)


def _lines(setup: Setup, rng: np.random.Generator, n: int, phase: npt.NDArray[np.int8]) -> b.LineBatch:
    p = len(setup.products)
    weights = np.array([x.weight for x in setup.products])
    k = np.minimum(rng.geometric(0.72, n), min(4, p)).astype(np.int64)
    first = rng.choice(p, n, p=weights / weights.sum())
    order_row = np.repeat(np.arange(n, dtype=np.int64), k)
    starts = np.concatenate(([0], np.cumsum(k)[:-1])).astype(np.int64)
    line_no = np.arange(order_row.size, dtype=np.int64) - np.repeat(starts, k)
    product = (first[order_row] + line_no) % p
    quantity = rng.choice(QUANTITIES, order_row.size, p=QUANTITY_P).astype(np.int64)
    promo = np.array([x.promo_fen for x in setup.products], dtype=np.int64)
    listed = np.array([x.list_fen for x in setup.products], dtype=np.int64)
    on_promo = phase[order_row] == PHASE_CODE["event"]
    price = np.where(on_promo, promo[product], listed[product])
    return b.LineBatch(
        order_row,
        line_no + 1,
        product.astype(np.int64),
        quantity,
        price,
        price * quantity,
        np.zeros(order_row.size, dtype=np.bool_),
    )


def _status(
    setup: Setup,
    rng: np.random.Generator,
    created: npt.NDArray[np.int64],
    paid: npt.NDArray[np.int64],
    shipped: npt.NDArray[np.int64],
    delivered: npt.NDArray[np.int64],
    confirmed: npt.NDArray[np.int64],
    refunded_full: npt.NDArray[np.bool_],
    n_lines: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.int8]]:
    n = created.size
    status = np.full(n, b.PAID, dtype=np.int8)
    reason = np.zeros(n, dtype=np.int8)
    partial = (n_lines > 1) & (rng.random(n) < 0.05)
    status[shipped != b.NONE] = b.SHIPPED
    status[(shipped != b.NONE) & partial & (delivered == b.NONE)] = b.PART_SHIPPED
    status[delivered != b.NONE] = b.DELIVERED
    status[confirmed != b.NONE] = b.COMPLETED
    unpaid = paid == b.NONE
    open_ = unpaid & (setup.as_of - created < UNPAID_TIMEOUT)
    by_buyer = rng.random(n) < 0.6
    status[open_] = b.PENDING
    closed_buyer = unpaid & ~open_ & by_buyer
    timed_out = unpaid & ~open_ & ~by_buyer
    status[closed_buyer] = b.CLOSED
    reason[closed_buyer] = b.CLOSE_BUYER
    status[timed_out] = b.CLOSED_BY_PLATFORM
    reason[timed_out] = b.CLOSE_TIMEOUT
    status[refunded_full] = b.CLOSED
    reason[refunded_full] = b.CLOSE_REFUND
    return status, reason


def _events(setup: Setup, rng: np.random.Generator, o: b.OrderBatch, lines: b.LineBatch) -> b.EventBatch:
    row = lines.order_row
    m = row.size
    visitor = o.buyer[row]
    created = o.created[row]
    event_day = o.phase[row] == PHASE_CODE["event"]
    # Views before ordering: 1–4 per line, within the two days before (up to 10 days for the event day).
    views = 1 + rng.poisson(1.5, m)
    v_row = np.repeat(np.arange(m), views)
    horizon = np.where(event_day, 10 * DAY, 2 * DAY)[v_row]
    v_at = created[v_row] - (rng.random(v_row.size) * horizon).astype(np.int64) - 1
    cart = rng.random(m) < np.where(event_day, 0.85, 0.5)
    c_at = created - (rng.random(m) * np.where(event_day, 10 * DAY, 3 * HOUR)).astype(np.int64) - 1
    fav = rng.random(m) < 0.25
    f_at = created - (rng.random(m) * 3 * DAY).astype(np.int64) - 1
    bought = o.paid[row] != b.NONE
    # Visitors who only browse (返回率 of a campaign's traffic): random buyers of the pool.
    k = rng.poisson(setup.options.browse_per_order, len(o))
    b_row = np.repeat(np.arange(len(o)), k)
    b_visitor = rng.integers(0, setup.buyers, b_row.size)
    weights = np.array([x.weight for x in setup.products])
    b_item = rng.choice(len(setup.products), b_row.size, p=weights / weights.sum())
    b_at = o.created[b_row] - rng.integers(60, 2 * HOUR, b_row.size)
    b_cart = rng.random(b_row.size) < 0.1

    visitor_all = np.concatenate(
        (visitor[v_row], visitor[cart], visitor[fav], visitor[bought], b_visitor, b_visitor[b_cart])
    )
    product_all = np.concatenate(
        (
            lines.product[v_row],
            lines.product[cart],
            lines.product[fav],
            lines.product[bought],
            b_item,
            b_item[b_cart],
        )
    )
    kind = np.concatenate(
        (
            np.full(v_row.size, b.PV),
            np.full(int(cart.sum()), b.CART),
            np.full(int(fav.sum()), b.FAV),
            np.full(int(bought.sum()), b.BUY),
            np.full(b_row.size, b.PV),
            np.full(int(b_cart.sum()), b.CART),
        )
    ).astype(np.int8)
    at = np.concatenate((v_at, c_at[cart], f_at[fav], o.paid[row][bought], b_at, b_at[b_cart] + 30))
    order = np.argsort(at, kind="stable")
    return b.EventBatch(
        visitor_all[order].astype(np.int64),
        product_all[order].astype(np.int64),
        kind[order],
        at[order].astype(np.int64),
    )


def _cs(
    setup: Setup, rng: np.random.Generator, o: b.OrderBatch, bucket: npt.NDArray[np.int64], index: int
) -> b.CsBatch:
    n = len(o)
    opt = setup.options
    pre = np.flatnonzero(rng.random(n) < opt.cs_rate)
    post = np.flatnonzero(o.refunded_at != b.NONE)
    rows = np.concatenate((pre, post)).astype(np.int64)
    started = np.concatenate(
        (o.created[pre] - rng.integers(60, 30 * 60, pre.size), o.refunded_at[post] - 600)
    )
    m = rows.size
    agent = rng.integers(0, setup.agents, m)
    # Load: sessions arriving in the hour against what the agents answer in an hour (20 each).
    sessions_per_hour = setup.bucket_count[bucket[rows]] * opt.cs_rate
    load = np.minimum(sessions_per_hour / (setup.agents * 20.0), 0.95)
    median = setup.agent_speed[agent] / (1.0 - load)
    wait = np.exp(rng.normal(np.log(median), 0.6)).astype(np.int64) + 3
    replies = 1 + rng.poisson(5, m)
    first = started + wait
    ended = first + replies * rng.integers(20, 90, m)
    # Later replies wait about twice the agent's idle first-response time (an agent at 15 s answers
    # later messages in ~33 s: docs/domain.md §8's 30–40 s), varying by session. The rush stretches them less
    # than first replies (÷ sqrt(1 − load), not ÷ (1 − load)): a chat under way is not in the queue of new
    # sessions, its agent juggles it with the others.
    stretch = 1.0 / np.sqrt(1.0 - load)
    later = setup.agent_speed[agent] * REPLY_WAIT_FACTOR * stretch * np.exp(rng.normal(0.0, 0.3, m))
    reply_wait = (wait + np.rint(later * (replies - 1))).astype(np.int64)
    ended = np.maximum(ended, started + reply_wait + 10 * replies)  # the chat lasts as long as its waits
    order = np.argsort(started, kind="stable")
    sid = (index * 10_000_000 + np.arange(m, dtype=np.int64))[order]
    return b.CsBatch(
        sid,
        agent[order],
        o.buyer[rows][order],
        started[order],
        first[order],
        replies[order],
        ended[order],
        rows[order],
        reply_wait[order],
    )
