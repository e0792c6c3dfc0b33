"""Parcel tracking (物流轨迹) read as milestones: when a parcel reached the buyer's city, when it hit a problem.

A tracking event has the tracker's state code and name (kuaidi100's `resultv2=4` states, the ones most
Chinese trackers copy) and the place it happened. `stage(code, status)` says what it means:

- `arrived_city` (到达派件城市, kuaidi100 1001), `out_for_delivery` (派件 5, 投柜或驿站 501),
  `delivered` (签收 3, 301–304);
- `exception` (物流异常): 疑难 2 and its kinds 201–210 (超时未签收, 超时未更新, 拒收, 派件异常,
  柜或驿站超时未取, 无法联系, 超区, 滞留, 破损, 销单), 退签 4/401, 退回 6, 拒签 14, 清关异常 13;
- `in_transit` for everything else (揽收, 在途, 干线, 转递, 转投, 清关…).

The code decides when there is one; without it (a file with names only) the name does, so `派件异常`
is an exception whatever tracker wrote it.

`milestones(events, city)`: the parcel reached the buyer's city at the first event that says so
(`arrived_city`), or whose place is the buyer's city (the order's shipping city, `orders.city`: 深圳 matches
广东,深圳市), or that is out for delivery (it must be in the city to be delivered from it) — the earliest of
these; the first exception and its name; the first delivery. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Stage = Literal["in_transit", "arrived_city", "out_for_delivery", "delivered", "exception"]

_BY_CODE: dict[str, Stage] = {
    "1001": "arrived_city",
    "5": "out_for_delivery",
    "501": "out_for_delivery",
    "3": "delivered",
    "301": "delivered",
    "302": "delivered",
    "303": "delivered",
    "304": "delivered",
    "2": "exception",
    **{str(c): "exception" for c in range(201, 211)},
    "4": "exception",
    "401": "exception",
    "6": "exception",
    "13": "exception",
    "14": "exception",
}
"""kuaidi100's state codes (订阅推送 `resultv2=4`) that are more than in transit."""

_BY_NAME: dict[str, Stage] = {
    "到达派件城市": "arrived_city",
    "派件": "out_for_delivery",
    "派件中": "out_for_delivery",
    "投柜或驿站": "out_for_delivery",
    "已放入快递柜或驿站": "out_for_delivery",
    "签收": "delivered",
    "已签收": "delivered",
    "本人签收": "delivered",
    "派件异常后签收": "delivered",
    "代签": "delivered",
    "投柜或站签收": "delivered",
    "疑难": "exception",
    "问题件": "exception",
    "超时未签收": "exception",
    "超时未更新": "exception",
    "拒收": "exception",
    "派件异常": "exception",
    "柜或驿站超时未取": "exception",
    "无法联系": "exception",
    "超区": "exception",
    "滞留": "exception",
    "破损": "exception",
    "销单": "exception",
    "退签": "exception",
    "已销单": "exception",
    "退回": "exception",
    "拒签": "exception",
    "清关异常": "exception",
}
"""The same states by name, for trackers and files that give no code."""


_NAMES: dict[str, str] = {
    "0": "在途", "1": "揽收", "1001": "到达派件城市", "1002": "干线", "1003": "转递", "5": "派件", "501": "投柜或驿站",
    "3": "签收", "301": "本人签收", "302": "派件异常后签收", "303": "代签", "304": "投柜或站签收", "2": "疑难",
    "201": "超时未签收", "202": "超时未更新", "203": "拒收", "204": "派件异常", "205": "柜或驿站超时未取",
    "206": "无法联系", "207": "超区", "208": "滞留", "209": "破损", "210": "销单", "4": "退签", "401": "已销单",
    "6": "退回", "7": "转投", "8": "清关", "13": "清关异常", "14": "拒签",
}
"""kuaidi100's names of its state codes (what a buyer reads in `{problem}`)."""


def name_of(code: str) -> str:
    """The tracker's name of a state code (`204` → 派件异常); the code itself when unknown."""
    return _NAMES.get(code.strip(), code.strip())


def stage(code: str | None, status: str | None) -> Stage:
    """What a tracking event means (see the module docstring): by its code when known, else by its name."""
    found = _BY_CODE.get((code or "").strip())
    if found is not None:
        return found
    return _BY_NAME.get((status or "").strip(), "in_transit")


@dataclass(frozen=True)
class TrackingEvent:
    """One event of a parcel's track, as stored in `shipment_events` (its free text is not kept)."""

    at: dt.datetime
    code: str
    status: str
    area: str


@dataclass(frozen=True)
class Milestones:
    """A parcel's milestones from its track (None when the track does not show them).

    `arrived_at`: when it reached the buyer's city; `exception_at` and `problem`: its first exception and the
    tracker's name for it (派件异常); `delivered_at`: its first delivery event.
    """

    arrived_at: dt.datetime | None = None
    exception_at: dt.datetime | None = None
    problem: str = ""
    delivered_at: dt.datetime | None = None


def city_name(name: str) -> str:
    """A city as places are compared: `深圳市` and `深圳` are the same city (the 市/地区/盟 suffix dropped)."""
    text = name.strip()
    for suffix in ("市", "地区", "盟", "自治州"):
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def in_city(area: str, city: str) -> bool:
    """Whether an event's place (`广东,深圳市`, `深圳市南山区`, `【深圳市】`) is in the buyer's city."""
    wanted = city_name(city)
    if not wanted or not area:
        return False
    parts = [p.strip() for p in area.replace("，", ",").replace("【", ",").replace("】", ",").split(",")]
    # a province is never the city (吉林省 is not 吉林市); a place may run on into its district (深圳市南山区)
    return any(
        p and not p.endswith("省") and (city_name(p) == wanted or p.startswith(wanted + "市")) for p in parts
    )


def milestones(events: Iterable[TrackingEvent], city: str) -> Milestones:
    """A parcel's milestones from its events (any order) and the buyer's city ("" when unknown)."""
    arrived: dt.datetime | None = None
    exception: tuple[dt.datetime, str] | None = None
    delivered: dt.datetime | None = None
    for e in sorted(events, key=lambda e: e.at):
        kind = stage(e.code, e.status)
        reached = kind in ("arrived_city", "out_for_delivery") or (kind == "in_transit" and in_city(e.area, city))
        if reached and arrived is None:
            arrived = e.at
        if kind == "exception" and exception is None:
            exception = (e.at, e.status.strip())
        if kind == "delivered" and delivered is None:
            delivered = e.at
    return Milestones(
        arrived_at=arrived,
        exception_at=exception[0] if exception else None,
        problem=exception[1] if exception else "",
        delivered_at=delivered,
    )
