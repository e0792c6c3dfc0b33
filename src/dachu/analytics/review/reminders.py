"""Section 4, payment reminders (催付): what dachu's reminders cost and what they won back, against the holdout.

Measured from the outbox only (`dachu.analytics.remind_queries`): a store whose outbox holds no reminder gets a
note that dachu sent none, and no figure. Per kind (the first reminder `payment_reminder`, the before-close
one `pre_close_reminder`) and in total:

- messages sent / failed / skipped (with their reasons), SMS segments and the cost of the sent ones;
- reminded orders (placed on the event day, named by a sent message) and those paid after the reminder:
  the rate is `paid_after_reminder`, their paid amount the gross GMV after a reminder;
- the holdout (对照组, `Campaign.remind.holdout`): the event day's orders of held-out buyers a rule would have
  found unpaid — at placing + `first_after_minutes` for the first reminder and the total, at close −
  `before_close_minutes` for the before-close one — and those paid after that moment;
- lift = reminded rate − holdout rate (percentage points, `points`), with a 95% interval from the two
  proportions' unpooled standard error (Wald); recovered GMV = lift × the reminded orders' total amount
  (the part the reminders added, not the gross); ROI = recovered GMV / cost. Below
  `MIN_HOLDOUT_ORDERS` holdout orders the lift is not stated (too few to tell).

The holdout is measured on the rules' own split (`holdout_split`), so a held-out buyer here is one the rules
never reminded. The rules' other filters (amount, skus, blacklist, a buyer who paid another order) are not
applied to the holdout: its orders are those *a* reminder would have been due for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from statistics import NormalDist
from typing import Any

from dachu.analytics import remind_queries as rq
from dachu.analytics.review.common import Context, col, fig, money, note, whole
from dachu.analytics.review_model import Section, Table, Value
from dachu.domain.automation.holdout import holdout_split
from dachu.domain.campaign.remind import RemindSettings, activity_skus
from dachu.domain.money import ZERO, fen

MIN_HOLDOUT_ORDERS = 30
"""Fewer holdout orders than this and the lift is not stated: too few to tell."""
CONFIDENCE = 0.95
"""The level of the lift's interval."""
GROUPS: tuple[str, ...] = (*rq.REMINDER_KINDS, "total")
"""The table rows: each reminder kind, then all reminders together."""
_HOLDOUT_OF = {"payment_reminder": "first", "pre_close_reminder": "close", "total": "first"}
"""Which moment a group's holdout orders are measured from (see `remind_queries.holdout_candidates`)."""


@dataclass(frozen=True)
class Lift:
    """Two paid shares and their difference, with its interval (None where a side has no orders).

    `verdict` is a catalogue key: raised / lowered (the interval excludes 0), unclear (it includes 0),
    too_few (fewer than `MIN_HOLDOUT_ORDERS` holdout orders: no lift, no interval).
    """

    reminded_rate: float | None
    holdout_rate: float | None
    lift: float | None
    low: float | None
    high: float | None
    verdict: str | None


def lift_interval(paid: int, orders: int, holdout_paid: int, holdout_orders: int) -> Lift:
    """The reminded share paid minus the holdout's, and a 95% two-proportion (Wald, unpooled) interval.

    se = √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂); interval = lift ± z·se with z the normal's 97.5% quantile (1.96).
    """
    r1 = paid / orders if orders else None
    r2 = holdout_paid / holdout_orders if holdout_orders else None
    if r1 is None or r2 is None:
        return Lift(r1, r2, None, None, None, None)
    if holdout_orders < MIN_HOLDOUT_ORDERS:
        return Lift(r1, r2, None, None, None, "review.remind.verdict.too_few")
    lift = r1 - r2
    z = NormalDist().inv_cdf(0.5 + CONFIDENCE / 2)
    se = math.sqrt(r1 * (1 - r1) / orders + r2 * (1 - r2) / holdout_orders)
    low, high = lift - z * se, lift + z * se
    verdict = "raised" if low > 0 else "lowered" if high < 0 else "unclear"
    return Lift(r1, r2, lift, low, high, f"review.remind.verdict.{verdict}")


def recovered_gmv(paid: int, orders: int, holdout_paid: int, holdout_orders: int, amount: Decimal) -> Decimal:
    """Lift × the reminded orders' amount, to the fen, with the lift as an exact fraction (no float in money)."""
    num = Decimal(paid * holdout_orders - holdout_paid * orders)
    return fen(num * amount / Decimal(orders * holdout_orders))


def item_close_minutes(ctx: Context, settings: RemindSettings) -> dict[str, int]:
    """Sku → minutes after placing an unpaid order of it closes, for the items that close sooner (聚划算, flash)."""
    default = settings.close_after_hours * 60
    by_activity = activity_skus(ctx.plan.campaign)
    out: dict[str, int] = {}
    for item in settings.items:
        if item.close_after_minutes is None:
            continue
        skus = [*item.sku_list(), *(by_activity.get(item.activity, ()) if item.activity else ())]
        for sku in skus:
            out[sku] = min(out.get(sku, default), item.close_after_minutes)
    return out


def _holdout(ctx: Context, settings: RemindSettings) -> dict[str, dict[str, Any]]:
    """The held-out buyers' candidate orders, summed: {"first"|"close": {orders, paid}}."""
    rows = ctx.src.rows(
        rq.holdout_candidates(
            ctx.src,
            ctx.day,
            settings.first_after_minutes,
            settings.close_after_hours * 60,
            settings.before_close_minutes,
            item_close_minutes(ctx, settings),
        )
    )
    mask = holdout_split(settings, [str(r["buyer_key"]) for r in rows]).tolist() if rows else []
    held = [r for r, h in zip(rows, mask, strict=True) if h]
    out: dict[str, dict[str, Any]] = {}
    for moment in ("first", "close"):
        out[moment] = {
            "orders": sum(whole(r[f"{moment}_orders"]) for r in held),
            "paid": sum(whole(r[f"{moment}_paid"]) for r in held),
        }
    return out


def paid_after_reminder(ctx: Context) -> float | None:
    """Reminded orders paid after the reminder / reminded orders (all kinds); None when the outbox sent none."""
    r = ctx.src.one(rq.reminded(ctx.src, ctx.day, by_kind=False))
    orders = whole(r.get("orders"))
    return whole(r.get("paid")) / orders if orders else None


def reminders(ctx: Context) -> Section:
    """The payment-reminder section: messages, reminded orders paid after, the holdout, lift, GMV, ROI."""
    src = ctx.src
    key = "review.section.reminders"
    if whole(src.one(rq.reminder_rows(src)).get("n")) == 0:
        return Section("reminders", key, notes=(note("remind_not_sent"),))
    settings = ctx.plan.campaign.remind
    msgs = src.rows(rq.messages(src, ctx.day))
    sent = {
        **{r["kind"]: r for r in src.rows(rq.reminded(src, ctx.day, by_kind=True))},
        **{r["kind"]: r for r in src.rows(rq.reminded(src, ctx.day, by_kind=False))},
    }
    holdout = _holdout(ctx, settings)
    message_rows: list[tuple[Value, ...]] = []
    effect_rows: list[tuple[Value, ...]] = []
    total: dict[str, Value] = {}
    for group in GROUPS:
        mine = [m for m in msgs if group == "total" or m["kind"] == group]

        def count(state: str, rows: list[dict[str, Any]] = mine) -> int:
            return sum(whole(m["messages"]) for m in rows if m["state"] == state)

        sent_rows = [m for m in mine if m["state"] == "sent"]
        segments = sum(whole(m["segments"]) for m in sent_rows)
        cost = sum((money(m["cost"]) or ZERO for m in sent_rows), ZERO)
        message_rows.append((f"review.remind.kind.{group}", count("sent"), count("failed"), count("skipped"),
                             segments, cost))
        r = sent.get(group, {})
        orders, paid = whole(r.get("orders")), whole(r.get("paid"))
        amount = money(r.get("amount")) or ZERO
        h = holdout[_HOLDOUT_OF[group]]
        lift = lift_interval(paid, orders, h["paid"], h["orders"])
        recovered = (
            recovered_gmv(paid, orders, h["paid"], h["orders"], amount) if lift.lift is not None else None
        )
        roi = float(recovered / cost) if recovered is not None and cost > 0 else None
        effect_rows.append((
            f"review.remind.kind.{group}", orders, paid, lift.reminded_rate, money(r.get("paid_gmv")) or ZERO,
            h["orders"], h["paid"], lift.holdout_rate, lift.lift, lift.low, lift.high, recovered, roi,
            lift.verdict,
        ))
        if group == "total":
            total = {"sent": count("sent"), "cost": cost, "orders": orders, "rate": lift.reminded_rate,
                     "holdout_rate": lift.holdout_rate, "lift": lift.lift, "recovered": recovered, "roi": roi,
                     "low": lift.low, "high": lift.high, "holdout_orders": h["orders"], "verdict": lift.verdict}
    figures = (
        fig("reminders_sent", "count", total["sent"]),
        fig("reminder_cost", "yuan", total["cost"]),
        fig("reminded_orders", "count", total["orders"]),
        fig("paid_after_reminder", "rate", total["rate"]),
        fig("holdout_paid_rate", "rate", total["holdout_rate"]),
        fig("reminder_lift", "points", total["lift"]),
        fig("recovered_gmv", "yuan", total["recovered"]),
        fig("reminder_roi", "ratio", total["roi"]),
    )
    tables = [
        Table("reminder_messages", "review.table.reminder_messages", (
            col("remind_kind", "text", labels=True),
            col("sent", "count", "reminders_sent"),
            col("failed", "count"),
            col("skipped", "count"),
            col("segments", "count", "reminder_segments"),
            col("cost", "yuan", "reminder_cost"),
        ), tuple(message_rows)),
        Table("reminder_effect", "review.table.reminder_effect", (
            col("remind_kind", "text", labels=True),
            col("reminded_orders", "count", "reminded_orders"),
            col("paid_after", "count"),
            col("paid_after_reminder", "rate", "paid_after_reminder"),
            col("paid_after_gmv", "yuan", "paid_after_reminder_gmv"),
            col("holdout_orders", "count", "holdout_orders"),
            col("holdout_paid", "count"),
            col("holdout_paid_rate", "rate", "holdout_paid_rate"),
            col("reminder_lift", "points", "reminder_lift"),
            col("lift_low", "points"),
            col("lift_high", "points"),
            col("recovered_gmv", "yuan", "recovered_gmv"),
            col("reminder_roi", "ratio", "reminder_roi"),
            col("verdict", "text", labels=True),
        ), tuple(effect_rows)),
    ]
    reasons = sorted(
        ((m["kind"], m["state"], m["state_reason"] or "review.remind.reason.none", whole(m["messages"]))
         for m in msgs if m["state"] in ("failed", "skipped")),
        key=lambda x: (rq.REMINDER_KINDS.index(str(x[0])), str(x[1]), -int(x[3]), str(x[2])),
    )
    if reasons:
        tables.append(Table("reminder_reasons", "review.table.reminder_reasons", (
            col("remind_kind", "text", labels=True),
            col("remind_state", "text", labels=True),
            col("remind_reason", "text"),
            col("messages", "count"),
        ), tuple((f"review.remind.kind.{k}", f"review.remind.state.{s}", why, n) for k, s, why, n in reasons)))
    notes = [note("remind_holdout", share=_pct(settings.holdout), first=settings.first_after_minutes,
                  before=settings.before_close_minutes)]
    notes.append(_verdict_note(total))
    return Section("reminders", key, figures=figures, tables=tuple(tables), notes=tuple(notes))


def _pct(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


def _pp(value: Any) -> str:
    return f"{float(value) * 100:+.2f}"


def _verdict_note(total: dict[str, Value]) -> tuple[str, dict[str, Value]]:
    """The confidence statement on the total: the lift and its interval, or why there is none."""
    verdict = total["verdict"]
    if verdict is None:
        return note("remind_no_lift")
    if verdict == "review.remind.verdict.too_few":
        return note("remind_too_few", orders=total["holdout_orders"], minimum=MIN_HOLDOUT_ORDERS)
    name = str(verdict).rsplit(".", 1)[1]
    return note(f"remind_lift_{name}", lift=_pp(total["lift"]), low=_pp(total["low"]), high=_pp(total["high"]))
