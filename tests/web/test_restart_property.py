"""Any event sequence, cut by a restart at any point, ends in the same figures and store as without one.

The restart is each way a war room stops: a clean stop (SIGTERM's lifespan shutdown: the store flushed and a
last snapshot written), and a crash (kill -9: nothing flushed, nothing written past the log), the crash
either with no snapshot yet or after a snapshot older than the log's end. After the restart the rest of the
events arrive, some of them again (a sender retrying). The figures (`LiveState.content()`, which holds every
counter and every order's state, and the dashboard snapshot) and the store's canonical tables must equal
those of one room that took the same events without stopping.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dachu.app.live import LiveRoom
from dachu.data.store import Store
from tests.web.conftest import PLAN
from tests.web.test_store_sink import tables

DAY = dt.datetime(2026, 11, 11)
ORDERS = [f"O{i}" for i in range(6)]
SKUS = ["A", "B"]
SOURCES = ["直通车", "organic", "万相台"]

# when: mostly on the day, some in the warm-up (a pre-sale order) or the follow-up (a late shipment, refund)
when = st.one_of(
    st.integers(0, 1439).map(lambda m: DAY + dt.timedelta(minutes=m)),
    st.sampled_from([DAY - dt.timedelta(days=2, hours=3), DAY + dt.timedelta(days=1, hours=9)]),
)
money = st.integers(1, 50_000).map(lambda fen: f"{fen // 100}.{fen % 100:02d}")


@st.composite
def event(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["order", "order", "payment", "payment", "shipment", "refund", "traffic",
                                 "ad_spend", "cs"]))
    # ids from a small pool, so one id comes back (a resend, maybe with other content: the first one counts)
    e: dict[str, Any] = {"id": f"{kind[0]}{draw(st.integers(0, 9))}", "type": kind,
                         "at": draw(when).isoformat()}
    if kind in ("order", "payment", "shipment", "refund"):
        e["order_id"] = draw(st.sampled_from(ORDERS))
    if kind == "order":
        e["amount"] = draw(money)
        if draw(st.booleans()):
            e["buyer_key"] = draw(st.sampled_from(["k1", "k2", "k3"]))
        if draw(st.booleans()):
            e["source"] = draw(st.sampled_from(SOURCES))
        skus = draw(st.lists(st.sampled_from(SKUS), max_size=2, unique=True))
        if skus:
            e["lines"] = [{"sku": s, "quantity": draw(st.integers(1, 3))} for s in skus]
    elif kind == "payment":
        e["amount"] = draw(money)
        e["stage"] = draw(st.sampled_from(["full", "full", "deposit", "balance"]))
    elif kind == "refund":
        e["amount"] = draw(money)
    elif kind == "traffic":
        e.update(page=draw(st.sampled_from(["activity", "store"])), source=draw(st.sampled_from(SOURCES)),
                 visitors=draw(st.integers(0, 50)), page_views=draw(st.integers(0, 90)))
    elif kind == "ad_spend":
        e.update(channel="直通车", spend=draw(money), clicks=draw(st.integers(0, 20)))
    elif kind == "cs":
        e.update(session_id=f"S{draw(st.integers(0, 5))}", response_seconds=draw(st.integers(0, 600)))
    return e


batches = st.lists(st.lists(event(), min_size=1, max_size=6), min_size=1, max_size=8)
ways = st.sampled_from(["clean", "crash", "crash after a snapshot"])


def room(folder: Path, store: bool) -> LiveRoom:
    return LiveRoom(PLAN, folder / "events.ndjson", store_path=folder / "dachu.duckdb" if store else None,
                    flush_every=0.01)


def figures(r: LiveRoom) -> tuple[Any, dict[str, Any]]:
    snap = r.snapshot()
    return r.state.content(), snap


def run(folder: Path, groups: list[list[dict[str, Any]]], store: bool, cut: int | None, way: str,
        snapshot_at: int) -> tuple[Any, dict[str, Any], dict[str, Any] | None]:
    folder.mkdir()
    r = room(folder, store)
    for i, batch in enumerate(groups):
        if cut is not None and i == cut:
            if way == "clean":
                r.close()
            else:
                r.close(flush=False)  # what a kill -9 leaves: the log, the store as last flushed
            r = room(folder, store)
            assert r.snapshot_error is None
            if way == "clean":
                assert r.rebuilt == 0  # the last snapshot covers the whole log
        if way == "crash after a snapshot" and i == snapshot_at:
            r.save_snapshot()
        r.ingest(json.dumps(batch).encode())
    if cut is not None and cut >= len(groups):  # a restart after the last batch
        r.close(flush=way == "clean")
        r = room(folder, store)
    state, snap = figures(r)
    s = r.state
    r.close()
    if not store:
        return state, snap, None
    written = tables(folder / "dachu.duckdb")
    agree_with_the_figures(folder / "dachu.duckdb", s.paid, s.paid_fen, s.shipped, s.refund_fen)
    return state, snap, written


def agree_with_the_figures(path: Path, paid: int, paid_fen: int, shipped: int, refund_fen: int) -> None:
    """The store counts what the figures count: the day's paid orders and money, shipments, refunds."""
    with Store.open(path) as st:
        row = st.con.execute(
            "SELECT count(*) FILTER (WHERE paid_at >= $1 AND paid_at < $2), "
            "coalesce(sum(paid_amount) FILTER (WHERE paid_at >= $1 AND paid_at < $2), 0), "
            "count(shipped_at), coalesce(sum(refund_amount), 0) FROM orders",
            [DAY, DAY + dt.timedelta(days=1)],
        ).fetchone()
    assert row is not None
    assert (row[0], int(row[1] * 100), row[2], int(row[3] * 100)) == (paid, paid_fen, shipped, refund_fen)


def check(groups: list[list[dict[str, Any]]], store: bool, cut: int, way: str, snapshot_at: int,
          resend: int) -> None:
    # a sender retrying after the restart: the batch before the cut comes again
    again = [*groups[:cut], *groups[max(0, cut - resend) : cut], *groups[cut:]] if cut else groups
    with tempfile.TemporaryDirectory() as tmp:
        base = run(Path(tmp) / "straight", again, store, None, way, snapshot_at)
        cut_at = cut + min(resend, cut)
        after = run(Path(tmp) / "restarted", again, store, cut_at, way, snapshot_at)
    assert after[0] == base[0]
    assert after[1] == base[1]
    assert after[2] == base[2]


@st.composite
def restarts(draw: st.DrawFn) -> tuple[list[list[dict[str, Any]]], int, str, int, int]:
    """(batches, the batch the restart comes before, the way, the batch an earlier snapshot comes before,
    how many batches before the cut the sender resends)."""
    groups = draw(batches)
    cut = draw(st.integers(0, len(groups)), label="cut before batch")
    return (groups, cut, draw(ways), draw(st.integers(0, max(0, cut - 1)), label="snapshot before batch"),
            draw(st.integers(0, 1), label="batches resent"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(restarts())
def test_the_figures_after_any_restart_are_the_figures_without_it(
    case: tuple[list[list[dict[str, Any]]], int, str, int, int],
) -> None:
    groups, cut, way, snapshot_at, resend = case
    check(groups, False, cut, way, snapshot_at, resend)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(restarts())
def test_the_store_after_any_restart_is_the_store_without_it(
    case: tuple[list[list[dict[str, Any]]], int, str, int, int],
) -> None:
    groups, cut, way, snapshot_at, resend = case
    check(groups, True, cut, way, snapshot_at, resend)
