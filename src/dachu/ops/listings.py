"""Channel listings through the outbox (渠道库存同步): what each channel lists, and the send-time step.

`out_of_step(con, now)`: the (channel, SKU)s whose latest action failed or waits too long (the war room's
listing-out-of-step alert). `listing_state(con)`: from the outbox's `listing` rows, what each (channel,
SKU) lists — the quantity of its latest row not failed or skipped (a planned one counts: it is on its way)
— and how many rows it has had.
`ListingSendTime`: a listing row goes as it was planned (no address, no quiet hours: a channel's stock is
not a buyer's evening), its text the catalogue's line naming channel, SKU and quantity; the webhook gets
`params` {channel, sku, quantity} for a channel adapter, the CSV the line for a manual upload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import duckdb

from dachu.i18n import Lang, t
from dachu.ops.dispatcher import Deferred, Ready
from dachu.ops.outbox import Called, Claimed
from dachu.ops.senders.base import Outgoing


def listing_state(con: duckdb.DuckDBPyConnection) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """(listed, rows so far) per (channel, SKU), from the outbox's `listing` rows."""
    rows = con.execute(
        "SELECT recipient, json_extract_string(variables, '$.sku') AS sku, "
        "count(*) AS n, "
        "arg_max(CAST(json_extract_string(variables, '$.quantity') AS BIGINT), seq) "
        "FILTER (WHERE state NOT IN ('failed', 'skipped')) AS listed "
        "FROM outbox WHERE kind = 'listing' GROUP BY ALL"
    ).fetchall()
    listed = {(str(ch), str(sku)): int(q) for ch, sku, _, q in rows if q is not None}
    sent = {(str(ch), str(sku)): int(n) for ch, sku, n, _ in rows}
    return listed, sent


PENDING_MINUTES = 10
"""A listing action still unsent this long after it was planned is out of step (the adapter is not taking it)."""


def out_of_step(con: duckdb.DuckDBPyConnection, now: dt.datetime,
                pending_minutes: int = PENDING_MINUTES) -> list[tuple[str, str, str, str]]:
    """The listings out of step: (channel, SKU, quantity, reason) each.

    A (channel, SKU) whose latest action failed (`stock.listing.failed`), or is unsent `pending_minutes` after
    it was planned (`stock.listing.pending <minutes>`).
    """
    rows = con.execute(
        "SELECT recipient, json_extract_string(variables, '$.sku'), json_extract_string(variables, '$.quantity'), "
        "state, planned_at FROM outbox WHERE kind = 'listing' "
        "QUALIFY row_number() OVER (PARTITION BY recipient, json_extract_string(variables, '$.sku') "
        "ORDER BY seq DESC) = 1 ORDER BY 1, 2"
    ).fetchall()
    late = now - dt.timedelta(minutes=pending_minutes)
    out = []
    for channel, sku, quantity, state, planned_at in rows:
        if state in ("failed", "skipped"):
            out.append((str(channel), str(sku), str(quantity), "stock.listing.failed"))
        elif state != "sent" and planned_at is not None and planned_at <= late:
            out.append((str(channel), str(sku), str(quantity), f"stock.listing.pending {pending_minutes}"))
    return out


class ListingSendTime:
    """The send-time step of `listing` rows: each goes as planned (see the module docstring)."""

    def __init__(self, lang: Lang = "zh") -> None:
        self.lang = lang

    def prepare(self, rows: Sequence[Claimed], now: dt.datetime) -> list[Ready | Deferred | str]:
        """Every row `Ready`, its text the line for a manual upload."""
        out: list[Ready | Deferred | str] = []
        for r in rows:
            v = dict(r.variables)
            text = t("stock.listing.set", self.lang, channel=v.get("channel", r.recipient), sku=v.get("sku", ""),
                     quantity=v.get("quantity", ""))
            out.append(Ready(
                Outgoing(key=r.key, channel=r.channel, address="", text=text, template_code=None, params=v,
                         order_ids=()),
                Called(r.seq, text, 0, Decimal(0), None, None),
            ))
        return out

    def addresses(self, rows: Sequence[Claimed]) -> list[str | None]:
        """No addresses: a listing goes to its channel's adapter."""
        return [None for _ in rows]
