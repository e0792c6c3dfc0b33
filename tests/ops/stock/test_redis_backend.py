"""What only the Redis backend promises (the shared contract is test_contract.py): pipelined reserves answer
as reserves one by one, shops under different prefixes never see each other, the URL shown has no
password, an unreachable, restarted or too old server is one clear zh/en error, order ids expire in
Python's order whatever the server's locale, and a read changes nothing."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from dachu.domain.stock.model import Line, Outcome, PlainLedger, Short
from dachu.errors import InputError
from dachu.ops.stock.backend import open_backend
from dachu.ops.stock.redis_backend import RedisStock, Reservation, _public_url
from tests.conftest import need
from tests.peers.redis_server import _free_port

T0 = dt.datetime(2026, 11, 11, 0, 0)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def with_prefix(url: str, prefix: str) -> str:
    return f"{url}?prefix={prefix}"


@pytest.fixture
def server(redis_server: str) -> str:
    """The session's Redis, its database emptied."""
    redis.Redis.from_url(redis_server).flushdb()
    return redis_server


@contextmanager
def own_server(folder: Path, port: int, *options: str, password: str | None = None) -> Iterator[None]:
    """A redis-server of this test alone on `port` (restartable: the same port and folder again)."""
    binary = shutil.which("redis-server")
    need(binary is not None, "redis-server is not installed (apt-get install redis-server)")
    assert binary is not None
    folder.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder),
                             *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis(port=port, password=password).ping()
                break
            except redis.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# -- pipelining ---------------------------------------------------------------------------------------------


def test_reserve_many_answers_exactly_as_reserves_one_by_one(server: str) -> None:
    piped, single = RedisStock(with_prefix(server, "piped:")), RedisStock(with_prefix(server, "single:"))
    for stock in (piped, single):
        for sku, n in (("A", 40), ("B", 15), ("C", 3)):
            assert stock.count(sku, n, now=T0)
    rnd = random.Random(14)
    requests = []
    for i in range(2600):  # more than two chunks: chunk boundaries, repeats, shorts, holds ending on the way
        now = T0 + dt.timedelta(seconds=i)
        lines = [Line(rnd.choice("ABCD"), rnd.randint(1, 3)) for _ in range(rnd.randint(1, 3))]
        order = f"o{rnd.randint(0, 1500)}"
        requests.append(Reservation(order, lines, now + dt.timedelta(seconds=rnd.randint(1, 120)), now, "api:test"))
    got = piped.reserve_many(requests)
    want = [single.reserve(r.order_id, r.lines, hold_until=r.hold_until, now=r.now, source=r.source) for r in requests]
    assert got == want
    assert {o.ok for o in got} == {True, False} and any(o.repeated for o in got) and any(o.short for o in got)
    end = requests[-1].now
    assert piped.balances(end) == single.balances(end)
    assert piped.ledger(limit=-1) == single.ledger(limit=-1)
    assert piped.reserve_many([]) == []


def test_reserve_many_survives_a_flushed_script_cache(server: str) -> None:
    stock = RedisStock(server)
    stock.count("A", 10, now=T0)
    redis.Redis.from_url(server).script_flush()
    assert stock.reserve_many([Reservation("o1", [Line("A", 1)], at(30), T0)]) == [Outcome(True, (Line("A", 1),))]
    redis.Redis.from_url(server).script_flush()
    assert stock.reserve("o2", [Line("A", 1)], hold_until=at(30), now=T0).ok
    assert stock.balances(T0, ["A"])[0].reserved == 2


# -- prefixes ----------------------------------------------------------------------------------------------


def test_shops_under_different_prefixes_never_see_each_other(server: str) -> None:
    a = open_backend(with_prefix(server, "shop-a:"))
    b = RedisStock(server, prefix="shop-b:")
    default = RedisStock(server)
    assert isinstance(a, RedisStock) and a.prefix == "shop-a:" and default.prefix == "dachu:stock:"
    a.count("A", 5, now=T0)
    b.count("A", 1, now=T0)
    assert a.reserve("o1", [Line("A", 3)], hold_until=at(30), now=T0).ok
    assert b.reserve("o1", [Line("A", 3)], hold_until=at(30), now=T0) == Outcome(False, short=(Short("A", 1),))
    assert default.balances(T0) == [] and default.ledger() == [] and default.expire(at(60)) == 0
    assert [(x.on_hand, x.reserved) for x in a.balances(T0)] == [(5, 3)]
    assert [(x.on_hand, x.reserved) for x in b.balances(T0)] == [(1, 0)]
    assert a.expire(at(60)) == 1 and b.expire(at(60)) == 0
    keys = redis.Redis.from_url(server, decode_responses=True).keys("*")
    assert keys and all(k.startswith(("shop-a:", "shop-b:")) for k in keys)
    for stock in (a, b, default):
        stock.close()


# -- the URL, errors ---------------------------------------------------------------------------------------


def test_the_url_shown_has_no_password() -> None:
    assert _public_url("redis://:s3cret@db.shop:6380/2") == "redis://db.shop:6380/2"
    assert _public_url("redis://stock:s3cret@db.shop/0?prefix=a:") == "redis://stock@db.shop/0?prefix=a:"
    assert _public_url("unix:///run/redis.sock?db=1&password=s3cret") == "unix:///run/redis.sock?db=1"
    assert _public_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    assert _public_url("rediss://u:p@h:1/0?password=x&ssl_cert_reqs=none") == "rediss://u@h:1/0?ssl_cert_reqs=none"


def test_a_password_server_and_a_wrong_password(tmp_path: Path) -> None:
    port = _free_port()
    with own_server(tmp_path, port, "--requirepass", "s3cret", password="s3cret"):
        stock = RedisStock(f"redis://:s3cret@127.0.0.1:{port}/0")
        assert stock.url == f"redis://127.0.0.1:{port}/0"
        assert stock.count("A", 1, now=T0)
        stock.close()
        with pytest.raises(InputError) as wrong:
            RedisStock(f"redis://:wrong-one@127.0.0.1:{port}/0")
        assert wrong.value.key == "stock.redis_auth"
        for lang in ("zh", "en"):
            assert "wrong-one" not in wrong.value.render(lang) and str(port) in wrong.value.render(lang)


def test_an_unreachable_server_is_one_clear_error() -> None:
    url = f"redis://127.0.0.1:{_free_port()}/0"
    with pytest.raises(InputError) as e:
        open_backend(url)
    assert e.value.key == "stock.redis_unreachable"
    assert url in e.value.message("zh") and url in e.value.message("en")
    assert "Redis" in e.value.fix("en") and "redis-cli" in e.value.fix("zh")
    with pytest.raises(InputError) as bad:
        RedisStock("redis://127.0.0.1:not-a-port/0")
    assert bad.value.key == "stock.redis_bad_url"


def test_a_server_stopped_then_restarted(tmp_path: Path) -> None:
    port = _free_port()
    durable = ("--appendonly", "yes", "--appendfsync", "always")
    with own_server(tmp_path, port, *durable):
        stock = RedisStock(f"redis://127.0.0.1:{port}/0")
        stock.count("A", 5, now=T0)
        assert stock.reserve("o1", [Line("A", 2)], hold_until=at(30), now=T0).ok
    for step in (lambda: stock.reserve("o2", [Line("A", 1)], hold_until=at(30), now=at(1)),
                 lambda: stock.reserve_many([Reservation("o2", [Line("A", 1)], at(30), at(1))]),
                 lambda: stock.balances(at(1)), lambda: stock.ledger()):
        with pytest.raises(InputError) as down:
            step()
        assert down.value.key == "stock.redis_unreachable" and str(port) in down.value.render("en")
    with own_server(tmp_path, port, *durable):  # the same ledger back (append-only file), the scripts not
        assert stock.reserve("o1", [Line("A", 2)], hold_until=at(30), now=at(2)) == Outcome(
            True, (Line("A", 2),), repeated=True)
        assert stock.reserve_many([Reservation("o2", [Line("A", 1)], at(30), at(2))]) == [
            Outcome(True, (Line("A", 1),))]
        assert stock.balances(at(2), ["A"])[0].available == 2
        stock.close()


class FakeOldRedis:
    """A loopback peer speaking the Redis protocol that says it is Redis 6.2 (no Redis 6 to run here)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    @staticmethod
    def _serve(conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as f:
            while line := f.readline():
                args = [f.read(int(f.readline()[1:]) + 2)[:-2] for _ in range(int(line[1:]))]
                if args[0].upper() == b"HELLO":  # redis-py speaks RESP3 when the server does
                    conn.sendall(b"%7\r\n+server\r\n+redis\r\n+version\r\n+6.2.14\r\n+proto\r\n:3\r\n"
                                 b"+id\r\n:1\r\n+mode\r\n+standalone\r\n+role\r\n+master\r\n+modules\r\n*0\r\n")
                elif args[0].upper() == b"INFO":
                    body = b"# Server\r\nredis_version:6.2.14\r\nredis_mode:standalone\r\n"
                    conn.sendall(b"$%d\r\n%s\r\n" % (len(body), body))
                else:
                    conn.sendall(b"+OK\r\n")

    def close(self) -> None:
        self.sock.close()


def test_redis_older_than_7_is_refused_in_both_languages() -> None:
    old = FakeOldRedis()
    try:
        with pytest.raises(InputError) as e:
            RedisStock(f"redis://127.0.0.1:{old.port}/0")
    finally:
        old.close()
    assert e.value.key == "stock.redis_too_old"
    assert "6.2.14" in e.value.message("zh") and "Redis 7" in e.value.message("zh")
    assert "6.2.14" in e.value.message("en") and "Redis 7 or newer" in e.value.message("en")
    assert "SQLite" in e.value.fix("zh") and "SQLite" in e.value.fix("en")


# -- order, time, reads ------------------------------------------------------------------------------------


def test_orders_expire_in_python_order_whatever_the_server_locale(server: str) -> None:
    stock, plain = RedisStock(server), PlainLedger()
    ids = ["b", "B", "a", "é", "Z", "a1", "ä", "订单2", "订单10", "a-b", "a_b"]
    stock.count("A", 100, now=T0)
    plain.count("A", 100, T0)
    for i, order in enumerate(ids):
        assert stock.reserve(order, [Line("A", 1)], hold_until=at(10 + i), now=T0) == plain.reserve(
            order, [Line("A", 1)], at(10 + i), T0)
    assert stock.expire(at(60)) == plain.expire(at(60)) == len(ids)
    assert [r.order_id for r in stock.ledger(sku="A") if r.reason == "expire"] == sorted(ids)
    assert stock.ledger(sku="A") == plain.rows


def test_a_hold_ends_to_the_microsecond(server: str) -> None:
    stock = RedisStock(server)
    stock.count("A", 1, now=T0)
    end = T0 + dt.timedelta(microseconds=1)
    assert stock.reserve("o1", [Line("A", 1)], hold_until=end, now=T0).ok
    assert stock.balances(T0, ["A"])[0].reserved == 1
    assert stock.balances(end, ["A"])[0].reserved == 0
    assert stock.balances(T0, ["A"])[0].reserved == 1  # a read expires nothing: earlier, still held
    assert stock.reserve("o2", [Line("A", 1)], hold_until=at(1), now=end).ok


def test_balances_and_the_ledger_change_nothing(server: str) -> None:
    stock = RedisStock(server)
    stock.count("A", 3, now=T0)
    stock.reserve("o1", [Line("A", 2), Line("B", 0)], hold_until=at(5), now=T0)
    raw = redis.Redis.from_url(server)
    before = {k: raw.dump(k) for k in raw.keys("*")}
    assert stock.balances(at(10), ["A", "B", "A"])[0].available == 3
    assert [b.sku for b in stock.balances(at(10), ["B", "A", "B"])] == ["A", "B"]
    assert [b.sku for b in stock.balances(at(10))] == ["A"]
    assert [r.reason for r in stock.ledger(order_id="o1")] == ["reserve"]
    assert [r.reason for r in stock.ledger(order_id="")] == ["count"]
    assert stock.ledger(sku="A", limit=0) == [] and len(stock.ledger(sku="A", limit=1)) == 1
    assert {k: raw.dump(k) for k in raw.keys("*")} == before


def test_every_row_is_the_plain_ledgers_even_when_time_steps_back(server: str) -> None:
    stock, plain = RedisStock(server), PlainLedger()
    rnd = random.Random(1111)
    now = T0
    for sku, n in (("A", 6), ("B", 3), ("C", 9)):
        assert stock.count(sku, n, now=now) == plain.count(sku, n, now)
    for _ in range(1500):
        now += dt.timedelta(minutes=rnd.choice([0, 0, 1, 2, 5, -3]))  # a replay may step back a little
        order = f"o{rnd.randint(0, 40)}"
        lines = [Line(rnd.choice("ABCD"), rnd.randint(1, 3)) for _ in range(rnd.randint(0, 3))]
        step = rnd.choice(["reserve"] * 4 + ["commit"] * 2 + ["release", "ship", "count", "receive", "expire"])
        if step == "reserve":
            until = now + dt.timedelta(minutes=rnd.randint(-1, 20))
            got, want = stock.reserve(order, lines, hold_until=until, now=now, source="t"), plain.reserve(
                order, lines, until, now, "t")
        elif step == "commit":
            got, want = stock.commit(order, lines, now=now, source="t"), plain.commit(order, lines, now, "t")
        elif step == "release":
            got, want = stock.release(order, now=now), plain.release(order, now)
        elif step == "ship":
            got, want = stock.ship(order, now=now), plain.ship(order, now)
        elif step == "count":
            sku, n = rnd.choice("ABCD"), rnd.randint(-1, 12)
            got, want = stock.count(sku, n, now=now), plain.count(sku, n, now)
        elif step == "receive":
            sku, n = rnd.choice("ABCD"), rnd.randint(-1, 4)
            got, want = stock.receive(sku, n, now=now), plain.receive(sku, n, now)
        else:
            got, want = stock.expire(now), plain.expire(now)
        assert got == want, step
        assert stock.balances(now, ["A", "B", "C", "D"]) == [plain.balance(s, now) for s in "ABCD"]
    assert stock.ledger(limit=-1) == plain.rows
    for sku in "ABCD":
        assert stock.ledger(sku=sku, limit=-1) == [r for r in plain.rows if r.sku == sku]
    for order in ("o1", "o7", ""):
        assert stock.ledger(order_id=order, limit=-1) == [r for r in plain.rows if r.order_id == order]
        assert stock.ledger(order_id=order, sku="A", limit=3) == [
            r for r in plain.rows if r.order_id == order and r.sku == "A"][:3]
    assert stock.ledger(limit=5) == plain.rows[:5]
