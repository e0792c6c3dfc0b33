"""A mis-dated event: outside the campaign's days it is refused by name; on a later day it never moves the clock."""

from __future__ import annotations

import json

import httpx

from tests.web.conftest import INGEST, Server, at

BEARER = {"Authorization": f"Bearer {INGEST}"}


def _post(srv: Server, events: list[dict[str, object]]) -> httpx.Response:
    return httpx.post(f"{srv.url}/api/events", content=json.dumps(events).encode(), headers=BEARER, timeout=30)


def test_an_event_outside_the_campaigns_days_refuses_the_batch_naming_it(server: Server) -> None:
    good = {"id": "o1", "type": "order", "at": at(600), "order_id": "O1", "amount": "10.00"}
    far = {"id": "o2", "type": "order", "at": "2027-01-01T00:31:00", "order_id": "O2", "amount": "10.00"}
    r = _post(server, [good, far])
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "warroom.ingest.out_of_days" and error["field"] == "[1].at"
    # the double11 default days: the warm-up from 11-01 to the follow-up's last day, 11-20
    assert "2026-11-01" in error["en"] and "2026-11-20" in error["en"] and "不在本次活动的日期内" in error["zh"]
    assert server.room.state.seq == 0  # nothing of the batch was taken
    before = {"id": "o3", "type": "order", "at": "2026-10-31T23:59:00", "order_id": "O3", "amount": "10.00"}
    assert _post(server, [before]).status_code == 422


def test_a_later_days_event_does_not_close_the_day(server: Server) -> None:
    first = {"id": "o1", "type": "order", "at": at(600), "order_id": "O1", "amount": "10.00"}
    assert _post(server, [first]).status_code == 200
    minute = server.room.state.now_minute
    assert minute == 601
    # a shipment the next morning (or an order sent with tomorrow's date) is taken, but the day's clock stays
    later = [{"id": "s1", "type": "shipment", "at": "2026-11-12T00:31:00", "order_id": "O1"},
             {"id": "o9", "type": "order", "at": "2026-11-12T00:31:00", "order_id": "O9", "amount": "1.00"}]
    assert _post(server, later).status_code == 200
    assert server.room.state.now_minute == minute
    snap = httpx.get(f"{server.url}/api/snapshot", headers={"Authorization": "Bearer dash-token"}, timeout=30).json()
    assert snap["minute"] == 601  # the pace lines and alerts are judged at 10:01, not at the day's end


def test_personal_data_in_a_free_text_field_is_refused_by_field_and_never_logged(server: Server) -> None:
    pii = {"id": "o1", "type": "order", "at": at(600), "order_id": "O1", "amount": "10.00",
           "buyer_key": "张三 13812345678 北京市朝阳区"}
    r = _post(server, [pii])
    assert r.status_code == 422
    error = r.json()["error"]
    assert (error["code"], error["field"]) == ("warroom.ingest.personal_phone", "[0].buyer_key")
    assert "电话号码" in error["zh"] and "phone number" in error["en"]
    assert "13812345678" not in r.text and "张三" not in r.text  # the value is never echoed
    assert not server.log.exists() or b"13812345678" not in server.log.read_bytes()
    for field, value, code in (("source", "浙江省杭州市西湖区文三路90号", "address"),
                               ("buyer_key", "11010519491231002X", "id_number")):
        event = {"id": "o2", "type": "order", "at": at(600), "order_id": "O2", "amount": "1.00", field: value}
        r = _post(server, [event])
        assert (r.status_code, r.json()["error"]["code"]) == (422, f"warroom.ingest.personal_{code}")
    ad = {"id": "a1", "type": "ad_spend", "at": at(600), "channel": "call 010-12345678", "spend": "1.00"}
    assert _post(server, [ad]).json()["error"]["field"] == "[0].channel"
    assert server.room.state.seq == 0
    # an opaque key and the shop's own words go in
    ok = {"id": "o3", "type": "order", "at": at(600), "order_id": "O3", "amount": "1.00", "buyer_key": "b-7f3a9c",
          "source": "天猫超市"}
    assert _post(server, [ok]).status_code == 200
