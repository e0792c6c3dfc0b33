"""The embedded stock ledger: one SQLite file in WAL mode, every step one `BEGIN IMMEDIATE` transaction.

Why SQLite and not the store: DuckDB is a single-writer analytical store (one process holds the file; its
transactions are built for scans, not thousands of one-row writes a second), while SQLite's WAL mode lets
many processes read while one writes, and `BEGIN IMMEDIATE` takes the write lock before the check, so two
checkouts can never both see the last unit. Writers queue on the lock (`busy_timeout`), never fail.

Tables (the promises: `dachu.domain.stock.model`):
- `balances` — per SKU on hand, reserved (held, expired holds included until cleaned), allocated, shipped,
  kept in step with the ledger in the same transaction; a CHECK keeps on hand − allocated − reserved ≥ 0.
- `ledger` — append-only: every change with its reason, signed deltas, order, source and time.
- `stock_orders` — each order's state (held, allocated, released, expired, shipped), hold end and lines.
- `holds` — the held lines by SKU and hold end, so a reserve finds a SKU's ended holds with one index read
  and expires those orders (wholly) before it checks: expiry is applied on read, and `expire(now)` is the
  idempotent clean-up of the rest.

Durability: `synchronous=NORMAL` in WAL mode: a committed step survives the process being killed (kill -9)
at any point; only a power cut may lose the last steps (`synchronous=FULL` via `durable=True` trades speed
for that: every commit waits for the disk).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from dachu.domain.stock.model import Balance, LedgerRow, Line, Outcome, Reason, Short, merge

SCHEMA = """
CREATE TABLE IF NOT EXISTS balances (
  sku TEXT PRIMARY KEY,
  on_hand INTEGER NOT NULL DEFAULT 0,
  reserved INTEGER NOT NULL DEFAULT 0,
  allocated INTEGER NOT NULL DEFAULT 0,
  shipped INTEGER NOT NULL DEFAULT 0,
  CHECK (reserved >= 0 AND allocated >= 0 AND on_hand - allocated - reserved >= 0)
);
CREATE TABLE IF NOT EXISTS ledger (
  id INTEGER PRIMARY KEY,
  sku TEXT NOT NULL,
  reason TEXT NOT NULL,
  on_hand INTEGER NOT NULL,
  reserved INTEGER NOT NULL,
  allocated INTEGER NOT NULL,
  order_id TEXT NOT NULL,
  source TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_sku ON ledger (sku, id);
CREATE INDEX IF NOT EXISTS ledger_order ON ledger (order_id, id);
CREATE TABLE IF NOT EXISTS stock_orders (
  order_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  hold_until TEXT,
  lines TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS holds (
  sku TEXT NOT NULL,
  hold_until TEXT NOT NULL,
  order_id TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  PRIMARY KEY (sku, hold_until, order_id)
) WITHOUT ROWID;
"""


_COLUMNS = "sku, on_hand, reserved, allocated, shipped"


def _t(at: dt.datetime) -> str:
    """A time as stored: ISO with microseconds, so text order is time order."""
    return at.isoformat(sep=" ", timespec="microseconds")


def _lines(text: str) -> tuple[Line, ...]:
    return tuple(Line(sku, int(q)) for sku, q in json.loads(text))


class SqliteStock:
    """The ledger in one SQLite file (see the module docstring). One connection per thread."""

    def __init__(self, path: Path, *, durable: bool = False, busy_timeout_ms: int = 60_000) -> None:
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self._durable = durable
        self._busy = busy_timeout_ms
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        con = self._con()
        con.executescript(SCHEMA)

    def _con(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, isolation_level=None, timeout=self._busy / 1000,
                                  check_same_thread=False)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(f"PRAGMA synchronous={'FULL' if self._durable else 'NORMAL'}")
            con.execute(f"PRAGMA busy_timeout={self._busy}")
            self._local.con = con
            with self._lock:
                self._all.append(con)
        return con

    # -- one transaction ---------------------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many steps of this thread in one transaction (the war room's batch of events): one commit for all.

        Each step keeps its own checks and answers; the batch is all or nothing (an error rolls every step of
        it back: the event log, which still holds the events, gives them again at the next start-up).
        """
        if getattr(self._local, "batch", False):
            yield
            return
        with self._tx():
            self._local.batch = True
            try:
                yield
            finally:
                self._local.batch = False

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One step: `BEGIN IMMEDIATE` (the write lock before any check), committed, or rolled back on error."""
        con = self._con()
        if getattr(self._local, "batch", False):  # inside `batch()`: its transaction
            yield con
            return
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    @staticmethod
    def _row(con: sqlite3.Connection, sku: str, reason: Reason, order: str, source: str, at: str, *,
             on_hand: int = 0, reserved: int = 0, allocated: int = 0, shipped: int = 0) -> None:
        con.execute(
            "INSERT INTO ledger (sku, reason, on_hand, reserved, allocated, order_id, source, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (sku, reason, on_hand, reserved, allocated, order, source, at),
        )
        if on_hand or reserved or allocated or shipped:
            # an update first: SQLite checks an upsert's CHECK on the row it would insert, before the conflict
            changed = con.execute(
                "UPDATE balances SET on_hand = on_hand + ?, reserved = reserved + ?, allocated = allocated + ?, "
                "shipped = shipped + ? WHERE sku = ?",
                (on_hand, reserved, allocated, shipped, sku),
            ).rowcount
            if not changed:
                con.execute("INSERT INTO balances (sku, on_hand, reserved, allocated, shipped) VALUES (?, ?, ?, ?, ?)",
                            (sku, on_hand, reserved, allocated, shipped))

    def _expire_order(self, con: sqlite3.Connection, order: str, hold_until: str, lines: Sequence[Line],
                      at: str) -> None:
        for line in lines:
            con.execute("DELETE FROM holds WHERE sku = ? AND hold_until = ? AND order_id = ?",
                        (line.sku, hold_until, order))
            self._row(con, line.sku, "expire", order, "", at, reserved=-line.quantity)
        con.execute("UPDATE stock_orders SET state = 'expired' WHERE order_id = ?", (order,))

    def _lapse_skus(self, con: sqlite3.Connection, skus: Sequence[str], at: str) -> None:
        """Expire, wholly, the held orders with a line of `skus` whose hold ended by `at`."""
        orders: set[str] = set()
        for sku in skus:
            orders.update(r[0] for r in con.execute(
                "SELECT order_id FROM holds WHERE sku = ? AND hold_until <= ?", (sku, at)))
        for order in sorted(orders):
            self._lapse_order(con, order, at)

    def _lapse_order(self, con: sqlite3.Connection, order: str, at: str) -> tuple[str, tuple[Line, ...]] | None:
        """The order's (state, lines) after expiring it if its hold ended; None if the ledger has no such order."""
        row = con.execute("SELECT state, hold_until, lines FROM stock_orders WHERE order_id = ?", (order,)).fetchone()
        if row is None:
            return None
        state, hold_until, text = row
        lines = _lines(text)
        if state == "held" and hold_until is not None and hold_until <= at:
            self._expire_order(con, order, hold_until, lines, at)
            state = "expired"
        return str(state), lines

    @staticmethod
    def _drop_holds(con: sqlite3.Connection, order: str, lines: Sequence[Line]) -> None:
        for line in lines:
            con.execute("DELETE FROM holds WHERE sku = ? AND order_id = ?", (line.sku, order))

    @staticmethod
    def _short(con: sqlite3.Connection, lines: Sequence[Line]) -> tuple[Short, ...]:
        out = []
        for line in lines:
            row = con.execute("SELECT on_hand - allocated - reserved FROM balances WHERE sku = ?",
                              (line.sku,)).fetchone()
            available = int(row[0]) if row else 0
            if available < line.quantity:
                out.append(Short(line.sku, max(0, available)))
        return tuple(out)

    def _refuse(self, con: sqlite3.Connection, order: str, short: Sequence[Short], source: str, at: str) -> Outcome:
        for s in short:
            self._row(con, s.sku, "refused", order, source, at)
        return Outcome(False, short=tuple(short))

    # -- the seam ----------------------------------------------------------------------------------------

    def reserve(self, order_id: str, lines: Sequence[Line], *, hold_until: dt.datetime, now: dt.datetime,
                source: str = "") -> Outcome:
        """Hold every line until `hold_until`, or none (see `dachu.domain.stock.model`)."""
        wanted = merge(lines)
        at = _t(now)
        with self._tx() as con:
            known = self._lapse_order(con, order_id, at)
            if known is not None:
                outcome = Outcome(known[0] in ("held", "allocated", "shipped"), known[1], repeated=True)
            else:
                self._lapse_skus(con, [line.sku for line in wanted], at)
                short = self._short(con, wanted)
                if short:
                    outcome = self._refuse(con, order_id, short, source, at)
                else:
                    until = _t(hold_until)
                    con.execute("INSERT INTO stock_orders VALUES (?, 'held', ?, ?)",
                                (order_id, until, json.dumps([[x.sku, x.quantity] for x in wanted])))
                    for line in wanted:
                        con.execute("INSERT INTO holds VALUES (?, ?, ?, ?)", (line.sku, until, order_id, line.quantity))
                        self._row(con, line.sku, "reserve", order_id, source, at, reserved=line.quantity)
                    outcome = Outcome(True, wanted)
        return outcome

    def commit(self, order_id: str, lines: Sequence[Line], *, now: dt.datetime, source: str = "") -> Outcome:
        """Allocate the order's units: its held ones, else taken again if available (see the model)."""
        at = _t(now)
        with self._tx() as con:
            known = self._lapse_order(con, order_id, at)
            state, wanted = known if known is not None else ("", merge(lines))
            if state in ("allocated", "shipped"):
                outcome = Outcome(True, wanted, repeated=True)
            elif state == "released":
                outcome = Outcome(False, wanted)
            else:
                held = state == "held"
                if not held:
                    self._lapse_skus(con, [x.sku for x in wanted], at)
                short = () if held else self._short(con, wanted)
                if short:
                    outcome = self._refuse(con, order_id, short, source, at)
                else:
                    if held:
                        self._drop_holds(con, order_id, wanted)
                    for line in wanted:
                        self._row(con, line.sku, "commit", order_id, source, at,
                                  reserved=-line.quantity if held else 0, allocated=line.quantity)
                    con.execute(
                        "INSERT INTO stock_orders VALUES (?, 'allocated', NULL, ?) ON CONFLICT (order_id) DO UPDATE "
                        "SET state = 'allocated', hold_until = NULL",
                        (order_id, json.dumps([[x.sku, x.quantity] for x in wanted])),
                    )
                    outcome = Outcome(True, wanted)
        return outcome

    def release(self, order_id: str, *, now: dt.datetime, source: str = "") -> bool:
        """Free a held or allocated order's units; False when there is nothing to free."""
        at = _t(now)
        with self._tx() as con:
            known = self._lapse_order(con, order_id, at)
            freed = known is not None and known[0] in ("held", "allocated")
            if known is not None and freed:
                state, lines = known
                if state == "held":
                    self._drop_holds(con, order_id, lines)
                for line in lines:
                    if state == "allocated":
                        self._row(con, line.sku, "release", order_id, source, at, allocated=-line.quantity)
                    else:
                        self._row(con, line.sku, "release", order_id, source, at, reserved=-line.quantity)
                con.execute("UPDATE stock_orders SET state = 'released', hold_until = NULL WHERE order_id = ?",
                            (order_id,))
        return freed

    def ship(self, order_id: str, *, now: dt.datetime, source: str = "") -> bool:
        """Ship an allocated order: its units leave on hand and allocated; False when not allocated."""
        at = _t(now)
        with self._tx() as con:
            known = self._lapse_order(con, order_id, at)
            shipped = known is not None and known[0] == "allocated"
            if known is not None and shipped:
                for line in known[1]:
                    self._row(con, line.sku, "ship", order_id, source, at, on_hand=-line.quantity,
                              allocated=-line.quantity, shipped=line.quantity)
                con.execute("UPDATE stock_orders SET state = 'shipped' WHERE order_id = ?", (order_id,))
        return shipped

    def count(self, sku: str, on_hand: int, *, now: dt.datetime, source: str = "") -> bool:
        """Set on hand from a count; refused below 0 or below what is promised (allocated + unexpired held)."""
        at = _t(now)
        with self._tx() as con:
            self._lapse_skus(con, [sku], at)
            row = con.execute("SELECT on_hand, allocated + reserved FROM balances WHERE sku = ?", (sku,)).fetchone()
            have, promised = (int(row[0]), int(row[1])) if row else (0, 0)
            ok = on_hand >= 0 and on_hand >= promised
            if ok:
                self._row(con, sku, "count", "", source, at, on_hand=on_hand - have)
                con.execute("INSERT INTO balances (sku) VALUES (?) ON CONFLICT (sku) DO NOTHING", (sku,))
        return ok

    def receive(self, sku: str, units: int, *, now: dt.datetime, source: str = "") -> bool:
        """Add a delivery of `units` (> 0) to on hand."""
        if units <= 0:
            return False
        with self._tx() as con:
            self._row(con, sku, "receive", "", source, _t(now), on_hand=units)
        return True

    def expire(self, now: dt.datetime) -> int:
        """Expire every held order whose hold ended by `now`; how many (0 when run again)."""
        at = _t(now)
        with self._tx() as con:
            orders = [r[0] for r in con.execute(
                "SELECT order_id FROM stock_orders WHERE state = 'held' AND hold_until <= ? ORDER BY order_id", (at,))]
            for order in orders:
                self._lapse_order(con, order, at)
        return len(orders)

    def balances(self, now: dt.datetime, skus: Sequence[str] | None = None) -> list[Balance]:
        """Each SKU's balance at `now`, holds ended by then not counted (expiry applied on read)."""
        at = _t(now)
        con = self._con()
        con.execute("BEGIN")  # one snapshot for the balances and the ended holds
        try:
            if skus is None:
                rows = con.execute(f"SELECT {_COLUMNS} FROM balances ORDER BY sku").fetchall()
            else:
                marks = ",".join("?" * len(skus))
                rows = con.execute(
                    f"SELECT {_COLUMNS} FROM balances WHERE sku IN ({marks})", tuple(skus)
                ).fetchall()
            ended = dict(con.execute(
                "SELECT sku, sum(quantity) FROM holds WHERE hold_until <= ? GROUP BY sku", (at,)).fetchall())
        finally:
            con.execute("COMMIT")
        found = {
            r[0]: Balance(r[0], int(r[1]), int(r[2]) - int(ended.get(r[0], 0)), int(r[3]), int(r[4])) for r in rows
        }
        wanted = sorted(found) if skus is None else sorted(set(skus))
        return [found.get(s, Balance(s, 0, 0, 0, 0)) for s in wanted]

    def ledger(self, *, sku: str | None = None, order_id: str | None = None, limit: int = 1000) -> list[LedgerRow]:
        """The ledger's rows, oldest first, for one SKU or order (or all), at most `limit`."""
        where, args = [], []
        if sku is not None:
            where.append("sku = ?")
            args.append(sku)
        if order_id is not None:
            where.append("order_id = ?")
            args.append(order_id)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self._con().execute(
            f"SELECT sku, reason, on_hand, reserved, allocated, order_id, source, at FROM ledger {clause} "
            f"ORDER BY id LIMIT ?", (*args, limit)).fetchall()
        return [LedgerRow(r[0], r[1], int(r[2]), int(r[3]), int(r[4]), r[5], r[6], dt.datetime.fromisoformat(r[7]))
                for r in rows]

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            for con in self._all:
                con.close()
            self._all.clear()
        self._local = threading.local()
