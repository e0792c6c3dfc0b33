"""The metrics dictionary (指标字典) at the door: every figure's definition, for `dachu metrics` and the pages."""

from __future__ import annotations

import re

from dachu.domain.metrics import METRICS, Metric, metric
from dachu.i18n import Lang, has, t

__all__ = ["METRICS", "Metric", "formula_text", "metric"]

_ID = re.compile(r"[a-z][a-z0-9_]*")


def formula_text(m: Metric, lang: Lang) -> str:
    """The formula of `m` as a reader of `lang` reads it.

    A formula written in words has its text in the catalogue (`metric.<id>.formula`); one over metric ids
    alone (`gmv_paid / paying_buyers`) is shown with their names (支付金额 / 支付买家数). In English the
    formula reads as `dachu.domain.metrics` writes it.
    """
    key = f"metric.{m.id}.formula"
    if has(key):
        return t(key, lang)
    if lang == "en":
        return m.formula
    return _ID.sub(lambda found: t(metric(found.group()).name_key, lang), m.formula)
