"""The store: one DuckDB file in the workspace (数据仓), its schema versioned by migrations.

`Store.open(path)` creates or upgrades the file: `schema_version` records each applied migration, and
`MIGRATIONS` lists them in order (a migration is a function taking the connection). Add a migration at
the end; never edit one that shipped.

Upserts match on a table's key without a database index (an anti-join inserts new keys, an
`UPDATE … FROM` changes existing rows whose values differ), so the counts of inserted, updated and
unchanged rows are exact and large imports stay fast. When no key of the source is in the table yet (a
first import), the upsert is a plain insert: nothing is compared and the source is read once.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import duckdb

from dachu.data import schema
from dachu.errors import FileAccessError, InputError

DEFAULT_STORE = "dachu.duckdb"

_LOCK_HOLDER = re.compile(
    r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)|Conflicting lock is held in (?P<other>\S+)"
)


def _holder(pid: str | None, program: str) -> str:
    """What holds a lock, as the user would recognise it: the command line of `pid` when it can be read."""
    if pid is not None:
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            args = []
        words = [a.decode("utf-8", "replace") for a in args if a]
        if words:
            # `python -m …` or a script: show from the program's own name on (dachu serve campaign.yaml)
            name = next((i for i, w in enumerate(words) if Path(w).name in ("dachu", "dachu.exe")), None)
            shown = words[name:] if name is not None else words
            if name is not None:
                shown[0] = "dachu"
            return " ".join(shown)[:200]
    return program


def connect(
    path: str | Path, *, read_only: bool = False, config: dict[str, str | bool | int | float | list[str]] | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to the store file at `path`; a store another process holds is one clear error.

    DuckDB lets one process write a file at a time (and none read it meanwhile). The error names the
    process holding it (its PID and command line, e.g. a running `dachu serve`) and what to do.

    Raises:
        InputError: `store.locked` when another process holds the file.
    """
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config or {})
    except duckdb.IOException as exc:
        found = _LOCK_HOLDER.search(str(exc))
        if found is None:
            raise _unusable(exc, path) from exc
        pid = found.group("pid")
        program = found.group("program") or found.group("other")
        raise InputError("store.locked", path=str(path), pid=pid or "?", holder=_holder(pid, program)) from None


_OS_REASONS = (
    ("Permission denied", errno.EACCES),
    ("Read-only file system", errno.EROFS),
    ("No space left on device", errno.ENOSPC),
    ("Is a directory", errno.EISDIR),
    ("Not a directory", errno.ENOTDIR),
    ("No such file or directory", errno.ENOENT),
)
"""DuckDB's words for the operating system's errors (it raises its own IOException, not an OSError)."""


def _unusable(exc: duckdb.IOException, path: str | Path) -> Exception:
    """The user's error for a store file DuckDB cannot open: the OS reason, or a file that is no store."""
    text = str(exc)
    if "not a valid DuckDB database file" in text:
        return InputError("store.not_a_store", path=str(path))
    for words, number in _OS_REASONS:
        if words in text:
            return FileAccessError.from_os_error(OSError(number, words, str(path)))
    return exc


def _memory_limit() -> str:
    """A quarter of the machine's memory, never below 512 MB (where the machine does not say: 512 MB).

    The cap of a store's queries (the review at 10M orders peaks at about 3.4 GiB). An import runs under
    its own, smaller cap (`dachu.data.importers.IMPORT_MEMORY_LIMIT`), so its memory stays flat.
    """
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return "512MB"
    return f"{max(512, total // 4 // 2**20)}MiB"


DEFAULT_MEMORY_LIMIT = _memory_limit()
"""DuckDB's memory cap for a store's queries: beyond it, work spills to `<store>.tmp` instead of growing."""


def _v1_initial(con: duckdb.DuckDBPyConnection) -> None:
    for table in schema.TABLES:
        con.execute(table.ddl())


def _v2_review_data(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("ALTER TABLE cs_sessions ADD COLUMN IF NOT EXISTS reply_wait_seconds DOUBLE")
    for table in (schema.COMPLAINTS, schema.DSR_RATINGS, schema.SHIPMENTS):
        con.execute(table.ddl())


def _v3_live_state(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"ALTER TABLE orders ADD COLUMN IF NOT EXISTS deposit_amount {schema.MONEY}")
    con.execute("ALTER TABLE traffic ADD COLUMN IF NOT EXISTS page VARCHAR")


def _v4_outbox(con: duckdb.DuckDBPyConnection) -> None:
    for table in (schema.OUTBOX, schema.OPT_OUTS):
        con.execute(table.ddl())
    # one row per message key, kept by the database itself: planning a message twice can never make two
    con.execute("CREATE UNIQUE INDEX IF NOT EXISTS outbox_key ON outbox (key)")


def _v5_tracking(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(schema.SHIPMENT_EVENTS.ddl())


def _v6_quarantine_resolved(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS row_key VARCHAR")
    con.execute("ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS resolved_at TIMESTAMP")


MIGRATIONS: tuple[tuple[int, str, Callable[[duckdb.DuckDBPyConnection], None]], ...] = (
    (1, "canonical tables, quarantine and import log", _v1_initial),
    (2, "cs_sessions.reply_wait_seconds; complaints, dsr_ratings, shipments", _v2_review_data),
    (3, "orders.deposit_amount (pre-sale); traffic.page (the war room's activity/store page)", _v3_live_state),
    (4, "outbox (messages planned by the rules) and opt_outs (退订)", _v4_outbox),
    (5, "shipment_events (物流轨迹: parcel tracking, for the arrived-in-city and exception notices)", _v5_tracking),
    (6, "quarantine.row_key and resolved_at (rows a later import brought in)", _v6_quarantine_resolved),
)
"""(version, description, apply) in order."""


@dataclass(frozen=True)
class UpsertCounts:
    """What an upsert did: rows new to the table, rows changed, rows already there as given."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


class Store:
    """An open DuckDB store. Use as a context manager, or call `close()`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, memory_limit: str = DEFAULT_MEMORY_LIMIT) -> None:
        self.con = con
        self.path = path
        self.memory_limit = memory_limit
        """DuckDB's memory cap the store was opened with (an import runs under its own, then restores this)."""

    @classmethod
    def open(cls, path: str | Path = DEFAULT_STORE, *, memory_limit: str = DEFAULT_MEMORY_LIMIT) -> Store:
        """Open (creating if needed) the store at `path` (":memory:" for a throw-away one) and migrate."""
        con = connect(path, config={"memory_limit": memory_limit})
        store = cls(con, str(path), memory_limit)
        store.migrate()
        return store

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def version(self) -> int:
        """The highest migration applied (0 for a new file)."""
        row = self.con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> list[int]:
        """Apply the migrations not applied yet, each in its own transaction; return their versions."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
        )
        current = self.version
        applied = []
        for version, description, apply in MIGRATIONS:
            if version <= current:
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                apply(self.con)
                self.con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)",
                    [version, description, dt.datetime.now(dt.UTC).replace(tzinfo=None)],
                )
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise
            applied.append(version)
        return applied

    def upsert(
        self,
        table: schema.Table,
        source: str,
        *,
        keep: tuple[str, ...] = (),
        minutes: tuple[str, ...] = (),
    ) -> UpsertCounts:
        """Upsert the rows of relation `source` (same column names as `table`) into `table`.

        `source` must hold each key once. Columns in `keep` are never overwritten by NULL (a newer
        export that leaves a known time blank does not erase it). Times in `minutes` are never
        coarsened: a value on the whole minute (an export re-saved by Excel as yyyy/MM/dd HH:mm) does not
        replace a stored time with seconds within that minute, so alternating the two changes nothing;
        a value with seconds does refine a stored whole-minute time. Returns exact counts.
        """
        cols = table.column_names
        key = table.key
        value_cols = [c for c in cols if c not in key]

        def value(c: str, target: str) -> str:
            new = f"coalesce(s.{c}, {target}.{c})" if c in keep else f"s.{c}"
            if c in minutes:
                coarse = (
                    f"s.{c} IS NOT NULL AND {target}.{c} IS NOT NULL AND s.{c} = date_trunc('minute', s.{c}) "
                    f"AND date_trunc('minute', {target}.{c}) = s.{c}"
                )
                return f"CASE WHEN {coarse} THEN {target}.{c} ELSE {new} END"
            return new

        def on(target: str) -> str:
            return " AND ".join(f"{target}.{k} IS NOT DISTINCT FROM s.{k}" for k in key)

        def differs(target: str) -> str:
            parts = [f"{target}.{c} IS DISTINCT FROM {value(c, target)}" for c in value_cols]
            return " OR ".join(parts) or "FALSE"

        if not self.overlaps(table, source):  # nothing to compare with: a plain insert (a fresh import)
            inserted_row = self.con.execute(
                f"INSERT INTO {table.name} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {source}"
            ).fetchone()
            return UpsertCounts(int(inserted_row[0]) if inserted_row else 0, 0, 0)
        row = self.con.execute(
            f"SELECT count(*) FILTER (WHERE t.{key[0]} IS NULL), "
            f"count(*) FILTER (WHERE t.{key[0]} IS NOT NULL AND ({differs('t')})), count(*) "
            f"FROM {source} s LEFT JOIN {table.name} t ON {on('t')}"
        ).fetchone()
        assert row is not None
        inserted, updated, total = int(row[0]), int(row[1]), int(row[2])
        name = table.name
        if updated:
            sets = ", ".join(f"{c} = {value(c, name)}" for c in value_cols)
            # fetched, so no unfinished result holds the connection (a registered view cannot be dropped then)
            self.con.execute(
                f"UPDATE {name} SET {sets} FROM {source} s WHERE {on(name)} AND ({differs(name)})"
            ).fetchall()
        if inserted:
            self.con.execute(
                f"INSERT INTO {name} ({', '.join(cols)}) SELECT {', '.join('s.' + c for c in cols)} "
                f"FROM {source} s WHERE NOT EXISTS (SELECT 1 FROM {name} t WHERE {on('t')})"
            ).fetchall()
        return UpsertCounts(inserted, updated, total - inserted - updated)

    def overlaps(self, table: schema.Table, source: str) -> bool:
        """Whether any key of relation `source` is already in `table` (reads the key columns only)."""
        empty = self.con.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table.name})").fetchone()
        if empty and empty[0]:
            return False
        on = " AND ".join(f"t.{k} IS NOT DISTINCT FROM s.{k}" for k in table.key)
        keys = ", ".join(table.key)
        row = self.con.execute(
            f"SELECT EXISTS (SELECT 1 FROM (SELECT {keys} FROM {source}) s JOIN {table.name} t ON {on})"
        ).fetchone()
        return bool(row and row[0])

    def imported_name(self, path: str | Path) -> bool:
        """Whether a file of this name (anywhere) was imported before."""
        name = Path(path).name
        row = self.con.execute(
            "SELECT count(*) FROM import_log WHERE file = ? OR file = ? OR ends_with(file, ?) OR ends_with(file, ?)",
            [str(path), name, "/" + name, "\\" + name],
        ).fetchone()
        return bool(row and row[0])

    def imported_before(self, file_hash: str) -> bool:
        """Whether a file with this content hash was imported before."""
        row = self.con.execute("SELECT count(*) FROM import_log WHERE file_hash = ?", [file_hash]).fetchone()
        return bool(row and row[0])
