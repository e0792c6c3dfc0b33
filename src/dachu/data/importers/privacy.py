"""Masking personal data (个人信息脱敏) in what the quarantine keeps and `dachu import --rejected` shows.

A rejected row is kept so the user can find and fix it: the file and line say where it is, so the raw
value need not show a buyer's name, phone or address in clear. Every value is masked by its content
(`dachu.domain.privacy.mask_personal`: mobiles in any spacing or prefix, landlines, ID numbers, addresses,
labelled names, e-mails), wherever it sits; a value of a known personal column is masked by the column's
header as well:
- phone (联系手机, Shipping Phone…): a mobile keeps its first 3 and last 4 digits (138****1234); any
  other run of 7 or more digits keeps its last 4 (****6666);
- name (收货人姓名, Shipping Name, 发票抬头…) and account (买家会员名, Email…): the first character, then
  `**` (测**, t**@example.com);
- address (收货地址, 客户地址, Shipping Address1…): the first two words (province and city), then `***`;
  an address without spaces keeps its first 3 characters;
- free text (买家留言, 卖家备注…): by content only (a name, a landline and an address inside are found).
Every other value (dates, amounts, ids: what the user must see to fix the row) keeps what is not personal.
A whole row (too short or too long) is masked field by field; as its fields may have shifted from their
header (an address holding a comma makes the row long), a field near a personal column is masked as a name.
The one place rejected values are masked on their way into the quarantine is the `dachu_mask(column, raw)`
SQL function (`register_mask`), so nothing personal is written, even inside the import's transaction.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Literal

import duckdb

from dachu.domain.privacy import mask_personal

try:
    from duckdb.func import FunctionNullHandling
except ImportError:  # DuckDB before 2.0
    from duckdb.functional import FunctionNullHandling  # type: ignore[no-redef]

PersonalKind = Literal["phone", "name", "account", "address", "free_text"]

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
    # free text a buyer or the shop writes: names, landlines and addresses inside, found by content
    "买家留言": "free_text",
    "卖家备注": "free_text",
    "买家备注": "free_text",
    "订单备注": "free_text",
    "备注": "free_text",
    "客户备注": "free_text",
    "Notes": "free_text",
    "Note Attributes": "free_text",
    # generic files in canonical names (cs_sessions' buyer account)
    "buyer": "account",
    "buyer_account": "account",
    "receiver_name": "name",
    "phone": "phone",
    "mobile": "phone",
    "address_raw": "address",
}
"""Header names of personal columns in the exports, and how each is masked."""

_MOBILE = re.compile(r"(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)")
_DIGITS = re.compile(r"\d{3,}(\d{4})")


def _mobiles(text: str) -> str:
    return _MOBILE.sub(r"\1****\2", text)


def mask_value(kind: PersonalKind | None, text: str) -> str:
    """`text` masked as a value of a column of `kind` (None or free text: masked by its content only)."""
    text = text.strip() if kind and kind != "free_text" else text
    if not text:
        return text
    if kind == "phone":
        return _DIGITS.sub(r"****\1", _mobiles(mask_personal(text)))
    if kind in ("name", "account"):
        at = text.find("@", 1)  # an e-mail keeps its domain
        return text[0] + "**" + (text[at:] if at > 0 else "")
    if kind == "address":
        words = text.split()
        return f"{words[0]} {words[1]} ***" if len(words) >= 3 else text[:3] + "***"
    return mask_personal(text)


def mask_cell(header: str, text: str) -> str:
    """A raw value of the column named `header`, masked for display or storage (by header and content)."""
    return mask_value(PERSONAL_HEADERS.get(header.strip()), text)


def mask_for_display(column: str, text: str) -> str:
    """A quarantined value as shown to a user: masked by its column and its content.

    Masking again covers a store written before values were masked on the way in (or by content).
    """
    return mask_cell(column, text) if column else mask_line(text, [])


_PERSONAL = ("phone", "name", "account", "address")


def mask_line(text: str, header: list[str]) -> str:
    """A whole raw row (CSV text) with each field masked by content and by the headers it may belong to.

    A row with k fields more than the header (a comma inside an address, a name) may have shifted by up to
    k places: a field up to k places after a personal column, holding letters or Han characters, keeps only
    its first character. A short row is cut at its end: its fields are where the header says.
    """
    try:
        fields = next(csv.reader([text]), [])
    except csv.Error:
        return _DIGITS.sub(r"****\1", mask_personal(text))  # not even CSV: mask every long digit run
    shift = max(0, len(fields) - len(header)) if header else 0
    masked = []
    for i, value in enumerate(fields):
        own = header[i] if i < len(header) else ""
        near = {PERSONAL_HEADERS.get(header[j]) for j in range(max(0, i - shift), min(len(header), i + 1))}
        if shift and near & set(_PERSONAL) and _WORDS.search(value):
            masked.append(mask_value("name", value))
        else:
            masked.append(mask_cell(own, value))
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(masked)
    return out.getvalue()


_WORDS = re.compile(r"[A-Za-z\u4e00-\u9fff]")

MASK_FUNCTION = "dachu_mask"


def _mask_udf(column: str | None, raw: str | None) -> str | None:
    if raw is None:
        return None
    return mask_cell(column, raw) if column else mask_line(raw, [])


def register_mask(con: duckdb.DuckDBPyConnection) -> None:
    """Make `dachu_mask(column, raw)` (= `mask_cell`; a whole row by content) callable on `con`, once."""
    try:
        con.create_function(
            MASK_FUNCTION, _mask_udf, ["VARCHAR", "VARCHAR"], "VARCHAR", null_handling=FunctionNullHandling.SPECIAL
        )
    except duckdb.NotImplementedException:  # registered before on this connection
        pass
