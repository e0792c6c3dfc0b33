"""The fast path for CSV exports: transcode outside Python, then DuckDB's CSV reader.

Why: decoding GBK in Python (pyarrow asks Python's codec for every block, holding the GIL) cost about as
much as pandas' whole parse of the same file. Instead:

1. GBK/GB2312/GB18030 files are transcoded by glibc's `iconv` program (a C decoder in its own process,
   on the other core) into a pipe DuckDB reads (`IconvPipe`). `iconv` stops at the first byte it cannot
   decode; only then is the file transcoded again, in Python with U+FFFD for the bad bytes, into a
   temporary file, so the broken rows are quarantined one by one ("broken encoding") instead of failing
   the import. UTF-8 files are read as they are (DuckDB checks them; one invalid byte sends the file
   down the same Python route). Without `iconv` (not a glibc system) the Python route is taken.
2. DuckDB's `read_csv` (every column text, strict about the column count) parses the UTF-8; the
   clean-up and checks run in the same query (`engine.stage_select`). Rows with too few or too many
   fields go to its rejects table with their line numbers (`read_rejects`); `_line` of the other rows
   is their record number, corrected for the rejected rows skipped before them (`fix_lines`). A file
   the strict reader cannot follow at all (say an unterminated quote) is read by the tolerant reader.

Line numbers count records (the header is line 1); they equal physical lines unless a quoted field
spans lines.
"""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb  # noqa: TID251 - the ban guards dachu.domain; importers read through the store's DuckDB

from dachu.data.importers.reader import REPLACEMENT, InvalidRow

REJECTS = "_import_rejects"
REJECT_SCANS = "_import_reject_scans"
CHUNK = 4 << 20
"""Bytes per read while transcoding in Python (the fallback): memory follows this, not the file."""
ICONV_PIECE = 32 << 20
"""Bytes per `iconv` run (it holds its whole input): memory follows this, not the file."""


@dataclass(frozen=True)
class Utf8File:
    """A UTF-8 version of an export for DuckDB to read."""

    path: Path
    replaced: bool = False
    """Bytes the encoding could not decode became U+FFFD (look for it in every column)."""


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class IconvPipe:
    """glibc's `iconv` transcoding a file to UTF-8 into a pipe DuckDB reads as `/dev/fd/N`.

    Transcoding (one core) and parsing (the other) overlap. `iconv` reads all its input into memory
    before converting it (measured: 270 MB for a 1M-order export, 6 GB for 15M), so a thread hands it
    the file in pieces of about `ICONV_PIECE` bytes, one `iconv` run per piece, each cut just after a
    newline (a byte GBK and GB18030 never use inside a character). `finish()` says whether every piece
    was transcoded; at a byte it cannot decode `iconv` stops, and the caller reads the file another way.
    """

    def __init__(self, path: Path, encoding: str) -> None:
        exe = shutil.which("iconv")
        if exe is None or not Path("/dev/fd").is_dir():
            raise FileNotFoundError("iconv")
        self._cmd = [exe, "-f", encoding.upper(), "-t", "UTF-8"]
        read_end, self._write_end = os.pipe()
        self._reader = os.fdopen(read_end, "rb", buffering=0)
        self.path = Path(f"/dev/fd/{read_end}")
        self._fed = 0
        self._ok = True
        self._stop = threading.Event()
        self._proc: subprocess.Popen[bytes] | None = None
        self._feeder = threading.Thread(target=self._feed, args=(path,), daemon=True)
        self._feeder.start()

    def _run(self, piece: bytes) -> bool:
        self._proc = subprocess.Popen(
            self._cmd, stdin=subprocess.PIPE, stdout=self._write_end, stderr=subprocess.DEVNULL
        )
        try:
            self._proc.communicate(piece)
        except (BrokenPipeError, OSError):
            pass
        return self._proc.wait() == 0

    def _feed(self, path: Path) -> None:
        try:
            with path.open("rb") as src:
                carry = b""
                while not self._stop.is_set():
                    block = src.read(ICONV_PIECE)
                    if not block:
                        break
                    data = carry + block
                    cut = data.rfind(b"\n") + 1
                    if cut == 0:  # no newline yet: a very long line, keep reading
                        carry = data
                        continue
                    piece, carry = data[:cut], data[cut:]
                    if not self._run(piece):
                        self._ok = False
                        return
                    self._fed += len(piece)
                if carry and not self._stop.is_set():
                    self._ok = self._run(carry)
                    self._fed += len(carry)
        except OSError:
            self._ok = False
        finally:
            os.close(self._write_end)  # the reader sees the end of the file

    def position(self) -> int:
        """Bytes of the file transcoded so far."""
        return self._fed

    def finish(self) -> bool:
        """Stop reading and wait for the feeder; True if every piece was transcoded."""
        self._stop.set()
        self._reader.close()  # a run still writing gets a broken pipe and ends
        self._feeder.join()
        return self._ok and not self._feeder.is_alive()


def iconv_available() -> bool:
    """Whether the `iconv` program and `/dev/fd` are there (glibc systems: Debian, Ubuntu…)."""
    return shutil.which("iconv") is not None and Path("/dev/fd").is_dir()


def transcode_python(path: Path, encoding: str, out: Path) -> None:
    """Transcode `path` to UTF-8 in `out`, chunk by chunk, bad bytes becoming U+FFFD."""
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            dst.write(decoder.decode(chunk))
        dst.write(decoder.decode(b"", final=True))


def read_csv_sql(source: Utf8File, ncols: int, *, has_header: bool) -> str:
    """SQL for the rows of `source` as text columns c0…, `_line`, `_bad` and `_bad_raw` (as `mark_broken`)."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(ncols)) + "}"
    first = 2 if has_header else 1
    scan = (
        f"read_csv({_q(str(source.path))}, columns = {columns}, header = false, "
        f"skip = {1 if has_header else 0}, delim = ',', quote = '\"', escape = '\"', auto_detect = false, "
        f"strict_mode = true, store_rejects = true, rejects_table = {_q(REJECTS)}, "
        f"rejects_scan = {_q(REJECT_SCANS)}, encoding = 'utf-8')"
    )
    if source.replaced:
        mark = _q(REPLACEMENT)
        bad = " ".join(f"WHEN contains(c{i}, {mark}) THEN {i}" for i in range(ncols))
        bad_raw = " ".join(f"WHEN contains(c{i}, {mark}) THEN c{i}" for i in range(ncols))
        broken = f"CAST(CASE {bad} END AS INTEGER) AS _bad, CAST(CASE {bad_raw} END AS VARCHAR) AS _bad_raw"
    else:
        broken = "CAST(NULL AS INTEGER) AS _bad, CAST(NULL AS VARCHAR) AS _bad_raw"
    names = ", ".join(f"c{i}" for i in range(ncols))
    return f"(SELECT row_number() OVER () + {first - 1} AS _line, {names}, {broken} FROM {scan})"


def drop_rejects(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the rejects of an earlier read."""
    con.execute(f"DROP TABLE IF EXISTS {REJECTS}")
    con.execute(f"DROP TABLE IF EXISTS {REJECT_SCANS}")


@dataclass(frozen=True)
class Rejects:
    """What DuckDB's reader refused: rows of the wrong width, and whether any byte was not UTF-8."""

    invalid: list[InvalidRow]
    bad_unicode: bool


def read_rejects(con: duckdb.DuckDBPyConnection, ncols: int) -> Rejects:
    """The rows DuckDB refused in the last read, one per line (a short row is reported per missing field)."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [REJECTS]
    ).fetchone()
    if not exists or not exists[0]:
        return Rejects([], False)
    rows = con.execute(
        f"SELECT line, bool_or(error_type = 'INVALID UNICODE'), bool_or(error_type = 'TOO MANY COLUMNS'), "
        f"min(column_idx), any_value(csv_line) FROM {REJECTS} GROUP BY line ORDER BY line"
    ).fetchall()
    invalid = []
    bad_unicode = False
    for line, unicode_error, too_many, column, text in rows:
        bad_unicode = bad_unicode or bool(unicode_error)
        # a row is short or long; anything else DuckDB refuses (a stray quote) is not the header's shape
        fields = ncols + 1 if too_many else min(int(column or 0), ncols - 1)
        invalid.append(InvalidRow(int(line), (text or "").strip("\r\n"), fields, ncols))
    return Rejects(invalid, bad_unicode)


def fix_lines(con: duckdb.DuckDBPyConnection, stage: str, rejected_lines: list[int], first: int) -> None:
    """Renumber `_line` in `stage` (record numbers of accepted rows) to skip the rejected lines.

    The k-th accepted row sits on line `first - 1 + k + #{rejected lines r_i with a_i < k}`, where
    `a_i = r_i - first - (i - 1)` is how many accepted rows come before the i-th rejected line.
    """
    if not rejected_lines:
        return
    before = [r - first - i for i, r in enumerate(sorted(rejected_lines))]
    values = ", ".join(f"({a})" for a in before)
    con.execute(
        f"UPDATE {stage} SET _line = _line + (SELECT count(*) FROM (VALUES {values}) v(a) "
        f"WHERE v.a < {stage}._line - {first - 1})"
    )


class ProgressPoller:
    """Reports bytes done while one long query runs: a thread polls `position()` a few times a second.

    `progress(delta)` gets the growth since the last call; `stop()` reports the rest up to `size`.
    """

    def __init__(self, progress: Callable[[int], None] | None, size: int, position: Callable[[], int]) -> None:
        self._progress, self._size, self._position = progress, size, position
        self._done = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True) if progress else None
        if self._thread:
            self._thread.start()

    def _report(self, at: int) -> None:
        at = min(max(at, self._done), self._size)
        if self._progress and at > self._done:
            self._progress(at - self._done)
            self._done = at

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            try:
                self._report(self._position())
            except (OSError, ValueError):
                return

    def stop(self) -> None:
        """Stop polling and report the file as read."""
        self._stop.set()
        if self._thread:
            self._thread.join()
        self._report(self._size)
