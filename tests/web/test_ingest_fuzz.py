"""Fuzzing the ingest (hypothesis): any body gives a 2xx or a 4xx naming the field, never a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dachu.app.live import parse_events
from dachu.errors import IngestError
from tests.web.conftest import INGEST, Server, at, start

BODY_LEVEL = {"warroom.ingest.empty", "warroom.ingest.bad_json", "warroom.ingest.too_many"}
"""Errors about the body as a whole: they need not name a field."""

VALID: list[dict[str, Any]] = [
    {"id": "o1", "type": "order", "at": at(5), "order_id": "O1", "amount": "129.00", "buyer_key": "k",
     "lines": [{"sku": "A", "quantity": 2}], "source": "直通车"},
    {"id": "p1", "type": "payment", "at": at(6), "order_id": "O1", "amount": "129.00"},
    {"id": "s1", "type": "shipment", "at": at(7), "order_id": "O1"},
    {"id": "r1", "type": "refund", "at": at(8), "order_id": "O1", "amount": "9.99"},
    {"id": "t1", "type": "traffic", "at": at(1), "page": "activity", "source": "x", "visitors": 3, "page_views": 4},
    {"id": "a1", "type": "ad_spend", "at": at(2), "channel": "c", "spend": "1.00", "clicks": 1, "impressions": 9},
    {"id": "c1", "type": "cs", "at": at(3), "session_id": "S", "response_seconds": 12.5},
]

scalars = (st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30)
           | st.sampled_from(["", "0001-01-01T00:00:00+09:00", "9999-12-31T23:59:59-05:00", "2026-11-11T25:00",
                              "1e400", "-1", "0.001", "NaN", "order", "taobao:1", "\u0000", "12345678901234567.12"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)


@st.composite
def mutated_event(draw: st.DrawFn) -> dict[str, Any]:
    """A valid event with one field replaced, removed or added."""
    event = dict(draw(st.sampled_from(VALID)))
    key = draw(st.sampled_from([*event, "extra", "name", "phone"]))
    action = draw(st.sampled_from(["replace", "drop", "replace"]))
    if action == "drop":
        event.pop(key, None)
    else:
        event[key] = draw(json_values)
    return event


bodies = st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(mutated_event(), min_size=1, max_size=5).map(lambda v: json.dumps(v).encode()),
    st.lists(mutated_event() | st.sampled_from(VALID), min_size=1, max_size=5).map(
        lambda v: b"\n".join(json.dumps(e).encode() for e in v)),
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
)


def check(status: int, code: str, field: str) -> None:
    assert 400 <= status < 500, (status, code)
    assert code.startswith("warroom."), code
    assert code in BODY_LEVEL or field, (code, field)


@settings(max_examples=600, deadline=None)
@given(bodies, st.booleans())
def test_the_parser_accepts_or_names_the_field(body: bytes, ndjson: bool) -> None:
    try:
        events = parse_events(body, ndjson)
    except IngestError as exc:
        check(exc.status, exc.key, exc.field)
    else:
        assert all(2000 <= e.at.year <= 2100 for e in events)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("fuzz")
    srv = start(tmp, store=Path(tmp) / "dachu.duckdb", flush_every=0.05)
    try:
        yield srv
    finally:
        srv.running.stop()
        srv.room.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, ndjson=st.booleans())
def test_over_http_never_a_500(live: Server, body: bytes, ndjson: bool) -> None:
    headers = {"Authorization": f"Bearer {INGEST}",
               "Content-Type": "application/x-ndjson" if ndjson else "application/json"}
    r = httpx.post(f"{live.url}/api/events", content=body, headers=headers)
    if r.status_code != 200:
        error = r.json()["error"]
        check(r.status_code, error["code"], error["field"])


def test_the_store_took_every_accepted_fuzzed_event(live: Server) -> None:
    live.room.flush()
    assert live.room.store_error is None
    assert live.room.stored_to == live.log.stat().st_size
