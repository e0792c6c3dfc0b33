"""RFM scoring (客户分层): every buyer of the year scored on recency, frequency and money, then segmented.

The one place RFM is computed. `rfm_score` and `rfm_segment` are the rules in plain Python; `rfm` is the
Ibis query scoring every buyer by those rules in the store; `segment_totals` adds its (r, f, m) cells up
per segment for the review. The metric itself (`rfm_segment`) and the segment names (`RFM_SEGMENTS`) are
defined in the metrics dictionary, `dachu.domain.metrics`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.types as ir
from ibis import _

from dachu.analytics.queries import DAY_S, paid
from dachu.analytics.source import Period, Source
from dachu.domain.metrics import RETURNING_BUYER_DAYS, RFM_SEGMENTS


def rfm_score(no_better: int, buyers: int) -> int:
    """A buyer's 1–5 score on R, F or M: ceil(5 × no_better / buyers).

    `no_better` counts the buyers whose value is no better than this buyer's, the buyer and ties included;
    so tied buyers share one score, the highest their group reaches. 10 buyers with distinct values score
    1,1,2,2,3,3,4,4,5,5 from worst to best; F values [1, 1, 1, 2, 3] score 3, 3, 3, 4, 5.
    """
    if not 1 <= no_better <= buyers:
        raise ValueError("no_better must be between 1 and buyers")
    return -(-5 * no_better // buyers)


def rfm_segment(r: int, f: int, m: int) -> str:
    """The segment of R, F, M scores (each 1–5), by recency and the mean of F and M (fm).

    champions: r ≥ 4 and fm ≥ 4; loyal: r ≥ 3 and fm ≥ 3 (not champions); promising: r ≥ 4 and fm < 3;
    needs_attention: r = 3 and fm < 3; at_risk: r ≤ 2 and fm ≥ 3; hibernating: r ≤ 2 and fm < 3.
    """
    fm2 = f + m  # fm ≥ 4 ⇔ f + m ≥ 8; fm ≥ 3 ⇔ f + m ≥ 6
    if r >= 4 and fm2 >= 8:
        return "champions"
    if r >= 3 and fm2 >= 6:
        return "loyal"
    if r >= 4:
        return "promising"
    if r == 3:
        return "needs_attention"
    return "at_risk" if fm2 >= 6 else "hibernating"



RFM_SCORES = (5, 4, 3, 2)
"""The RFM scores above the lowest, best first: each has a threshold value (`_rfm_thresholds`)."""


def _rfm_thresholds(per: ir.Table, value: str, *, low_is_better: bool) -> ir.Table:
    """One row: `<value>_<s>` = the worst value that still scores s or more, for s in 5, 4, 3, 2.

    From the histogram of distinct values (few next to the buyers: days, order counts, amounts), not a
    rank over every buyer: the buyers strictly better than a value are the running count of the better
    values, minus the value's own. Its score is `rfm_score(n − strictly_better, n)`; the score only falls as
    the value worsens, so a buyer scores s or more exactly when the buyer's value is at least as good as
    the threshold of s (NULL when no value reaches s: then no buyer does either). `<value>_null` is the
    score of a NULL value, which a rank puts after every value (NULLS LAST).
    """
    hist = per.group_by(v=per[value]).aggregate(c=_.count())
    best_first = hist.v if low_is_better else ibis.desc(hist.v)
    better = hist.c.sum().over(rows=(None, 0), order_by=best_first) - hist.c  # values are distinct: no peers
    n = hist.c.sum().over()
    scored = hist.mutate(s=(5 * (n - better) + n - 1) // n)  # ceil(5k / n) in integers, k = n − better
    worst = _.v.max if low_is_better else _.v.min
    thresholds = {f"{value}_{s}": worst(where=_.s >= s) for s in RFM_SCORES}
    # a NULL value (money of orders without an amount) sorts after every value, as in a rank: its own score
    return scored.aggregate(**thresholds, **{f"{value}_null": _.s.max(where=_.v.isnull())})


def _rfm_score(col: ir.Column, thresholds: ir.Table, value: str, *, low_is_better: bool) -> ir.IntegerValue:
    def reaches(s: int) -> ir.BooleanValue:
        t = thresholds[f"{value}_{s}"]
        return col <= t if low_is_better else col >= t

    null = (col.isnull(), thresholds[f"{value}_null"])
    return ibis.cases(null, *((reaches(s), s) for s in RFM_SCORES), else_=1)


def rfm(src: Source, as_of: dt.datetime) -> ir.Table:
    """RFM scores of buyers who paid in the 365 days before `as_of`, counted per (r, f, m) cell.

    Recency = whole days from the last payment to `as_of` (fewer is better); frequency = paid orders;
    monetary = paid amount. Each score is `rfm_score(k, n)` = ceil(5k / n), k the
    buyers whose value is no better than this buyer's (ties included), n all buyers: tied buyers share one
    score, the highest their group reaches. Returns r, f, m, buyers, monetary.

    Computed as one aggregate per buyer, then per dimension a histogram of its distinct values giving the
    value each score starts at (`_rfm_thresholds`), then one pass scoring every buyer against those
    thresholds — the same scores as ranking every buyer three times, without the three sorts.
    """
    window = Period(as_of - dt.timedelta(days=RETURNING_BUYER_DAYS), as_of)
    per = (
        paid(src, window)
        .filter(_.buyer_key.notnull())
        .group_by("buyer_key")
        .aggregate(last=_.paid_at.max(), freq=_.count(), money=_.paid_amount.sum())
    )
    per = per.select(
        recency=(ibis.literal(as_of).epoch_seconds() - per.last.epoch_seconds()) // DAY_S, freq=_.freq, money=_.money
    )
    low_is_better = {"recency": True, "freq": False, "money": False}
    th = {v: _rfm_thresholds(per, v, low_is_better=low) for v, low in low_is_better.items()}
    both = per.cross_join(th["recency"]).cross_join(th["freq"]).cross_join(th["money"])
    scored = both.select(
        r=_rfm_score(both.recency, both, "recency", low_is_better=True),
        f=_rfm_score(both.freq, both, "freq", low_is_better=False),
        m=_rfm_score(both.money, both, "money", low_is_better=False),
        money=both.money,
    )
    return scored.group_by("r", "f", "m").aggregate(buyers=_.count(), monetary=_.money.sum())


def segment_totals(cells: Iterable[dict[str, Any]]) -> dict[str, tuple[int, Decimal]]:
    """Buyers and money per segment, every segment of `RFM_SEGMENTS` present and in its order, best first.

    `cells` are the rows of `rfm` (r, f, m, buyers, monetary); a cell's money of NULL counts as 0.
    """
    totals: dict[str, tuple[int, Decimal]] = {name: (0, Decimal(0)) for name in RFM_SEGMENTS}
    for c in cells:
        name = rfm_segment(int(c["r"]), int(c["f"]), int(c["m"]))
        buyers, monetary = totals[name]
        totals[name] = (buyers + int(c["buyers"] or 0), monetary + Decimal(c["monetary"] or 0))
    return totals
