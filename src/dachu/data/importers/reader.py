"""Reading an export as the user downloaded it, in batches of all-text columns (the tolerant reader).

CSV files normally take the fast path in `duckcsv` (iconv + DuckDB's reader); these readers serve
workbooks, Parquet, and the CSV files DuckDB's strict reader cannot follow.

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

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
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


_CODEC_PREFIX = "dachu-replace-"


def _replacing_codec(name: str) -> codecs.CodecInfo | None:
    """`dachu-replace-<enc>`: <enc> whose incremental decoder turns bad bytes into U+FFFD.

    pyarrow's streaming transcoder asks the codec for a strict decoder; this codec name gives it a
    forgiving one, so a bad byte costs one quarantined row instead of the whole import.
    """
    if not name.startswith(_CODEC_PREFIX.replace("-", "_")):
        return None
    base = codecs.lookup(name[len(_CODEC_PREFIX) :].replace("_", "-"))

    class Decoder(codecs.IncrementalDecoder):
        def __init__(self, errors: str = "replace") -> None:
            super().__init__("replace")
            self._inner = base.incrementaldecoder("replace")

        def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
            return self._inner.decode(data, final)

        def reset(self) -> None:
            self._inner.reset()

    return codecs.CodecInfo(
        base.encode,
        base.decode,
        incrementaldecoder=Decoder,
        incrementalencoder=base.incrementalencoder,
        name=name,
    )


codecs.register(_replacing_codec)


class _CountingFile(io.RawIOBase):
    """A file that reports how many bytes have been read (for the progress bar)."""

    def __init__(self, path: Path, progress: Callable[[int], None] | None) -> None:
        self._fh = path.open("rb", buffering=0)
        self._progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        n = self._fh.readinto(target) or 0
        if self._progress and n:
            self._progress(n)
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
    """Stream a CSV file as text batches; `width` is the column count when there is no header.

    Parsing runs on one thread: rows that do not fit the header then carry their line numbers, and
    (measured) it is faster than pyarrow's threads, which wait on the transcoder holding the GIL.
    """
    if has_header:
        ncols = len(read_header(path, encoding))
    else:
        ncols = width or 0
    names = [f"c{i}" for i in range(ncols)]
    invalid: list[InvalidRow] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(InvalidRow(row.number or 0, row.text, row.actual_columns, row.expected_columns))
        return "skip"

    source = _CountingFile(path, progress)
    read_opts = pacsv.ReadOptions(
        column_names=names,
        skip_rows=1 if has_header else 0,
        block_size=block_size,
        use_threads=False,
        encoding=_CODEC_PREFIX + encoding,
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
    try:
        for batch in reader:
            bad, invalid[:] = list(invalid), []
            n = batch.num_rows + len(bad)
            start = first_line + records
            if bad:  # the batch's good rows fill the lines its invalid rows do not take
                taken = {row.line for row in bad}
                free = [line for line in range(start, start + n) if line not in taken][: batch.num_rows]
                while len(free) < batch.num_rows:  # invalid rows numbered on lines we did not expect
                    free.append((free[-1] if free else start) + 1)
                lines = pa.array(free, pa.int64())
            else:
                lines = pa.array(np.arange(start, start + n, dtype=np.int64))
            records += n
            table = pa.Table.from_batches([batch]).append_column("_line", lines)
            yield RawBatch(table, bad)
        if invalid:
            yield RawBatch(_empty(names), list(invalid))
    finally:
        source.close()


def mark_broken(table: pa.Table) -> pa.Table:
    """Add `_bad` (index of the first column holding U+FFFD, else null) and `_bad_raw` (its text).

    Done in Arrow so that the database converts only the columns an importer reads.
    """
    n = table.num_rows
    bad = pa.nulls(n, pa.int32())
    bad_raw = pa.nulls(n, pa.string())
    columns = [name for name in table.column_names if name.startswith("c") and name[1:].isdigit()]
    for name in reversed(columns):  # reversed: the first broken column wins
        hit = pc.match_substring(table[name], REPLACEMENT)
        if not pc.any(hit).as_py():
            continue
        bad = pc.if_else(hit, pa.scalar(int(name[1:]), pa.int32()), bad)
        bad_raw = pc.if_else(hit, table[name], bad_raw)
    return table.append_column("_bad", bad).append_column("_bad_raw", bad_raw)


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
