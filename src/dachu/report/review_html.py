"""The review as one self-contained HTML file (复盘报告): opens offline, prints to A4 PDF.

Everything the page needs is inside the file: the stylesheet, Apache ECharts (inlined from
`dachu.report.assets`), the chart data as JSON and a short script that draws it. A Content-Security-Policy
forbids every request to anywhere (`default-src 'none'`), so a report mailed around cannot call home and a
missing asset would show up as an error, not as a silent download.

Layout: a header (campaign, event day, what was measured, contents), then one `<section>` per review
section in `SECTIONS` order: headline figures as cards (actual against floor, stretch and an earlier
campaign, with % of plan), tables, charts (line, bar, funnel, pie; plan series dashed) and notes.

Safety: every string from the review goes through `html.escape`; the chart data is JSON with `<`, `>`, `&`
and the JS line separators escaped, read with `JSON.parse` from a `type="application/json"` block, and the
chart script escapes labels again before ECharts puts them into a tooltip.

Printing: A4 portrait, each section on a new page, charts redrawn at a fixed print size before printing,
table rows never split and table headers repeated on each page.
"""

from __future__ import annotations

import json
from html import escape
from importlib.resources import files
from typing import Any

from dachu.analytics.review_model import SECTIONS, Chart, Column, Figure, Review, Section, Table, Unit, Value
from dachu.i18n import Lang, has, t
from dachu.report import review_format as f
from dachu.report.assets import echarts_js

PRINT_CHART_PX = (640, 330)
"""Chart size when printing, in CSS px (≈169 × 87 mm): fits the A4 text width with 12 mm margins."""


def h(value: object) -> str:
    """HTML-escape any value shown on the page (quotes included, so it is safe in attributes too)."""
    return escape(str(value), quote=True)


def json_for_script(data: object) -> str:
    """JSON safe to place inside a <script> element: no `</script>`, no `<!--`, no JS line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, safe in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                      ("\u2029", "\\u2029")):
        text = text.replace(raw, safe)
    return text


def _library() -> str:
    js = echarts_js()
    # ECharts 5.6.0 contains no closing script tag; guard anyway so a future bundle cannot end the element.
    return js.replace("</script", "<\\/script")


def _ordered(review: Review) -> list[Section]:
    rank = {sid: i for i, sid in enumerate(SECTIONS)}
    return sorted(review.sections, key=lambda s: rank.get(s.id, len(SECTIONS)))


class _Page:
    """Collects the HTML of one report and the data of its charts."""

    def __init__(self, review: Review, lang: Lang) -> None:
        self.review = review
        self.lang = lang
        self.charts: list[dict[str, Any]] = []

    def tr(self, key: str, **params: object) -> str:
        """A catalogue string, escaped."""
        return h(t(key, self.lang, **params))

    def show(self, value: Value, unit: Unit) -> str:
        return h(f.display(value, unit, self.lang))

    # --- blocks -----------------------------------------------------------------------------------------

    def header(self) -> str:
        r = self.review
        items = "".join(f"<li><code>{h(k)}</code> {h(f.display(v, 'count', self.lang))}</li>"
                        for k, v in r.source.items())
        source = (f'<div class="source"><h2>{self.tr("review_report.source")}</h2><ul>{items}</ul></div>'
                  if items else "")
        toc = "".join(f'<li><a href="#sec-{h(s.id)}">{h(t(s.key, self.lang))}</a></li>' for s in _ordered(r))
        return (
            f'<header class="top"><h1>{self.tr("review_report.title", campaign=r.campaign)}</h1>'
            f'<p class="day">{self.tr("review_report.event_day", day=r.event_day.isoformat())}</p>'
            f"{source}"
            f'<nav class="toc"><h2>{self.tr("review_report.contents")}</h2><ol>{toc}</ol></nav>'
            f'<p class="hint screen-only">{self.tr("review_report.print_hint")}</p></header>'
        )

    def section(self, s: Section) -> str:
        parts = [f'<section class="review-section" id="sec-{h(s.id)}"><h2>{h(t(s.key, self.lang))}</h2>']
        if s.figures:
            parts.append('<div class="cards">' + "".join(self.card(s, x) for x in s.figures) + "</div>")
        parts.extend(self.table(s, x) for x in s.tables)
        parts.extend(self.chart(s, x) for x in s.charts)
        if s.id == "calibration":
            parts.append(self.calibration())
        if s.notes:
            notes = "".join(f"<li>{self.tr(key, **params)}</li>" for key, params in s.notes)
            parts.append(f'<ul class="notes">{notes}</ul>')
        if not (s.figures or s.tables or s.charts or s.notes or s.id == "calibration"):
            parts.append(f'<p class="empty">{self.tr("review_report.empty_section")}</p>')
        parts.append(self.definitions(s))
        parts.append("</section>")
        return "".join(parts)

    def card(self, s: Section, x: Figure) -> str:
        rows = []
        for key, plan in (("review_report.floor", x.floor), ("review_report.stretch", x.stretch)):
            if plan is None:
                continue
            share = f.of_plan(x.actual, plan)
            pct = self.tr("review_report.of_plan", pct=f.percent(share, 1)) if share is not None else ""
            rows.append(f'<tr><th>{self.tr(key)}</th><td>{self.show(plan, x.unit)}</td><td class="pct">{pct}</td></tr>')
        if x.previous is not None:
            delta = f.change(x.actual, x.previous)
            pct = self.tr("review_report.vs_previous", pct=f.signed_percent(delta)) if delta is not None else ""
            rows.append(f'<tr><th>{self.tr("review_report.previous")}</th>'
                        f'<td>{self.show(x.previous, x.unit)}</td><td class="pct">{pct}</td></tr>')
        bar = ""
        share = f.of_plan(x.actual, x.stretch if x.stretch is not None else x.floor)
        if share is not None:
            width = max(0.0, min(share, 1.0)) * 100
            bar = f'<div class="bar" aria-hidden="true"><span style="width:{width:.1f}%"></span></div>'
        plan_rows = f'<table class="vs">{"".join(rows)}</table>' if rows else ""
        return (f'<div class="card" id="fig-{h(s.id)}-{h(x.id)}"{self.title_attr(x.metric)}>'
                f'<div class="label">{h(t(x.key, self.lang))}</div>'
                f'<div class="actual">{self.show(x.actual, x.unit)}</div>{bar}{plan_rows}</div>')

    def table(self, s: Section, x: Table) -> str:
        head = "".join(f'<th class="{self.align(c.unit)}"{self.title_attr(c.metric)}>{h(t(c.key, self.lang))}</th>'
                       for c in x.columns)
        body = "".join(
            "<tr>" + "".join(f'<td class="{self.align(c.unit)}">{self.show(v, c.unit)}</td>'
                             for c, v in zip(x.columns, row, strict=True)) + "</tr>"
            for row in x.rows)
        note = f'<p class="table-note">{self.tr(x.note_key)}</p>' if x.note_key else ""
        return (f'<figure class="table-block" id="tab-{h(s.id)}-{h(x.id)}">'
                f"<figcaption>{h(t(x.key, self.lang))}</figcaption>"
                f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
                f"{note}</figure>")

    def chart(self, s: Section, x: Chart) -> str:
        dom = f"chart-{len(self.charts)}"
        self.charts.append(self.chart_data(dom, x))
        title = h(t(x.key, self.lang))
        return (f'<figure class="chart-block" id="chartblock-{h(s.id)}-{h(x.id)}"><figcaption>{title}</figcaption>'
                f'<div class="chart" id="{dom}" role="img" aria-label="{title}"></div></figure>')

    def chart_data(self, dom: str, x: Chart) -> dict[str, Any]:
        return {
            "dom": dom,
            "kind": x.kind,
            "xName": t(x.x.key, self.lang),
            "x": [f.display(v, x.x.unit, self.lang) for v in x.x_values],
            "series": [{"name": t(s.key, self.lang), "unit": s.unit, "style": s.style,
                        "values": [f.number(v, s.unit) for v in s.values]} for s in x.series],
        }

    def calibration(self) -> str:
        yaml = self.review.calibrated_yaml
        if yaml is None:
            return f'<p class="empty">{self.tr("review_report.no_calibration")}</p>'
        return (f'<figure class="yaml"><figcaption>{self.tr("review_report.calibrated")}</figcaption>'
                f"<pre><code>{h(yaml)}</code></pre></figure>")

    def definitions(self, s: Section) -> str:
        """The definitions (口径) of the defined metrics this section shows, when the catalogue has them."""
        ids: list[str] = []
        columns: list[Column | Figure] = [*s.figures, *(c for tab in s.tables for c in tab.columns)]
        for c in columns:
            if c.metric and c.metric not in ids and has(f"metric.{c.metric}.definition"):
                ids.append(c.metric)
        if not ids:
            return ""
        items = "".join(f"<dt>{self.metric_name(m)}</dt><dd>{self.tr(f'metric.{m}.definition')}</dd>" for m in ids)
        return f'<details class="definitions" open><summary>{self.tr("review_report.definitions")}</summary>' \
               f"<dl>{items}</dl></details>"

    def metric_name(self, metric: str) -> str:
        key = f"metric.{metric}.name"
        return self.tr(key) if has(key) else h(metric)

    def title_attr(self, metric: str | None) -> str:
        key = f"metric.{metric}.definition"
        return f' title="{self.tr(key)}"' if metric and has(key) else ""

    @staticmethod
    def align(unit: Unit) -> str:
        return "num" if unit in f.NUMERIC_UNITS else "txt"


def render_html(review: Review, lang: Lang) -> str:
    """The whole report as one HTML document (UTF-8 text), ready to write to a `.html` file."""
    page = _Page(review, lang)
    header = page.header()
    sections = "".join(page.section(s) for s in _ordered(review))
    data = {
        "lang": lang,
        "print": {"width": PRINT_CHART_PX[0], "height": PRINT_CHART_PX[1]},
        "units": {u: t(f"review_report.unit.{u}", lang, v="{v}") for u in ("seconds", "hours", "days")},
        "charts": page.charts,
    }
    title = page.tr("review_report.title", campaign=review.campaign)
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="dachu"><title>{title}</title><style>{STYLE}</style></head>'
        f"<body>{header}<main>{sections}</main>"
        f'<footer><p>{page.tr("review_report.no_personal_data")}</p></footer>'
        f'<script type="application/json" id="review-data">{json_for_script(data)}</script>'
        f"<script>{_library()}</script><script>{SCRIPT}</script></body></html>\n"
    )



def _asset(name: str) -> str:
    return files("dachu.report.assets").joinpath(name).read_text(encoding="utf-8")


STYLE = _asset("review.css").replace("PRINT_W", str(PRINT_CHART_PX[0])).replace("PRINT_H", str(PRINT_CHART_PX[1]))
"""The stylesheet, screen and print."""
SCRIPT = _asset("review.js")
"""Reads the JSON data block and draws every chart with ECharts (SVG renderer, no animation)."""
