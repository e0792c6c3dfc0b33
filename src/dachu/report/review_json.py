"""The review as JSON (`dachu review --format json`), shape documented in docs/review-json.md.

Language-neutral: labels stay catalogue keys (`label` holds the key; `label_text` the text in the chosen
language when one is given). Money is a string exact to the fen ("1234.50"), counts are integers, rates
and ratios numbers, dates ISO strings, unknown values null.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dachu.analytics.review_model import Chart, Column, Figure, Review, Section, Series, Table, Value
from dachu.domain.money import fen
from dachu.domain.profit import COST_LINES, Against, ProfitReview, ProfitStatement
from dachu.i18n import Lang, has, t

SCHEMA_VERSION = 1


def value(v: Value) -> Any:
    """One value as JSON: Decimal → string to the fen, date/datetime → ISO text."""
    if isinstance(v, Decimal):
        return format(fen(v), "f")
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return round(v, 6)
    return v


def _label(key: str, lang: Lang | None) -> dict[str, Any]:
    out: dict[str, Any] = {"label": key}
    if lang is not None and has(key):
        out["label_text"] = t(key, lang)
    return out


def _column(c: Column, lang: Lang | None) -> dict[str, Any]:
    return {"id": c.id, **_label(c.key, lang), "unit": c.unit, "metric": c.metric, "labels": c.labels}


def _figure(f: Figure, lang: Lang | None) -> dict[str, Any]:
    return {
        "id": f.id,
        **_label(f.key, lang),
        "unit": f.unit,
        "metric": f.metric,
        "actual": value(f.actual),
        "floor": value(f.floor),
        "stretch": value(f.stretch),
        "previous": value(f.previous),
    }


def _table(tb: Table, lang: Lang | None) -> dict[str, Any]:
    return {
        "id": tb.id,
        **_label(tb.key, lang),
        "columns": [_column(c, lang) for c in tb.columns],
        "rows": [[value(v) for v in row] for row in tb.rows],
        "note": tb.note_key,
    }


def _series(s: Series, lang: Lang | None) -> dict[str, Any]:
    return {"id": s.id, **_label(s.key, lang), "unit": s.unit, "style": s.style, "values": [value(v) for v in s.values]}


def _chart(c: Chart, lang: Lang | None) -> dict[str, Any]:
    return {
        "id": c.id,
        **_label(c.key, lang),
        "kind": c.kind,
        "x": _column(c.x, lang),
        "x_values": [value(v) for v in c.x_values],
        "series": [_series(s, lang) for s in c.series],
    }


def _section(s: Section, lang: Lang | None) -> dict[str, Any]:
    return {
        "id": s.id,
        **_label(s.key, lang),
        "figures": [_figure(f, lang) for f in s.figures],
        "tables": [_table(tb, lang) for tb in s.tables],
        "charts": [_chart(c, lang) for c in s.charts],
        "notes": [
            {"key": k, "params": {n: value(v) for n, v in p.items()}}
            | ({"text": t(k, lang, **{n: value(v) for n, v in p.items()})} if lang is not None else {})
            for k, p in s.notes
        ],
    }


def review_dict(review: Review, lang: Lang | None = None) -> dict[str, Any]:
    """The whole review as a JSON-ready dict; with `lang`, labels and notes carry their text too."""
    return {
        "schema_version": SCHEMA_VERSION,
        "campaign": review.campaign,
        "event_day": review.event_day.isoformat(),
        "source": dict(review.source),
        "sections": [_section(s, lang) for s in review.sections],
        "calibrated_yaml": review.calibrated_yaml,
        "profit": profit_dict(review.profit),
    }


def _statement(s: ProfitStatement) -> dict[str, Any]:
    return {"net": value(s.net), "gmv_paid": value(s.gmv_paid), **{k: value(v) for k, v in s.costs}}


def _against(a: Against) -> dict[str, Any]:
    return {"goal": value(a.goal), "goal_met": a.goal_met, "gap": value(a.gap)}


def profit_dict(p: ProfitReview | None) -> dict[str, Any] | None:
    """The review's profit (`dachu.domain.profit`): the event day's net, its floor goal, goal_met and gap.

    Top level: the event day's statement (`net`, `gmv_paid` and each cost line) against the floor (`goal`,
    `goal_met`, `gap`); `stretch` the same against the stretch; `campaign` the whole campaign's statement.
    """
    if p is None:
        return None
    return {
        "goal_metric": p.goal_metric,
        **_statement(p.event_day),
        **_against(p.floor),
        "floor": _against(p.floor),
        "stretch": _against(p.stretch),
        "campaign": _statement(p.campaign),
        "cost_lines": list(COST_LINES),
    }
