"""Benchmark: the full review (`build_review`) on a simulated store, and the same core figures three ways.

    python bench/review.py [--orders 200000] [--keep DIR] [--memory-limit 4GB]

Simulates the double11 example with `--orders` campaign orders (plus history, lines, traffic, behaviour
events, ad spend and CS sessions in proportion) and imports them into a store (reused from `--keep DIR` when
it is there). Then each contender runs in its own subprocess, so peak memory is its own ru_maxrss:
- review: the whole `build_review` (ten sections, calibration included), and each section's own seconds
  (`review_<section>_seconds`, the fastest run's, its queries included);
- ibis: the headline, hourly, channel and RFM figures through `dachu.analytics.queries` and `dachu.analytics.rfm`
  (what the review runs);
- sql: the same figures written by hand as plain DuckDB SQL — the floor;
- pandas: the same figures in pandas, reading the needed columns from the store (`pandas_compute_seconds`
  is the computation alone, after loading).
Each contender runs `--repeat` times (default 3) and the fastest run counts (the machine is shared);
peak memory is the largest of the runs. A contender's library imports (DuckDB, pandas, Ibis with the SQL
compilers Ibis imports at its first compile) are timed apart as `<name>_import_seconds`, for every contender
alike; the clock starts at opening the store. The load average before and after is printed: on 2 shared
cores, above 2 means the figures are slower than on a quiet machine.

The ibis, sql and pandas contenders must produce the same figures — headline, every hour, every channel and
source, every RFM cell (`sql_figures_agree`, `pandas_figures_agree`; differences go to stderr). Prints JSON
lines {"bench", "metric", "value", "unit"}; the ratios are ibis/sql (target ≤ 1.5) and pandas/ibis (target ≥ 10),
in wall and in CPU seconds; pandas/sql is the ceiling pandas/ibis could reach were Ibis free.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DAY = dt.date(2026, 11, 11)
START = dt.datetime(2026, 11, 11)
END = START + dt.timedelta(days=1)
RFM_FROM = END - dt.timedelta(days=365)


def emit(metric: str, value: float, unit: str) -> None:
    print(json.dumps({"bench": "review", "metric": metric, "value": round(value, 4), "unit": unit}), flush=True)


def _cpu() -> float:
    """CPU seconds this process has used, all its threads (steadier than wall time on a shared machine)."""
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a step; on failure show its own error output before stopping."""
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        proc.check_returncode()
    return proc


def prepare(orders: int, root: Path) -> tuple[Path, Path]:
    """Simulate and import (skipped when the store is already there)."""
    from dachu.app import example_text

    campaign = root / "campaign.yaml"
    store = root / "dachu.duckdb"
    if store.exists() and campaign.exists():
        return campaign, store
    campaign.write_text(example_text("double11", "en"), encoding="utf-8")
    dachu = [str(Path(sys.executable).parent / "dachu")]
    started = time.perf_counter()
    sim = _run(
        [*dachu, "simulate", str(campaign), "--orders", str(orders), "--out", str(root / "sim"), "--format", "json"]
    )
    emit("simulate_seconds", time.perf_counter() - started, "s")
    files = [f["path"] for f in json.loads(sim.stdout)["files"]]
    started = time.perf_counter()
    _run([*dachu, "import", *files, "--store", str(store), "--format", "json"])
    emit("import_seconds", time.perf_counter() - started, "s")
    return campaign, store


Figures = dict[str, dict[str, list[float]]]
"""The compared figures: headline, hourly, traffic_hour, channels, sources, rfm — each a table of number lists."""


def _table(rows: list[tuple[object, ...]] | list[list[object]]) -> dict[str, list[float]]:
    """Rows (key, value, ...) as {str(key): [float(value), ...]}; a one-row table without key under ""."""
    return {str(r[0]): [float(v) if v is not None else 0.0 for v in r[1:]] for r in rows}  # type: ignore[arg-type]


def _time_sections(seconds: dict[str, float]) -> None:
    """Wrap each review section function so its wall seconds add up in `seconds` (this process only)."""
    import importlib

    from dachu.analytics.review_model import SECTIONS

    # one module per section, its function named as the module: build_review calls it through the module
    for name in SECTIONS:
        module = importlib.import_module(f"dachu.analytics.review.{name}")
        setattr(module, name, _timed(getattr(module, name), name, seconds))


def _timed(f: Any, name: str, seconds: dict[str, float]) -> Any:
    def timed(*args: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return f(*args, **kw)
        finally:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - t0

    return timed


def run_review(campaign: Path, store: Path, limit: str) -> dict[str, object]:
    started = time.perf_counter()
    import ibis.backends.sql.compilers  # noqa: F401 - Ibis imports every SQL compiler at its first to_sql

    from dachu.analytics.review import build_review
    from dachu.analytics.source import Source
    from dachu.domain.campaign.file import parse_campaign
    from dachu.domain.plan.plan import make_plan

    imported = time.perf_counter() - started
    sections: dict[str, float] = {}
    _time_sections(sections)
    plan = make_plan(parse_campaign(campaign.read_text(encoding="utf-8"), str(campaign)))
    started = time.perf_counter()
    cpu0 = _cpu()
    with Source.open(store, memory_limit=limit) as src:
        review = build_review(src, plan)
        rows = int(src.counts()["orders"])
    seconds = time.perf_counter() - started
    gmv = next(f.actual for f in review.section("headline").figures if f.id == "gmv_paid")
    return {"seconds": seconds, "cpu_seconds": _cpu() - cpu0, "import_seconds": imported, "rows": rows,
            "gmv": float(gmv), "sections": sections}  # type: ignore[arg-type]


def run_ibis(store: Path, limit: str) -> dict[str, object]:
    started = time.perf_counter()
    import ibis.backends.sql.compilers  # noqa: F401 - Ibis imports every SQL compiler at its first to_sql
    from ibis import _

    from dachu.analytics import queries as q
    from dachu.analytics.rfm import rfm
    from dachu.analytics.source import Period, Source

    imported = time.perf_counter() - started
    started = time.perf_counter()
    cpu0 = _cpu()
    with Source.open(store, memory_limit=limit) as src:
        day = Period(START, END)
        head = src.one(q.sales(src, day))
        placed = src.one(q.placing(src, day))
        seen = src.one(q.traffic(src, day))
        hourly = src.rows(q.sales_by_hour(src, day))
        traffic_hour = src.rows(q.traffic(src, day, hour=_.hour.hour()))
        channels = src.rows(q.ads(src, DAY, DAY, channel=_.channel))
        sources = src.rows(q.traffic(src, day, source=_.source))
        cells = src.rows(rfm(src, END))
    seconds = time.perf_counter() - started
    figures: Figures = {
        "headline": _table([["", *head.values(), *placed.values(), *seen.values()]]),
        "hourly": _table([list(r.values()) for r in hourly]),
        "traffic_hour": _table([list(r.values()) for r in traffic_hour]),
        "channels": _table([list(r.values()) for r in channels]),
        "sources": _table([list(r.values()) for r in sources]),
        "rfm": _table([[f"{c['r']}{c['f']}{c['m']}", c["buyers"], c["monetary"]] for c in cells]),
    }
    return {"seconds": seconds, "cpu_seconds": _cpu() - cpu0, "import_seconds": imported, "figures": figures}


RFM_SCORE = (5, 4, 3, 2)
"""The RFM floor scores like `dachu.analytics.rfm.rfm`: per dimension the histogram of distinct values gives the
worst value reaching each score (ceil(5k / n), k the buyers no better, ties included); then one CASE per buyer."""


def _rfm_threshold(value: str, worst: str, order: str) -> str:
    reach = ", ".join(f"{worst}(v) FILTER (s >= {k}) AS {value}_{k}" for k in RFM_SCORE)
    return f"""th_{value} AS (
            SELECT {reach}, max(s) FILTER (v IS NULL) AS {value}_null FROM (
                SELECT v, (5 * (n - (sum(c) OVER (ORDER BY v {order} ROWS UNBOUNDED PRECEDING) - c)) + n - 1) // n AS s
                FROM (SELECT {value} AS v, count(*) AS c FROM per GROUP BY 1), (SELECT count(*) AS n FROM per)))"""


def _rfm_case(value: str, cmp: str) -> str:
    whens = " ".join(f"WHEN {value} {cmp} {value}_{k} THEN {k}" for k in RFM_SCORE)
    return f"CASE WHEN {value} IS NULL THEN {value}_null {whens} ELSE 1 END"


SQL = {
    "sales": "SELECT count(*), sum(paid_amount), count(DISTINCT buyer_key) FROM orders "
    "WHERE paid_at >= $s AND paid_at < $e",
    "placing": "SELECT count(*), count(paid_at), "
    "count(*) FILTER (WHERE paid_at IS NOT NULL AND epoch(paid_at) - epoch(created_at) < 1800), "
    "count(*) FILTER (WHERE paid_at IS NOT NULL AND epoch(paid_at) - epoch(created_at) >= 1800) "
    "FROM orders WHERE created_at >= $s AND created_at < $e",
    "traffic": "SELECT sum(visitors), sum(page_views), sum(buyers) FROM traffic WHERE hour >= $s AND hour < $e",
    "sales_hour": "SELECT hour(paid_at), count(*), sum(paid_amount), count(DISTINCT buyer_key) FROM orders "
    "WHERE paid_at >= $s AND paid_at < $e GROUP BY 1",
    "traffic_hour": "SELECT hour(hour), sum(visitors), sum(page_views), sum(buyers) FROM traffic "
    "WHERE hour >= $s AND hour < $e GROUP BY 1",
    "ads": "SELECT channel, sum(spend), sum(impressions), sum(clicks), sum(orders), sum(revenue) FROM ad_spend "
    "WHERE day = $d GROUP BY 1",
    "traffic_source": "SELECT source, sum(visitors), sum(page_views), sum(buyers) FROM traffic "
    "WHERE hour >= $s AND hour < $e GROUP BY 1",
    "rfm": f"""
        WITH per AS (
            SELECT date_diff('second', max(paid_at), $e) // 86400 AS recency, count(*) AS freq,
                sum(paid_amount) AS money
            FROM orders WHERE paid_at >= $f AND paid_at < $e AND buyer_key IS NOT NULL GROUP BY buyer_key),
        {_rfm_threshold("recency", "max", "ASC")},
        {_rfm_threshold("freq", "min", "DESC")},
        {_rfm_threshold("money", "min", "DESC")}
        SELECT {_rfm_case("recency", "<=")} AS r, {_rfm_case("freq", ">=")} AS f, {_rfm_case("money", ">=")} AS m,
            count(*) AS buyers, sum(money)
        FROM per, th_recency, th_freq, th_money GROUP BY ALL""",
}


def run_sql(store: Path, limit: str) -> dict[str, object]:
    started = time.perf_counter()
    import duckdb

    imported = time.perf_counter() - started
    started = time.perf_counter()
    cpu0 = _cpu()
    con = duckdb.connect(str(store), read_only=True, config={"memory_limit": limit})
    params = {"s": START, "e": END, "d": DAY, "f": RFM_FROM}
    out: dict[str, list[tuple[object, ...]]] = {}
    for name, sql in SQL.items():
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        out[name] = con.execute(sql, used).fetchall()
    con.close()
    seconds = time.perf_counter() - started
    figures: Figures = {
        "headline": _table([("", *out["sales"][0], *out["placing"][0], *out["traffic"][0])]),
        "hourly": _table(out["sales_hour"]),
        "traffic_hour": _table(out["traffic_hour"]),
        "channels": _table(out["ads"]),
        "sources": _table(out["traffic_source"]),
        "rfm": _table([(f"{r}{f}{m}", b, money) for r, f, m, b, money in out["rfm"]]),
    }
    return {"seconds": seconds, "cpu_seconds": _cpu() - cpu0, "import_seconds": imported, "figures": figures}


def run_pandas(store: Path, limit: str) -> dict[str, object]:
    started = time.perf_counter()
    import duckdb
    import pandas as pd

    imported = time.perf_counter() - started
    started = time.perf_counter()
    cpu0 = _cpu()
    con = duckdb.connect(str(store), read_only=True, config={"memory_limit": limit})
    orders = con.execute("SELECT buyer_key, created_at, paid_at, CAST(paid_amount AS DOUBLE) AS paid_amount "
                         "FROM orders").df()
    traffic = con.execute("SELECT * FROM traffic").df()
    ads = con.execute("SELECT * FROM ad_spend").df()
    con.close()
    loaded = time.perf_counter()
    paid = orders[(orders.paid_at >= START) & (orders.paid_at < END)]
    head = [len(paid), paid.paid_amount.sum(), paid.buyer_key.nunique()]
    placed = orders[(orders.created_at >= START) & (orders.created_at < END)]
    wait = (placed.paid_at - placed.created_at).dt.total_seconds()
    head += [len(placed), placed.paid_at.notna().sum(), (wait < 1800).sum(), (wait >= 1800).sum()]
    day_traffic = traffic[(traffic.hour >= START) & (traffic.hour < END)]
    head += list(day_traffic[["visitors", "page_views", "buyers"]].sum())
    hourly = paid.groupby(paid.paid_at.dt.hour).agg(n=("paid_amount", "size"), gmv=("paid_amount", "sum"),
                                                    buyers=("buyer_key", "nunique"))
    traffic_hour = day_traffic.groupby(day_traffic.hour.dt.hour)[["visitors", "page_views", "buyers"]].sum()
    channels = ads[ads.day == pd.Timestamp(DAY)].groupby("channel")[
        ["spend", "impressions", "clicks", "orders", "revenue"]].sum()
    sources = day_traffic.groupby("source")[["visitors", "page_views", "buyers"]].sum()
    window = orders[(orders.paid_at >= RFM_FROM) & (orders.paid_at < END) & orders.buyer_key.notna()]
    per = window.groupby("buyer_key").agg(last=("paid_at", "max"), freq=("paid_at", "size"),
                                          money=("paid_amount", "sum"))
    per["recency"] = (END - per["last"]).dt.days
    n = len(per)

    def score(rank_better: pd.Series) -> pd.Series:
        return (5 * (n - (rank_better - 1)) + n - 1) // n

    per["r"] = score(per.recency.rank(method="min"))
    per["f"] = score((-per.freq).rank(method="min"))
    per["m"] = score((-per.money).rank(method="min"))
    cells = per.groupby(["r", "f", "m"]).agg(buyers=("money", "size"), monetary=("money", "sum"))
    done = time.perf_counter()

    def rows(frame: pd.DataFrame) -> list[list[object]]:
        return [[key, *vals] for key, vals in zip(frame.index, frame.to_numpy().tolist(), strict=True)]

    figures: Figures = {
        "headline": _table([["", *head]]),
        "hourly": _table(rows(hourly)),
        "traffic_hour": _table(rows(traffic_hour)),
        "channels": _table(rows(channels)),
        "sources": _table(rows(sources)),
        "rfm": _table([[f"{int(r)}{int(f)}{int(m)}", *v] for (r, f, m), v in
                       zip(cells.index, cells.to_numpy().tolist(), strict=True)]),
    }
    return {"seconds": done - started, "cpu_seconds": _cpu() - cpu0, "compute_seconds": done - loaded,
            "import_seconds": imported,
            "figures": figures}


def differences(a: Figures, b: Figures) -> list[str]:
    """Where two contenders' figures differ (by more than a fen: pandas sums money in floating point)."""
    out = []
    for part in sorted(set(a) | set(b)):
        ta, tb = a.get(part, {}), b.get(part, {})
        for key in sorted(set(ta) | set(tb)):
            va, vb = ta.get(key), tb.get(key)
            same = va is not None and vb is not None and len(va) == len(vb)
            if not same or any(abs(x - y) > 0.01 for x, y in zip(va or [], vb or [], strict=True)):
                out.append(f"{part}[{key}]: {va} != {vb}")
    return out


def child(name: str, campaign: Path, store: Path, limit: str) -> None:
    runners = {
        "review": lambda: run_review(campaign, store, limit),
        "ibis": lambda: run_ibis(store, limit),
        "sql": lambda: run_sql(store, limit),
        "pandas": lambda: run_pandas(store, limit),
    }
    out: dict[str, Any] = runners[name]()
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, default=None, help="simulate/import into DIR and reuse it")
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB memory_limit for every contender")
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender; the fastest counts")
    parser.add_argument("--only", default="review,ibis,sql,pandas", help="contenders to run, comma-separated")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--campaign", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.campaign, args.store, args.memory_limit)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        campaign, store = prepare(args.orders, root)
        emit("orders", args.orders, "orders")
        emit("load_average_before", os.getloadavg()[0], "runnable")  # 2 shared cores: > 2 means contention
        results: dict[str, dict[str, Any]] = {}
        for name in args.only.split(","):
            runs = []
            for _ in range(max(1, args.repeat)):  # a shared machine is noisy: the fastest of N counts
                proc = _run(
                    [sys.executable, __file__, "--child", name, "--campaign", str(campaign), "--store", str(store),
                     "--memory-limit", args.memory_limit]
                )
                runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            results[name] = min(runs, key=lambda r: r["seconds"])
            results[name]["peak_rss_mib"] = max(r["peak_rss_mib"] for r in runs)
            emit(f"{name}_seconds", results[name]["seconds"], "s")
            emit(f"{name}_peak_rss", results[name]["peak_rss_mib"], "MiB")
            results[name]["cpu_seconds"] = min(r["cpu_seconds"] for r in runs)
            emit(f"{name}_cpu_seconds", results[name]["cpu_seconds"], "s")
        emit("load_average_after", os.getloadavg()[0], "runnable")
        if "review" in results:
            emit("store_orders_rows", results["review"]["rows"], "rows")
            for section, secs in results["review"]["sections"].items():  # of the fastest run
                emit(f"review_{section}_seconds", secs, "s")
        if "pandas" in results:
            emit("pandas_compute_seconds", results["pandas"]["compute_seconds"], "s")
        for name, res in results.items():
            emit(f"{name}_import_seconds", res["import_seconds"], "s")  # library imports, not timed above
        if "ibis" not in results:
            return
        ibis_figures = results["ibis"]["figures"]
        if "review" in results:
            emit("review_gmv_agrees", float(abs(results["review"]["gmv"] - ibis_figures["headline"][""][1]) < 0.005),
                 "bool")
        for other in ("sql", "pandas"):
            if other in results:
                diff = differences(ibis_figures, results[other]["figures"])
                for line in diff[:10]:
                    print(f"ibis vs {other}: {line}", file=sys.stderr)
                emit(f"{other}_figures_agree", float(not diff), "bool")
        if "sql" in results:
            emit("ibis_over_sql", results["ibis"]["seconds"] / results["sql"]["seconds"], "x")
            emit("ibis_over_sql_cpu", results["ibis"]["cpu_seconds"] / results["sql"]["cpu_seconds"], "x")
        if "pandas" in results:
            emit("pandas_over_ibis", results["pandas"]["seconds"] / results["ibis"]["seconds"], "x")
            emit("pandas_over_ibis_cpu", results["pandas"]["cpu_seconds"] / results["ibis"]["cpu_seconds"], "x")
            emit("pandas_compute_over_ibis", results["pandas"]["compute_seconds"] / results["ibis"]["seconds"], "x")
        if "pandas" in results and "sql" in results:  # the most pandas/ibis could be, were Ibis free
            emit("pandas_over_sql", results["pandas"]["seconds"] / results["sql"]["seconds"], "x")
            emit("pandas_over_sql_cpu", results["pandas"]["cpu_seconds"] / results["sql"]["cpu_seconds"], "x")


if __name__ == "__main__":
    main()
