"""The plan workbook read back: formulas present, cached values right, and an independent evaluator
(pycel) recomputing every formula to the same numbers."""

import re
from decimal import Decimal

import openpyxl
import pytest
from pycel import ExcelCompiler

from dachu.domain.plan.plan import make_plan
from dachu.report.plan_xlsx import SHEETS, sheet_name, write_plan_xlsx


@pytest.fixture
def workbook(tmp_path, double11):
    plan = make_plan(double11)
    path = write_plan_xlsx(plan, tmp_path / "plan.xlsx", "zh")
    return plan, path


def test_one_sheet_per_table_with_chinese_names(workbook):
    _, path = workbook
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["假设", "商品目标", "渠道预算", "推广核算", "目标场景", "敏感性", "营销计划表", "备货产能",
                             "仓储物流", "物料", "备货计划", "客服人数"]
    assert wb["商品目标"]["K1"].value == "订单"


def test_an_english_workbook_names_its_sheets_in_english_and_its_formulas_follow(tmp_path, double11):
    path = write_plan_xlsx(make_plan(double11), tmp_path / "plan.xlsx", "en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [sheet_name(key, "en") for key in SHEETS]
    assert wb.sheetnames[:3] == ["Assumptions", "Products", "Channels"]
    assert not any(re.search(r"[\u4e00-\u9fff]", name) for name in wb.sheetnames)
    formulas = [c.value for row in wb["Products"].iter_rows() for c in row if isinstance(c.value, str)
                and c.value.startswith("=")]
    assert any("'Assumptions'!" in f for f in formulas)
    excel = ExcelCompiler(filename=str(path))
    before = excel.evaluate("Products!L6")
    excel.set_value("Assumptions!B7", 0.04)  # event conversion 5% → 4%: the English sheets are wired the same
    assert excel.evaluate("Products!L6") > before


def test_traffic_stays_a_formula_of_budget_over_cpc(tmp_path, seed2013):
    path = write_plan_xlsx(make_plan(seed2013), tmp_path / "seed.xlsx", "zh")
    formulas = openpyxl.load_workbook(path)["渠道预算"]
    values = openpyxl.load_workbook(path, data_only=True)["渠道预算"]
    # row 3 is 直通车: traffic = INT(budget / cost per visitor) with cost per visitor = cpc
    assert formulas["A3"].value == "直通车"
    assert formulas["H3"].value == "=D3"
    assert formulas["J3"].value == "=(INT(ROUND(I3/H3,6)))"
    assert values["J3"].value == 4000
    assert values["J6"].value == 34000  # the 2013 total


def test_every_formula_recomputes_to_the_cached_value(workbook):
    _, path = workbook
    cached = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    excel = ExcelCompiler(filename=str(path))
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    want = cached[ws.title][c.coordinate].value
                    got = excel.evaluate(f"{ws.title}!{c.coordinate}")
                    assert got == pytest.approx(want, abs=0.005), (ws.title, c.coordinate, c.value)
                    checked += 1
    assert checked > 100


def test_changing_an_assumption_moves_the_plan(workbook):
    _, path = workbook
    excel = ExcelCompiler(filename=str(path))
    before = excel.evaluate("商品目标!L6")
    excel.set_value("假设!B7", 0.04)  # event conversion 5% → 4%
    after = excel.evaluate("商品目标!L6")
    assert after > before


def test_promotion_rows_match_the_domain(workbook):
    plan, path = workbook
    values = openpyxl.load_workbook(path, data_only=True)["推广核算"]
    assert Decimal(str(values["J2"].value)) == plan.promotions[0].net_per_order == Decimal("17.8")
    assert Decimal(str(values["K2"].value)) == Decimal("-8.2")


def test_every_registered_channel_kind_has_its_cells() -> None:
    from dachu.domain.campaign.channels import CHANNEL_KINDS
    from dachu.report.plan_xlsx import KIND_CELLS

    assert set(KIND_CELLS) == set(CHANNEL_KINDS)


def test_an_unknown_channel_kind_is_refused_not_given_a_flat_fee_formula(tmp_path) -> None:
    from typing import ClassVar, Literal

    from dachu.app import Workspace
    from dachu.domain.campaign.channels import ChannelBase
    from dachu.errors import PlanError
    from dachu.report.plan_xlsx import write_plan_xlsx

    class CpaChannel(ChannelBase):  # a kind added to the domain but not yet to the workbook
        lookup_name: ClassVar[str] = "cpa"
        kind: Literal["cpa"] = "cpa"

        def cost_per_visitor(self, ctx):  # type: ignore[no-untyped-def]
            return Decimal(2)

    ws = Workspace(tmp_path)
    ws.init("seed-2013", "en")
    plan = ws.plan()
    campaign = plan.campaign.model_copy(update={"channels": [*plan.campaign.channels, CpaChannel(name="CPA test")]})
    with pytest.raises(PlanError) as err:
        write_plan_xlsx(make_plan(campaign), tmp_path / "plan.xlsx", "en")
    assert err.value.key == "xlsx.unknown_kind"
    assert "cpa" in err.value.render("en") and "CPA test" in err.value.render("zh")
