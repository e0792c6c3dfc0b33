"""What the SMS provider pushes back (回执与上行), into the store.

`record_sms_up`: the buyers' replies (SmsUp). A reply that is an opt-out word (TD, R, 退订…) opts out every
buyer key behind that phone (`contacts`), forever; the phone is used to find them and is never kept —
`opt_outs` holds the buyer key, the channel, the word and when. `record_sms_reports`: delivery reports
(SmsReport). A message the outbox has as sent that the carrier could not deliver becomes failed with the
carrier's code (`senders.delivery_failed <code>`), shown in the war room; a delivered one stays sent.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from dachu.data import recipients
from dachu.ops.senders.aliyun_sms import parse_sms_reports, parse_sms_up


def record_sms_up(con: duckdb.DuckDBPyConnection, body: bytes | str, now: dt.datetime) -> int:
    """Opt-outs from the pushed replies; how many buyer keys were opted out."""
    words = [r for r in parse_sms_up(body) if r.opt_out]
    if not words:
        return 0
    behind = recipients.buyers_of_phones(con, [r.phone for r in words])
    rows = [
        (buyer, "sms", r.content.strip().upper(), now)
        for r in words
        for buyer in sorted(behind.get(r.phone, ()))
    ]
    return recipients.record_opt_outs(con, rows)


def record_sms_reports(con: duckdb.DuckDBPyConnection, body: bytes | str, now: dt.datetime) -> int:
    """Undelivered messages marked failed from the pushed delivery reports; how many rows changed."""
    failed = [o for o in parse_sms_reports(body) if o.status == "failed"]
    if not failed:
        return 0
    table = pa.table({"k": [o.key for o in failed], "reason": [o.reason for o in failed]})
    con.register("_reports", table)
    try:
        changed = con.execute(
            "UPDATE outbox SET state = 'failed', state_reason = r.reason, finished_at = ? FROM _reports r "
            "WHERE outbox.key = r.k AND outbox.state = 'sent' RETURNING 1",
            [now],
        ).fetchall()
    finally:
        con.unregister("_reports")
    return len(changed)
