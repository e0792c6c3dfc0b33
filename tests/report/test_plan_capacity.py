"""The plan's capacity section (warehouse, materials, stock plan, staffing) in JSON, XLSX and the terminal.

Hand-worked on the double11 example: the stretch scenario needs 23,362 orders on the day (× 2 already;
that figure is the planner's and tested there). The example's warehouse: 4 lines × 2,500 a day, 30% of
orders from priority cities, follow-up days bring 15%, 8%, 5% more; its service: 3% of visitors chat,
180 s, 3 chats at once, 80% in 20 s, 30% shrinkage, a team of 16 + 12 + 15.
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from dachu.app import example_text
from dachu.cli.main import app
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import make_plan
from dachu.i18n import t
from dachu.report.plan_json import plan_dict
from dachu.report.plan_xlsx import write_plan_xlsx
from tests.conftest import CHECK_CAMPAIGN


@pytest.fixture(scope="module")
def data():
    return plan_dict(make_plan(parse_campaign(example_text("double11", "en"), "d.yaml")), "en")


def test_logistics_of_the_example(data):
    lg = data["logistics"]
    # follow-up: ⌈23,362 × 0.15⌉ = 3,505; ⌈× 0.08⌉ = 1,869 (1,868.96); ⌈× 0.05⌉ = 1,169 (1,168.1)
    assert lg["event_orders"] == 23_362 and lg["follow_up_orders"] == [3_505, 1_869, 1_169]
    assert lg["parcels"] == 29_905  # 23,362 + 3,505 + 1,869 + 1,169, one parcel an order
    assert lg["daily_capacity"] == 10_000
    # day 1: priority ⌈23,362 × 0.3⌉ = 7,009 all ship, + 2,991 others → 13,362 left
    # day 2: 13,362 + 3,505 − 10,000 = 6,867; day 3: 6,867 + 1,869 = 8,736 all ship; day 4: 1,169
    assert [(d["shipped"], d["backlog"]) for d in lg["backlog"]] == [
        (10_000, 13_362), (10_000, 6_867), (8_736, 0), (1_169, 0)]
    assert lg["backlog"][0]["new_priority"] == 7_009
    # the event day's last ordinary orders leave on day 3 (placed day = 1); priority the same day
    assert (lg["days_to_clear"], lg["priority_days"], lg["all_days"]) == (4, 1, 3)
    assert lg["priority_ok"] is True and lg["all_ok"] is True and lg["extra_lines"] == 0


def test_materials_of_the_example(data):
    mats = {m["name"]: (m["amount"], m["packs"]) for m in data["logistics"]["materials"]}
    # amount = ⌈29,905 × per parcel × 1.1⌉, packs = ⌈amount ÷ pack⌉
    assert mats["box"] == (19_738, 19_738)    # 29,905 × 0.6 × 1.1 = 19,737.3
    assert mats["label"] == (32_896, 66)      # 32,895.5 → 32,896; ÷ 500 = 65.8
    assert mats["tape"] == (39_475, 395)      # 29,905 × 1.2 × 1.1 = 39,474.6; ÷ 100
    assert mats["ribbon"] == (65_791, 33)     # 29,905 × 2 × 1.1 = 65,791 exactly; ÷ 2,000 = 32.9


def test_stock_plan_of_the_example(data):
    sp = data["stock_plan"]
    rows = {p["sku"]: p for p in sp["products"]}
    # planned = max(need, on hand): every product's stock covers the need; hero A02 30,000 of 57,000
    assert sp["total_planned"] == 57_000 and sp["hero_planned"] == 30_000
    assert sp["hero_share"] == pytest.approx(30_000 / 57_000, abs=1e-6) and sp["hero_share_ok"] is True
    assert sp["hero_share_band"] == [0.5, 0.6]
    assert rows["A02"]["listed"] == 28_500  # 30,000 × 0.95
    # reorder point = day demand × lead time + 0.5 day of demand
    assert rows["A02"]["reorder_point"] == 24_217   # 4,403 × 5 + 2,201.5 = 24,216.5 → up
    assert rows["A03"]["reorder_point"] == 9_072    # 864 × 10 + 432
    # the alert compares stock on hand with the need within the lead time: 864 × 2 = 1,728 for the day
    # + 432 safety = 2,160 ≤ 4,000 on hand, so no alert despite the 10-day lead (the old rule fired on 9,072)
    assert rows["A03"]["lead_need"] == 2_160 and rows["A03"]["reorder_now"] is False
    assert rows["A01"]["reorder_point"] == 4_500 and rows["A01"]["reorder_now"] is False
    assert sp["sell_outs"] == []


def test_staffing_of_the_example(data):
    st = data["staffing"]
    assert st["visitors"] == 467_240
    h21 = st["hours"][21]
    # 28,502 visitors × 3% = 855.06 chats × 180 s / 3600 = 42.753 Erl → 48 servers → ⌈48/3⌉ = 16 agents
    # → ⌈16 / 0.7⌉ = 23 scheduled
    assert (h21["visitors"], h21["inquiries"], h21["erlangs"]) == (28_502, 855.06, 42.753)
    assert (h21["agents"], h21["scheduled"]) == (16, 23)
    assert (st["day_peak"], st["night_peak"], st["headcount"], st["team"], st["to_hire"]) == (20, 23, 43, 43, 0)


def test_both_example_languages_give_the_same_figures():
    zh = plan_dict(make_plan(parse_campaign(example_text("double11", "zh"), "d.yaml")), "en")
    en = plan_dict(make_plan(parse_campaign(example_text("double11", "en"), "d.yaml")), "en")
    for key in ("logistics", "staffing"):
        assert zh[key] == en[key], key
    assert [s["totals"] for s in zh["scenarios"]] == [s["totals"] for s in en["scenarios"]]
    assert [p["planned"] for p in zh["stock_plan"]["products"]] == [
        p["planned"] for p in en["stock_plan"]["products"]]


def test_without_warehouse_or_service_the_sections_are_null_and_say_so(tmp_path):
    plan = make_plan(parse_campaign(CHECK_CAMPAIGN, "c.yaml"))
    out = plan_dict(plan, "en")
    assert out["logistics"] is None and out["staffing"] is None
    assert [p["units"] for p in out["stock_plan"]["products"]] == [x["units"] for x in out["capacity"]["stock"]]
    path = write_plan_xlsx(plan, tmp_path / "p.xlsx", "en")
    wb = openpyxl.load_workbook(path)
    assert "no warehouse: section" in wb["Warehouse"]["A1"].value
    assert "no service: section" in wb["Staffing"]["A1"].value


def test_workbook_sheets_hold_the_same_numbers(tmp_path, data):
    plan = make_plan(parse_campaign(example_text("double11", "zh"), "d.yaml"))
    path = write_plan_xlsx(plan, tmp_path / "p.xlsx", "zh")
    wb = openpyxl.load_workbook(path, data_only=True)
    values = [row for row in wb["仓储物流"].iter_rows(values_only=True)]
    assert ["包裹数（高峰期合计）", 29_905] == list(values[6][:2])  # after event orders, 3 follow-ups, ratio
    mats = wb["物料"]
    assert [mats.cell(r, 6).value for r in range(2, 8)] == [19_738, 13_159, 66, 66, 395, 33]
    stock = wb["备货计划"]
    assert [stock.cell(r, 10).value for r in range(2, 6)] == [7_600, 28_500, 3_800, 14_250]  # listed
    assert stock.cell(4, 14).value == 9_072  # A03's reorder point
    assert stock.cell(8, 8).value == pytest.approx(30_000 / 57_000)  # hero share
    assert wb["客服人数"].cell(23, 6).value == 23  # hour 21 (row 23) scheduled


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["orders packed a day (4 lines × 2,500)", "Materials (29,905 parcels)", "Stock plan",
            "hero items hold 52.6%", "Event-day customer service"]),
    ("zh", ["日发货能力（4 条线 × 2,500）", "物料（29,905 个包裹）", "备货计划",
            "主推款占全部备货 52.6%", "活动当天客服"]),
], ids=["en", "zh"])
def test_plan_in_the_terminal_shows_the_capacity_section(tmp_path, lang, words):
    runner = CliRunner()
    runner.invoke(app, ["init", str(tmp_path), "--lang", lang])
    result = runner.invoke(app, ["plan", str(tmp_path / "campaign.yaml"), "--lang", lang],
                           env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    for word in words:
        assert word in result.output
    # every product's stock on hand covers its need within the lead time: no reorder alert (A03's 4,000
    # against 2,160 used to alert on its 10-day reorder point of 9,072)
    assert t("prepare.stock.reorder_now", lang) not in result.output


def test_plan_json_on_the_command_line_has_the_sections(tmp_path):
    runner = CliRunner()
    runner.invoke(app, ["init", str(tmp_path)])
    out = json.loads(runner.invoke(app, ["plan", str(tmp_path / "campaign.yaml"), "--format", "json"]).output)
    assert out["logistics"]["days_to_clear"] == 4 and out["staffing"]["headcount"] == 43


def test_materials_follow_a_changed_assumption_in_the_workbook(tmp_path):
    from pycel import ExcelCompiler

    plan = make_plan(parse_campaign(example_text("double11", "en"), "d.yaml"))
    excel = ExcelCompiler(filename=str(write_plan_xlsx(plan, tmp_path / "p.xlsx", "en")))
    assert excel.evaluate("Materials!F4") == 66  # label rolls
    excel.set_value("Warehouse!C3", 0.5)  # day +1 brings 50% more instead of 15%
    # parcels 23,362 + 11,681 + 1,869 + 1,169 = 38,081 → × 1.1 = 41,889.1 → 41,890 labels → 83.78 → 84 rolls
    assert excel.evaluate("Warehouse!B7") == 38_081
    assert excel.evaluate("Materials!F4") == 84
    assert excel.evaluate("'Stock plan'!H8") == pytest.approx(30_000 / 57_000)  # hero share, SUMIF on the role
