"""What the SMS provider pushes back, into the store: buyers' replies (上行短信) and delivery reports (短信回执).

`record_sms_up(con, body, now)`: the provider's SmsUp push. A reply that is an opt-out word (TD, R, 退订…,
`parse_sms_up`) opts out every buyer key whose contact has that phone (one phone may be behind several
buyer keys: a family's shared number, an account re-registered); other replies (你好, 什么时候发货) opt no
one out and are not kept. The phone is used only to find the buyer keys: `opt_outs` holds the buyer key,
the channel (`sms`), the reply word (trimmed, upper-cased: `td` → TD) and `now`, never the number.

`record_sms_reports(con, body, now)`: the provider's SmsReport push. A report that a message was not
delivered (`success: false`) turns its outbox row (matched by `key` = the report's `out_id`) from `sent`
into `failed`, reason `senders.delivery_failed <carrier code>`, finished at `now`; a delivered report
leaves it sent. A report for a key the outbox does not have, or for a row not `sent`, changes nothing.

Both take the push's raw body (JSON) and return how many rows they wrote; both may be given the same push
twice (the provider retries a push it thinks was lost) without writing anything twice.
"""

from __future__ import annotations

import datetime as dt
import logging

import duckdb
import pyarrow as pa

from dachu.data.recipients import buyers_of_phones, opted_out, record_opt_outs
from dachu.ops.senders.aliyun_sms import parse_sms_reports, parse_sms_up

log = logging.getLogger("dachu.ops.replies")

_CHINA_PREFIXES = ("+86", "0086", "86")


def _local_number(phone: str) -> str:
    """A mainland number without its country code (`+8613800138000` → `13800138000`), as contacts hold it."""
    bare = phone.strip().replace(" ", "").replace("-", "")
    for prefix in _CHINA_PREFIXES:
        if bare.startswith(prefix) and len(bare) - len(prefix) == 11:
            return bare[len(prefix) :]
    return bare


def record_sms_up(con: duckdb.DuckDBPyConnection, body: bytes | str, now: dt.datetime) -> int:
    """Record the opt-outs in an SmsUp push, by buyer key; how many buyer keys were newly opted out.

    `now` is the shop time the push arrived, kept as `replied_at` (the provider's `send_time` is on the
    provider's clock). A buyer already opted out is not recorded again.
    """
    words: dict[str, str] = {}  # local number → the first opt-out word it sent in this push
    for reply in parse_sms_up(body):
        if reply.opt_out and reply.phone:
            words.setdefault(_local_number(reply.phone), reply.content.strip().upper())
    if not words:
        return 0
    found = buyers_of_phones(con, list({*words, *(f"+86{p}" for p in words)}))
    rows: dict[str, str] = {}  # buyer key → reply word
    for phone, keys in found.items():
        for key in keys:
            rows.setdefault(key, words[_local_number(phone)])
    already = opted_out(con, list(rows))
    written = record_opt_outs(
        con, [(key, "sms", word, now) for key, word in sorted(rows.items()) if key not in already]
    )
    log.info("sms replies: %d opt-out replies, %d buyer keys newly opted out", len(words), written)
    return written


def record_sms_reports(con: duckdb.DuckDBPyConnection, body: bytes | str, now: dt.datetime) -> int:
    """Turn the `sent` outbox rows an SmsReport push says were not delivered into `failed`; how many."""
    failures: dict[str, str] = {}
    for outcome in parse_sms_reports(body):
        if outcome.status == "failed" and outcome.reason:
            failures.setdefault(outcome.key, outcome.reason)
    if not failures:
        return 0
    table = pa.table(
        {"key": pa.array(list(failures), pa.string()), "reason": pa.array(list(failures.values()), pa.string())}
    )
    con.register("_reports", table)
    try:
        changed = con.execute(
            "UPDATE outbox SET state = 'failed', state_reason = r.reason, finished_at = ? "
            "FROM _reports r WHERE outbox.key = r.key AND outbox.state = 'sent' RETURNING outbox.key",
            [now],
        ).fetchall()
    finally:
        con.unregister("_reports")
    log.info("sms delivery reports: %d not delivered, %d sent messages marked failed", len(failures), len(changed))
    return len(changed)
