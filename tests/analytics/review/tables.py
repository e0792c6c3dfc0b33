"""Reading a review's figures and tables as plain dicts, for the section tests."""

from __future__ import annotations

from typing import Any

from dachu.analytics.review_model import Section


def figures(section: Section) -> dict[str, Any]:
    return {f.id: f.actual for f in section.figures}


def table(section: Section, table_id: str) -> list[dict[str, Any]]:
    tb = next(t for t in section.tables if t.id == table_id)
    return [dict(zip((c.id for c in tb.columns), row, strict=True)) for row in tb.rows]
