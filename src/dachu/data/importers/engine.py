"""Importing one file: stage typed values, quarantine rejects, upsert, log.

CSV files are staged by one DuckDB query over the file (`duckcsv`: transcoded by `iconv` when not
UTF-8); workbooks and Parquet, and CSV files DuckDB's strict reader gives up on, in Arrow batches.

The accounting every import keeps (and the tests check): `rows_read == inserted + updated + unchanged +
rejected`, counted on the importer's primary table (one row per input row). A row that repeats a key
seen earlier in the same file counts as unchanged (the later row wins); when the repeats differ, the
result names the conflict (`Conflict`: the lines, the one kept, the columns that differ). An import also
marks resolved the rows earlier imports quarantined that it brings in accepted (`_resolve`).
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from python_calamine import CalamineError

from dachu.data.importers import duckcsv
from dachu.data.importers.base import Field, Importer, blank_sql, problem_sql, value_sql
from dachu.data.importers.privacy import MASK_FUNCTION, mask_line, register_mask
from dachu.data.importers.reader import InvalidRow, csv_header_at, mark_broken, sniff_encoding
from dachu.data.importers.workdir import import_folder
from dachu.data.store import Store, UpsertCounts
from dachu.errors import InputError
from dachu.i18n import CATALOGUE

STAGE = "_import_stage"
STAGE_ROWS = "_import_stage_rows"
"""The CSV path's stage table; `STAGE` is then a view numbering its rows (`duckcsv.line_view`)."""
SCRATCH = "dachu_import_scratch"
"""A throw-away database file, beside the store, that stages large CSV files (see `STAGE_IN_MEMORY_BYTES`)."""
STAGE_IN_MEMORY_BYTES = 512 << 20
"""Up to this many bytes of UTF-8 text a CSV file is staged in a temporary table (fast); a larger one in
a table of the `SCRATCH` database. DuckDB evicts a temporary table's blocks poorly: staging 45M events
(1.5 GB) in one, the next query ran out of 512 MB of memory, and 136M events out of 2 GB; staged in a
scratch file, 45M events went through in 512 MB (peak 615 MiB of process memory), at about 1.4x the time
of the temporary table on 1M orders. Memory stays flat as files grow."""
HASH_ALONGSIDE_BYTES = 16 << 20
"""From this size a file new to the store is hashed in a thread while DuckDB reads it (hashlib lets go
of the GIL): measured 0.6 s of 1M orders' import taken off the clock."""
FLUSH_ROWS = 200_000
"""Rows handed to DuckDB per query: large enough for its threads and to spread the per-query cost
(measured: 5 queries of 200k rows took a third of the time of 39 of 26k), small enough for flat memory."""


@dataclass(frozen=True)
class Conflict:
    """A key the file gives more than once with different values (交易成功, then 交易关闭 with a refund).

    `lines` are the lines that give it, `kept` the one stored (the last: an export lists a later state lower
    down), `columns` the file's columns whose values differ.
    """

    key: str
    lines: tuple[int, ...]
    kept: int
    columns: tuple[str, ...]


@dataclass
class ImportResult:
    """What importing one file did."""

    file: str
    source: str
    file_hash: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0
    skipped: bool = False  # already imported (same hash) and not forced
    tables: dict[str, UpsertCounts] = field(default_factory=dict)
    resolved: int = 0  # rows quarantined by earlier imports that this one brought in accepted
    conflicts: list[Conflict] = field(default_factory=list)  # keys repeated with different values

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary."""
        return {
            "file": self.file,
            "source": self.source,
            "hash": self.file_hash,
            "rows_read": self.rows_read,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "seconds": round(self.seconds, 3),
            "already_imported": self.skipped,
            "tables": {k: vars(v) for k, v in self.tables.items()},
            "resolved": self.resolved,
            "conflicts": [vars(c) for c in self.conflicts],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportResult:
        """The result `as_dict` described (what a war room answers to `dachu import --server`)."""
        return cls(
            file=str(data["file"]), source=str(data["source"]), file_hash=str(data["hash"]),
            rows_read=int(data["rows_read"]), inserted=int(data["inserted"]), updated=int(data["updated"]),
            unchanged=int(data["unchanged"]), rejected=int(data["rejected"]), seconds=float(data["seconds"]),
            skipped=bool(data["already_imported"]),
            tables={k: UpsertCounts(**v) for k, v in dict(data.get("tables") or {}).items()},
            resolved=int(data.get("resolved") or 0),
            conflicts=[
                Conflict(str(c["key"]), tuple(c["lines"]), int(c["kept"]), tuple(c["columns"]))
                for c in data.get("conflicts") or []
            ],
        )


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(8 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def stage_select(importer: Importer, header: list[str], source: str = "raw") -> str:
    """SQL selecting typed values and the first problem (`_rej`) from the raw rows in relation `source`.

    Three levels so that each cleaning step runs once per value: trimmed text (`b_*`), typed values,
    then the checks. Broken encoding was marked in Arrow (`_bad`, `_bad_raw`: see `mark_broken`).
    """
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(name, i)
    blanks, values, checks = [], [], []
    for f in importer.fields:
        pos = next((index[h] for h in f.headers if h in index), None)
        if pos is None:
            if f.required:
                raise InputError("data_import.missing_column", file="", column=f.headers[0], header=", ".join(header))
            raw, label = "CAST(NULL AS VARCHAR)", f.headers[0]
        else:
            raw, label = f"c{pos}", header[pos]
        blanks.append(f"{blank_sql(raw)} AS b_{f.name}")
        value = value_sql(f.kind, f"b_{f.name}")
        values.append(f"{value} AS {f.name}")
        for cond, reason in problem_sql(f.kind, f"b_{f.name}", f.name, f.required):
            checks.append((cond, label, raw, reason))
    labels = "[" + ", ".join(_q(name) for name in header) + "]" if header else "[]::VARCHAR[]"
    # raw values stay as read in the stage (scratch, never committed); `dachu_mask` masks them on their way
    # into the quarantine (`_write`)
    broken = (
        f"WHEN _bad IS NOT NULL THEN struct_pack(col := {labels}[_bad + 1], raw := _bad_raw, "
        "reason := 'data_import.reason.broken_encoding') "
    )
    whens = " ".join(
        f"WHEN {cond} THEN struct_pack(col := {_q(label)}, raw := coalesce(CAST({raw} AS VARCHAR), ''), "
        f"reason := {_q(reason)})"
        for cond, label, raw, reason in checks
    )
    rej = f"CASE {broken}{whens} END"
    names = ", ".join(f.name for f in importer.fields)
    return (
        f"SELECT _line, {names}, CAST({rej} AS STRUCT(col VARCHAR, raw VARCHAR, reason VARCHAR)) AS _rej "
        f"FROM (SELECT *, {', '.join(values)} FROM (SELECT *, {', '.join(blanks)} FROM {source}))"
    )


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _stage(
    con: duckdb.DuckDBPyConnection,
    importer: Importer,
    path: Path,
    select: str,
    progress: Callable[[int], None] | None,
) -> tuple[bool, list[InvalidRow]]:
    """Read the file into the stage table; return whether any row came and the invalid rows.

    Batches are gathered into Arrow tables of `FLUSH_ROWS` rows: DuckDB scans each in parallel and
    converts only the columns the importer reads; memory holds one such table at a time.
    """
    drop_stage(con)
    invalid: list[InvalidRow] = []
    pending: list[pa.Table] = []
    created = False

    def flush() -> None:
        nonlocal created
        con.register("raw", mark_broken(pa.concat_tables(pending)))
        try:
            sql = f"INSERT INTO {STAGE} {select}" if created else f"CREATE TEMP TABLE {STAGE} AS {select}"
            con.execute(sql)
        finally:
            con.unregister("raw")
        created = True
        pending.clear()

    for raw in importer.batches(path, progress):
        invalid.extend(raw.invalid)
        if raw.table.num_rows or not (created or pending):
            pending.append(raw.table)
        if sum(t.num_rows for t in pending) >= FLUSH_ROWS:
            flush()
    if pending:
        flush()
    return created, invalid


TRANSCODE_SHARE = 0.35
"""The part of a GBK file's progress bar given to transcoding (measured: about 1 s of 2.7 s on 1M orders)."""


def _stage_csv(
    con: duckdb.DuckDBPyConnection,
    importer: Importer,
    path: Path,
    header: list[str],
    progress: Callable[[int], None] | None,
    work: Path,
) -> tuple[bool, list[InvalidRow]]:
    """Read a CSV file into the stage through DuckDB's CSV reader (see `duckcsv`).

    UTF-8 is read as it is; other encodings are transcoded by `iconv` into a temporary file in `work` (a
    folder beside the store, removed after the import). A byte the encoding cannot decode sends the file
    down the careful route: transcoded in Python with U+FFFD for the bad bytes. A large file is staged in
    the scratch database `SCRATCH` in `work` (see `STAGE_IN_MEMORY_BYTES`).
    """
    encoding = sniff_encoding(path)
    ncols = len(header) if importer.has_header else len(importer.fields)
    skip = csv_header_at(path, encoding) + 1 if importer.has_header else 0  # title lines, then the header
    first = skip + 1
    size = path.stat().st_size
    phase = {"transcoded": 0, "parsing": False, "share": 0.0}

    def position() -> int:
        share = float(phase["share"])
        if not phase["parsing"]:
            return int(int(phase["transcoded"]) * share)
        return int(size * (share + (1 - share) * max(con.query_progress(), 0) / 100))

    def transcoded(n: int) -> None:
        phase["transcoded"] = int(phase["transcoded"]) + n

    target = STAGE_ROWS

    def stage(source: duckcsv.Utf8File) -> duckcsv.Rejects:
        nonlocal target
        rows = duckcsv.read_csv_sql(source, ncols, skip=skip)
        duckcsv.drop_rejects(con)
        drop_stage(con)
        phase["parsing"] = True
        if source.path.stat().st_size <= STAGE_IN_MEMORY_BYTES:
            target, kind = STAGE_ROWS, "TEMP TABLE"
        else:
            con.execute(f"ATTACH {_q(str(work / 'scratch.duckdb'))} AS {SCRATCH}")
            target, kind = f"{SCRATCH}.main.{STAGE_ROWS}", "TABLE"
        con.execute(f"CREATE {kind} {target} AS {stage_select(importer, header, rows)}")
        return duckcsv.read_rejects(con, ncols)

    poller = duckcsv.ProgressPoller(progress, size, position)
    copy = work / "utf8.csv"
    try:
        careful = True
        if encoding in ("utf-8", "utf-8-sig"):
            rejects = stage(duckcsv.Utf8File(path))
            careful = rejects.bad_unicode
        elif duckcsv.iconv_available():
            phase["share"] = TRANSCODE_SHARE
            if duckcsv.transcode_iconv(path, encoding, copy, transcoded):
                rejects = stage(duckcsv.Utf8File(copy))
                careful = False
        if careful:
            phase.update(parsing=False, share=0.0)
            duckcsv.transcode_python(path, encoding, copy)
            rejects = stage(duckcsv.Utf8File(copy, replaced=True))
    finally:
        poller.stop()
        copy.unlink(missing_ok=True)
    duckcsv.drop_rejects(con)
    duckcsv.line_view(con, STAGE, target, [bad.line for bad in rejects.invalid], first)
    return True, rejects.invalid


def drop_stage(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the stage (a table, or a view over `STAGE_ROWS`) and what was built for it."""
    views = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [STAGE]).fetchone()
    con.execute(f"DROP {'VIEW' if views and views[0] else 'TABLE'} IF EXISTS {STAGE}")
    con.execute(f"DROP TABLE IF EXISTS {STAGE_ROWS}")
    con.execute(f"DROP TABLE IF EXISTS {duckcsv.LINE_SHIFTS}")
    attached = con.execute("SELECT database_name FROM duckdb_databases() WHERE database_name = ?", [SCRATCH])
    if attached.fetchall():  # fetched to the end: a pending result would block `register`
        # dropped first, so detaching has nothing to write back; the file goes with the import's folder
        con.execute(f"DROP TABLE IF EXISTS {SCRATCH}.main.{STAGE_ROWS}")
        con.execute(f"DETACH {SCRATCH}")


def _work_dir(store: Store) -> Path | None:
    """Where an import's temporary files go: beside the store file (on disk, not in memory)."""
    if store.path == ":memory:" or not store.path:
        return None
    folder = Path(store.path).resolve().parent
    return folder if folder.is_dir() and os.access(folder, os.W_OK) else None


QUARANTINE_COLUMNS = "file, file_hash, line, col, raw_value, reason, reason_zh, reason_en, source, imported_at"


def _row_key_sql(importer: Importer, header: list[str]) -> tuple[str, list[str]]:
    """SQL naming a stage row by its table and key (`orders:2026…`), and the file's headers of the key.

    The key is the primary table's, less `platform` (the importer decides it); '' when the importer reads
    none of it.
    """
    keys = importer.key_fields()
    if not keys:
        return "", []
    nulls = " OR ".join(f"{k} IS NULL" for k in keys)
    parts = " || '|' || ".join(f"CAST({k} AS VARCHAR)" for k in keys)
    labels = [field_label(f, header) for f in importer.fields if f.name in keys]
    return f"CASE WHEN {nulls} THEN NULL ELSE {_q(importer.primary.name + ':')} || {parts} END", labels


def field_label(f: Field, header: list[str]) -> str:
    """The name the file's header gives field `f` (its first header present), else its first header."""
    return next((h for h in f.headers if h in header), f.headers[0])


def _resolve(
    con: duckdb.DuckDBPyConnection, path: Path, importer: Importer, key_sql: str, digest: str, now: dt.datetime
) -> int:
    """Mark resolved the open quarantined rows of earlier files that this import brought in accepted.

    A row is brought in when this file has the same row (table and key) accepted; a row whose key was the
    problem (a missing or Excel-damaged id) when a file of the same name, read the same way, has its line
    accepted (a corrected download of the same export). Returns how many were resolved.
    """
    by_key = f"row_key IN (SELECT {key_sql} FROM {STAGE} WHERE _rej IS NULL)" if key_sql else "FALSE"
    row = con.execute(
        f"UPDATE quarantine SET resolved_at = ? WHERE resolved_at IS NULL AND file_hash IS DISTINCT FROM ? AND "
        f"({by_key} OR (row_key IS NULL AND source = ? AND regexp_extract(file, '[^/\\\\]+$') = ? "
        f"AND line IN (SELECT _line FROM {STAGE} WHERE _rej IS NULL)))",
        [now, digest, importer.name, path.name],
    ).fetchone()
    return int(row[0]) if row else 0


CONFLICTS_KEPT = 50
"""Conflicting repeats reported per file (the count covers them all)."""


def conflicts(con: duckdb.DuckDBPyConnection, importer: Importer, header: list[str]) -> list[Conflict]:
    """Keys the file repeats with different values among its accepted rows: which lines, which won, what differs.

    Only for importers that read one row per key (an order export, not a line export); the last of the
    repeated rows wins (`latest_per_key`: an export lists a later state lower down).
    """
    keys = importer.key_fields()
    if not keys or not importer.one_row_per_key():
        return []
    others = [f for f in importer.fields if f.name not in keys]
    if not others:
        return []
    differs = ", ".join(
        f"CASE WHEN count(DISTINCT coalesce(CAST({f.name} AS VARCHAR), chr(0))) > 1 "
        f"THEN {_q(field_label(f, header))} END"
        for f in others
    )
    key = " || '|' || ".join(f"CAST({k} AS VARCHAR)" for k in keys)
    rows = con.execute(
        f"SELECT {key} AS k, list(_line ORDER BY _line), concat_ws(chr(31), {differs}) AS cols "
        f"FROM {STAGE} WHERE _rej IS NULL GROUP BY ALL HAVING count(*) > 1 AND cols <> '' "
        f"ORDER BY min(_line) LIMIT {CONFLICTS_KEPT}",
        [],
    ).fetchall()
    return [
        Conflict(str(k), tuple(int(n) for n in lines), int(lines[-1]), tuple(cols.split(chr(31))))
        for k, lines, cols in rows
    ]


def _reason_text(expr: str, lang: int) -> str:
    keys = [k for k in CATALOGUE if k.startswith("data_import.reason.") and not k.endswith(".fix")]
    whens = " ".join(f"WHEN {_q(k)} THEN {_q(CATALOGUE[k][lang])}" for k in keys)
    return f"CASE {expr} {whens} ELSE {expr} END"


def import_file(
    store: Store,
    path: Path,
    importer: Importer,
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import `path` with `importer` into `store`; an already imported file is skipped unless `force`."""
    started = time.perf_counter()
    # a large file never imported under its name is hashed while it is read (the hash is checked before
    # anything is written); a file imported before is hashed first, so an unchanged one is skipped at once
    alongside = path.stat().st_size >= HASH_ALONGSIDE_BYTES and (force or not store.imported_name(path))
    hashing = concurrent.futures.ThreadPoolExecutor(1) if alongside else None
    pending = hashing.submit(file_hash, path) if hashing else None
    if hashing:
        hashing.shutdown(wait=False)
    digest = "" if pending else file_hash(path)
    if digest and store.imported_before(digest) and not force:
        return ImportResult(str(path), importer.name, digest, skipped=True)
    header = importer.header(path) if importer.has_header else [f.headers[0] for f in importer.fields]
    importer = importer.prepare(header, path)
    _check_columns(importer, header, path)
    with import_folder(_work_dir(store)) as work:
        return _import_staged(store, path, importer, header, work, force, progress, (started, digest, pending))


def _check_columns(importer: Importer, header: list[str], path: Path) -> None:
    """Refuse a file that lacks a required column, naming the file, the column and the header it found."""
    for f in importer.fields:
        if f.required and not any(h in header for h in f.headers):
            raise InputError(
                "data_import.missing_column", file=str(path), column=f.headers[0], header=", ".join(header[:8])
            )


def _import_staged(
    store: Store,
    path: Path,
    importer: Importer,
    header: list[str],
    work: Path,
    force: bool,
    progress: Callable[[int], None] | None,
    hashing: tuple[float, str, concurrent.futures.Future[str] | None],
) -> ImportResult:
    """Stage the file (scratch work in `work`), then write it; see `import_file`.

    `hashing` is when the import started, the file's hash, or the hash still being computed alongside.
    """
    con = store.con
    started, digest, pending = hashing
    select = stage_select(importer, header)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    # staging is scratch work outside the transaction: uncommitted rows would be held in memory
    try:
        staged = None
        if importer.is_csv(path):
            try:
                staged = _stage_csv(con, importer, path, header, progress, work)
            except duckdb.Error:  # a file DuckDB's strict reader cannot follow: the tolerant reader below
                duckcsv.drop_rejects(con)
        created, invalid = staged or _stage(con, importer, path, select, progress)
    except (pa.ArrowInvalid, OSError, ValueError, duckdb.Error, CalamineError) as exc:
        drop_stage(con)
        raise InputError("data_import.unreadable", file=str(path), detail=str(exc)[:200]) from exc
    if pending:
        digest = pending.result()
        if store.imported_before(digest) and not force:
            drop_stage(con)
            return ImportResult(str(path), importer.name, digest, skipped=True)
    result = ImportResult(str(path), importer.name, digest)
    # the stage is numbered by now; upserts need no order, and keeping it costs memory DuckDB cannot spill
    con.execute("SET preserve_insertion_order = false")
    try:
        _write(store, path, importer, (header, created, invalid), now, started, result)
    finally:
        con.execute("RESET preserve_insertion_order")
    return result


def _write(
    store: Store,
    path: Path,
    importer: Importer,
    staged: tuple[list[str], bool, list[InvalidRow]],
    now: dt.datetime,
    started: float,
    result: ImportResult,
) -> None:
    """Quarantine, upsert and log the staged file in one transaction (rolled back on any error).

    `staged` is the file's header, whether the stage holds rows, and the rows the reader refused.
    """
    con = store.con
    header, created, invalid = staged
    digest = result.file_hash
    register_mask(con)
    key_sql, key_labels = _row_key_sql(importer, header)
    con.execute("BEGIN TRANSACTION")
    try:
        # a forced re-import replaces the file's earlier rejects instead of repeating them
        con.execute("DELETE FROM quarantine WHERE file_hash = ?", [digest])
        result.rows_read = int(_scalar(con, f"SELECT count(*) FROM {STAGE}")) if created else 0
        invalid_rows = []
        for bad in invalid:
            reason = f"data_import.reason.{'short_row' if bad.fields < bad.expected else 'long_row'}"
            zh, en = CATALOGUE[reason]
            invalid_rows.append(
                (str(path), digest, bad.line, "", mask_line(bad.text, header)[:500], reason, zh, en, importer.name, now)
            )
        result.rows_read += len(invalid_rows)
        if invalid_rows:
            values = ", ".join("?" * 10)
            con.executemany(f"INSERT INTO quarantine ({QUARANTINE_COLUMNS}) VALUES ({values})", invalid_rows)
        if created:
            # finalize may reject rows only the store can judge (a shipment of an unknown order): first
            result.tables = importer.finalize(store, STAGE)
            result.conflicts = conflicts(con, importer, header)
            # the key is kept unless the rejected column is part of it (a missing or damaged id names no row)
            labels = ", ".join(_q(label) for label in key_labels) or "''"
            row_key = f"CASE WHEN _rej.col IN ({labels}) THEN NULL ELSE {key_sql} END" if key_sql else "NULL"
            con.execute(
                f"INSERT INTO quarantine ({QUARANTINE_COLUMNS}, row_key) SELECT ?, ?, _line, _rej.col, "
                f"left({MASK_FUNCTION}(_rej.col, _rej.raw), 500), _rej.reason, "
                f"{_reason_text('_rej.reason', 0)}, {_reason_text('_rej.reason', 1)}, ?, ?, {row_key} "
                f"FROM {STAGE} WHERE _rej IS NOT NULL",
                [str(path), digest, importer.name, now],
            )
            rejects_sql = f"SELECT count(*) FILTER (WHERE _rej IS NOT NULL) FROM {STAGE}"
            staged_rejects = int(_scalar(con, rejects_sql))
            result.resolved = _resolve(con, path, importer, key_sql, digest, now)
        else:
            staged_rejects = 0
        result.rejected = staged_rejects + len(invalid_rows)
        primary = result.tables.get(importer.primary.name, UpsertCounts())
        result.inserted, result.updated = primary.inserted, primary.updated
        result.unchanged = result.rows_read - result.rejected - result.inserted - result.updated
        result.seconds = time.perf_counter() - started
        con.execute(
            "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                str(path),
                digest,
                importer.name,
                result.rows_read,
                result.inserted,
                result.updated,
                result.unchanged,
                result.rejected,
                result.seconds,
                now,
            ],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        drop_stage(con)
        raise
    drop_stage(con)  # after the commit: the stage may sit in the scratch database, which a transaction
    # that wrote to the store may not write to
