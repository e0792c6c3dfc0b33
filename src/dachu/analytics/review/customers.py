"""Section 9, customers (客户): new against returning buyers, RFM segments, repurchase by cohort."""

from __future__ import annotations

import datetime as dt

from dachu.analytics import queries as q
from dachu.analytics import rfm
from dachu.analytics.review.common import Context, col, fig, money_ratio, note, ratio, whole
from dachu.analytics.review_model import Chart, Section, Series, Table
from dachu.domain.metrics import REPURCHASE_DAYS
from dachu.domain.money import fen


def customers(ctx: Context) -> Section:
    """New against returning buyers; RFM segments (`dachu.analytics.rfm`); repurchase 15/30/60 days after by cohort."""
    src = ctx.src
    # one query gives both the cohorts' repurchase and their paying buyers (new + returning = all)
    cohorts = {bool(r["returning"]): r for r in src.rows(q.repurchase(src, ctx.day, REPURCHASE_DAYS))}
    returning = whole(cohorts.get(True, {}).get("paying_buyers"))
    buyers = returning + whole(cohorts.get(False, {}).get("paying_buyers"))
    figures = (
        fig("paying_buyers", "count", buyers),
        fig("new_buyers", "count", buyers - returning),
        fig("returning_buyers", "count", returning),
        fig("returning_buyer_share", "rate", ratio(returning, buyers)),
    )
    notes = []
    complete = {
        n: ctx.data_end is not None and ctx.data_end >= ctx.day.end + dt.timedelta(days=n) for n in REPURCHASE_DAYS
    }
    if not all(complete.values()):
        notes.append(note("repurchase_incomplete", day=ctx.last_data_day))
    rep_rows = []
    for is_ret, label in ((False, "review.cohort.new"), (True, "review.cohort.returning")):
        r = cohorts.get(is_ret, {})
        n = whole(r.get("buyers"))
        rep_rows.append((label, n, *(ratio(r.get(f"rep_{d}"), n) if complete[d] else None for d in REPURCHASE_DAYS)))
    rep_cols = (
        col("cohort", "text", labels=True),
        col("buyers", "count", "paying_buyers"),
        *(col(f"repurchase_{d}d", "rate", f"repurchase_{d}d") for d in REPURCHASE_DAYS),
    )
    seg = rfm.segment_totals(src.rows(rfm.rfm(src, ctx.day.end)))
    rfm_total = sum(v[0] for v in seg.values())
    rfm_rows = tuple(
        (f"review.rfm.{name}", v[0], ratio(v[0], rfm_total), fen(v[1]), money_ratio(v[1], v[0]))
        for name, v in seg.items()
    )
    rfm_cols = (
        col("segment", "text", labels=True),
        col("buyers", "count"),
        col("share", "rate"),
        col("monetary", "yuan"),
        col("monetary_per_buyer", "yuan"),
    )
    notes.append(note("rfm_scoring"))
    chart = Chart(
        "rfm",
        "review.chart.rfm",
        "pie",
        col("segment", "text", labels=True),
        tuple(r[0] for r in rfm_rows),
        (Series("buyers", "review.col.buyers", "count", tuple(r[1] for r in rfm_rows)),),
    )
    return Section(
        "customers",
        "review.section.customers",
        figures=figures,
        tables=(
            Table("repurchase", "review.table.repurchase", rep_cols, tuple(rep_rows)),
            Table("rfm", "review.table.rfm", rfm_cols, rfm_rows),
        ),
        charts=(chart,),
        notes=tuple(notes),
    )
