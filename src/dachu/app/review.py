"""The review verbs of the facade (`dachu review`): measure the store, write the report and calibrated.yaml.

Kept apart from `dachu.app` so that module stays small; `Workspace.review` calls `review_store` and
`write_review`.
"""

from __future__ import annotations

import json
from pathlib import Path

from dachu.analytics.review import build_review
from dachu.analytics.review_model import Review
from dachu.analytics.source import Source
from dachu.domain.plan.plan import Plan
from dachu.errors import InputError, naming
from dachu.i18n import Lang

__all__ = ["FORMATS", "Review", "review_store", "write_review"]

FORMATS = ("html", "xlsx", "json")
CALIBRATED = "calibrated.yaml"


def review_store(store: Path, plan: Plan) -> Review:
    """The review of the campaign in `store` (opened read-only) against `plan`."""
    with Source.open(store) as src:
        return build_review(src, plan)


def write_review(review: Review, out: Path, fmt: str, lang: Lang) -> tuple[Path, Path | None]:
    """Write the report as `review.<fmt>` in `out`, and calibrated.yaml beside it; return both paths."""
    if fmt not in FORMATS:
        raise InputError("review.bad_format", value=fmt, choices=", ".join(FORMATS))
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"review.{fmt}"
    if fmt == "json":
        from dachu.report.review_json import review_dict

        with naming(path):
            path.write_text(json.dumps(review_dict(review, lang), ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        try:
            if fmt == "html":
                from dachu.report.review_html import render_html  # type: ignore[import-not-found,unused-ignore]

                with naming(path):
                    path.write_text(render_html(review, lang), encoding="utf-8")
            else:
                from dachu.report.review_xlsx import write_review_xlsx  # type: ignore[import-not-found,unused-ignore]

                write_review_xlsx(review, path, lang)
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("dachu.report.review_"):
                raise
            raise InputError("review.format_unavailable", value=fmt) from None
    calibrated = None
    if review.calibrated_yaml is not None:
        calibrated = out / CALIBRATED
        with naming(calibrated):
            calibrated.write_text(review.calibrated_yaml, encoding="utf-8")
    return path, calibrated
