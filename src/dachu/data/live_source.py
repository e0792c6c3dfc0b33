"""Turn a campaign's canonical tables into the war room's events, in time order (回放数据).

The source is either a `dachu simulate` output folder (`parquet/` with orders, order_lines, traffic,
cs_sessions, plus `ad_spend.csv` when written) or a DuckDB store filled by `dachu import`. Only the event
day is replayed (the day given, else the day with the most orders), from `from_hour` on.

Each order gives an `order` event at its creation, a `payment` at `paid_at`, a `shipment` at `shipped_at`
and a `refund` (at completion, else shipping, else payment time) when money was given back. Hourly traffic
is cut into six 10-minute events per source, on the page the store recorded (`traffic.page`, written by the
war room); where it has none (an import), paid sources land on the activity page, `organic` on the store.
A day's ad spend per channel is spread over the hours like the day's visitors and sent every 10 minutes.
A CS session gives a `cs` event at its first response. Buyers are sent as an opaque key, never a name.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from dachu.data.live_sink import order_key
from dachu.domain.day_profile import VISITOR_SHARES
from dachu.errors import InputError

SLICES = 6  # 10-minute slices per hour for traffic and ad spend
ORGANIC = ("organic", "自然搜索", "自然流量")
PAGES = ("activity", "store")


def _tables(source: Path) -> tuple[duckdb.DuckDBPyConnection, dict[str, str]]:
    """A connection and the SQL name of each table that exists (orders, order_lines, traffic, ...)."""
    if source.is_dir():
        folder = source / "parquet" if (source / "parquet").is_dir() else source
        if not (folder / "orders.parquet").exists():
            raise InputError("warroom.replay.no_source", path=str(source))
        con = duckdb.connect()
        names = {}
        for name in ("orders", "order_lines", "traffic", "cs_sessions"):
            path = folder / f"{name}.parquet"
            if path.exists():
                names[name] = f"read_parquet('{path.as_posix()}')"
        for candidate in (source / "ad_spend.csv", folder / "ad_spend.csv"):
            if candidate.exists():
                names["ad_spend"] = f"read_csv('{candidate.as_posix()}', header=true)"
                break
        names["buyer"] = "'b' || CAST(o.buyer_id AS VARCHAR)"
        return con, names
    if source.is_file():
        return duckdb.connect(str(source), read_only=True), STORE_NAMES
    raise InputError("warroom.replay.no_source", path=str(source))


STORE_NAMES = {n: n for n in ("orders", "order_lines", "traffic", "cs_sessions", "ad_spend")} | {"buyer": "o.buyer_key"}
"""The tables of a DuckDB store, as `day_events` names them."""


def _money(value: Any) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def busiest_day(source: Path) -> dt.date:
    """The day with the most orders created (the event day of a campaign)."""
    con, names = _tables(source)
    try:
        row = con.execute(
            f"SELECT CAST(created_at AS DATE) d FROM {names['orders']} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()
    if row is None:
        raise InputError("warroom.replay.no_source", path=str(source))
    return row[0]  # type: ignore[no-any-return]


def replay_events(source: Path, day: dt.date, from_hour: int = 0) -> list[dict[str, Any]]:
    """Every event of `day` from `from_hour`, as JSON-ready dicts sorted by time (ties keep type order)."""
    con, names = _tables(source)
    try:
        return day_events(con, names, day, from_hour)
    finally:
        con.close()


def _slices(total: int, from_hour: int) -> list[tuple[int, int, int]]:
    """(hour, minute, part) of `total` spread over 10-minute slices like the day's visitors, exact in sum.

    Each slice gets floor(total × share due by its end) − floor(total × share due by its start), so the
    parts from hour 0 add up to `total` exactly.
    """
    out = []
    due = sum(VISITOR_SHARES[:from_hour], Decimal(0))
    for hour in range(from_hour, 24):
        step = VISITOR_SHARES[hour] / SLICES
        for i in range(SLICES):
            part = int(total * (due + step)) - int(total * due)
            due += step
            out.append((hour, 10 * i, part))
    if from_hour == 0 and out:
        hour, minute, part = out[-1]
        out[-1] = (hour, minute, part + total - sum(p for _, _, p in out))
    return out


def day_events(con: duckdb.DuckDBPyConnection, names: dict[str, str], day: dt.date,
               from_hour: int = 0) -> list[dict[str, Any]]:
    """The events of `day` from `from_hour` read through `con` (tables named by `names`), sorted by time.

    An order is replayed when anything happened to it in the window: placed, paid, shipped or refunded. Its
    order event goes when it was placed in the window, or placed before it and paid in it (a pre-sale order
    placed in the warm-up: sent first, dated when it was placed, so it counts among the pre-sale orders and
    takes its stock); an earlier order only shipped or refunded in the window sends just that (its placing
    belongs to its own day, maybe long before the campaign). A pre-sale order's payment goes as one full
    payment of what the buyer paid in all (deposit and balance, as the store keeps it).
    """
    start = dt.datetime.combine(day, dt.time(from_hour))
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    out: list[tuple[dt.datetime, int, dict[str, Any]]] = []
    lines_sql = "NULL"
    join = ""
    if "order_lines" in names:
        join = (
            f"LEFT JOIN (SELECT platform, order_id, list({{'sku': sku, 'quantity': quantity}} ORDER BY line_no) "
            f"AS lines FROM {names['order_lines']} WHERE sku IS NOT NULL AND quantity > 0 "
            f"GROUP BY 1, 2) l USING (platform, order_id)"
        )
        lines_sql = "l.lines"
    rows = con.execute(
        f"SELECT o.platform, o.order_id, {names['buyer']}, o.created_at, o.paid_at, o.shipped_at, "
        f"o.completed_at, o.total_amount, o.paid_amount, o.refund_amount, o.channel, {lines_sql} "
        f"FROM {names['orders']} o {join} WHERE (o.created_at >= $1 AND o.created_at < $2) "
        f"OR (o.paid_at >= $1 AND o.paid_at < $2) OR (o.shipped_at >= $1 AND o.shipped_at < $2) "
        f"OR (o.refund_amount > 0 AND coalesce(o.completed_at, o.shipped_at, o.paid_at) >= $1 "
        f"AND coalesce(o.completed_at, o.shipped_at, o.paid_at) < $2)",
        [start, end],
    ).fetchall()
    for row in rows:
        platform, order_id, buyer, created, paid, shipped, completed, total, paid_amt, refund, channel, lines = row
        key = order_key(platform, order_id)
        event: dict[str, Any] = {"id": "o:" + key, "type": "order", "at": created, "order_id": key,
                                 "amount": _money(total or 0)}
        if buyer:
            event["buyer_key"] = str(buyer)
        if channel:
            event["source"] = channel
        if lines:
            event["lines"] = [{"sku": ln["sku"], "quantity": int(ln["quantity"])} for ln in lines]
        paid_now = paid is not None and start <= paid < end
        if created is not None and (created >= start or paid_now):
            out.append((created, 0, event))
        if paid_now:
            out.append((paid, 1, {"id": "p:" + key, "type": "payment", "at": paid, "order_id": key,
                                  "amount": _money(paid_amt or total or 0)}))
        if shipped is not None and start <= shipped < end:
            out.append((shipped, 2, {"id": "s:" + key, "type": "shipment", "at": shipped, "order_id": key}))
        when = completed or shipped or paid
        if refund and refund > 0 and when is not None and start <= when < end:
            out.append((when, 3, {"id": "r:" + key, "type": "refund", "at": when, "order_id": key,
                                  "amount": _money(refund)}))
    if "traffic" in names:
        columns = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {names['traffic']}").fetchall()}
        page_sql = "page" if "page" in columns else "NULL"
        for hour, src, visitors, views, stored in con.execute(
            f"SELECT hour, source, visitors, page_views, {page_sql} FROM {names['traffic']} "
            f"WHERE hour >= ? AND hour < ?", [start, end],
        ).fetchall():
            # the page the war room was told (stored since migration 3), else guessed from the source's name
            page = stored if stored in PAGES else "store" if src in ORGANIC else "activity"
            for i in range(SLICES):
                at = hour + dt.timedelta(minutes=10 * i)
                v = int(visitors or 0) * (i + 1) // SLICES - int(visitors or 0) * i // SLICES
                pv = int(views or 0) * (i + 1) // SLICES - int(views or 0) * i // SLICES
                out.append((at, 4, {"id": f"t:{at:%Y%m%d%H%M}:{src}", "type": "traffic", "at": at,
                                    "page": page, "source": src, "visitors": v, "page_views": pv}))
    if "ad_spend" in names:
        for channel, spend, clicks in con.execute(
            f"SELECT channel, sum(spend), sum(clicks) FROM {names['ad_spend']} WHERE CAST(day AS DATE) = ? "
            f"GROUP BY 1", [day]
        ).fetchall():
            fen_total = int(Decimal(str(spend or 0)) * 100)
            spend_parts = _slices(fen_total, from_hour)
            click_parts = _slices(int(clicks or 0), from_hour)
            for (hour, minute, fen), (_, _, clk) in zip(spend_parts, click_parts, strict=True):
                at = dt.datetime.combine(day, dt.time(hour, minute))
                out.append((at, 5, {"id": f"a:{at:%Y%m%d%H%M}:{channel}", "type": "ad_spend", "at": at,
                                    "channel": channel, "spend": f"{Decimal(fen) / 100:.2f}",
                                    "clicks": clk}))
    if "cs_sessions" in names:
        for sid, started, first in con.execute(
            f"SELECT session_id, started_at, first_response_at FROM {names['cs_sessions']} "
            f"WHERE first_response_at >= ? AND first_response_at < ?", [start, end]
        ).fetchall():
            wait = max(0.0, (first - started).total_seconds()) if started else 0.0
            out.append((first, 6, {"id": f"c:{sid}", "type": "cs", "at": first, "session_id": sid,
                                   "response_seconds": round(wait, 1)}))
    out.sort(key=lambda item: (item[0], item[1]))
    events = []
    for at, _, event in out:
        event["at"] = at.isoformat(timespec="seconds")
        events.append(event)
    return events
