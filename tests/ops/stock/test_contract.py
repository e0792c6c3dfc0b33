"""The one contract every stock backend keeps (SQLite and Redis, each run here): hand-worked cases of each
promise in `dachu.domain.stock.model`, then a hypothesis stateful test comparing the backend with the plain
in-memory ledger step by step."""

from __future__ import annotations

import datetime as dt

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from dachu.domain.stock.model import Line, Outcome, PlainLedger, Short
from dachu.ops.stock.backend import StockBackend, open_backend

T0 = dt.datetime(2026, 11, 11, 0, 0)


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def available(stock: StockBackend, sku: str, now: dt.datetime) -> int:
    return stock.balances(now, [sku])[0].available


def test_a_reservation_holds_all_lines_or_none_and_answers_what_is_short(stock: StockBackend) -> None:
    assert stock.count("A", 5, now=at(0)) and stock.count("B", 1, now=at(0))
    got = stock.reserve("o1", [Line("A", 2), Line("B", 2)], hold_until=at(30), now=at(1))
    assert got == Outcome(False, short=(Short("B", 1),))
    assert available(stock, "A", at(1)) == 5  # nothing held of a refused order
    ok = stock.reserve("o2", [Line("A", 2), Line("A", 1), Line("B", 1)], hold_until=at(30), now=at(2))
    assert ok == Outcome(True, (Line("A", 3), Line("B", 1)))  # one line per SKU
    b = stock.balances(at(2), ["A", "B"])
    assert [(x.sku, x.on_hand, x.reserved, x.allocated, x.available) for x in b] == [
        ("A", 5, 3, 0, 2), ("B", 1, 1, 0, 0)]


def test_every_step_is_idempotent_by_order(stock: StockBackend) -> None:
    stock.count("A", 3, now=at(0))
    first = stock.reserve("o1", [Line("A", 2)], hold_until=at(30), now=at(1))
    again = stock.reserve("o1", [Line("A", 2)], hold_until=at(30), now=at(2))
    assert first.ok and again == Outcome(True, (Line("A", 2),), repeated=True)
    assert available(stock, "A", at(2)) == 1
    assert stock.commit("o1", [], now=at(3)).ok
    assert stock.commit("o1", [], now=at(4)).repeated
    assert stock.ship("o1", now=at(5)) and not stock.ship("o1", now=at(6))
    b = stock.balances(at(6), ["A"])[0]
    assert (b.on_hand, b.reserved, b.allocated, b.shipped, b.available) == (1, 0, 0, 2, 1)
    assert not stock.release("o1", now=at(7))  # shipped: nothing to free


def test_holds_expire_on_read_and_the_clean_up_is_idempotent(stock: StockBackend) -> None:
    stock.count("A", 2, now=at(0))
    assert stock.reserve("o1", [Line("A", 2)], hold_until=at(30), now=at(0)).ok
    assert available(stock, "A", at(29)) == 0
    assert available(stock, "A", at(30)) == 2  # the hold ends at 30: free again, before any clean-up
    assert stock.reserve("o2", [Line("A", 2)], hold_until=at(60), now=at(31)).ok  # takes the expired units
    assert stock.reserve("o1", [], hold_until=at(90), now=at(32)) == Outcome(False, (Line("A", 2),), repeated=True)
    assert stock.expire(at(61)) == 1 and stock.expire(at(61)) == 0
    reasons = [(r.reason, r.order_id, r.reserved) for r in stock.ledger(sku="A")]
    assert reasons == [("count", "", 0), ("reserve", "o1", 2), ("expire", "o1", -2), ("reserve", "o2", 2),
                       ("expire", "o2", -2)]


def test_a_late_payment_takes_the_units_again_or_is_refused(stock: StockBackend) -> None:
    stock.count("A", 1, now=at(0))
    stock.reserve("o1", [Line("A", 1)], hold_until=at(10), now=at(0))
    assert stock.commit("o1", [], now=at(20)) == Outcome(True, (Line("A", 1),))  # expired, still there
    stock.reserve("o2", [Line("A", 1)], hold_until=at(30), now=at(21))  # nothing left: refused
    assert stock.commit("o3", [Line("A", 1)], now=at(22)) == Outcome(False, short=(Short("A", 0),))
    assert [r.reason for r in stock.ledger(order_id="o3")] == ["refused"]
    assert stock.release("o1", now=at(23)) and available(stock, "A", at(23)) == 1
    assert stock.commit("o1", [], now=at(24)) == Outcome(False, (Line("A", 1),))  # closed orders stay closed


def test_a_count_below_what_is_promised_is_refused(stock: StockBackend) -> None:
    stock.count("A", 10, now=at(0))
    stock.reserve("o1", [Line("A", 4)], hold_until=at(30), now=at(0))
    stock.commit("o2", [Line("A", 3)], now=at(0))
    assert not stock.count("A", 6, now=at(1)) and not stock.count("A", -1, now=at(1))
    assert stock.count("A", 7, now=at(1)) and available(stock, "A", at(1)) == 0
    assert stock.receive("A", 5, now=at(2)) and not stock.receive("A", 0, now=at(2))
    assert available(stock, "A", at(2)) == 5
    assert stock.count("A", 3, now=at(31))  # the hold has ended: only the 3 allocated are promised


def test_the_ledger_sums_to_the_balance(stock: StockBackend) -> None:
    stock.count("A", 10, now=at(0))
    for i in range(6):
        stock.reserve(f"o{i}", [Line("A", 1)], hold_until=at(10 + i), now=at(i))
    stock.commit("o0", [], now=at(6))
    stock.release("o1", now=at(6))
    stock.ship("o0", now=at(7))
    stock.expire(at(100))
    rows = stock.ledger(sku="A")
    b = stock.balances(at(100), ["A"])[0]
    assert (sum(r.on_hand for r in rows), sum(r.reserved for r in rows), sum(r.allocated for r in rows)) == (
        b.on_hand, b.reserved, b.allocated) == (9, 0, 0)


ORDERS = st.sampled_from([f"o{i}" for i in range(8)])
SKUS = st.sampled_from(["A", "B", "C"])
LINES = st.lists(st.builds(Line, SKUS, st.integers(1, 3)), min_size=0, max_size=3)


class SameAsThePlainLedger(RuleBasedStateMachine):
    """Each step on the backend and on `PlainLedger` answers the same; the balances agree after each."""

    url: str = ""

    def __init__(self) -> None:
        super().__init__()
        self.plain = PlainLedger()
        self.stock = open_backend(self.url)
        self.now = T0

    @initialize()
    def stock_up(self) -> None:
        for sku, n in (("A", 4), ("B", 2), ("C", 6)):
            assert self.stock.count(sku, n, now=self.now) == self.plain.count(sku, n, self.now)

    @rule(minutes=st.integers(0, 20))
    def time_passes(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)

    @rule(order=ORDERS, lines=LINES, hold=st.integers(1, 30))
    def reserve(self, order: str, lines: list[Line], hold: int) -> None:
        until = self.now + dt.timedelta(minutes=hold)
        assert self.stock.reserve(order, lines, hold_until=until, now=self.now) == self.plain.reserve(
            order, lines, until, self.now)

    @rule(order=ORDERS, lines=LINES)
    def commit(self, order: str, lines: list[Line]) -> None:
        assert self.stock.commit(order, lines, now=self.now) == self.plain.commit(order, lines, self.now)

    @rule(order=ORDERS)
    def release(self, order: str) -> None:
        assert self.stock.release(order, now=self.now) == self.plain.release(order, self.now)

    @rule(order=ORDERS)
    def ship(self, order: str) -> None:
        assert self.stock.ship(order, now=self.now) == self.plain.ship(order, self.now)

    @rule(sku=SKUS, n=st.integers(-1, 8))
    def count(self, sku: str, n: int) -> None:
        assert self.stock.count(sku, n, now=self.now) == self.plain.count(sku, n, self.now)

    @rule(sku=SKUS, n=st.integers(-1, 4))
    def receive(self, sku: str, n: int) -> None:
        assert self.stock.receive(sku, n, now=self.now) == self.plain.receive(sku, n, self.now)

    @rule()
    def expire(self) -> None:
        assert self.stock.expire(self.now) == self.plain.expire(self.now)

    @invariant()
    def same_balances_never_negative(self) -> None:
        got = self.stock.balances(self.now, ["A", "B", "C"])
        assert got == [self.plain.balance(s, self.now) for s in ("A", "B", "C")]
        assert all(b.available >= 0 for b in got)

    @invariant()
    def same_ledger(self) -> None:
        assert self.stock.ledger(limit=10**9) == self.plain.rows  # row for row, in order

    def teardown(self) -> None:
        self.stock.close()


def test_the_backend_behaves_as_the_plain_ledger(stock_url: str) -> None:
    import redis

    class Machine(SameAsThePlainLedger):
        url = stock_url

        def __init__(self) -> None:
            if stock_url.startswith("redis://"):
                redis.Redis.from_url(stock_url).flushdb()
            else:
                from pathlib import Path

                Path(stock_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
            super().__init__()

    Machine.TestCase.settings = settings(max_examples=100, stateful_step_count=30, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow])
    Machine.TestCase().runTest()
