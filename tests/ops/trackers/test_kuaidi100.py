"""快递100's subscription push read as tracking events: its signature and its track."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dachu.ops.trackers.kuaidi100 import BadPush, parse_push, sign, signed


def test_the_signature_is_upper_case_md5_of_param_then_salt() -> None:
    # RFC 1321's test suite: MD5("abc") = 900150983cd24fb0d6963f7d28e17f72
    assert sign("ab", "c") == "900150983CD24FB0D6963F7D28E17F72"
    assert signed("ab", "900150983cd24fb0d6963f7d28e17f72", "c")  # the case the tracker sends is not ours
    assert not signed("ab", "900150983CD24FB0D6963F7D28E17F72", "d")


def push(data: list[dict[str, str]], state: str = "0", status: str = "polling") -> str:
    return json.dumps({"status": status, "message": "", "autoCheck": "0", "lastResult": {
        "message": "ok", "state": state, "status": "200", "ischeck": "0", "com": "shentong", "nu": "773000000001",
        "data": data}}, ensure_ascii=False)


def test_a_push_is_its_events_oldest_first_without_their_free_text() -> None:
    param = push([
        {"context": "【深圳市】快递员测试员（10000000000）正在派件", "time": "2026-11-12 14:00:00",
         "ftime": "2026-11-12 14:00:00", "status": "派件", "statusCode": "5", "areaName": "广东,深圳市"},
        {"context": "到达【深圳转运中心】", "time": "2026-11-12 09:00:00", "ftime": "2026-11-12 09:00:00",
         "status": "到达派件城市", "statusCode": "1001", "areaName": "广东,深圳市"},
    ], state="5")
    status, events = parse_push(param)
    assert status == "polling" and [e.code for e in events] == ["1001", "5"]
    first = events[0]
    assert (first.tracking_no, first.carrier, first.event_at, first.area) == (
        "773000000001", "shentong", dt.datetime(2026, 11, 12, 9), "广东,深圳市")
    assert "10000000000" not in repr(events) and "快递员" not in repr(events)


def test_a_push_without_states_per_event_gives_the_newest_the_parcels_state() -> None:
    _, events = parse_push(push([
        {"context": "拒收", "ftime": "2026-11-13 10:00:00"},
        {"context": "在途", "ftime": "2026-11-12 10:00:00"},
    ], state="14"))
    assert [(e.code, e.status) for e in events] == [("", ""), ("14", "拒签")]


@pytest.mark.parametrize("param", ["not json", "[]", json.dumps({"lastResult": {"nu": ""}}),
                                   push([{"ftime": "yesterday"}])])
def test_what_is_not_a_push_is_refused(param: str) -> None:
    with pytest.raises(BadPush):
        parse_push(param)
