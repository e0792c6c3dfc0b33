"""The facade's prepare verbs: one way to read a campaign, the same figures the domain gives, file inputs."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import dachu.data.calendar_state
from dachu.app import Workspace
from dachu.app.prepare import previous_nights
from dachu.domain.prepare.logistics import logistics_plan
from dachu.domain.prepare.stock_plan import stock_plan
from dachu.errors import CampaignFileError, InputError
from tests.conftest import CHECK_CAMPAIGN


@pytest.fixture
def example(tmp_path):
    ws = Workspace(tmp_path)
    ws.init("double11", "en")
    return ws


def test_a_campaign_file_is_read_in_one_place():
    assert not hasattr(dachu.data.calendar_state, "read_campaign")


def test_capacity_is_the_domains_figures(example):
    result = example.capacity()
    assert result.logistics == logistics_plan(example.plan())
    assert result.stock == stock_plan(example.plan())
    assert result.event_day == dt.date(2026, 11, 11)


def test_staffing_of_the_example(example):
    st = example.staffing()
    assert st.visitors == 467_240 and len(st.hours) == 24
    assert st.arrangement.headcount == 43 and st.unstable == ()


def test_staffing_without_service_names_the_file(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(CHECK_CAMPAIGN, encoding="utf-8")
    with pytest.raises(InputError) as err:
        Workspace.for_file(path).staffing()
    assert err.value.key == "staff.no_service" and err.value.params["source"] == str(path)


def test_warehouse_checks_run_when_the_facade_reads_the_file(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(CHECK_CAMPAIGN + "warehouse: {stock: {items: {Z9: {lead_time_days: 2}}}}\n", encoding="utf-8")
    with pytest.raises(CampaignFileError) as err:
        Workspace.for_file(path).campaign()
    assert [p.path for p in err.value.problems] == ["warehouse.stock.items.Z9"]
    assert err.value.problems[0].line == 9


def test_calendar_and_progress_through_the_facade(example):
    example.mark_done(["design.zuanzhan_creatives"], dt.date(2026, 10, 12))
    statuses = {s.task.id: s for s in example.calendar(dt.date(2026, 10, 16))}
    assert statuses["design.zuanzhan_creatives"].state == "done"
    assert statuses["design.coupon_art"].state == "overdue" and statuses["design.coupon_art"].days_late == 3


def _rota_json(tmp_path, days, shifts):
    path = tmp_path / "prev.json"
    path.write_text(json.dumps({"days": days, "shifts": shifts}), encoding="utf-8")
    return path


def test_previous_nights_reads_the_last_day(tmp_path):
    path = _rota_json(tmp_path, ["2026-10-30", "2026-10-31"],
                      {"P01": ["night", "night"], "P02": ["night", "day"], "S01": ["", "night"]})
    assert previous_nights(path, dt.date(2026, 11, 1)) == frozenset({"P01", "S01"})


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("{not json", "staff.previous_bad"),
        ('{"days": ["2026-10-31"]}', "staff.previous_bad"),
        ('{"days": ["31.10.2026"], "shifts": {}}', "staff.previous_bad"),
        ('{"days": ["2026-09-30"], "shifts": {}}', "staff.previous_wrong_month"),
        ('{"days": [], "shifts": {}}', "staff.previous_wrong_month"),
    ],
    ids=["not-json", "no-shifts", "bad-date", "wrong-month", "empty"],
)
def test_previous_nights_refuses_bad_files(tmp_path, text, key):
    path = tmp_path / "prev.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        previous_nights(path, dt.date(2026, 11, 1))
    assert err.value.key == key
