"""Storms on each backend: 200 clients at once (threads, then separate processes) on one SKU of 100; two
bundles sharing a component; a writer killed (kill -9) mid-reservation; holds expiring under load.

After each, the ledger is checked: nothing negative, and each SKU's ledger rows add up to its balance."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.synchronize import Event as EventType

import pytest

from dachu.domain.stock.model import Line
from dachu.ops.stock.backend import StockBackend, open_backend

T0 = dt.datetime(2026, 11, 11, 0, 0)
HOLD = T0 + dt.timedelta(minutes=30)
CLIENTS = 200


def consistent(stock: StockBackend, now: dt.datetime) -> None:
    """Nothing negative; after the clean-up, each SKU's ledger rows sum to its balance."""
    stock.expire(now)
    for b in stock.balances(now):
        rows = stock.ledger(sku=b.sku, limit=10**7)
        assert b.available >= 0 and b.reserved >= 0 and b.allocated >= 0
        assert (sum(r.on_hand for r in rows), sum(r.reserved for r in rows), sum(r.allocated for r in rows)) == (
            b.on_hand, b.reserved, b.allocated), b.sku


def test_200_threads_on_100_units_exactly_100_succeed(stock: StockBackend) -> None:
    stock.count("HOT", 100, now=T0)
    start = threading.Barrier(CLIENTS)

    def client(i: int) -> bool:
        start.wait()
        return stock.reserve(f"t{i}", [Line("HOT", 1)], hold_until=HOLD, now=T0).ok

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(client, range(CLIENTS)))
    assert sum(results) == 100
    assert stock.balances(T0, ["HOT"])[0].available == 0
    assert sum(r.reason == "refused" for r in stock.ledger(sku="HOT", limit=10**6)) == 100
    consistent(stock, T0)


def _process_client(url: str, i: int, go: EventType, lines: list[tuple[str, int]], out: mp.Queue) -> None:  # type: ignore[type-arg]
    stock = open_backend(url)
    go.wait()
    out.put(stock.reserve(f"p{i}", [Line(s, q) for s, q in lines], hold_until=HOLD, now=T0).ok)
    stock.close()


def _storm_processes(url: str, lines_of: list[list[tuple[str, int]]]) -> list[bool]:
    ctx = mp.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_process_client, args=(url, i, go, lines_of[i % len(lines_of)], out))
             for i in range(CLIENTS)]
    for p in procs:
        p.start()
    go.set()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return results


def test_200_processes_on_100_units_exactly_100_succeed(stock_url: str, stock: StockBackend) -> None:
    stock.count("HOT", 100, now=T0)
    results = _storm_processes(stock_url, [[("HOT", 1)]])
    assert sum(results) == 100 and stock.balances(T0, ["HOT"])[0].available == 0
    consistent(stock, T0)


def test_two_bundles_sharing_a_component_never_oversell_it(stock_url: str, stock: StockBackend) -> None:
    # 礼盒A = 杯 + 勺, 礼盒B = 碗 + 勺: 100 spoons, plenty of the rest (the bundles already resolved)
    for sku, n in (("CUP", 1000), ("BOWL", 1000), ("SPOON", 100)):
        stock.count(sku, n, now=T0)
    results = _storm_processes(stock_url, [[("CUP", 1), ("SPOON", 1)], [("BOWL", 1), ("SPOON", 1)]])
    assert sum(results) == 100
    b = {x.sku: x for x in stock.balances(T0)}
    assert b["SPOON"].available == 0 and b["CUP"].reserved + b["BOWL"].reserved == 100
    consistent(stock, T0)


def _reserve_forever(url: str, ready: EventType) -> None:
    stock = open_backend(url)
    i = 0
    while True:
        stock.reserve(f"k{i}", [Line("HOT", 1), Line("COLD", 1)], hold_until=HOLD, now=T0)
        if i == 20:
            ready.set()
        i += 1


@pytest.mark.parametrize("after", [0.05, 0.2, 0.5])
def test_a_writer_killed_mid_reservation_leaves_the_ledger_consistent(stock_url: str, stock: StockBackend,
                                                                      after: float) -> None:
    stock.count("HOT", 10**6, now=T0)
    stock.count("COLD", 10**6, now=T0)
    ctx = mp.get_context("fork")
    ready = ctx.Event()
    writer = ctx.Process(target=_reserve_forever, args=(stock_url, ready))
    writer.start()
    assert ready.wait(60)
    time.sleep(after)
    assert writer.pid is not None
    os.kill(writer.pid, signal.SIGKILL)
    writer.join()
    b = {x.sku: x for x in stock.balances(T0)}
    assert b["HOT"].reserved == b["COLD"].reserved > 20  # every order wholly held or not at all
    held = {r.order_id for r in stock.ledger(sku="HOT", limit=10**7) if r.reason == "reserve"}
    assert len(held) == b["HOT"].reserved  # no unit lost, none held twice
    consistent(stock, T0)


def test_holds_expire_under_load(stock: StockBackend) -> None:
    stock.count("HOT", 50, now=T0)

    def client(i: int) -> bool:
        now = T0 + dt.timedelta(minutes=i)  # each a minute later, holding for 5
        return stock.reserve(f"e{i}", [Line("HOT", 1)], hold_until=now + dt.timedelta(minutes=5), now=now).ok

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(client, range(400)))
    # at most 50 holds are live at any minute and at most 5 minutes' worth overlap: every client gets one
    assert all(results)
    end = T0 + dt.timedelta(minutes=500)
    assert stock.balances(end, ["HOT"])[0].available == 50
    consistent(stock, end)
