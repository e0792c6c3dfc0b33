"""The metrics dictionary: every metric named and defined in both languages; formulas as docs/domain.md §9."""

from __future__ import annotations

import json
import typing

import pytest
import typer
from typer.testing import CliRunner

from dachu.analytics.review_model import Unit
from dachu.cli import metrics_cmd
from dachu.domain import metrics as m
from dachu.i18n import CATALOGUE, has, t


@pytest.mark.parametrize("metric", m.METRICS, ids=lambda x: x.id)
def test_every_metric_has_names_and_definition_in_both_languages(metric: m.Metric) -> None:
    for key in (metric.name_key, metric.definition_key):
        assert has(key), key
        zh, en = CATALOGUE[key]
        assert zh.strip() and en.strip()
        assert zh != en


def test_ids_are_unique_and_units_match_the_review_model() -> None:
    ids = [x.id for x in m.METRICS]
    assert len(ids) == len(set(ids))
    assert set(typing.get_args(m.MetricUnit)) == set(typing.get_args(Unit))


def test_no_catalogue_metric_key_without_a_metric() -> None:
    ids = {x.id for x in m.METRICS}
    orphans = [k for k in CATALOGUE if k.startswith("metric.") and k.split(".")[1] not in ids]
    assert orphans == []


@pytest.mark.parametrize(
    ("metric_id", "numerator", "denominator"),
    [
        ("aov", "gmv_paid", "paying_buyers"),  # 客单价 = paid amount / paying buyers
        ("conversion", "paying_buyers", "visitors"),  # 支付转化率 = paying buyers / visitors
        ("pv_per_visitor", "page_views", "visitors"),  # 人均浏览量 = PV / UV
        ("returning_visitor_share", "returning_visitors", "new_visitors + returning_visitors"),  # old/(new+old)
        ("inquiry_conversion", "cs_buyers who paid", "cs_buyers"),  # chatted and paid / chatted
        ("roi", "attributed_revenue", "spend"),
        ("cost_per_order", "spend", "attributed_orders"),
        ("ctr", "clicks", "impressions"),
        ("cost_per_click", "spend", "clicks"),
        ("sell_through", "units_sold", "stock"),
        ("unpaid_share", "orders placed and never paid", "orders_placed"),
        ("returning_buyer_share", "returning_buyers", "paying_buyers"),
    ],
    ids=lambda x: str(x),
)
def test_ratio_formulas_are_the_domain_definitions(metric_id: str, numerator: str, denominator: str) -> None:
    metric = m.metric(metric_id)
    assert (metric.numerator, metric.denominator) == (numerator, denominator)
    assert metric.formula == f"{numerator} / {denominator}"


def test_windows_are_the_domain_windows() -> None:
    assert m.RETURNING_VISITOR_DAYS == 6  # 老访客: visited in the 6 days before
    assert m.RETURNING_BUYER_DAYS == 365  # 老买家: paid in the 365 days before
    assert "6 days" in m.metric("returning_visitors").formula
    assert "365 days" in m.metric("returning_buyers").formula
    assert "6 天" in t("metric.returning_visitors.definition", "zh")
    assert "365 天" in t("metric.returning_buyers.definition", "zh")


def test_base_measures_have_no_ratio_sides() -> None:
    for metric_id in ("visitors", "page_views", "gmv_paid", "orders_paid", "paying_buyers"):
        assert m.metric(metric_id).numerator is None


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    metrics_cmd.register(app)

    @app.callback()
    def _root() -> None:
        pass

    return app


def test_metrics_command_json_lists_every_metric(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["metrics", "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == [x.id for x in m.METRICS]
    aov = next(r for r in rows if r["id"] == "aov")
    assert aov["name"] == "Order value per buyer (AOV)"
    assert aov["formula"] == "gmv_paid / paying_buyers"


def test_metrics_command_table_in_chinese(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["metrics", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "客单价" in result.output


def test_metrics_command_rejects_unknown_format(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["metrics", "--format", "csv"])
    assert result.exit_code == 1
