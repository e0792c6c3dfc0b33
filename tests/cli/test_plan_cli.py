"""The command line: init, plan (table, json contract, xlsx), errors as one red line and exit 1."""

import json

import pytest
from typer.testing import CliRunner

from dachu.cli.main import app
from tests.conftest import CHECK_CAMPAIGN

runner = CliRunner()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", ["double11", "seed-2013"])
def test_init_writes_a_valid_commented_file(tmp_path, lang, example):
    result = runner.invoke(app, ["init", str(tmp_path), "--example", example, "--lang", lang])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "campaign.yaml").read_text(encoding="utf-8")
    assert text.startswith("# dachu")
    assert runner.invoke(app, ["plan", str(tmp_path / "campaign.yaml"), "--lang", lang]).exit_code == 0


def test_init_refuses_to_overwrite(tmp_path):
    runner.invoke(app, ["init", str(tmp_path)])
    result = runner.invoke(app, ["init", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 1
    assert "already exists" in result.output and "--force" in result.output


def test_plan_json_contract(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(CHECK_CAMPAIGN, encoding="utf-8")
    result = runner.invoke(app, ["plan", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    floor_net = next(s for s in data["scenarios"] if s["name"] == "floor" and s["method"] == "net_of_spend")
    assert floor_net["products"][0] == {
        "sku": "A", "name": "A", "role": "hero", "orders": 4200, "traffic": 105000, "unit_profit": 50.0,
        "gmv": 420000.0, "gross_profit": 210000.0, "fixed": False, "target_orders": 4200}
    assert floor_net["traffic"] == {"needed": 280000, "baseline": 30000, "incremental": 250000, "paid": 250000,
                                    "short": 0, "reach": 280000}
    assert floor_net["order_value"] == 56.25  # (4,200 × 100 + 7,000 × 30) / 11,200
    assert floor_net["channels"] == [
        {"name": "paid traffic", "kind": "cpc", "budget": 250000.0, "traffic": 250000, "committed": False}]
    assert floor_net["totals"] == {"budget": 250000.0, "traffic": 280000, "orders": 11200, "gmv": 630000.0,
                                   "gross_profit": 350000.0, "net_profit": 100000.0}
    assert {(s["name"], s["method"]) for s in data["scenarios"]} == {
        ("floor", "seed"), ("floor", "net_of_spend"), ("stretch", "seed"), ("stretch", "net_of_spend")}
    assert isinstance(floor_net["totals"]["orders"], int)


def test_plan_json_promotions(tmp_path, seed2013):
    runner.invoke(app, ["init", str(tmp_path), "--example", "seed-2013"])
    data = json.loads(runner.invoke(app, ["plan", str(tmp_path / "campaign.yaml"), "--format", "json"]).output)
    first = data["promotions"][0]
    assert set(first) >= {"name", "net_per_order", "profit_per_order", "planned_orders", "total_profit",
                          "break_even_price", "break_even_commission"}
    assert (first["net_per_order"], first["profit_per_order"], first["total_profit"]) == (17.8, -8.2, -4100.0)
    assert [p["profit_per_order"] for p in data["promotions"]] == [-8.2, -1.4, -3.71, -0.02]


def test_plan_writes_xlsx(tmp_path):
    runner.invoke(app, ["init", str(tmp_path)])
    result = runner.invoke(app, ["plan", str(tmp_path / "campaign.yaml"), "--xlsx", str(tmp_path / "p.xlsx")])
    assert result.exit_code == 0
    assert (tmp_path / "p.xlsx").stat().st_size > 5000


def test_bad_file_is_one_message_per_problem_and_exit_1(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(CHECK_CAMPAIGN.replace("event_conversion: 0.04", "event_conversion: 4"), encoding="utf-8")
    result = runner.invoke(app, ["plan", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert "c.yaml:3: store.event_conversion" in result.output
    assert "Traceback" not in result.output
    zh = runner.invoke(app, ["plan", str(path), "--lang", "zh"])
    assert "不是 0 到 1 之间的比率" in zh.output


def test_missing_file(tmp_path):
    result = runner.invoke(app, ["plan", str(tmp_path / "nope.yaml"), "--lang", "en"])
    assert result.exit_code == 1
    assert "file not found" in result.output


def test_demo_finishes_with_files(tmp_path):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo"), "--orders", "200", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo" / "plan.xlsx").exists()
    assert "营销计划表" in result.output
