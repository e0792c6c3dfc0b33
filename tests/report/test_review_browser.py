"""The review report in headless Chromium: opened from a file with no network, every chart drawn, no console
error, no script run from the data, and the print layout fits A4."""

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from dachu.analytics.review_model import SECTIONS, Column, Review, Table
from dachu.report.review_html import PRINT_CHART_PX, render_html
from tests.browser import ARTIFACTS, chromium_page
from tests.report.review_sample import sample_review

A4_TEXT_WIDTH_PX = 703
"""A4 is 210 mm wide; less two 12 mm margins leaves 186 mm = 186 / 25.4 × 96 ≈ 703 CSS px."""

CHARTS = """() => Array.from(document.querySelectorAll('.chart')).map(el => {
  const c = echarts.getInstanceByDom(el);
  const svg = el.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {id: el.id, instance: !!c, width: c ? c.getWidth() : 0, height: c ? c.getHeight() : 0,
          svgWidth: box.width, svgHeight: box.height, drawn: svg ? svg.querySelectorAll('path').length : 0};
})"""


def _open(b, path: Path) -> list[str]:
    requests: list[str] = []
    dialogs: list[str] = []
    b.page.on("request", lambda r: requests.append(r.url))
    b.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    b.page.goto(path.as_uri())
    b.page.wait_for_selector("html[data-charts-ready]")
    assert dialogs == [], "a string from the data ran as script"
    return requests


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_renders_every_chart_offline(tmp_path, lang):
    review = sample_review()
    path = tmp_path / f"review-{lang}.html"
    path.write_text(render_html(review, lang), encoding="utf-8")
    n_charts = sum(len(s.charts) for s in review.sections)
    with chromium_page() as b:
        requests = _open(b, path)
        charts = b.page.evaluate(CHARTS)
        assert len(charts) == n_charts == 6
        for c in charts:
            assert c["instance"], c
            assert c["width"] > 0 and c["height"] > 0, c
            assert c["svgWidth"] > 0 and c["svgHeight"] > 0 and c["drawn"] > 0, c
        assert requests == [path.as_uri()], "the page asked for something besides itself"
        assert b.errors == []
        shot = b.screenshot("review-report" if lang == "zh" else "review-report-en")
        assert shot.stat().st_size > 10_000


def _with_wide_table(review: Review) -> Review:
    """The sample plus a 14-column products table with long names: the print layout must still fit."""
    columns = (Column("name", "plan.col.name", "text"),
               *(Column(f"v{i}", "plan.col.gmv", "yuan") for i in range(13)))
    rows = tuple((f"一个很长很长的商品名称-{i}-" * 3, *(Decimal("1234567.89"),) * 13) for i in range(60))
    wide = Table("wide", "review.section.products", columns, rows)
    return replace(review, sections=tuple(replace(s, tables=(*s.tables, wide)) if s.id == "products" else s
                                          for s in review.sections))


@pytest.mark.browser
def test_print_layout_fits_a4(tmp_path):
    path = tmp_path / "review.html"
    path.write_text(render_html(_with_wide_table(sample_review()), "en"), encoding="utf-8")
    with chromium_page(width=A4_TEXT_WIDTH_PX, height=1000) as b:
        _open(b, path)
        b.page.emulate_media(media="print")
        b.page.wait_for_function(f"() => document.querySelector('.chart svg').getBoundingClientRect().width"
                                 f" === {PRINT_CHART_PX[0]}")
        overflow = b.page.evaluate("""(limit) => {
          const wide = [];
          document.querySelectorAll('body *').forEach(el => {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.right > limit + 0.5) { wide.push(el.tagName + '#' + el.id + ' ' + r.right); }
          });
          return {scroll: document.documentElement.scrollWidth, wide: wide};
        }""", A4_TEXT_WIDTH_PX)
        assert overflow["wide"] == []
        assert overflow["scroll"] <= A4_TEXT_WIDTH_PX
        charts = b.page.evaluate(CHARTS)
        assert {(c["width"], c["height"]) for c in charts} == {PRINT_CHART_PX}
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = ARTIFACTS / "review-report.pdf"
        b.page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        assert b.errors == []
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # the contents page, then each of the ten sections starting on a page of its own
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 1 + len(SECTIONS)


def _beating_the_plan(review: Review) -> Review:
    """The sample with every money headline at 112.5% of a seven-digit plan: the longest card text."""
    def beat(x):
        if x.unit != "yuan":
            return x
        return replace(x, actual=Decimal("1234567.89"), floor=Decimal("1097393.68"), stretch=Decimal("1097393.68"),
                       previous=Decimal("987654.32"))
    return replace(review, sections=tuple(replace(s, figures=tuple(beat(x) for x in s.figures))
                                          for s in review.sections))


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [1280, 400])
def test_headline_cards_hold_their_text(tmp_path, lang, width):
    path = tmp_path / "review.html"
    path.write_text(render_html(_beating_the_plan(sample_review()), lang), encoding="utf-8")
    assert ("112.5% of plan" if lang == "en" else "达成 112.5%") in path.read_text(encoding="utf-8")
    with chromium_page(width=width, height=900) as b:
        _open(b, path)
        over = b.page.evaluate("""() => Array.from(document.querySelectorAll('.card'))
          .filter(c => c.scrollWidth > c.clientWidth + 0.5)
          .map(c => c.id + ' ' + c.scrollWidth + '>' + c.clientWidth)""")
        assert over == []
