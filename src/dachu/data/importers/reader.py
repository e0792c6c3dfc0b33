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

Seller tools (生意参谋, 直通车, 引力魔方) put title lines above the header (the report's name, 统计时间…, a
blank line): `header_row` finds the header as the first of the opening rows that is as wide as the table
(`HEADER_SCAN_ROWS`), and every reader starts below it, line numbers still counting from the file's top.
Workbooks: `.xlsx`/`.xlsm` by openpyxl (streamed), legacy `.xls` (and `.ods`) by python-calamine.
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


HEADER_SCAN_ROWS = 30
"""How many opening rows may hold title lines above the header."""


def header_row(rows: list[list[str]]) -> int:
    """The 0-based index of the header among a file's opening rows (title lines above it skipped).

    The header is the first row with at least two named cells (one when the table is one column wide) and
    at least half as many named cells as the widest of the opening rows; a row of numbers is never taken.
    A plain export's header is its first row.
    """
    def named(row: list[str]) -> int:
        return sum(1 for cell in row if cell.strip())

    widest = max((named(r) for r in rows), default=0)
    need = max(min(2, widest), (widest + 1) // 2)
    for i, row in enumerate(rows):
        cells = [c.strip() for c in row if c.strip()]
        numeric = sum(1 for c in cells if c.replace(".", "", 1).replace(",", "").replace("-", "").isdigit())
        if len(cells) >= need and numeric * 2 < len(cells):
            return i
    return 0


def _opening_rows(path: Path, encoding: str) -> list[list[str]]:
    import csv

    rows: list[list[str]] = []
    with path.open("r", encoding=encoding, errors="replace", newline="") as fh:
        # one physical line per row (no quoted field spans lines in a title or a header)
        for line in fh:
            rows.append(next(csv.reader([line]), []))
            if len(rows) >= HEADER_SCAN_ROWS:
                break
    return rows


def csv_header_at(path: Path, encoding: str) -> int:
    """The 0-based line of a CSV file's header (0 unless title lines come first)."""
    return header_row(_opening_rows(path, encoding))


def read_header(path: Path, encoding: str) -> list[str]:
    """The header's names (below any title lines), cleaned."""
    rows = _opening_rows(path, encoding)
    return clean_header(rows[header_row(rows)]) if rows else []


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
    skip = csv_header_at(path, encoding) + 1 if has_header else 0
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
        skip_rows=skip,
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
    first_line = skip + 1
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
    header: list[str], rows: Iterator[tuple[int, tuple[object, ...]]], first_line: int, batch_rows: int = 50_000
) -> Iterator[RawBatch]:
    """Turn (line, row of Python values) pairs from a workbook into text batches."""
    names = [f"c{i}" for i in range(len(header))]
    cols: list[list[str]] = [[] for _ in names]
    lines: list[int] = []
    any_row = False

    def flush() -> RawBatch:
        data = {n: pa.array(c, pa.string()) for n, c in zip(names, cols, strict=True)}
        data["_line"] = pa.array(lines, pa.int64())
        return RawBatch(pa.table(data))

    for line, row in rows:
        any_row = True
        for i in range(len(names)):
            cols[i].append(_cell_text(row[i]) if i < len(row) else "")
        lines.append(line)
        if len(lines) >= batch_rows:
            yield flush()
            cols = [[] for _ in names]
            lines = []
    if lines or not any_row:
        yield flush()


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
"""Files read as workbooks (the first sheet)."""
CALAMINE_SUFFIXES = (".xls", ".ods")
"""Workbooks read by python-calamine (Rust's calamine): the legacy Excel format seller tools still download."""


def _xlsx_opening(path: Path) -> list[list[str]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = wb.worksheets[0].iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True)
        return [[_cell_text(v) for v in row] for row in rows]
    finally:
        wb.close()


def _calamine_rows(path: Path) -> Iterator[list[object]]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    for row in sheet.iter_rows():
        yield list(row)


def _opening_cells(path: Path) -> list[list[str]]:
    if path.suffix.lower() in CALAMINE_SUFFIXES:
        rows = []
        for row in _calamine_rows(path):
            rows.append([_cell_text(v) for v in row])
            if len(rows) >= HEADER_SCAN_ROWS:
                break
        return rows
    return _xlsx_opening(path)


def xlsx_header(path: Path) -> list[str]:
    """The header row of the first sheet of a workbook (below any title lines), cleaned."""
    rows = _opening_cells(path)
    return clean_header(rows[header_row(rows)]) if rows else []


def iter_xlsx(path: Path, progress: Callable[[int], None] | None = None) -> Iterator[RawBatch]:
    """Stream the first sheet of a workbook, rows below the header (read-only mode keeps memory flat)."""
    opening = _opening_cells(path)
    at = header_row(opening) if opening else 0
    header = clean_header(opening[at]) if opening else []
    first = at + 2  # 1-based line of the first row below the header

    def rows() -> Iterator[tuple[object, ...]]:
        if path.suffix.lower() in CALAMINE_SUFFIXES:
            for n, row in enumerate(_calamine_rows(path), start=1):
                if n >= first:
                    yield tuple(None if v == "" else v for v in row)
            return
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            yield from wb.worksheets[0].iter_rows(min_row=first, values_only=True)
        finally:
            wb.close()

    numbered = _numbered(rows(), first)
    yield from iter_rows_as_batches(header, numbered, first)
    if progress:
        progress(path.stat().st_size)


def _numbered(rows: Iterator[tuple[object, ...]], first: int) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The non-blank rows with their 1-based line (blank rows are skipped, their lines not reused)."""
    for line, row in enumerate(rows, start=first):
        if any(v is not None and v != "" for v in row):
            yield line, row


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
