"""`dachu staff` and `dachu staff rota` through Typer's CliRunner, on a command app of their own."""

from __future__ import annotations

import json

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

from dachu.cli import staff_cmd

CAMPAIGN = """\
campaign: {name: test, event_day: 2026-11-11}
goal: {metric: orders, floor: 1000, stretch: 2000, resource_multiplier: 1}
store: {baseline_daily_uv: 2000, baseline_conversion: 0.03, event_conversion: 0.05, cost_per_visitor: 1}
products:
  - {sku: A, name: honey, role: hero, list_price: 99, promo_price: 59, unit_cost: 18, goal_share: 1}
service:
  inquiry_rate: 0.05
  handle_seconds: 180
  chats_per_agent: 3
  shrinkage: 0.3
  agents: {presale: TEAM, aftersale: TEAM}
  leave:
    - {agent: S02, dates: [2026-11-03, 2026-11-04]}
"""


@pytest.fixture
def app():
    app = typer.Typer()
    staff_cmd.register(app)

    @app.callback()
    def _root() -> None:
        pass

    return app


def _file(tmp_path, team: int):
    path = tmp_path / "c.yaml"
    path.write_text(CAMPAIGN.replace("TEAM", str(team)), encoding="utf-8")
    return path


def test_staff_json_gives_hours_and_the_event_day_arrangement(app, tmp_path):
    result = CliRunner().invoke(app, ["staff", str(_file(tmp_path, 4)), "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    # 2,000 orders at 5% → 40,000 visitors; hour 20 holds 6% = 2,400 → 120 inquiries × 180 s / 3600 = 6 Erl
    assert out["visitors"] == 40_000
    h20 = out["hours"][20]
    assert (h20["visitors"], h20["erlangs"]) == (2400, 6.0)
    assert len(out["hours"]) == 24
    arr = out["arrangement"]
    assert arr["aftersale_on_day"] == 8 and arr["headcount"] == arr["day_peak"] + arr["night_peak"]
    assert arr["to_hire"] == max(0, arr["headcount"] - 8)


@pytest.mark.parametrize(("lang", "word"), [("en", "hire"), ("zh", "临时客服")], ids=["en", "zh"])
def test_staff_table_in_both_languages(app, tmp_path, lang, word):
    result = CliRunner().invoke(app, ["staff", str(_file(tmp_path, 4)), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert word in result.output


def test_rota_writes_the_terminal_table_and_the_workbook(app, tmp_path):
    out = tmp_path / "rota.xlsx"
    result = CliRunner().invoke(
        app,
        ["staff", "rota", str(_file(tmp_path, 6)), "--month", "2026-11", "--xlsx", str(out), "--lang", "en"],
    )
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    rota = wb["Rota"]
    assert rota.cell(1, 1).value == "Agent" and rota.cell(1, 2).value == "11-01"
    agents = [rota.cell(r, 1).value for r in range(2, 14)]
    assert agents == [f"P{i:02d}" for i in range(1, 7)] + [f"S{i:02d}" for i in range(1, 7)]
    # S02 asked for 11-03 and 11-04 off (row 9, columns 4 and 5)
    assert rota.cell(9, 4).value == "-" and rota.cell(9, 5).value == "-"
    assert "Coverage" in wb.sheetnames


def test_rota_json(app, tmp_path):
    result = CliRunner().invoke(app, ["staff", "rota", str(_file(tmp_path, 6)), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["status"] in ("optimal", "feasible")
    assert all(c["on_duty"] >= c["need"] for c in out["coverage"])


def test_an_infeasible_month_says_which_rules_collide(app, tmp_path):
    result = CliRunner().invoke(app, ["staff", "rota", str(_file(tmp_path, 4)), "--lang", "en"])
    assert result.exit_code == 1
    assert "2026-11-11: coverage needs 10 agents" in result.output
    assert "INFEASIBLE" not in result.output


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["staff", "missing.yaml"], "file not found"),
        (["staff", "rota", "FILE", "--month", "2026-13"], "month 2026-13 is not valid"),
        (["staff", "FILE", "--format", "xml"], "unknown format xml"),
    ],
    ids=["missing", "bad-month", "bad-format"],
)
def test_errors_are_one_line_and_exit_1(app, tmp_path, args, text):
    path = str(_file(tmp_path, 4))
    result = CliRunner().invoke(app, [a.replace("FILE", path) for a in args] + ["--lang", "en"])
    assert result.exit_code == 1
    assert text in result.output


def test_campaign_without_service_section(app, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(CAMPAIGN.split("service:")[0], encoding="utf-8")
    result = CliRunner().invoke(app, ["staff", str(path), "--lang", "en"])
    assert result.exit_code == 1 and "service: section" in " ".join(result.output.split())


def test_help_lists_rota(app):
    result = CliRunner().invoke(app, ["staff", "--help"])
    assert result.exit_code == 0 and "rota" in result.output


def _previous(tmp_path, last_day: str, nights: list[str]):
    """A previous month's rota JSON whose last day is `last_day`, `nights` on the night shift that day."""
    path = tmp_path / "october.json"
    agents = [f"P{i:02d}" for i in range(1, 7)] + [f"S{i:02d}" for i in range(1, 7)]
    shifts = {a: ["day", "night" if a in nights else "half"] for a in agents}
    path.write_text(json.dumps({"days": ["2026-10-30", last_day], "shifts": shifts}), encoding="utf-8")
    return path


def test_rota_takes_last_months_night_shift_into_account(app, tmp_path):
    previous = _previous(tmp_path, "2026-10-31", ["P01", "S03"])
    result = CliRunner().invoke(app, ["staff", "rota", str(_file(tmp_path, 6)), "--month", "2026-11",
                                      "--previous", str(previous), "--night-before", "P02",
                                      "--seconds", "5", "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["night_before"] == ["P01", "P02", "S03"]
    assert all(out["shifts"][a][0] != "day" for a in ("P01", "P02", "S03"))


@pytest.mark.parametrize(
    ("extra", "text"),
    [
        (["--previous", "PREV_WRONG"], "ends on 2026-10-30, not on 2026-10-31"),
        (["--night-before", "X09"], "there is no agent X09"),
        (["--previous", "missing.json"], "file not found"),
    ],
    ids=["previous-not-the-month-before", "unknown-agent", "previous-missing"],
)
def test_rota_previous_input_errors(app, tmp_path, extra, text):
    wrong = _previous(tmp_path, "2026-10-30", [])
    args = ["staff", "rota", str(_file(tmp_path, 6)), "--month", "2026-11", "--lang", "en"]
    result = CliRunner().invoke(app, args + [a.replace("PREV_WRONG", str(wrong)) for a in extra])
    assert result.exit_code == 1
    assert text in " ".join(result.output.split())
