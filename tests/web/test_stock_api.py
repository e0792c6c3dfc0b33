"""The stock API of `dachu serve` for a store's own checkout: reserve / commit / release, over real HTTP and SQLite."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from dachu.domain.live.state import LivePlan, LiveProduct
from tests.web.conftest import DASH, DAY, INGEST, Server, start

BEARER = {"Authorization": f"Bearer {INGEST}"}
PLAN = LivePlan(day=DAY, floor_gmv=Decimal(1000), stretch_gmv=Decimal(2000), budgets=(),
                products=(LiveProduct("A", "羊毛围巾", 100), LiveProduct("B", "保温杯", 5),
                          LiveProduct("AB", "礼盒", None, (("A", 1), ("B", 1)))))


@pytest.fixture
def srv(tmp_path: Path) -> Any:
    server = start(tmp_path, plan=PLAN, stock=str(tmp_path / "stock.sqlite"))
    try:
        yield server
    finally:
        server.running.stop()
        server.room.close()


def call(srv: Server, kind: str, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.post(f"{srv.url}/api/stock/{kind}", content=raw, headers=BEARER if headers is None else headers,
                      timeout=30)


def balances(srv: Server) -> dict[str, dict[str, int]]:
    r = httpx.get(f"{srv.url}/api/stock", headers=BEARER, timeout=30)
    assert r.status_code == 200
    return {b["sku"]: b for b in r.json()["balances"]}


def test_reserve_commit_release_and_their_repeats(srv: Server) -> None:
    order = {"order_id": "W1", "lines": [{"sku": "AB", "quantity": 2}, {"sku": "A", "quantity": 1}],
             "channel": "own", "hold_minutes": 15}
    r = call(srv, "reserve", order)
    assert r.status_code == 200
    assert r.json()["reserved"] == [{"sku": "A", "quantity": 3}, {"sku": "B", "quantity": 2}]
    assert call(srv, "reserve", order).json()["repeated"] is True  # idempotent by order id
    assert (balances(srv)["A"]["reserved"], balances(srv)["A"]["available"]) == (3, 97)
    r = call(srv, "commit", {"order_id": "W1"})
    assert r.status_code == 200 and r.json()["allocated"] == [{"sku": "A", "quantity": 3}, {"sku": "B", "quantity": 2}]
    assert call(srv, "commit", {"order_id": "W1"}).json()["repeated"] is True
    assert balances(srv)["B"] == {"sku": "B", "on_hand": 5, "reserved": 0, "allocated": 2, "shipped": 0,
                                  "available": 3}
    r = call(srv, "release", {"order_id": "W1"})
    assert r.json() == {"order_id": "W1", "released": True}
    assert call(srv, "release", {"order_id": "W1"}).json()["released"] is False
    assert balances(srv)["B"]["available"] == 5
    answer = httpx.get(f"{srv.url}/api/stock?token={DASH}", timeout=30).json()  # the dashboard may read it
    assert answer["available"] == {"A": 100, "AB": 5, "B": 5}


def test_short_answers_409_with_what_is_available_and_holds_nothing(srv: Server) -> None:
    r = call(srv, "reserve", {"order_id": "W2", "lines": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 6}]})
    assert r.status_code == 409
    assert r.json()["short"] == [{"sku": "B", "available": 5}]
    assert balances(srv)["A"]["reserved"] == 0  # all or nothing


def test_a_storm_of_checkouts_never_oversells(srv: Server) -> None:
    def buy(n: int) -> int:
        return call(srv, "reserve", {"order_id": f"S{n}", "lines": [{"sku": "AB", "quantity": 1}]}).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(buy, range(24)))
    assert codes.count(200) == 5 and codes.count(409) == 19  # 5 cups make 5 boxes, whoever comes first
    assert balances(srv)["B"]["available"] == 0


@pytest.mark.parametrize(("body", "field", "code"), [
    (b"{not json", "", "stock.api.bad_body"),
    ({"order_id": "W3"}, "lines", "stock.api.bad_body"),
    ({"order_id": "W3", "lines": [{"sku": "A", "quantity": 0}]}, "lines[0].quantity", "stock.api.bad_body"),
    ({"order_id": "W3", "lines": [{"sku": "A"}], "colour": "red"}, "colour", "stock.api.bad_body"),
    ({"order_id": "W3", "lines": [{"sku": "A"}, {"sku": "MUG", "quantity": 1}]}, "lines[1].sku",
     "stock.api.unknown_sku"),
], ids=["not json", "no lines", "zero units", "unknown field", "unknown sku"])
def test_a_bad_body_is_400_naming_the_field_in_zh_and_en(srv: Server, body: Any, field: str, code: str) -> None:
    r = call(srv, "reserve", body)
    assert r.status_code == 400
    error = r.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert error["zh"] and error["en"] and error["zh"] != error["en"]
    if code == "stock.api.unknown_sku":
        assert "MUG" in error["en"] and "MUG" in error["zh"] and "不在本次活动的商品中" in error["zh"]


def test_the_ingest_token_is_required(srv: Server) -> None:
    body = {"order_id": "W4", "lines": [{"sku": "A"}]}
    assert call(srv, "reserve", body, headers={}).status_code == 401
    assert call(srv, "reserve", body, headers={"Authorization": f"Bearer {DASH}"}).status_code == 401
    assert httpx.get(f"{srv.url}/api/stock", timeout=30).status_code == 401
    r = call(srv, "commit", {"order_id": "NEVER"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "stock.api.unknown_order"
