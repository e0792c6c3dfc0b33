"""Personal data found by content (个人信息识别): mobile and landline numbers, ID card numbers, street addresses.

The war room's free-text fields (a buyer key, a source, a channel) must never carry a person's name,
phone or address; a sender that puts `张三 13812345678 北京市朝阳区…` in a buyer key is refused with the
field named. Detection is by content, not by the field's name, and errs on the side of what is surely
personal:

- an 11-digit mobile starting 13–19 standing on its own (not inside a longer number such as an order id,
  nor glued to letters as in a hex hash), or a landline with its area code;
- an 18-character resident ID whose check digit is right (GB 11643);
- an address: a province followed by a city, district or county; a street and house number; or the
  English "12 Main Street" form.

Names alone cannot be told from a shop's own words, so they are not guessed at; `mask_personal` (what
the quarantine keeps of a rejected row) also masks a name after a label (收件人：…, 联系人…) and e-mails.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

PersonalKind = Literal["phone", "id_number", "address"]

# A number counts only standing on its own (not glued to letters or digits): a hex hash such as a buyer key
# `a13812345678bcde` holds an 11-digit run now and then, and is not a phone.
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9A-Za-z])")
# a landline with its area code: 0571-88886666, (010) 6666 8888, 021 6666-8888
_LANDLINE = re.compile(r"(?<![0-9A-Za-z])(?:\(0\d{2,3}\)\s?|0\d{2,3}[- ])\d{3,4}[- ]?\d{4}(?![0-9A-Za-z])")
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_HAN = r"[\u4e00-\u9fff]"
_PROVINCES = (
    "北京|上海|天津|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|"
    "云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_ADDRESS = (
    re.compile(rf"(?:{_PROVINCES})(?:省|市|自治区|特别行政区|壮族自治区|回族自治区|维吾尔自治区)?{_HAN}{{1,8}}?(?:区|县|市|旗)"),
    re.compile(rf"{_HAN}+?(?:路|街|道|巷|弄|胡同)\s*\d+\s*(?:号|弄|栋|幢)"),
    re.compile(r"\b\d{1,5}\s+\w+(?:\s\w+)?\s(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Boulevard|Blvd)\b\.?", re.I),
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_number_valid(text: str) -> bool:
    """Whether `text` is an 18-character resident ID number with a right check digit (GB 11643-1999)."""
    if len(text) != 18 or not text[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(text[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == text[17].upper()


_NUMBERISH = re.compile(r"\d{7}|\d[- ]\d{4}")
"""What a phone or an ID number needs somewhere: 7 digits in a row, or digits split by a dash or a space."""
_SEVENTEEN = re.compile(r"\d{17}")
_WORDY = re.compile(r"[\u4e00-\u9fff]|\d\s+\w+\s")
"""What an address needs somewhere: a Han character, or a house number before a word."""


@functools.lru_cache(maxsize=1 << 16)
def personal_kind(text: str) -> PersonalKind | None:
    """The kind of personal data `text` carries (the first found), or None when it carries none.

    Text with neither a run of digits nor a word of an address (most ids and keys) is cleared in one scan;
    the answers for repeated values (sources, channels) are remembered.
    """
    if _NUMBERISH.search(text) is not None:
        if _MOBILE.search(text) or _LANDLINE.search(text):
            return "phone"
        if _SEVENTEEN.search(text) and any(id_number_valid(m.group(1)) for m in _ID.finditer(text)):
            return "id_number"
    if _WORDY.search(text) is not None and any(rx.search(text) for rx in _ADDRESS):
        return "address"
    return None
    if _MOBILE.search(text) or _LANDLINE.search(text):
        return "phone"
    if any(id_number_valid(m.group(1)) for m in _ID.finditer(text)):
        return "id_number"
    if any(rx.search(text) for rx in _ADDRESS):
        return "address"
    return None


_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_LABELLED_NAME = re.compile(
    r"(收件人|收货人|联系人|寄件人|姓名|寄给|收件|名字|Name)(\s*[:：]?\s*)"
    r"([\u4e00-\u9fff·]{2,4}|[A-Za-z]+(?: [A-Za-z]+)?)"
)
_PROVINCE_HEAD = re.compile(
    rf"(?:{_PROVINCES})(?:省|市|自治区|特别行政区|壮族自治区|回族自治区|维吾尔自治区)?"
)
_ADDRESS_LABEL = re.compile(r"(?:收货地址|详细地址|地址|寄到|寄往|寄至|送到|送至)[:：]?\s*")
_ADDRESS_END = re.compile(r"[\s，,;；。！!？?|/、)）]|$")
"""Where a masked address stops: the next punctuation or space (the rest of the text stays readable)."""


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _mask_mobile(m: re.Match[str]) -> str:
    digits = _digits(m.group(0))[-11:]
    prefix = m.group(0)[: len(m.group(0)) - len(m.group(0).lstrip("+86- "))] if m.group(0)[0] in "+8" else ""
    return f"{prefix}{digits[:3]}****{digits[-4:]}"


def _mask_landline(m: re.Match[str]) -> str:
    text = m.group(0)
    area = re.match(r"\(?0\d{2,3}\)?", text)
    return f"{area.group(0) if area else ''}-****{_digits(text)[-4:]}"


def _mask_addresses(text: str) -> str:
    """Every address in `text` cut after its province (浙江省***), or wholly (***) when it has none."""
    out, pos = [], 0
    while True:
        hits = [m for m in (rx.search(text, pos) for rx in _ADDRESS) if m]
        if not hits:
            break
        m = min(hits, key=lambda h: h.start())
        start = m.start()
        label = _ADDRESS_LABEL.match(text, start)
        start = label.end() if label else start
        head = _PROVINCE_HEAD.search(text, start, m.end())
        keep = head.end() if head and head.end() < m.end() else start
        end = _ADDRESS_END.search(text, m.end())
        stop = end.start() if end else len(text)
        out.append(text[pos:keep] + "***")
        pos = stop
    out.append(text[pos:])
    return "".join(out)


@functools.lru_cache(maxsize=1 << 14)
def mask_personal(text: str) -> str:
    """`text` with the personal data found in it masked, the rest left as written (so a row can be fixed).

    Mobiles keep 3 + 4 digits whatever their spacing or prefix (`+86 138 1234 5678` → `+86 138****5678`),
    landlines their area code and last 4 (`0571-****6666`), ID numbers their last 4 (`****002X`), e-mails
    their first character and domain, a labelled name its label and first character (收件人：张**), an
    address its province (浙江省***; `***` without one). Ids, dates and amounts are untouched: a number
    counts only standing on its own, as in `personal_kind`.
    """
    if not text:
        return text
    text = _EMAIL.sub(r"\1**\2", text)
    text = _LABELLED_NAME.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)[0]}**", text)
    if _NUMBERISH.search(text) is not None:
        text = _ID.sub(lambda m: f"****{m.group(1)[-4:]}" if id_number_valid(m.group(1)) else m.group(1), text)
        text = _MOBILE.sub(_mask_mobile, text)
        text = _LANDLINE.sub(_mask_landline, text)
    if _WORDY.search(text) is not None:
        text = _mask_addresses(text)
    return text
