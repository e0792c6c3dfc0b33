"""`dachu capacity` and `dachu calendar` through CliRunner, on a program holding only these commands."""

import datetime as dt
import json

import icalendar
import pytest
import typer
from typer.testing import CliRunner

from dachu.cli import calendar_cmd, prepare_cmd

CAMPAIGN = """\
campaign: {name: 2026 双十一, event_day: 2026-11-11, currency: CNY}
goal: {metric: orders, floor: 100000, stretch: 150000, resource_multiplier: 2}
store: {baseline_daily_uv: 8000, baseline_conversion: 0.03, event_conversion: 0.04}
products:
  - {sku: A01, name: 野菊蜜, role: hero, list_price: 69, promo_price: 29, unit_cost: 21, goal_share: 0.6}
  - {sku: B02, name: 白筷子, role: traffic, list_price: 39, promo_price: 29, unit_cost: 11, goal_share: 0.4}
channels:
  - {name: 直通车, kind: cpc, cpc: 5}
warehouse:
  lines: 10
  orders_per_line_per_day: 5000
  priority_city_share: 0.4
"""


@pytest.fixture
def app():
    program = typer.Typer()
    prepare_cmd.register(program)
    calendar_cmd.register(program)
    return program


@pytest.fixture
def campaign(tmp_path):
    path = tmp_path / "campaign.yaml"
    path.write_text(CAMPAIGN, encoding="utf-8")
    return path


def run(app, *args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def test_capacity_json_for_300k_orders(app, campaign):
    # stretch 150,000 orders × 2 = 300,000; 40% priority = 120k → 3 days at 50k: needs 2 more lines
    result = run(app, "capacity", campaign, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    lg = data["logistics"]
    assert (lg["event_orders"], lg["days_to_clear"], lg["priority_days"]) == (300_000, 6, 3)
    assert lg["priority_ok"] is False and lg["extra_lines"] == 2 and lg["extra_packers"] == 40
    assert [x["listed"] for x in data["stock"]["products"]] == [171_000, 114_000]  # 180k, 120k × 0.95


@pytest.mark.parametrize(("lang", "words"), [("zh", ["不达标", "需增加产线", "备货计划"]),
                                             ("en", ["missed", "extra lines needed", "Stock plan"])])
def test_capacity_table(app, campaign, lang, words):
    result = run(app, "capacity", campaign, "--lang", lang)
    assert result.exit_code == 0, result.output
    assert "300,000" in result.output
    for word in words:
        assert word in result.output


def test_capacity_missing_file_is_one_red_line(app, tmp_path):
    result = run(app, "capacity", tmp_path / "nope.yaml", "--lang", "en")
    assert result.exit_code == 1
    assert "file not found" in result.output


def test_capacity_unknown_stock_sku(app, campaign):
    campaign.write_text(CAMPAIGN + "  stock:\n    items: {Z9: {lead_time_days: 2}}\n", encoding="utf-8")
    result = run(app, "capacity", campaign, "--lang", "en")
    assert result.exit_code == 1
    assert "Z9" in result.output and "warehouse.stock.items.Z9" in result.output


def test_calendar_table_shows_overdue_by_group(app, campaign):
    result = run(app, "calendar", campaign, "--today", "2026-10-16", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Overdue by group" in result.output
    assert "design.zuanzhan_creatives" in result.output


def test_done_then_calendar_json(app, campaign):
    done = run(app, "calendar", "done", "design.zuanzhan_creatives", "--on", "2026-10-12", "-f", campaign)
    assert done.exit_code == 0, done.output
    result = run(app, "calendar", campaign, "--today", "2026-10-16", "--format", "json")
    data = json.loads(result.output)
    tasks = {x["id"]: x for x in data["tasks"]}
    assert tasks["design.zuanzhan_creatives"]["state"] == "done"
    assert tasks["design.zuanzhan_creatives"]["done_on"] == "2026-10-12"
    assert tasks["ads.coupons_hang"]["state"] == "in_progress"
    # 钻展 creatives done: design's overdue list no longer holds them; the coupon art (ended 10.13) is
    assert "design.zuanzhan_creatives" not in data["overdue_by_group"]["design"]
    assert "design.coupon_art" in data["overdue_by_group"]["design"]


def test_done_unknown_id_fails(app, campaign):
    result = run(app, "calendar", "done", "nope.task", "-f", campaign, "--lang", "en")
    assert result.exit_code == 1 and "there is no task nope.task" in result.output


def test_bad_today_fails(app, campaign):
    result = run(app, "calendar", campaign, "--today", "11/11", "--lang", "en")
    assert result.exit_code == 1 and "not a date" in result.output


def test_calendar_writes_ics_and_xlsx(app, campaign, tmp_path):
    ics, xlsx = tmp_path / "c.ics", tmp_path / "c.xlsx"
    result = run(app, "calendar", campaign, "--today", "2026-10-01", "--ics", ics, "--xlsx", xlsx)
    assert result.exit_code == 0, result.output
    events = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    starts = {str(e["UID"]).split("@")[0]: e.decoded("DTSTART") for e in events}
    assert starts["warehouse.full_count"] == dt.date(2026, 11, 8)
    assert xlsx.stat().st_size > 0


def test_calendar_group_filter(app, campaign):
    result = run(app, "calendar", campaign, "--group", "warehouse", "--format", "json",
                 "--today", "2026-09-01")
    assert {x["group"] for x in json.loads(result.output)["tasks"]} == {"warehouse"}


def test_help_in_both_languages(app):
    assert run(app, "calendar", "--help").exit_code == 0
    assert run(app, "capacity", "--help").exit_code == 0


def test_calendar_follows_the_files_phases(app, campaign):
    # preparation from −40 (10.02) instead of −57 (9.15): cs.hire_temps (−57, 16 days) keeps its place as
    # the phase's first task → 10.02–10.17; the warm-up is unchanged, so members.warm_notice stays 11.08
    campaign.write_text(CAMPAIGN + "phases: {preparation_from: -40}\n", encoding="utf-8")
    result = run(app, "calendar", campaign, "--today", "2026-10-01", "--format", "json")
    assert result.exit_code == 0, result.output
    tasks = {x["id"]: x for x in json.loads(result.output)["tasks"]}
    assert (tasks["cs.hire_temps"]["start"], tasks["cs.hire_temps"]["end"]) == ("2026-10-02", "2026-10-17")
    assert tasks["cs.hire_temps"]["phase"] == "preparation"
    assert tasks["members.warm_notice"]["start"] == "2026-11-08"
