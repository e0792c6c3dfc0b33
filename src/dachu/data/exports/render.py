"""Turn typed columns into the bytes of a CSV or the cells of a workbook, streaming batch by batch.

A format builds, for each batch, a list of `Col`s (one per header column, typed by `kind`); a sink
renders them. CSV: the platform's own quirks (ids as `="…"`, phones with a leading `'`) are part of the
format; `Quirks` adds what Excel leaves behind when a user opens and re-saves the file (dates as
`yyyy/MM/dd HH:mm`, amounts with `元`, header names with trailing spaces, UTF-8 with BOM). XLSX: dates
become Excel serial numbers with a date format, money numbers with two decimals, ids text.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

import numpy as np
import numpy.typing as npt

Kind = Literal["text", "id", "phone", "date", "money", "int", "const"]
DateStyle = Literal["platform", "excel", "offset"]
EXCEL_EPOCH_DAYS = 25569  # days from 1899-12-30 (Excel's day 0) to 1970-01-01
XLSX_MAX_ROWS = 1_048_576


@dataclass(frozen=True)
class Col:
    """One column of one batch.

    `values`: list of str (text, id, phone), int64 array (date: shop seconds, -1 = empty; money: fen;
    int), or one str repeated (const). `blank`: rows left empty.
    """

    kind: Kind
    values: Any
    blank: npt.NDArray[np.bool_] | None = None


@dataclass(frozen=True)
class Quirks:
    """Excel re-save quirks (all off = the file exactly as the platform writes it)."""

    excel_dates: bool = False
    yuan: bool = False
    header_spaces: bool = False


@dataclass(frozen=True)
class CsvStyle:
    """How a platform writes its CSV: encoding, line ends, id wrapping, date style and UTC offset."""

    encoding: str = "gbk"
    newline: str = "\r\n"
    wrap_ids: bool = True
    phone_quote: bool = True
    dates: DateStyle = "platform"
    tz_offset_min: int = 480


Builder = Callable[[Any], list[Col]]


def escape(text: str) -> str:
    """A CSV field: quoted (quotes doubled) only when it holds a comma, quote or line break."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def format_dates(secs: npt.NDArray[np.int64], style: DateStyle, tz_offset_min: int = 480) -> list[str]:
    """Shop seconds → `yyyy-MM-dd HH:mm:ss`, Excel's `yyyy/MM/dd HH:mm`, or with ` +0800`; -1 → ''."""
    text = np.datetime_as_string(np.maximum(secs, 0).astype("datetime64[s]"), unit="s").tolist()
    missing = (secs < 0).tolist()
    if style == "excel":
        out = [s[:4] + "/" + s[5:7] + "/" + s[8:10] + " " + s[11:16] for s in text]
    elif style == "offset":
        sign = "+" if tz_offset_min >= 0 else "-"
        suffix = f" {sign}{abs(tz_offset_min) // 60:02d}{abs(tz_offset_min) % 60:02d}"
        out = [s[:10] + " " + s[11:] + suffix for s in text]
    else:
        out = [s[:10] + " " + s[11:] for s in text]
    return ["" if m else s for s, m in zip(out, missing, strict=True)]


def format_money(fen: npt.NDArray[np.int64], suffix: str = "") -> list[str]:
    """Fen → `12.50` (with `suffix`, e.g. 元)."""
    return [f"{v // 100}.{v % 100:02d}{suffix}" for v in fen.tolist()]


def render_csv(col: Col, n: int, style: CsvStyle, quirks: Quirks) -> list[str]:
    """The CSV text of every cell of a column."""
    if col.kind == "const":
        out = [escape(str(col.values))] * n
    elif col.kind == "text":
        out = [escape(v) for v in col.values]
    elif col.kind == "id":
        out = [f'="{v}"' for v in col.values] if style.wrap_ids else [escape(v) for v in col.values]
    elif col.kind == "phone":
        out = [("'" + v if v and style.phone_quote else v) for v in col.values]
    elif col.kind == "date":
        dates: DateStyle = "excel" if quirks.excel_dates and style.dates == "platform" else style.dates
        out = format_dates(col.values, dates, style.tz_offset_min)
    elif col.kind == "money":
        out = format_money(col.values, "元" if quirks.yuan else "")
    else:
        out = [str(v) for v in col.values.tolist()]
    if col.blank is not None:
        out = ["" if blank else v for v, blank in zip(out, col.blank.tolist(), strict=True)]
    return out


class CsvSink:
    """Appends a format's rows to one CSV file, header first."""

    def __init__(
        self,
        path: Path,
        header: Sequence[str],
        build: Builder,
        style: CsvStyle,
        quirks: Quirks = Quirks(),
        spaced: frozenset[str] = frozenset(),
        write_header: bool = True,
    ) -> None:
        self.path = path
        self.build = build
        self.style = style
        self.quirks = quirks
        self.rows = 0
        encoding = style.encoding
        self._file: TextIO = open(path, "w", encoding=encoding, newline="")
        if write_header:
            names = [h + " " if quirks.header_spaces and h in spaced else h for h in header]
            self._file.write(",".join(escape(h) for h in names) + style.newline)

    def write(self, batch: Any) -> None:
        """Append the rows of one batch."""
        cols = self.build(batch)
        if not cols:
            return
        n = _length(cols)
        if n == 0:
            return
        cells = [render_csv(c, n, self.style, self.quirks) for c in cols]
        nl = self.style.newline
        self._file.write(nl.join(",".join(row) for row in zip(*cells, strict=True)) + nl)
        self.rows += n

    def close(self) -> None:
        """Flush and close the file."""
        self._file.close()


def _length(cols: list[Col]) -> int:
    for c in cols:
        if c.kind != "const":
            return len(c.values)
    return 0


class XlsxSink:
    """Appends a format's rows to a workbook in constant memory; a new sheet every 1,048,575 rows."""

    def __init__(
        self, path: Path, header: Sequence[str], build: Builder, created: dt.datetime, sheet: str = "Sheet1"
    ) -> None:
        import xlsxwriter

        self.path = path
        self.build = build
        self.header = list(header)
        self.rows = 0
        self._book = xlsxwriter.Workbook(
            os.fspath(path), {"constant_memory": True, "strings_to_numbers": False}
        )
        self._book.set_properties({"created": created})  # a fixed time: same seed, same bytes
        self._date = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self._money = self._book.add_format({"num_format": "0.00"})
        self._sheet_name = sheet
        self._sheets = 0
        self._row = XLSX_MAX_ROWS
        self._ws: Any = None

    def _new_sheet(self) -> None:
        self._sheets += 1
        name = self._sheet_name if self._sheets == 1 else f"{self._sheet_name}_{self._sheets}"
        self._ws = self._book.add_worksheet(name)
        for c, h in enumerate(self.header):
            self._ws.write_string(0, c, h)
        self._row = 1

    def write(self, batch: Any) -> None:
        """Append the rows of one batch as typed cells."""
        cols = self.build(batch)
        n = _length(cols)
        prepared: list[tuple[str, list[Any], list[bool] | None]] = []
        for col in cols:
            blank = col.blank.tolist() if col.blank is not None else None
            if col.kind == "const":
                prepared.append(("s", [str(col.values)] * n, blank))
            elif col.kind in ("text", "id", "phone"):
                prepared.append(("s", list(col.values), blank))
            elif col.kind == "date":
                secs = col.values.tolist()
                prepared.append(
                    ("d", [s / 86400 + EXCEL_EPOCH_DAYS if s >= 0 else None for s in secs], blank)
                )
            elif col.kind == "money":
                prepared.append(("m", [v / 100 for v in col.values.tolist()], blank))
            else:
                prepared.append(("n", col.values.tolist(), blank))
        for i in range(n):
            if self._row >= XLSX_MAX_ROWS:
                self._new_sheet()
            ws, r = self._ws, self._row
            for c, (kind, values, blank) in enumerate(prepared):
                v = values[i]
                if v is None or v == "" or (blank is not None and blank[i]):
                    continue
                if kind == "s":
                    ws.write_string(r, c, v)
                elif kind == "d":
                    ws.write_number(r, c, v, self._date)
                elif kind == "m":
                    ws.write_number(r, c, v, self._money)
                else:
                    ws.write_number(r, c, v)
            self._row += 1
        self.rows += n

    def close(self) -> None:
        """Finish the workbook (an empty export still gets its header)."""
        if self._ws is None:
            self._new_sheet()
        self._book.close()
