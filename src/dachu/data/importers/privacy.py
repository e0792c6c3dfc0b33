"""Masking personal data (个人信息脱敏) in what the quarantine keeps and `dachu import --rejected` shows.

A rejected row is kept so the user can find and fix it: the file and line say where it is, so the raw
value need not show a buyer's name, phone or address in clear. Masks, by the column's header:
- phone (联系手机, Shipping Phone…): a mobile keeps its first 3 and last 4 digits (138****1234); any
  other run of 7 or more digits keeps its last 4 (****6666);
- name (收货人姓名, Shipping Name, 发票抬头…) and account (买家会员名, Email…): the first character, then
  `**` (测**, t**@example.com);
- address (收货地址, 客户地址, Shipping Address1…): the first two words (province and city), then `***`;
  an address without spaces keeps its first 3 characters.
Every other value (dates, amounts, ids: what the user must see to fix the row) is kept, with any mobile
number in it masked as a phone. A whole row (too short or too long) is masked field by field.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Literal

PersonalKind = Literal["phone", "name", "account", "address"]

PERSONAL_HEADERS: dict[str, PersonalKind] = {
    # Tmall/Taobao 订单报表
    "买家会员名": "account",
    "买家支付宝账号": "account",
    "收货人姓名": "name",
    "收货地址": "address",
    "修改后的收货地址": "address",
    "联系电话": "phone",
    "联系手机": "phone",
    "发票抬头": "name",
    # JD
    "下单帐号": "account",
    "客户姓名": "name",
    "客户地址": "address",
    # Shopify
    "Email": "account",
    "Billing Name": "name",
    "Billing Street": "address",
    "Billing Address1": "address",
    "Billing Address2": "address",
    "Billing Phone": "phone",
    "Shipping Name": "name",
    "Shipping Street": "address",
    "Shipping Address1": "address",
    "Shipping Address2": "address",
    "Shipping Phone": "phone",
    "Phone": "phone",
    # generic files in canonical names (cs_sessions' buyer account)
    "buyer": "account",
}
"""Header names of personal columns in the exports, and how each is masked."""

_MOBILE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")
_DIGITS = re.compile(r"\d{3,}(\d{4})")
_MOBILE_SQL = r"(^|\D)(1\d{2})\d{4}(\d{4})(\D|$)"


def _mobiles(text: str) -> str:
    return _MOBILE.sub(r"\1****\2", text)


def mask_value(kind: PersonalKind | None, text: str) -> str:
    """`text` masked as a value of a column of `kind` (None: not personal, only mobiles masked)."""
    text = text.strip() if kind else text
    if not text:
        return text
    if kind == "phone":
        return _DIGITS.sub(r"****\1", _mobiles(text))
    if kind in ("name", "account"):
        at = text.find("@", 1)  # an e-mail keeps its domain
        return text[0] + "**" + (text[at:] if at > 0 else "")
    if kind == "address":
        words = text.split()
        return f"{words[0]} {words[1]} ***" if len(words) >= 3 else text[:3] + "***"
    return _mobiles(text)


def mask_cell(header: str, text: str) -> str:
    """A raw value of the column named `header`, masked for display or storage."""
    return mask_value(PERSONAL_HEADERS.get(header.strip()), text)


def mask_for_display(column: str, text: str) -> str:
    """A quarantined value as shown to a user: masked by its column, then every mobile number as 138****1234.

    Masking by column again covers a store written before values were masked on the way in.
    """
    return _mobiles(mask_cell(column, text) if column else text)


def mask_line(text: str, header: list[str]) -> str:
    """A whole raw row (CSV text) with each field masked by the header at its position."""
    try:
        fields = next(csv.reader([text]), [])
    except csv.Error:
        return _DIGITS.sub(r"****\1", _mobiles(text))  # not even CSV: mask every long digit run
    masked = [mask_cell(header[i] if i < len(header) else "", v) for i, v in enumerate(fields)]
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(masked)
    return out.getvalue()


def mask_sql(kind: PersonalKind | None, expr: str) -> str:
    """SQL for `mask_value(kind, expr)` (`expr` is text; NULL stays NULL)."""
    mobiles = f"regexp_replace({expr}, '{_MOBILE_SQL}', '\\1\\2****\\3\\4', 'g')"
    if kind is None:
        return mobiles
    v = f"trim({expr})"
    if kind == "phone":
        inner = f"regexp_replace({v}, '{_MOBILE_SQL}', '\\1\\2****\\3\\4', 'g')"
        return f"regexp_replace({inner}, '\\d{{3,}}(\\d{{4}})', '****\\1', 'g')"
    if kind in ("name", "account"):
        return f"CASE WHEN {v} = '' THEN {v} ELSE regexp_replace({v}, '^(.)[^@]*', '\\1**') END"
    words = f"string_split_regex({v}, '\\s+')"
    return (
        f"CASE WHEN {v} = '' THEN {v} WHEN len({words}) >= 3 THEN {words}[1] || ' ' || {words}[2] || ' ***' "
        f"ELSE left({v}, 3) || '***' END"
    )


def mask_sql_by_header(header_expr: str, expr: str, headers: list[str]) -> str:
    """SQL masking `expr` by the header name in `header_expr` (one of `headers`), for broken cells."""
    whens = []
    kinds: tuple[PersonalKind, ...] = ("phone", "name", "account", "address")
    for kind in kinds:
        names = sorted({h for h in headers if PERSONAL_HEADERS.get(h) == kind})
        if names:
            quoted = ", ".join("'" + n.replace("'", "''") + "'" for n in names)
            whens.append(f"WHEN {header_expr} IN ({quoted}) THEN {mask_sql(kind, expr)}")
    if not whens:
        return mask_sql(None, expr)
    return f"CASE {' '.join(whens)} ELSE {mask_sql(None, expr)} END"
