"""The review workbook read back with openpyxl: a sheet per section, typed values, number formats, frozen
headers, valid sheet names, and text that stays text."""

import zipfile
from dataclasses import replace
from datetime import datetime

import openpyxl
import pytest
from pycel import ExcelCompiler

from dachu.analytics.review_model import SECTIONS, Column, Section, Table
from dachu.i18n import t
from dachu.report.review_xlsx import sheet_name, write_review_xlsx
from tests.report.review_sample import CALIBRATED_YAML, EVIL, sample_review


@pytest.fixture(params=["zh", "en"])
def lang(request):
    return request.param


@pytest.fixture
def book(tmp_path, lang):
    path = tmp_path / "sub" / "review.xlsx"
    write_review_xlsx(sample_review(), path, lang)
    return path, lang


def _find(ws, value):
    for row in ws.iter_rows():
        for c in row:
            if c.value == value:
                return c
    raise AssertionError(f"{value!r} not on {ws.title}")


def test_a_sheet_per_section_in_order_then_the_source(book):
    path, lang = book
    wb = openpyxl.load_workbook(path)
    want = [t(f"review.section.{s}", lang) for s in SECTIONS] + [t("review_report.xlsx.source_sheet", lang)]
    assert wb.sheetnames == want


def test_headline_values_and_formats(book):
    path, lang = book
    ws = openpyxl.load_workbook(path)[t("review.section.headline", lang)]
    cached = openpyxl.load_workbook(path, data_only=True)[t("review.section.headline", lang)]
    assert ws.freeze_panes == "A3"  # caption and header stay in view
    assert ws["A2"].value == t("review_report.xlsx.metric", lang)
    # row 3 is GMV: 1,234.56 against floor 1,000, stretch 1,500, previous 1,100
    assert [ws.cell(3, c).value for c in range(1, 6)] == [t("plan.col.gmv", lang), 1234.56, 1000, 1500, 1100]
    assert ws["B3"].number_format == '"¥"#,##0.00'
    assert ws["F3"].value == "=B3/C3" and ws["F3"].number_format == "0.0%"
    assert cached["F3"].value == pytest.approx(1.23456)
    assert cached["G3"].value == pytest.approx(1234.56 / 1500)
    assert cached["H3"].value == pytest.approx(134.56 / 1100)  # +12.23%
    assert ws["B4"].value == 1234567 and ws["B4"].number_format == "#,##0"
    assert ws["B5"].value == 0.0321 and ws["B5"].number_format == "0.00%"
    assert ws["B6"].value == -5.01  # −5.005 rounded half up to the fen, as the page shows it
    assert ws["F6"].value is None  # no plan, no share


def test_formulas_recompute_to_their_cached_values(book):
    path, lang = book
    sheet = t("review.section.headline", lang)
    cached = openpyxl.load_workbook(path, data_only=True)[sheet]
    excel = ExcelCompiler(filename=str(path))
    checked = 0
    for row in openpyxl.load_workbook(path)[sheet].iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                assert excel.evaluate(f"'{sheet}'!{c.coordinate}") == pytest.approx(cached[c.coordinate].value)
                checked += 1
    assert checked == 3 + 2 + 3  # GMV: floor, stretch, previous; orders: floor, stretch; conversion: all three


@pytest.mark.parametrize(
    ("section", "value", "fmt_zh", "fmt_en"),
    [
        ("service", 12.34, '0.0" 秒"', '0.0" s"'),
        ("logistics", 20.25, '0.0" 小时"', '0.0" h"'),
        ("logistics", 1.5, '0.0" 天"', '0.0" d"'),
        ("products", 9999.99, '"¥"#,##0.00', '"¥"#,##0.00'),
        ("products", datetime(2026, 11, 11, 0, 42), "yyyy-mm-dd hh:mm", "yyyy-mm-dd hh:mm"),
        ("logistics", datetime(2026, 11, 12), "yyyy-mm-dd", "yyyy-mm-dd"),
        ("channels", 3.456, "0.00", "0.00"),
        ("service", 0.4567, "0.00%", "0.00%"),
    ],
    ids=str,
)
def test_units_have_their_number_format(book, section, value, fmt_zh, fmt_en):
    path, lang = book
    ws = openpyxl.load_workbook(path)[t(f"review.section.{section}", lang)]
    c = _find(ws, value)
    assert c.number_format == (fmt_zh if lang == "zh" else fmt_en)


def test_hourly_table_and_chart_data(book):
    path, lang = book
    ws = openpyxl.load_workbook(path)[t("review.section.hourly", lang)]
    assert ws["A3"].value == 0 and ws["A3"].number_format == '00":00"'
    assert ws["A26"].value == 23 and ws["B26"].value == 100
    # chart data after one empty row: caption on 28, header on 29, 24 hours from 30
    assert ws["A28"].value == t("review_report.xlsx.chart_data", lang, title=t("plan.col.gmv", lang))
    assert [ws.cell(29, c).value for c in range(1, 6)] == [
        t("review_report.xlsx.item", lang), t("review_report.actual", lang), t("review_report.floor", lang),
        t("review_report.stretch", lang), t("review_report.previous", lang)]
    assert [ws.cell(53, c).value for c in range(1, 6)] == [23, 2400, 1920, 2880, None]


def test_text_stays_text_and_keys_are_translated(tmp_path, lang):
    review = sample_review()
    trap = Section("products", "review.section.products", tables=(Table("p", "plan.col.name", (
        Column("name", "plan.col.name", "text"), Column("role", "plan.col.role", "text")),
        (("=1+1", "plan.role.hero"), ("https://example.com", "plan.role.profit"), (EVIL, None))),),)
    review = replace(review, sections=tuple(trap if s.id == "products" else s for s in review.sections))
    path = tmp_path / "r.xlsx"
    write_review_xlsx(review, path, lang)
    ws = openpyxl.load_workbook(path)[t("review.section.products", lang)]
    assert ws["A3"].value == "=1+1" and ws["A3"].data_type == "s"
    assert ws["A4"].value == "https://example.com" and ws["A4"].hyperlink is None
    assert ws["A5"].value == EVIL
    assert ws["B3"].value == t("plan.role.hero", lang)


def test_calibrated_file_line_by_line(book):
    path, lang = book
    ws = openpyxl.load_workbook(path)[t("review.section.calibration", lang)]
    lines = CALIBRATED_YAML.splitlines()
    first = _find(ws, lines[0])
    assert ws.cell(first.row + 1, 1).value == lines[1]


def test_source_sheet(book):
    path, lang = book
    ws = openpyxl.load_workbook(path)[t("review_report.xlsx.source_sheet", lang)]
    assert ws["B2"].value == "双11 & friends"
    assert ws["B3"].value == datetime(2026, 11, 11)
    assert (ws["A4"].value, ws["B4"].value) == ("orders", 1234567)


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("After sale", "After sale"),
        ("a/b\\c[d]e:f*g?h", "a_b_c_d_e_f_g_h"),
        ("'quoted'", "quoted"),
        ("x" * 40, "x" * 31),
        ("", "Sheet"),
    ],
    ids=str,
)
def test_sheet_names_are_valid(title, want):
    assert sheet_name(title, set()) == want


def test_sheet_names_stay_unique_within_31():
    taken: set[str] = set()
    names = [sheet_name("y" * 40, taken) for _ in range(3)]
    assert names == ["y" * 31, "y" * 29 + " 2", "y" * 29 + " 3"]
    assert sheet_name("Y" * 31, taken) == "Y" * 29 + " 4"  # Excel compares names case-blind


def test_every_chart_is_also_an_excel_chart(book):
    path, _ = book
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        xml = [z.read(n).decode() for n in charts]
    assert len(charts) == sum(len(s.charts) for s in sample_review().sections) == 6
    kinds = {k for x in xml for k in ("lineChart", "barChart", "pieChart") if f"<c:{k}>" in x}
    assert kinds == {"lineChart", "barChart", "pieChart"}  # funnel drawn as a horizontal bar chart
    hourly = next(x for x in xml if "<c:lineChart>" in x)
    assert hourly.count('<a:prstDash val="dash"/>') == 2  # floor and stretch pace
    assert hourly.count('<a:prstDash val="sysDot"/>') == 1  # the previous campaign
