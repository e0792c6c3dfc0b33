"""The review HTML: self-contained (no request anywhere), every section in both languages, values formatted
exactly, every string escaped, chart data embedded safely."""

import json
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dachu.analytics.review_model import SECTIONS, Chart, Column, Review, Section, Series, Table
from dachu.i18n import CATALOGUE, has, t
from dachu.report.assets import echarts_js
from dachu.report.review_html import json_for_script, render_html
from tests.report.review_sample import EVIL, sample_review

ECHARTS_URLS = {
    "http://www.apache.org/licenses/LICENSE-2.0",  # the licence comment
    "https://github.com/ecomfe/zrender/blob/master/LICENSE.txt",  # zrender's licence comment
    "http://www.w3.org/2000/svg",  # XML namespace names the SVG renderer writes into elements, never fetched
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/XML/1998/namespace",
}


@pytest.fixture(params=["zh", "en"])
def lang(request):
    return request.param


@pytest.fixture
def page(lang):
    return render_html(sample_review(), lang)


def _outside_library(html: str) -> str:
    library = echarts_js()
    assert html.count(library) == 1, "ECharts is inlined once, unchanged"
    return html.replace(library, "")


def _data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def test_no_request_of_any_kind(page):
    rest = _outside_library(page)
    assert not re.search(r"https?://", rest), "no URL outside the inlined library"
    for pattern in (r"<script[^>]+src", r"<link", r"@import", r"url\(", r"<img", r"<iframe", r"//cdn"):
        assert not re.search(pattern, rest, re.I), pattern
    assert set(re.findall(r"https?://[^\s\"')]+", echarts_js())) == ECHARTS_URLS
    # and the browser is told to refuse any request the page might still try
    assert "default-src 'none'" in page


def test_every_section_title_in_order(page, lang):
    positions = []
    for sid in SECTIONS:
        title = t(f"review.section.{sid}", lang)
        m = re.search(rf'<section class="review-section" id="sec-{sid}"><h2>{re.escape(title)}</h2>', page)
        assert m, sid
        positions.append(m.start())
    assert positions == sorted(positions)


def test_sections_follow_sections_order_whatever_the_review_order(lang):
    review = sample_review()
    shuffled = replace(review, sections=tuple(reversed(review.sections)))
    html = render_html(shuffled, lang)
    found = re.findall(r'<section class="review-section" id="sec-(\w+)">', html)
    assert tuple(found) == SECTIONS


def test_language_is_consistent():
    zh, en = render_html(sample_review(), "zh"), render_html(sample_review(), "en")
    assert '<html lang="zh-CN">' in zh and '<html lang="en">' in en
    assert "<title>双11 &amp; friends 大促复盘</title>" in zh
    assert "<title>双11 &amp; friends: review</title>" in en
    assert "达成 123.5%" in zh and "123.5% of plan" not in zh
    assert "123.5% of plan" in en and "达成" not in en


@pytest.mark.parametrize(
    ("lang_", "snippet"),
    [
        # headline card: ¥1,234.56 actual, 1,234.56 / 1,000 = 123.456% → 123.5% of floor, / 1,500 = 82.3%
        ("en", '<div class="actual">¥1,234.56</div>'),
        ("en", '<td>¥1,000.00</td><td class="pct">123.5% of plan</td>'),
        ("en", '<td>¥1,500.00</td><td class="pct">82.3% of plan</td>'),
        # (1,234.56 − 1,100) / 1,100 = +12.23%
        ("en", '<td>¥1,100.00</td><td class="pct">+12.23% vs previous</td>'),
        ("en", '<div class="actual">1,234,567</div>'),
        ("en", '<div class="actual">3.21%</div>'),
        # 0.0321 / 0.03 = 107.0%; (0.0321 − 0.03) / 0.03 = +7.00%
        ("zh", '<td>3.00%</td><td class="pct">达成 107.0%</td>'),
        ("zh", '<td>3.00%</td><td class="pct">较上次 +7.00%</td>'),
        ("en", '<div class="actual">-¥5.01</div>'),  # −5.005 half up to the fen
        ("zh", '<div class="actual">20.3 小时</div>'),
        ("en", '<div class="actual">1.5 d</div>'),
        ("en", '<div class="actual">4.80</div>'),
        # tables
        ("en", '<td class="num">00:00</td><td class="num">¥100.00</td><td class="num">2</td>'),
        ("en", '<td class="num">¥5,123.40</td><td class="num">3.46</td><td class="num">4,000</td>'),
        ("en", '<td class="num">—</td><td class="num">—</td><td class="num">0</td>'),
        ("zh", '<td class="txt">主推款</td><td class="txt">2026-11-11 00:42</td><td class="num">00:00</td>'
               '<td class="num">100.00%</td><td class="num">¥9,999.99</td>'),
        ("zh", '<td class="num">12.3 秒</td><td class="num">45.67%</td>'),
        ("en", '<td class="txt">2026-11-11</td><td class="num">1,200</td>'),
        ("en", '<td class="txt">Visitors</td><td class="num">10,000</td><td class="num">100.00%</td>'),
        ("en", "<code>orders</code> 1,234,567"),
    ],
)
def test_values_formatted_exactly(lang_, snippet):
    assert snippet in render_html(sample_review(), lang_)


def test_strings_are_escaped(page):
    rest = _outside_library(page)
    assert EVIL not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in rest  # product name, note parameter
    assert "# &lt;/script&gt;" in rest  # inside the calibrated YAML
    # exactly our three script elements: the data, the library, the chart script
    assert rest.count("<script") == 3
    assert rest.count("</script>") == 3


def test_chart_data_is_json_with_nothing_to_break_out(page):
    data = _data(page)
    labels = [x for c in data["charts"] for x in c["x"]]
    assert "淘宝客" + EVIL in labels  # the label survives intact, as data
    block = page.split('id="review-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block


def test_chart_data_covers_every_kind_and_style(page):
    charts = _data(page)["charts"]
    assert {c["kind"] for c in charts} == {"line", "bar", "funnel", "pie"}
    assert {s["style"] for c in charts for s in c["series"]} == {"actual", "plan", "floor", "stretch", "previous"}
    hourly = charts[0]
    assert hourly["x"][:2] == ["00:00", "01:00"]
    actual, floor, _, previous = hourly["series"]
    assert actual["values"][-1] == 2400.0  # ¥100 an hour for 24 hours
    assert floor["values"][-1] == 1920.0  # ¥80 an hour
    assert previous["values"][-1] is None


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "a\u2028b", "<!--", "&amp;", "x\"'y"])
def test_json_for_script_round_trips(text):
    out = json_for_script({"v": text})
    assert "<" not in out and ">" not in out and "\u2028" not in out
    assert json.loads(out) == {"v": text}


def test_metric_definitions_shown_when_the_catalogue_has_them(monkeypatch):
    # the metrics dictionary lives in another catalogue module; stand in for it
    monkeypatch.setitem(CATALOGUE, "metric.gmv_paid.name", ("支付金额", "GMV paid"))
    monkeypatch.setitem(CATALOGUE, "metric.gmv_paid.definition", ("实付金额之和", "Sum paid <incl. shipping>"))
    html = render_html(sample_review(), "en")
    assert '<div class="card" id="fig-headline-gmv" title="Sum paid &lt;incl. shipping&gt;">' in html
    assert "<dt>GMV paid</dt><dd>Sum paid &lt;incl. shipping&gt;</dd>" in html


def test_no_definitions_block_without_catalogue_entries(monkeypatch):
    # a metric id the dictionary does not define gets no definitions block (and no invented text)
    for key in [k for k in CATALOGUE if k.startswith("metric.") and k.endswith(".definition")]:
        monkeypatch.delitem(CATALOGUE, key)
    assert 'class="definitions"' not in render_html(sample_review(), "en")


def test_the_metrics_dictionary_defines_what_the_report_shows():
    # with the real dictionary merged, gmv_paid's definition (docs/domain.md §9) is shown beside the figures
    html = render_html(sample_review(), "en")
    assert 'class="definitions"' in html
    assert t("metric.gmv_paid.definition", "en").split()[0] in html


def test_empty_sections_and_no_calibration_say_so():
    review = Review("x", date(2026, 11, 11), tuple(Section(s, f"review.section.{s}") for s in SECTIONS))
    html = render_html(review, "en")
    assert html.count(t("review_report.empty_section", "en")) == len(SECTIONS) - 1
    assert t("review_report.no_calibration", "en") in html
    assert _data(html)["charts"] == []


def test_calibrated_yaml_is_shown_verbatim_escaped(page):
    assert "campaign: {name: next, event_day: 2027-11-11}" in page


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_text_is_inert(text):
    assume(not has(text))  # a catalogue key would be shown translated
    review = Review(text, date(2026, 11, 11), (
        Section("products", "review.section.products",
                tables=(Table("t", "plan.col.name", (Column("n", "plan.col.name", "text"),), ((text,),)),),
                charts=(Chart("c", "plan.col.name", "pie", Column("n", "plan.col.name", "text"), (text,),
                              (Series("s", "plan.col.gmv", "yuan", (Decimal(1),)),)),),
                notes=(("plan.traffic_short", {"short": text, "reach": text, "needed": text, "best": text}),)),
    ), source={text: text})
    rest = _outside_library(render_html(review, "en"))
    # whatever the text, the page keeps exactly its own elements and the data block parses back
    assert rest.count("<script") == 3 and rest.count("</script>") == 3
    assert rest.count("<section") == 1 and rest.count("<td") == 1
    assert _data(rest)["charts"][0]["x"] == [text]
