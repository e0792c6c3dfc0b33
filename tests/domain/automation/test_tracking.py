"""Parcel tracking read as milestones (`dachu.domain.automation.tracking`), on hand-worked tracks."""

from __future__ import annotations

import datetime as dt

import pytest

from dachu.domain.automation.tracking import TrackingEvent, in_city, milestones, stage


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("1001", "在途", "arrived_city"),  # kuaidi100's 到达派件城市: the code decides, not the coarse name
        ("501", "投柜或驿站", "out_for_delivery"),
        ("304", "投柜或站签收", "delivered"),
        ("204", "派件异常", "exception"),
        ("14", "拒签", "exception"),
        ("6", "退回", "exception"),
        ("1002", "干线", "in_transit"),
        ("0", "在途", "in_transit"),
        ("", "派件异常", "exception"),  # a file with names only
        ("", "到达派件城市", "arrived_city"),
        ("", "已签收", "delivered"),
        ("", "运输中", "in_transit"),  # a name no tracker table has: in transit, never an exception
        (None, None, "in_transit"),
    ],
)
def test_stage_by_code_then_name(code: str | None, status: str | None, expected: str) -> None:
    assert stage(code, status) == expected


@pytest.mark.parametrize(
    ("area", "city", "expected"),
    [
        ("广东,深圳市", "深圳市", True),
        ("广东,深圳市", "深圳", True),
        ("深圳市南山区", "深圳市", True),
        ("【深圳市】", "深圳", True),
        ("广东,广州市", "深圳市", False),
        ("吉林省,长春市", "吉林市", False),  # the province of the same name is not the city
        ("吉林省,吉林市", "吉林市", True),
        ("", "深圳市", False),
        ("广东,深圳市", "", False),
    ],
)
def test_an_events_place_in_the_buyers_city(area: str, city: str, expected: bool) -> None:
    assert in_city(area, city) is expected


def at(hour: int, minute: int = 0, day: int = 12) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute)


def test_arrival_is_the_first_event_that_says_so_or_is_in_the_city() -> None:
    track = [
        TrackingEvent(at(1), "1002", "干线", "浙江,杭州市"),
        TrackingEvent(at(9), "0", "在途", "广东,深圳市"),  # in the buyer's city: arrived here
        TrackingEvent(at(11), "1001", "到达派件城市", "广东,深圳市"),
        TrackingEvent(at(14), "5", "派件", "广东,深圳市"),
    ]
    assert milestones(reversed(track), "深圳市").arrived_at == at(9)  # order of the events does not matter
    assert milestones(track, "").arrived_at == at(11)  # city unknown: the tracker's own 1001
    assert milestones(track[:1] + track[3:], "").arrived_at == at(14)  # out for delivery: it is in the city


def test_the_first_exception_and_its_name_and_the_delivery() -> None:
    track = [
        TrackingEvent(at(9), "1001", "到达派件城市", "广东,深圳市"),
        TrackingEvent(at(15), "204", "派件异常", "广东,深圳市"),
        TrackingEvent(at(16), "206", "无法联系", "广东,深圳市"),
        TrackingEvent(at(10, day=13), "301", "本人签收", "广东,深圳市"),
    ]
    m = milestones(track, "深圳")
    assert (m.exception_at, m.problem, m.delivered_at) == (at(15), "派件异常", at(10, day=13))
    assert milestones(track[:1], "深圳").exception_at is None
