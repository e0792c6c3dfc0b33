"""The review (复盘): one module per section, the shared helpers in `common`, `build_review` in `build`.

`build_review(src, plan)` is the package's one entry; `dachu.analytics.review_model` is its result.
"""

from dachu.analytics.review.build import build_review

__all__ = ["build_review"]
