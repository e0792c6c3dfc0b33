"""Alibaba Cloud SMS (阿里云短信服务, dysmsapi 2017-05-25) through its RPC HTTP API, signed as the provider signs.

`SendSms` per message (PhoneNumbers, SignName, TemplateCode, TemplateParam as JSON, OutId = the outbox key),
posted form-encoded to the endpoint. Signature v1 (the provider's "RPC signature"): sort every parameter but
`Signature`, percent-encode names and values (RFC 3986: only A–Z a–z 0–9 - _ . ~ stay literal, so a space is
%20, `*` is %2A), join as `k=v&...`, then `StringToSign = METHOD&%2F&percentEncode(that)` and
`Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))`. Every call carries a fresh
`SignatureNonce` (the provider refuses a reused one) and a UTC `Timestamp`.

Answers: `{"Code": "OK", "BizId": ...}` is `sent`; another code is `failed` with that code as the reason,
retryable for throttling and the provider's own faults (`isv.BUSINESS_LIMIT_CONTROL`, `Throttling*`,
`isp.SYSTEM_ERROR`, ...), not for a bad number or a bad signature. A network error or a timeout is `failed`
and retryable.

Reconcile (`reconcilable = True`): `QuerySendDetails` for the message's phone on the day it was called (the
provider's day, China time; the next day too when the call was within ten minutes of midnight), paged;
a record whose `OutId` is the key answers `sent` (SendStatus 1 waiting for the receipt, 3 delivered) or
`failed` (2), no record answers `unknown`.

The provider's pushed reports are parsed by `parse_sms_reports` (SmsReport: delivery receipts, keyed by
`out_id`) and `parse_sms_up` (SmsUp: the buyers' replies; `opt_out` marks TD/R/退订, which the caller records).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from dachu.ops.senders.base import Outcome, Outgoing
from dachu.ops.senders.common import LoopThread, failed, log, scrub
from dachu.ops.senders.http_pool import HttpError, KeepAlivePool

ENDPOINT = "https://dysmsapi.aliyuncs.com/"
VERSION = "2017-05-25"
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
RETRYABLE_CODES = frozenset(
    {
        "isv.BUSINESS_LIMIT_CONTROL",  # the provider's per-number flow control: later is fine
        "isp.SYSTEM_ERROR",
        "isp.GATEWAY_ERROR",
        "Throttling",
        "Throttling.User",
        "Throttling.Api",
        "ServiceUnavailable",
        "InternalError",
        "SignatureNonceUsed",  # a fresh nonce is drawn on the next try
        "InvalidTimeStamp.Expired",  # our clock: the next try has a new timestamp
    }
)
_FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
OPT_OUT_WORDS = frozenset({"TD", "T", "N", "R", "退订", "退", "取消"})
"""Replies that mean "stop sending me this" (回复 TD/R/退订), compared after trimming and upper-casing."""


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


def percent_encode(text: str) -> str:
    """The provider's percent-encoding: UTF-8, only A–Z a–z 0–9 - _ . ~ left as they are."""
    if _UNRESERVED.fullmatch(text):  # most values (keys, ids, nonces): nothing to encode
        return text
    return _encode_cached(text) if len(text) <= 64 else quote(text, safe="-_.~")


@lru_cache(maxsize=1024)
def _encode_cached(text: str) -> str:
    return quote(text, safe="-_.~")


def canonical_query(params: Mapping[str, str]) -> str:
    """Every parameter but `Signature`, percent-encoded, sorted by name and joined as `k=v&k=v`."""
    pairs = sorted((percent_encode(k), percent_encode(v)) for k, v in params.items() if k != "Signature")
    return "&".join(f"{k}={v}" for k, v in pairs)


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    """`METHOD&%2F&percentEncode(canonicalized query)`."""
    return _string_to_sign(method, canonical_query(params))


def _string_to_sign(method: str, canonical: str) -> str:
    # The canonical string holds only unreserved characters, `%`, `=` and `&`, so percent-encoding it
    # again is these three replacements (same result as `percent_encode`, without a per-character loop).
    return f"{method}&%2F&" + canonical.replace("%", "%25").replace("=", "%3D").replace("&", "%26")


def _sign(method: str, canonical: str, access_key_secret: str) -> str:
    mac = hmac.new(f"{access_key_secret}&".encode(), _string_to_sign(method, canonical).encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


def rpc_signature(method: str, params: Mapping[str, str], access_key_secret: str) -> str:
    """Base64(HMAC-SHA1(secret + "&", StringToSign)) — the value of the `Signature` parameter."""
    return _sign(method, canonical_query(params), access_key_secret)


def signed_form(method: str, params: Mapping[str, str], access_key_secret: str) -> bytes:
    """The request body: the canonical query (each value encoded once) plus its `Signature`."""
    canonical = canonical_query(params)
    return f"{canonical}&Signature={percent_encode(_sign(method, canonical, access_key_secret))}".encode()


_stamp_cache: tuple[int, str] = (0, "")


def utc_timestamp(now: dt.datetime | None = None) -> str:
    """ISO 8601 in UTC to the second, as the provider wants it: `2026-11-11T00:00:00Z`."""
    global _stamp_cache
    if now is not None:
        return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    second = int(time.time())
    if _stamp_cache[0] != second:  # one strftime a second, not one a message
        _stamp_cache = (second, dt.datetime.fromtimestamp(second, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return _stamp_cache[1]


@dataclass(frozen=True, slots=True)
class AliyunSmsSettings:
    """What the sender needs; the secret comes from the environment, never from the campaign file."""

    access_key_id: str
    access_key_secret: str
    sign_name: str
    region_id: str = "cn-hangzhou"
    endpoint: str = ENDPOINT
    concurrency: int = 64
    timeout_seconds: float = 10.0


class AliyunSmsSender:
    """SMS through Alibaba Cloud's `SendSms`; `reconcile` through `QuerySendDetails`."""

    channel = "sms"
    reconcilable = True
    needs_address = True

    def __init__(self, settings: AliyunSmsSettings) -> None:
        self.settings = settings
        self._loop = LoopThread("dachu-sms")
        self._pool: KeepAlivePool | None = None

    # -- the calls ---------------------------------------------------------------------------------------

    def _common(self, action: str) -> dict[str, str]:
        s = self.settings
        return {
            "AccessKeyId": s.access_key_id,
            "Action": action,
            "Format": "JSON",
            "RegionId": s.region_id,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": utc_timestamp(),
            "Version": VERSION,
        }

    async def _call(self, params: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if self._pool is None:
            self._pool = KeepAlivePool(
                self.settings.endpoint, size=self.settings.concurrency, timeout=self.settings.timeout_seconds
            )
        status, body = await self._pool.request(
            "POST", "/", _FORM_HEADERS, signed_form("POST", params, self.settings.access_key_secret)
        )
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        return status, data if isinstance(data, dict) else {}

    async def _send_one(self, message: Outgoing) -> Outcome:
        if not message.address:
            return failed(message.key, "senders.no_address", retryable=False)
        if not message.template_code:
            return failed(message.key, "senders.no_template", retryable=False)
        params = self._common("SendSms")
        params.update(
            PhoneNumbers=message.address,
            SignName=self.settings.sign_name,
            TemplateCode=message.template_code,
            TemplateParam=json.dumps(
                {k: v for k, v in message.params.items() if k != "order_ids"}, ensure_ascii=False, separators=(",", ":")
            ),
            OutId=message.key,
        )
        try:
            status, data = await self._call(params)
        except TimeoutError:
            return failed(message.key, "senders.timeout", retryable=True)
        except HttpError as exc:
            return failed(message.key, "senders.connection_lost" if exc.lost else "senders.unreachable", retryable=True)
        code = str(data.get("Code", ""))
        if code == "OK":
            return Outcome(key=message.key, status="sent", provider_id=str(data.get("BizId") or "") or None)
        if not code:
            reason = f"senders.http_error {status}" if status != 200 else "senders.bad_response"
            return failed(message.key, reason, retryable=status >= 500 or status == 429)
        return failed(message.key, scrub(code, message.address), retryable=code in RETRYABLE_CODES or status >= 500)

    async def _send_all(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._send_one(m) for m in batch)))

    def send(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """One `SendSms` per message, up to `concurrency` at once; one outcome per message, in order."""
        if not batch:
            return []
        return self._loop.run(self._send_all(batch))

    # -- reconcile ---------------------------------------------------------------------------------------

    async def _query_day(self, phone: str, day: dt.date) -> dict[str, Outcome]:
        """Every record of `phone` on `day`, as outcomes keyed by OutId (paged, 50 a page)."""
        found: dict[str, Outcome] = {}
        page = 1
        while True:
            params = self._common("QuerySendDetails")
            params.update(PhoneNumber=phone, SendDate=day.strftime("%Y%m%d"), PageSize="50", CurrentPage=str(page))
            status, data = await self._call(params)
            if data.get("Code") != "OK":
                raise HttpError(str(data.get("Code") or status), lost=False)
            records = (data.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
            for record in records:
                out_id = str(record.get("OutId") or "")
                if not out_id:
                    continue
                send_status = int(record.get("SendStatus") or 0)
                if send_status == 2:
                    code = str(record.get("ErrCode") or "")
                    found[out_id] = Outcome(
                        key=out_id, status="failed", reason=f"senders.delivery_failed {code}", retryable=False
                    )
                else:
                    found[out_id] = Outcome(key=out_id, status="sent")
            if not records or page * 50 >= int(data.get("TotalCount") or 0):
                return found
            page += 1

    async def _reconcile_one(self, message: Outgoing) -> Outcome:
        called = message.called_at or dt.datetime.now(dt.UTC)
        local = called.astimezone(CHINA) if called.tzinfo else called
        days = [local.date()]
        if local.hour == 23 and local.minute >= 50:
            days.append(local.date() + dt.timedelta(days=1))
        # the provider dates a record by its own clock: when dachu ran at another time (`--now`), ask today too
        today = dt.datetime.now(CHINA).date()
        if today not in days:
            days.append(today)
        for day in days:
            try:
                records = await self._query_day(message.address, day)
            except (TimeoutError, HttpError) as exc:
                # The provider could not be asked: not "unknown" (that would allow a second call).
                reason = "senders.timeout" if isinstance(exc, TimeoutError) else scrub(str(exc), message.address)
                return failed(message.key, reason, retryable=True)
            if message.key in records:
                outcome = records[message.key]
                return Outcome(key=message.key, status=outcome.status, reason=outcome.reason)
        return Outcome(key=message.key, status="unknown")

    async def _reconcile_all(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._reconcile_one(m) for m in batch)))

    def reconcile(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """What the provider recorded for each key: `sent`/`failed`, `unknown` where it has no record.

        When the provider cannot be asked the outcome is `failed` retryable with the reason: the outbox keeps
        the message until a later reconcile can tell.
        """
        if not batch:
            return []
        log.info("reconciling %d SMS message(s)", len(batch))
        return self._loop.run(self._reconcile_all(batch))

    def close(self) -> None:
        """Close the connections and the private loop."""
        pool = self._pool
        self._loop.close(pool.aclose() if pool is not None else None)


# -- what the provider pushes -------------------------------------------------------------------------------


def parse_sms_reports(body: bytes | str) -> list[Outcome]:
    """SmsReport (短信回执), a JSON array pushed by the provider, as outcomes keyed by `out_id`.

    `success: true` is `sent` (delivered, `provider_id` = biz_id); false is `failed` with the carrier's
    `err_code` (not retryable: the provider had the message). Reports without an `out_id` are skipped.
    """
    data = json.loads(body)
    outcomes: list[Outcome] = []
    for item in data if isinstance(data, list) else []:
        out_id = str(item.get("out_id") or "")
        if not out_id:
            continue
        biz_id = str(item.get("biz_id") or "") or None
        if item.get("success") is True or str(item.get("success")).lower() == "true":
            outcomes.append(Outcome(key=out_id, status="sent", provider_id=biz_id))
        else:
            code = scrub(str(item.get("err_code") or ""), str(item.get("phone_number") or ""))
            outcomes.append(
                Outcome(key=out_id, status="failed", provider_id=biz_id, reason=f"senders.delivery_failed {code}")
            )
    return outcomes


@dataclass(frozen=True, slots=True)
class SmsReply:
    """A buyer's reply (上行短信). `phone` is personal data: keep it in memory, record the opt-out by it."""

    phone: str
    content: str
    send_time: str
    sign_name: str
    opt_out: bool

    def __repr__(self) -> str:
        return f"SmsReply(phone=***, opt_out={self.opt_out}, send_time={self.send_time!r})"


def parse_sms_up(body: bytes | str) -> list[SmsReply]:
    """SmsUp, a JSON array pushed by the provider: the buyers' replies, `opt_out` for TD/R/退订 and the like."""
    data = json.loads(body)
    replies: list[SmsReply] = []
    for item in data if isinstance(data, list) else []:
        content = str(item.get("content") or "")
        replies.append(
            SmsReply(
                phone=str(item.get("phone_number") or ""),
                content=content,
                send_time=str(item.get("send_time") or ""),
                sign_name=str(item.get("sign_name") or ""),
                opt_out=content.strip().upper() in OPT_OUT_WORDS,
            )
        )
    return replies
