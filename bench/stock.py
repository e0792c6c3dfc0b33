"""Benchmark the stock guard (库存防超卖): reservations per second, and never one oversold.

For each backend (SQLite in WAL mode; Redis with its Lua scripts, one call each and pipelined; the HTTP API
of `dachu serve` over loopback), on one hot SKU and on 10,000 SKUs, from 1, 4 and 16 concurrent clients
(separate processes: the GIL would make threads measure Python, not the backend). Every run offers more
reservations than there is stock on the hot SKU (stock = 90% of the attempts), and checks after it that the
successes are exactly the stock and the ledger holds no negative balance: 0 oversold, or the run fails.

Baseline, the same work with none of the guarantees: a reservation in one process's dictionaries behind
one lock (`MemoryLedger`: no durability, no second process can see it), one client. Each result is
reported with its ratio to it.

Targets on the 2-core machine (issue #14): Redis ≥ 30,000/s pipelined, SQLite ≥ 5,000/s, HTTP ≥ 3,000/s.

Usage: python bench/stock.py [--per-client N] [--backends sqlite,redis,redis-pipelined,http]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dachu.domain.stock.model import Line  # noqa: E402
from dachu.ops.stock.backend import open_backend  # noqa: E402

T0 = dt.datetime(2026, 11, 11)
HOLD = T0 + dt.timedelta(hours=1)
SKUS = [f"S{i:05d}" for i in range(10_000)]


HOT = {"single": "HOT", "pipelined": "HOT", "http": "A02"}
"""The hot SKU: over HTTP one of the campaign's products (洋槐蜜): the API refuses SKUs the campaign lacks."""


def sku_of(layout: str, client: int, i: int, mode: str = "single") -> str:
    return HOT[mode] if layout == "hot" else SKUS[(client * 7919 + i * 104729) % len(SKUS)]


def _client(url: str, layout: str, client: int, n: int, mode: str, go: mp.synchronize.Event, out: mp.Queue) -> None:  # type: ignore[name-defined,type-arg]
    ok = 0
    if mode in ("http", "healthz"):
        # the stdlib's keep-alive client: httpx spends more of the 2 cores than the server under test
        import http.client
        import json
        from urllib.parse import urlsplit

        where = urlsplit(url)
        conn = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
        headers = {"Authorization": "Bearer bench-ingest", "Content-Type": "application/json"}
        go.wait()
        for i in range(n):
            if mode == "healthz":
                conn.request("GET", "/healthz", headers=headers)
            else:
                body = json.dumps({"order_id": f"c{client}-{i}", "lines": [{"sku": sku_of(layout, client, i, mode),
                                   "quantity": 1}], "channel": "own", "hold_minutes": 60})
                conn.request("POST", "/api/stock/reserve", body=body, headers=headers)
            answer = conn.getresponse()
            answer.read()
            ok += answer.status == 200
        conn.close()
        out.put(ok)
        return
    stock = open_backend(url)
    go.wait()
    if mode == "pipelined":
        batch = 500
        for start in range(0, n, batch):
            reqs = [(f"c{client}-{i}", [Line(sku_of(layout, client, i), 1)], HOLD, T0)
                    for i in range(start, min(n, start + batch))]
            ok += sum(o.ok for o in stock.reserve_many(reqs))  # type: ignore[attr-defined]
    else:
        for i in range(n):
            ok += stock.reserve(f"c{client}-{i}", [Line(sku_of(layout, client, i), 1)], hold_until=HOLD, now=T0).ok
    stock.close()
    out.put(ok)


def run(url: str, layout: str, clients: int, per_client: int, mode: str) -> tuple[float, int, int]:
    """(reservations/s, successes, stock of the hot SKU or -1) for one run on a fresh ledger at `url`."""
    total = clients * per_client
    stock = open_backend(url if mode != "http" else HTTP_STOCK[0])
    hot = int(total * 0.9)
    if layout == "hot":
        assert stock.count(HOT[mode], hot, now=T0)
    else:
        for s in SKUS:
            stock.count(s, 10**6, now=T0)
    stock.close()
    ctx = mp.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_client, args=(url, layout, c, per_client, mode, go, out)) for c in range(clients)]
    for p in procs:
        p.start()
    time.sleep(0.5)  # every client connected and waiting
    began = time.perf_counter()
    go.set()
    ok = sum(out.get(timeout=600) for _ in procs)
    elapsed = time.perf_counter() - began
    for p in procs:
        p.join()
    check = open_backend(url if mode != "http" else HTTP_STOCK[0])
    balances = check.balances(T0)
    check.close()
    assert all(b.available >= 0 for b in balances), "a negative balance"
    if layout == "hot":
        assert ok == hot, f"{ok} reservations succeeded on {hot} units: oversold or lost"
    else:
        assert ok == total
    return total / elapsed, ok, hot if layout == "hot" else -1


class MemoryLedger:
    """The baseline: a reservation's work in dictionaries behind one lock (idempotency by order, all-or-none
    check, the hold, the balance, a ledger row) — no durability, no expiry index, no second process."""

    def __init__(self) -> None:
        self.available: dict[str, int] = {}
        self.orders: dict[str, tuple[Line, ...]] = {}
        self.rows: list[tuple[str, str, int, str]] = []
        self.lock = threading.Lock()

    def reserve(self, order: str, lines: tuple[Line, ...]) -> bool:
        with self.lock:
            if order in self.orders:
                return True
            if any(self.available.get(x.sku, 0) < x.quantity for x in lines):
                self.rows.extend((x.sku, "refused", 0, order) for x in lines)
                return False
            for x in lines:
                self.available[x.sku] -= x.quantity
                self.rows.append((x.sku, "reserve", x.quantity, order))
            self.orders[order] = lines
            return True


def _floor(url: str, clients: int, per_client: int) -> float:
    """Requests/s of an authenticated no-op (`GET /healthz`) from the same clients: what HTTP alone costs here."""
    ctx = mp.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_client, args=(url, "hot", c, per_client, "healthz", go, out)) for c in range(clients)]
    for p in procs:
        p.start()
    time.sleep(0.5)
    began = time.perf_counter()
    go.set()
    for _ in procs:
        out.get(timeout=600)
    elapsed = time.perf_counter() - began
    for p in procs:
        p.join()
    return clients * per_client / elapsed


def baseline(n: int) -> float:
    """The baseline's reservations/s, one client."""
    memory = MemoryLedger()
    memory.available["HOT"] = n
    began = time.perf_counter()
    for i in range(n):
        memory.reserve(f"b{i}", (Line("HOT", 1),))
    return n / (time.perf_counter() - began)


HTTP_STOCK: list[str] = []


def fresh(kind: str, label: str, folder: Path, redis_url: str | None) -> Callable[[], str]:
    """A function giving a fresh, empty ledger's URL of `kind` for each run."""
    counter = [0]

    def make() -> str:
        counter[0] += 1
        if kind == "sqlite":
            return f"sqlite:///{folder / f'stock-{label}-{counter[0]}.sqlite'}"
        import redis

        assert redis_url is not None
        redis.Redis.from_url(redis_url).flushdb()
        return redis_url

    return make


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-client", type=int, default=0, help="reservations per client (default: 20,000 / clients)")
    parser.add_argument("--backends", default="sqlite,redis,redis-pipelined,http")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dachu-bench-stock-"))
    base = baseline(20_000)
    print(f"baseline (the promises in memory, one lock, 1 client): {base:,.0f} reservations/s")
    print(f"{'backend':<18}{'SKUs':<8}{'clients':>8}{'reserv./s':>12}{'× base':>9}  oversold")
    from contextlib import ExitStack

    with ExitStack() as stack:
        redis_url: str | None = None
        wanted = args.backends.split(",")
        if any(b.startswith("redis") for b in wanted):
            from tests.peers.redis_server import redis_url as start_redis

            redis_url = stack.enter_context(start_redis(folder / "redis"))
        for backend in wanted:
            mode = {"redis-pipelined": "pipelined", "http": "http"}.get(backend, "single")
            kind = "redis" if backend.startswith("redis") else "sqlite"
            make = fresh(kind, backend, folder, redis_url)
            for layout in ("hot", "floor") if mode == "http" else ("hot", "10000"):  # the campaign has 5 products
                for clients in (1, 4, 16):
                    per = args.per_client or max(200, 20_000 // clients)
                    if mode == "http":
                        url = stack.enter_context(_serving(folder, make()))
                    else:
                        url = make()
                    if layout == "floor":
                        rate = _floor(url, clients, per)
                        print(f"{'http floor':<18}{'healthz':<8}{clients:>8}{rate:>12,.0f}{rate / base:>9.2f}  "
                              "(GET /healthz: HTTP alone, no ledger)")
                        continue
                    rate, ok, hot = run(url, layout, clients, per, mode)
                    print(f"{backend:<18}{'1 hot' if layout == 'hot' else '10,000':<8}{clients:>8}{rate:>12,.0f}"
                          f"{rate / base:>9.2f}  0 (ok {ok:,}{'' if hot < 0 else f' of {hot:,} units'})")
    shutil.rmtree(folder, ignore_errors=True)


def _serving(folder: Path, stock_url: str):  # type: ignore[no-untyped-def]
    """A real `dachu serve --stock URL` on loopback for the HTTP runs (its ledger in HTTP_STOCK[0])."""
    import secrets

    from tests.web.process import serving

    from dachu.app import Workspace

    ws = Workspace(folder / f"shop-{secrets.token_hex(4)}")
    ws.init("double11", "zh")
    HTTP_STOCK[:] = [stock_url]
    env = {"DACHU_INGEST_TOKEN": "bench-ingest", "DACHU_DASHBOARD_TOKEN": "bench-read"}
    return _served_url(serving(ws.campaign_path, "--stock", stock_url, env=env))


class _served_url:
    def __init__(self, cm) -> None:  # type: ignore[no-untyped-def]
        self.cm = cm

    def __enter__(self) -> str:
        return str(self.cm.__enter__().url)

    def __exit__(self, *exc: object) -> None:
        self.cm.__exit__(*exc)


if __name__ == "__main__":
    main()
