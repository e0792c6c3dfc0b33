"""The metrics dictionary (指标字典) at the door: every figure's definition, for `dachu metrics` and the pages."""

from __future__ import annotations

from dachu.domain.metrics import METRICS, Metric, metric

__all__ = ["METRICS", "Metric", "metric"]
