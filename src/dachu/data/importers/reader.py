"""Reading an export as the user downloaded it, in batches of all-text columns.

Every reader yields `RawBatch`es: an Arrow table whose columns are named `c0, c1, …` by position (header
names may repeat or carry spaces) plus `_line`, the 1-based line of each row in the file (the header is
line 1), and the rows that could not be split into the header's columns (short or long rows).

Encodings: UTF-8 (with or without BOM) is read as is; anything else (GBK, GB2312, GB18030 — GB18030 is a
superset of both) is transcoded to UTF-8 in a streaming way, chunk by chunk with an incremental decoder.
Undecodable bytes become U+FFFD so the row can be quarantined as "broken encoding" instead of stopping
the whole import. Line numbers count records; they equal physical lines unless a quoted field spans lines.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

REPLACEMENT = "\ufffd"
BLOCK_SIZE = 8 << 20
"""Bytes of CSV parsed per batch: memory use follows this, not the file size."""


@dataclass
class InvalidRow:
    """A row whose field count differs from the header's."""

    line: int
    text: str
    fields: int
    expected: int


@dataclass
class RawBatch:
    """A batch of rows as text, and the invalid rows met while reading it."""

    table: pa.Table
    invalid: list[InvalidRow] = field(default_factory=list)
    bytes_done: int = 0


def sniff_encoding(path: Path) -> str:
    """`utf-8-sig`, `utf-8` or `gb18030` (for GBK/GB2312 exports), judged from the first 256 KiB."""
    with path.open("rb") as fh:
        head = fh.read(256 << 10)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if exc.start < len(head) - 4:
            return "gb18030"
    return "utf-8"


def clean_header(names: list[str]) -> list[str]:
    """Header names without BOM, quotes and the trailing spaces some exports add."""
    return [n.replace("\ufeff", "").strip().strip('"').strip() for n in names]


def read_header(path: Path, encoding: str) -> list[str]:
    """The first line's names, cleaned."""
    with path.open("r", encoding=encoding, errors="replace", newline="") as fh:
        first = fh.readline()
    import csv

    rows = list(csv.reader([first]))
    return clean_header(rows[0]) if rows else []


class _Utf8Stream(io.RawIOBase):
    """A binary stream that yields the UTF-8 transcoding of a file in another encoding."""

    def __init__(self, path: Path, encoding: str, progress: Callable[[int], None] | None) -> None:
        self._fh = path.open("rb")
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._buf = b""
        self._eof = False
        self._progress = progress
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        want = len(target)
        while len(self._buf) < want and not self._eof:
            chunk = self._fh.read(4 << 20)
            self.done += len(chunk)
            if self._progress:
                self._progress(len(chunk))
            if not chunk:
                self._eof = True
                self._buf += self._decoder.decode(b"", final=True).encode("utf-8")
            else:
                self._buf += self._decoder.decode(chunk).encode("utf-8")
        n = min(want, len(self._buf))
        target[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def iter_csv(
    path: Path,
    encoding: str,
    *,
    has_header: bool = True,
    width: int | None = None,
    progress: Callable[[int], None] | None = None,
    block_size: int = BLOCK_SIZE,
) -> Iterator[RawBatch]:
    """Stream a CSV file as text batches; `width` is the column count when there is no header."""
    if has_header:
        ncols = len(read_header(path, encoding))
    else:
        ncols = width or 0
    names = [f"c{i}" for i in range(ncols)]
    invalid: list[InvalidRow] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(InvalidRow(row.number or 0, row.text, row.actual_columns, row.expected_columns))
        return "skip"

    if encoding in ("utf-8", "utf-8-sig", "ascii"):
        source: object = pa.OSFile(str(path), "rb")
        stream = None
    else:
        stream = _Utf8Stream(path, encoding, None)
        source = stream
    read_opts = pacsv.ReadOptions(
        column_names=names, skip_rows=1 if has_header else 0, block_size=block_size, use_threads=False
    )
    parse_opts = pacsv.ParseOptions(invalid_row_handler=on_invalid, newlines_in_values=True)
    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        null_values=[],
    )
    reader = pacsv.open_csv(source, read_options=read_opts, parse_options=parse_opts, convert_options=convert)
    first_line = 2 if has_header else 1
    records = 0
    done = 0
    size = path.stat().st_size
    try:
        for batch in reader:
            bad, invalid[:] = list(invalid), []
            n = batch.num_rows + len(bad)
            slots = set(range(first_line + records, first_line + records + n))
            for row in bad:
                slots.discard(row.line)
            lines = sorted(slots)[: batch.num_rows]
            while len(lines) < batch.num_rows:  # invalid rows numbered on lines we did not expect
                lines.append((lines[-1] if lines else first_line + records) + 1)
            records += n
            table = pa.Table.from_batches([batch]).append_column("_line", pa.array(lines, pa.int64()))
            approx = done + table.nbytes
            pos = stream.done if stream is not None else min(size, approx)
            if progress:
                progress(pos - done)
            done = pos
            yield RawBatch(table, bad)
        if invalid:
            yield RawBatch(_empty(names), list(invalid))
    finally:
        if stream is not None:
            stream.close()
        elif isinstance(source, pa.NativeFile):
            source.close()
    if progress and size > done:
        progress(size - done)


def _empty(names: list[str]) -> pa.Table:
    cols = {n: pa.array([], pa.string()) for n in names}
    cols["_line"] = pa.array([], pa.int64())
    return pa.table(cols)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def iter_rows_as_batches(
    header: list[str], rows: Iterator[tuple[object, ...]], first_line: int, batch_rows: int = 50_000
) -> Iterator[RawBatch]:
    """Turn rows of Python values (from XLSX or Parquet) into text batches."""
    names = [f"c{i}" for i in range(len(header))]
    cols: list[list[str]] = [[] for _ in names]
    lines: list[int] = []
    line = first_line

    def flush() -> RawBatch:
        data = {n: pa.array(c, pa.string()) for n, c in zip(names, cols, strict=True)}
        data["_line"] = pa.array(lines, pa.int64())
        return RawBatch(pa.table(data))

    for row in rows:
        for i in range(len(names)):
            cols[i].append(_cell_text(row[i]) if i < len(row) else "")
        lines.append(line)
        line += 1
        if len(lines) >= batch_rows:
            yield flush()
            cols = [[] for _ in names]
            lines = []
    if lines or line == first_line:
        yield flush()


def xlsx_header(path: Path) -> list[str]:
    """The first row of the first sheet of a workbook, cleaned."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for row in wb.worksheets[0].iter_rows(min_row=1, max_row=1, values_only=True):
            return clean_header([_cell_text(v) for v in row])
        return []
    finally:
        wb.close()


def iter_xlsx(path: Path, progress: Callable[[int], None] | None = None) -> Iterator[RawBatch]:
    """Stream the first sheet of a workbook (read-only mode keeps memory flat)."""
    import openpyxl

    header = xlsx_header(path)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = wb.worksheets[0].iter_rows(min_row=2, values_only=True)
        yield from iter_rows_as_batches(header, (r for r in rows if any(v is not None for v in r)), 2)
    finally:
        wb.close()
    if progress:
        progress(path.stat().st_size)


def parquet_header(path: Path) -> list[str]:
    """Column names of a Parquet file."""
    import pyarrow.parquet as pq

    return list(pq.ParquetFile(path).schema_arrow.names)


def iter_parquet(path: Path, progress: Callable[[int], None] | None = None) -> Iterator[RawBatch]:
    """Stream a Parquet file in row groups, every column cast to text."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    line = 2
    for batch in pf.iter_batches(batch_size=65_536):
        cols = {}
        for i, column in enumerate(batch.columns):
            cols[f"c{i}"] = column.cast(pa.string()).fill_null("")
        cols["_line"] = pa.array(range(line, line + batch.num_rows), pa.int64())
        line += batch.num_rows
        yield RawBatch(pa.table(cols))
    if progress:
        progress(path.stat().st_size)
