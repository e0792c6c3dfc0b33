"""The review as an Excel workbook (复盘工作簿): one sheet per section, then a sheet saying what was measured.

Each section's sheet stacks its blocks top to bottom, one empty row between them: the headline figures
(actual, floor, stretch, previous, then % of floor, % of stretch and the change against the previous
campaign as live formulas), each table, each chart's data (x values down, one column per series), the
notes and, on the calibration sheet, the calibrated campaign file line by line. Every block has a caption
row and a header row; the first block's header is frozen.

Cells are typed: money as numbers formatted ¥#,##0.00, rates as 0.00%, counts #,##0, durations with their
unit in the number format, dates and times as Excel dates. Text is always written as text (never read as a
formula or a link), so a product called "=HYPERLINK(…)" stays a name.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell as cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from dachu.analytics.review_model import SECTIONS, Chart, Figure, Review, Section, Table, Unit, Value
from dachu.i18n import Lang, t
from dachu.report import review_format as f
from dachu.report.output import write_output

SHEET_NAME_MAX = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unused sheet name for `title` (Excel's rules).

    The characters []:*?/ and backslash become "_", quotes at the ends go, at most 31 characters, and a
    name already taken (compared case-blind, as Excel does) gets " 2", " 3"….
    """
    base = _BAD_SHEET_CHARS.sub("_", title).strip("'").strip() or "Sheet"
    base = base[:SHEET_NAME_MAX]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" {n}"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _width(text: str) -> int:
    """Display width in Excel columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _Writer:
    def __init__(self, wb: Workbook, lang: Lang) -> None:
        self.wb = wb
        self.lang = lang
        self.caption = wb.add_format({"bold": True, "font_size": 12})
        self.head = wb.add_format({"bold": True, "bg_color": "#F2E6D9", "border": 1, "text_wrap": True,
                                   "valign": "top"})
        self.pct = wb.add_format({"num_format": "0.0%"})
        self.change = wb.add_format({"num_format": "+0.00%;-0.00%;0.00%"})
        self.mono = wb.add_format({"font_name": "Consolas"})
        self.formats = {unit: wb.add_format({"num_format": fmt}) for unit, fmt in self.number_formats().items()}
        self.widths: dict[int, int] = {}

    def number_formats(self) -> dict[str, str]:
        def with_unit(unit: str) -> str:
            before, after = t(f"review_report.unit.{unit}", self.lang, v="\0").split("\0")
            return (f'"{before}"' if before else "") + "0.0" + (f'"{after}"' if after else "")

        def signed(unit: str) -> str:
            before, after = t(f"review_report.unit.{unit}", self.lang, v="\0").split("\0")
            fmt = (f'"{before}"' if before else "") + "0.00" + (f'"{after}"' if after else "")
            return f"+{fmt};-{fmt};{fmt}"

        return {"yuan": '"¥"#,##0.00', "count": "#,##0", "rate": "0.00%", "ratio": "0.00", "hour": '00":00"',
                "seconds": with_unit("seconds"), "hours": with_unit("hours"), "days": with_unit("days"),
                "points": signed("points"),
                "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}

    def fit(self, col: int, text: str) -> None:
        self.widths[col] = max(self.widths.get(col, 0), min(_width(text) + 2, 60))

    def value(self, ws: Worksheet, row: int, col: int, value: Value, unit: Unit) -> None:
        """Write one typed cell."""
        shown = f.display(value, unit, self.lang)
        self.fit(col, shown)
        if value is None:
            ws.write_blank(row, col, None)
        elif isinstance(value, str):
            ws.write_string(row, col, f.text(value, self.lang))
        elif isinstance(value, (date, datetime)):
            moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
            ws.write_datetime(row, col, moment, self.formats["datetime" if isinstance(value, datetime) else "date"])
        else:
            ws.write_number(row, col, f.number(value, unit), self.formats.get(unit))

    def header(self, ws: Worksheet, row: int, labels: list[str]) -> None:
        for col, label in enumerate(labels):
            ws.write_string(row, col, label, self.head)
            self.fit(col, label)

    def block_caption(self, ws: Worksheet, row: int, text: str) -> None:
        ws.write_string(row, 0, text, self.caption)


def _figures(w: _Writer, ws: Worksheet, row: int, s: Section) -> int:
    """Write the headline figures from `row`; return the next free row."""
    w.block_caption(ws, row, t(s.key, w.lang))
    w.header(ws, row + 1, [t(k, w.lang) for k in (
        "review_report.xlsx.metric", "review_report.actual", "review_report.floor", "review_report.stretch",
        "review_report.previous", "review_report.xlsx.of_floor", "review_report.xlsx.of_stretch",
        "review_report.xlsx.vs_previous")])
    r = row + 2
    for x in s.figures:
        _figure(w, ws, r, x)
        r += 1
    return r


def _figure(w: _Writer, ws: Worksheet, r: int, x: Figure) -> None:
    label = t(x.key, w.lang)
    ws.write_string(r, 0, label)
    w.fit(0, label)
    for col, v in enumerate((x.actual, x.floor, x.stretch, x.previous), start=1):
        w.value(ws, r, col, v, x.unit)
    actual = cell(r, 1)
    for col, plan_col, share, fmt in (
        (5, 2, f.of_plan(x.actual, x.floor), w.pct),
        (6, 3, f.of_plan(x.actual, x.stretch), w.pct),
        (7, 4, f.change(x.actual, x.previous), w.change),
    ):
        if share is None:
            continue
        plan = cell(r, plan_col)
        formula = f"={actual}/{plan}" if col != 7 else f"={actual}/{plan}-1"
        ws.write_formula(r, col, formula, fmt, share)
        w.fit(col, "100.0%")


def _table(w: _Writer, ws: Worksheet, row: int, x: Table) -> int:
    w.block_caption(ws, row, t(x.key, w.lang))
    w.header(ws, row + 1, [t(c.key, w.lang) for c in x.columns])
    r = row + 2
    for values in x.rows:
        for col, (c, v) in enumerate(zip(x.columns, values, strict=True)):
            w.value(ws, r, col, v, c.unit)
        r += 1
    if x.note_key:
        ws.write_string(r, 0, t(x.note_key, w.lang))
        r += 1
    return r


def _chart(w: _Writer, ws: Worksheet, row: int, x: Chart) -> int:
    w.block_caption(ws, row, t("review_report.xlsx.chart_data", w.lang, title=t(x.key, w.lang)))
    w.header(ws, row + 1, [t(x.x.key, w.lang), *(t(s.key, w.lang) for s in x.series)])
    r = row + 2
    for i, xv in enumerate(x.x_values):
        w.value(ws, r, 0, xv, x.x.unit)
        for col, s in enumerate(x.series, start=1):
            w.value(ws, r, col, s.values[i] if i < len(s.values) else None, s.unit)
        r += 1
    if x.x_values and x.series:
        _native_chart(w, ws, row, r - 1, x)
        r = max(r, row + CHART_ROWS)
    return r


CHART_ROWS = 18
"""Rows an Excel chart covers (about 360 px): the next block starts below it."""
_EXCEL_KIND = {"line": "line", "bar": "column", "pie": "pie", "funnel": "bar"}
"""Excel has no funnel: a horizontal bar chart with the first stage on top reads the same way."""
_DASH = {"floor": "dash", "stretch": "dash", "plan": "dash", "previous": "round_dot"}


def _native_chart(w: _Writer, ws: Worksheet, head: int, last: int, x: Chart) -> None:
    """An Excel chart of the block's data, placed to the right of it (plan series dashed, as in the HTML)."""
    sheet = ws.get_name()
    chart = w.wb.add_chart({"type": _EXCEL_KIND[x.kind]})
    if chart is None:  # pragma: no cover - only for an unknown type
        return
    series = x.series[:1] if x.kind in ("pie", "funnel") else x.series
    for col, s in enumerate(series, start=1):
        options: dict[str, object] = {
            "name": [sheet, head + 1, col],
            "categories": [sheet, head + 2, 0, last, 0],
            "values": [sheet, head + 2, col, last, col],
        }
        dash = _DASH.get(s.style)
        if dash and x.kind == "line":
            options["line"] = {"dash_type": dash}
        elif dash and x.kind == "bar":
            options["fill"] = {"none": True}
            options["border"] = {"dash_type": dash}
        if x.kind in ("line", "bar") and col > 1 and s.unit != x.series[0].unit:
            options["y2_axis"] = True
        chart.add_series(options)
    chart.set_title({"name": t(x.key, w.lang)})
    x_format = w.number_formats().get(x.x.unit)
    if x_format and x.kind in ("line", "bar"):
        chart.set_x_axis({"num_format": x_format})  # hours as 20:00, dates as dates
    if x.kind == "funnel":
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": 330})
    ws.insert_chart(head, len(x.series) + 2, chart)


def _notes(w: _Writer, ws: Worksheet, row: int, s: Section) -> int:
    w.block_caption(ws, row, t("review_report.xlsx.notes", w.lang))
    r = row + 1
    for key, params in s.notes:
        ws.write_string(r, 0, t(key, w.lang, **params))
        r += 1
    return r


def _calibration(w: _Writer, ws: Worksheet, row: int, review: Review) -> int:
    if review.calibrated_yaml is None:
        ws.write_string(row, 0, t("review_report.no_calibration", w.lang))
        return row + 1
    w.block_caption(ws, row, t("review_report.calibrated", w.lang))
    r = row + 1
    for line in review.calibrated_yaml.splitlines():
        ws.write_string(r, 0, line, w.mono)
        r += 1
    return r


def _section(w: _Writer, s: Section, review: Review, taken: set[str]) -> None:
    lang = w.lang
    ws = w.wb.add_worksheet(sheet_name(t(s.key, lang), taken))
    w.widths = {}
    blocks: list[Callable[[int], int]] = []
    if s.figures:
        blocks.append(partial(_figures, w, ws, s=s))
    blocks.extend(partial(_table, w, ws, x=x) for x in s.tables)
    blocks.extend(partial(_chart, w, ws, x=x) for x in s.charts)
    if s.notes:
        blocks.append(partial(_notes, w, ws, s=s))
    if s.id == "calibration":
        blocks.append(partial(_calibration, w, ws, review=review))
    if not blocks:
        ws.write_string(0, 0, t("review_report.empty_section", lang))
    row = 0
    for block in blocks:
        row = block(row) + 1
    if s.figures or s.tables or s.charts:
        ws.freeze_panes(2, 0)  # the first block's caption and header
    for col, width in w.widths.items():
        ws.set_column(col, col, max(width, 10))


def _source(w: _Writer, review: Review, taken: set[str]) -> None:
    ws = w.wb.add_worksheet(sheet_name(t("review_report.xlsx.source_sheet", w.lang), taken))
    w.widths = {}
    w.header(ws, 0, [t("review_report.xlsx.item", w.lang), t("review_report.xlsx.value", w.lang)])
    ws.write_string(1, 0, t("review_report.xlsx.campaign", w.lang))
    w.value(ws, 1, 1, review.campaign, "text")
    ws.write_string(2, 0, t("review_report.xlsx.event_day", w.lang))
    w.value(ws, 2, 1, review.event_day, "date")
    for r, (k, v) in enumerate(review.source.items(), start=3):
        ws.write_string(r, 0, k)
        w.fit(0, k)
        w.value(ws, r, 1, v, "count" if isinstance(v, int) else "text")
    ws.freeze_panes(1, 0)
    for col, width in w.widths.items():
        ws.set_column(col, col, max(width, 14))


def write_review_xlsx(review: Review, path: Path, lang: Lang) -> None:
    """Write the review's workbook to `path` (folders created): a sheet per section in `SECTIONS` order."""
    # text stays text: no formula from a string starting with "=", no link from one starting with "http"
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    try:
        w = _Writer(wb, lang)
        taken: set[str] = set()
        rank = {sid: i for i, sid in enumerate(SECTIONS)}
        for s in sorted(review.sections, key=lambda s: rank.get(s.id, len(SECTIONS))):
            _section(w, s, review, taken)
        _source(w, review, taken)
    finally:
        wb.close()
    write_output(path, buffer.getvalue(), make_folders=True)
