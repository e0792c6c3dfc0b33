"""What the reminder rules read from the store, and the one place a message's address is looked up.

`unpaid_columns(con)` gives the orders still unpaid, in columns (numpy), with their lines' SKUs as codes and
each buyer's latest payment of any order and opt-out — the inputs `dachu.domain.automation.remind` decides on.
`addresses(con, buyer_keys, channel)` reads `contacts` at send time only: a buyer's mobile (else phone) from
the buyer's latest order for SMS, the account when it is an e-mail for e-mail. Its result lives in the
caller's memory for one send and is never written anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from dachu.data.schema import OrderStatus
from dachu.domain.automation.remind_inputs import BuyerFacts, UnpaidOrders

PENDING = OrderStatus.PENDING_PAYMENT.value


def unpaid_columns(
    con: duckdb.DuckDBPyConnection, *, placed_since: dt.datetime | None = None
) -> tuple[UnpaidOrders, BuyerFacts]:
    """The store's unpaid orders (placed since `placed_since`, if given) and their buyers' facts, in columns.

    Amounts are the order total (shipping included) in fen; an order without a buyer key has buyer "";
    `last_paid` is the buyer's latest payment of any order, `opted_out` whether the buyer is in opt_outs.
    """
    where = "o.status = ? AND o.created_at IS NOT NULL"
    params: list[Any] = [PENDING]
    if placed_since is not None:
        where += " AND o.created_at >= ?"
        params.append(placed_since)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _unpaid AS "
        "SELECT row_number() OVER (ORDER BY o.created_at, o.order_id) - 1 AS pos, o.platform, o.order_id, "
        "coalesce(o.buyer_key, '') AS buyer, o.created_at, "
        "CAST(round(coalesce(o.total_amount, 0) * 100) AS BIGINT) AS fen "
        f"FROM orders o WHERE {where}",
        params,
    )
    orders = con.execute(
        "SELECT u.order_id, u.buyer, u.created_at, u.fen, p.last_paid, (x.buyer_key IS NOT NULL) AS opted_out "
        "FROM _unpaid u "
        "LEFT JOIN (SELECT buyer_key, max(paid_at) AS last_paid FROM orders WHERE paid_at IS NOT NULL "
        "  AND buyer_key IN (SELECT buyer FROM _unpaid) GROUP BY 1) p ON p.buyer_key = u.buyer "
        "LEFT JOIN (SELECT DISTINCT buyer_key FROM opt_outs) x ON x.buyer_key = u.buyer "
        "ORDER BY u.pos"
    ).fetchnumpy()
    lines = con.execute(
        "SELECT u.pos, l.sku FROM _unpaid u JOIN order_lines l ON l.platform = u.platform AND l.order_id = u.order_id "
        "WHERE l.sku IS NOT NULL ORDER BY u.pos, l.line_no"
    ).fetchnumpy()
    con.execute("DROP TABLE _unpaid")
    names: list[str] = []
    codes: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
    if len(lines["sku"]):
        unique, codes = np.unique(np.asarray(lines["sku"]).astype(str), return_inverse=True)
        names = [str(s) for s in unique]
    orders_ = UnpaidOrders(
        order_ids=[str(x) for x in orders["order_id"]],
        buyers=[str(x) for x in orders["buyer"]],
        created=np.asarray(orders["created_at"], dtype="datetime64[s]"),
        amount_fen=np.asarray(orders["fen"], dtype=np.int64),
        line_order=np.asarray(lines["pos"], dtype=np.int32),
        line_sku=np.asarray(codes, dtype=np.int32),
        sku_names=names,
    )
    facts = BuyerFacts(
        last_paid=_times(orders["last_paid"]), opted_out=np.asarray(orders["opted_out"], dtype=np.bool_)
    )
    return orders_, facts


def _times(column: Any) -> npt.NDArray[np.datetime64]:
    """A nullable TIMESTAMP column as datetime64[s] with NaT for NULL (fetchnumpy gives a masked array)."""
    values = np.ma.asarray(column)
    out = np.asarray(values.filled(np.datetime64("NaT")) if np.ma.is_masked(values) else values)
    return out.astype("datetime64[s]")


def still_unpaid(con: duckdb.DuckDBPyConnection, order_ids: Sequence[str]) -> set[str]:
    """Those of `order_ids` still unpaid now (the send-time re-check; an order not in the store is not)."""
    if not order_ids:
        return set()
    rows = con.execute(
        "SELECT order_id FROM orders WHERE status = ? AND order_id IN (SELECT unnest(?))", [PENDING, list(order_ids)]
    ).fetchall()
    return {r[0] for r in rows}


def last_payments(con: duckdb.DuckDBPyConnection, buyer_keys: Sequence[str]) -> dict[str, dt.datetime]:
    """Each buyer's latest payment of any order (buyers who never paid are absent)."""
    if not buyer_keys:
        return {}
    rows = con.execute(
        "SELECT buyer_key, max(paid_at) FROM orders WHERE paid_at IS NOT NULL AND buyer_key IN (SELECT unnest(?)) "
        "GROUP BY 1",
        [list(set(buyer_keys))],
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def opted_out(con: duckdb.DuckDBPyConnection, buyer_keys: Sequence[str]) -> set[str]:
    """Those of `buyer_keys` who asked for no more messages."""
    if not buyer_keys:
        return set()
    rows = con.execute(
        "SELECT DISTINCT buyer_key FROM opt_outs WHERE buyer_key IN (SELECT unnest(?))", [list(set(buyer_keys))]
    ).fetchall()
    return {r[0] for r in rows}


def record_opt_outs(con: duckdb.DuckDBPyConnection, replies: Sequence[tuple[str, str, str, dt.datetime]]) -> int:
    """Record opt-outs (buyer key, channel, reply, at); how many."""
    if replies:
        con.executemany("INSERT INTO opt_outs VALUES (?, ?, ?, ?)", [list(r) for r in replies])
    return len(replies)


def buyers_of_phones(con: duckdb.DuckDBPyConnection, phones: Sequence[str]) -> dict[str, set[str]]:
    """The buyer keys behind each phone (for an SMS reply: who asked to opt out)."""
    if not phones:
        return {}
    rows = con.execute(
        "SELECT DISTINCT coalesce(mobile, phone), buyer_key FROM contacts WHERE buyer_key IS NOT NULL "
        "AND coalesce(mobile, phone) IN (SELECT unnest(?))",
        [list(set(phones))],
    ).fetchall()
    out: dict[str, set[str]] = {}
    for phone, key in rows:
        out.setdefault(phone, set()).add(key)
    return out


def addresses(con: duckdb.DuckDBPyConnection, buyer_keys: Sequence[str], channel: str) -> dict[str, str]:
    """Each buyer's address for `channel`, from the latest order that has one (read at send time only).

    Mobile (else phone) for SMS, the account when it is an e-mail for e-mail. Buyers without one are absent.
    """
    if not buyer_keys:
        return {}
    if channel == "email":
        value = "CASE WHEN c.buyer_account LIKE '%_@_%' THEN c.buyer_account END"
    else:
        value = "coalesce(nullif(trim(c.mobile), ''), nullif(trim(c.phone), ''))"
    rows = con.execute(
        f"SELECT c.buyer_key, arg_max({value}, coalesce(o.created_at, TIMESTAMP '1970-01-01')) FROM contacts c "
        "LEFT JOIN orders o ON o.platform = c.platform AND o.order_id = c.order_id "
        f"WHERE c.buyer_key IN (SELECT unnest(?)) AND {value} IS NOT NULL GROUP BY 1",
        [list(set(buyer_keys))],
    ).fetchall()
    return {r[0]: r[1] for r in rows if r[1]}
