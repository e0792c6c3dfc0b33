"""No English in the zh output a merchant sees on the first day, and English sheet names in en (issue #16,
"Language"): phases, product roles, the `organic` source, import format names, the plan's scenario, --help,
the metrics' formulas, `calendar --group` by its Chinese name."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dachu.app.metrics import METRICS, formula_text
from dachu.cli.main import app
from dachu.data.importers import REGISTRY
from dachu.i18n import has, t

HAN = re.compile(r"[\u4e00-\u9fff]")
ACRONYMS = {"UV", "PV", "DSR", "RFM", "ROI", "CS"}
"""Latin words a Chinese merchant reads as Chinese: the platforms' own abbreviations."""


def run(*args: str, lang: str = "zh"):
    result = CliRunner().invoke(app, ["--lang", lang, *args])
    assert result.exit_code == 0, result.output
    return result.output


def english_words(text: str, allowed: set[str] = ACRONYMS) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_]+", text) if w not in allowed}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ws")
    result = CliRunner().invoke(app, ["--lang", "zh", "demo", "--orders", "300", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_plan_names_its_capacity_scenario_in_chinese(workspace):
    out = run("plan", str(workspace / "campaign.yaml"))
    assert "stretch/seed" not in out and "stretch" not in out and "/seed" not in out
    assert "个包裹（冲刺 · 种子算法）" in out or "个包裹（冲刺 · 扣除推广费）" in out


@pytest.mark.parametrize("command", [[], ["init"], ["calendar", "show"], ["staff", "rota"]], ids=lambda c: "-".join(c))
def test_help_says_help_in_chinese(command):
    # help texts are chosen at start-up from the command line, so a fresh process
    proc = subprocess.run([sys.executable, "-c", "from dachu.cli.main import main; main()", "--lang", "zh",
                           *command, "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Show this message and exit" not in proc.stdout
    assert t("cli.opt.help", "zh") in proc.stdout


def test_metrics_formulas_read_in_chinese():
    rows = json.loads(run("metrics", "--format", "json"))
    assert len(rows) == len(METRICS)
    for row in rows:
        assert not english_words(row["formula"]), row
    table = run("metrics")
    assert "count(" not in table and "paid_at" not in table
    assert "支付金额 / 支付买家数" in table  # aov = gmv_paid / paying_buyers, by the metrics' names


def test_the_english_formulas_are_the_dictionary_s_own():
    for m in METRICS:
        assert formula_text(m, "en") == m.formula
        if has(f"metric.{m.id}.formula"):
            assert t(f"metric.{m.id}.formula", "en") == m.formula


@pytest.mark.parametrize("name", ["广告推广", "ads", "ADS", "customer service"])
def test_calendar_group_by_its_chinese_or_english_name(workspace, name):
    data = json.loads(run("calendar", str(workspace / "campaign.yaml"), "--group", name, "--format", "json"))
    groups = {task["group"] for task in data["tasks"]}
    assert groups == ({"cs"} if name == "customer service" else {"ads"})


@pytest.mark.parametrize(("lang", "words"), [("zh", "分组"), ("en", "group")])
def test_an_unknown_group_says_group(workspace, lang, words):
    result = CliRunner().invoke(app, ["--lang", lang, "calendar", str(workspace / "campaign.yaml"), "--group", "广告"])
    assert result.exit_code == 1
    assert words in result.output and "format" not in result.output and "格式" not in result.output
    assert ("广告推广" if lang == "zh" else "ads (ads)") in result.output


def test_import_names_the_formats_in_chinese(workspace, tmp_path):
    files = sorted(str(p) for p in (workspace / "simulated").iterdir())
    out = run("import", *files, "--store", str(tmp_path / "s.duckdb"))
    assert "淘宝/天猫订单" in out and "用户行为日志" in out
    assert not {"taobao_orders", "taobao_lines", "tianchi_behaviour", "generic"} & set(re.findall(r"\w+", out))


def test_every_importer_has_a_name_in_both_languages():
    for name in [*REGISTRY, "generic"]:
        assert has(f"data_import.format.{name}"), name


def test_the_review_shows_phases_roles_and_sources_in_chinese(workspace, tmp_path):
    run("review", str(workspace / "campaign.yaml"), "--store", str(workspace / "dachu.duckdb"), "--out", str(tmp_path))
    page = (tmp_path / "review.html").read_text(encoding="utf-8")
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", page, flags=re.S)
    cells = {html.unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", body, flags=re.S)}
    codes = {"preparation", "warm_up", "event", "follow_up", "traffic", "hero", "profit", "clearance", "organic"}
    assert not codes & cells, codes & cells
    assert {"前期准备", "预热", "活动当天", "主推款", "引流款", "自然流量"} <= cells
    # the charts' categories too (ECharts options are JSON in the page)
    assert '"organic"' not in page and '"hero"' not in page and '"warm_up"' not in page
