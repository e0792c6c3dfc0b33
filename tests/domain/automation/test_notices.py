"""The notice rules (活动通知, 物流通知) on hand-worked cases: waves' times, keys, budget, logistics once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dachu.domain.automation.notices import (
    WAIT,
    Shipment,
    WavePlan,
    check_notice_at_send,
    plan_logistics,
    plan_waves,
    render_notice,
)
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.campaign.notify import NotifySettings
from dachu.domain.campaign.remind import RemindSettings, sms_segments
from dachu.errors import CampaignFileError
from tests.conftest import CHECK_CAMPAIGN

DAY = dt.date(2026, 11, 11)
REMIND = RemindSettings()
SEGMENTS = {"past_buyers": ["b2", "b1"], "event_new_buyers": ["n1"], "event_old_buyers": ["b1"]}


def waves_at(now: dt.datetime, price: Decimal | None = None, budget: Decimal | None = None) -> dict[str, WavePlan]:
    plans = plan_waves(NotifySettings(), REMIND, SEGMENTS, DAY, now, shop="测试店", price=price, budget=budget)
    return {p.wave.name: p for p in plans}


def test_the_default_waves_times_worked_out_by_hand() -> None:
    plans = waves_at(dt.datetime(2026, 11, 1))
    at = {name: p.send_at for name, p in plans.items()}
    assert at["wake_up"] == dt.datetime(2026, 11, 3, 12, 0)  # day −8 at lunch
    assert at["warm_up"] == dt.datetime(2026, 11, 8, 15, 0)
    assert at["eve"] == dt.datetime(2026, 11, 10, 18, 0)
    assert at["start"] == dt.datetime(2026, 11, 11, 8, 0)  # 00:00 is quiet: the marketing window opens 08:00
    assert at["thanks"] == dt.datetime(2026, 11, 14, 10, 0)
    assert at["care"] == dt.datetime(2026, 11, 26, 10, 0)  # day +15
    assert all(p.state == "later" and not p.actions for p in plans.values())


def test_a_due_wave_has_one_message_per_buyer_keyed_by_wave_and_buyer() -> None:
    plan = waves_at(dt.datetime(2026, 11, 3, 12, 30))["wake_up"]
    assert plan.state == "due"
    keys = [a.key for a in plan.actions]
    assert keys == ["notice:wake_up:b1", "notice:wake_up:b2"]
    action = plan.actions[0]
    assert action.message_class == "marketing" and action.expires_at == dt.datetime(2026, 11, 3, 21, 0)
    assert dict(action.variables)["event_day"] == "11月11日"
    text = render_notice(REMIND, NotifySettings().waves[0].text, dict(action.variables), "测试店")
    assert text.startswith("【测试店】") and text.endswith("拒收请回复R")
    # the day after, the wave is past: nothing planned late
    assert waves_at(dt.datetime(2026, 11, 4, 9))["wake_up"].state == "past"


def test_cost_is_recipients_times_segments_times_price_and_the_overrun_is_named() -> None:
    plans = waves_at(dt.datetime(2026, 11, 3, 12, 30), price=Decimal("0.05"), budget=Decimal("0.15"))
    wake = plans["wake_up"]
    assert wake.segments == sms_segments(wake.text) == 1
    assert wake.cost == Decimal("0.10") and not wake.over_budget
    warm = plans["warm_up"]  # 0.10 + 0.10 = 0.20 > 0.15
    assert warm.over_budget and warm.overrun == Decimal("0.05")
    problem = warm.problem()
    assert problem is not None
    assert problem.key == "notify.over_budget" and problem.params["wave"] == "warm_up"


SHIPPED = Shipment("T1", "b1", "顺丰", "SF123", dt.datetime(2026, 11, 11, 23, 0), None)


def test_a_shipped_order_gets_one_notice_deferred_out_of_quiet_hours() -> None:
    first = plan_logistics(NotifySettings(), REMIND, [SHIPPED], dt.datetime(2026, 11, 11, 23, 30), shop="店")
    again = plan_logistics(NotifySettings(), REMIND, [SHIPPED], dt.datetime(2026, 11, 12, 9, 0), shop="店")
    assert [m.key for m in first] == [m.key for m in again] == ["logistics_notice:shipped:T1"]
    assert first[0].not_before == dt.datetime(2026, 11, 12, 8, 0)  # 23:00 is past the notice window's 22:00
    assert dict(first[0].variables)["tracking"] == "SF123" and first[0].message_class == "notice"


def test_a_delivered_order_gets_the_delivered_notice_only() -> None:
    s = Shipment("T1", "b1", "顺丰", "SF123", dt.datetime(2026, 11, 11, 10), dt.datetime(2026, 11, 12, 15))
    out = plan_logistics(NotifySettings(), REMIND, [s], dt.datetime(2026, 11, 12, 16), shop="店")
    assert [m.key for m in out] == ["logistics_notice:delivered:T1"]
    assert plan_logistics(NotifySettings(), REMIND, [s], dt.datetime(2026, 11, 20), shop="店") == []  # stale


@pytest.mark.parametrize(
    ("now", "opted", "sent", "expected"),
    [
        pytest.param(dt.datetime(2026, 11, 3, 12), False, 0, None, id="send"),
        pytest.param(dt.datetime(2026, 11, 3, 12), True, 0, "notify.skip.opted_out", id="opted-out"),
        pytest.param(dt.datetime(2026, 11, 3, 12), False, 50, "notify.skip.phone_cap", id="cap"),
        pytest.param(dt.datetime(2026, 11, 3, 7), False, 0, WAIT, id="quiet"),
        pytest.param(dt.datetime(2026, 11, 3, 21), False, 0, "notify.skip.expired", id="expired"),
    ],
)
def test_the_send_time_check(now: dt.datetime, opted: bool, sent: int, expected: str | None) -> None:
    expires = dt.datetime(2026, 11, 3, 21)
    assert check_notice_at_send(REMIND.marketing_window, expires, opted, sent, 50, now) == expected


def _problems(section: str) -> list[tuple[str, str]]:
    try:
        parse_campaign(CHECK_CAMPAIGN + section, "c.yaml")
    except CampaignFileError as error:
        return [(p.key, p.path) for p in error.problems]
    return []


WAVE = '  waves:\n    - {name: w, day: -8, at: "12:00", segment: past_buyers, text: "TEXT"}\n'


@pytest.mark.parametrize(("section", "expected"), [
    ("notify:\n" + WAVE.replace("TEXT", "{shop}大促"), [("notify.no_opt_out", "notify.waves[0].text")]),
    ("notify:\n" + WAVE.replace("TEXT", "{goods}{opt_out}"), [("remind.unknown_variable", "notify.waves[0].text")]),
    ("notify:\n" + WAVE.replace("TEXT", "{shop}大促。拒收请回复R"), []),
    ("notify:\n  logistics:\n    templates:\n      shipped: {text: \"{order}{phone}\"}\n",
     [("remind.unknown_variable", "notify.logistics.templates.shipped.text")]),
], ids=["marketing-without-opt-out", "unknown-variable", "literal-opt-out", "logistics-unknown-variable"])
def test_a_bad_notice_template_is_refused_at_read(section: str, expected: list[tuple[str, str]]) -> None:
    assert _problems(section) == expected


def test_a_campaign_without_the_section_reads_with_the_default_waves() -> None:
    assert _problems("") == []
    assert [w.name for w in NotifySettings().waves] == ["wake_up", "warm_up", "eve", "start", "thanks", "care"]


def _tracked(**times: dt.datetime | str | None) -> Shipment:
    base: dict[str, object] = {"shipped_at": dt.datetime(2026, 11, 11, 10), "delivered_at": None, "city": "深圳市",
                               "arrived_at": None, "exception_at": None, "problem": ""}
    base.update(times)
    return Shipment("T1", "b1", "顺丰", "SF123", **base)  # type: ignore[arg-type]


def test_arrived_in_the_city_replaces_the_shipped_notice_and_names_the_city() -> None:
    s = _tracked(arrived_at=dt.datetime(2026, 11, 12, 9))
    out = plan_logistics(NotifySettings(), REMIND, [s], dt.datetime(2026, 11, 12, 9, 5), shop="店")
    assert [m.key for m in out] == ["logistics_notice:arrived_city:T1"]
    assert out[0].not_before == dt.datetime(2026, 11, 12, 9) and dict(out[0].variables)["city"] == "深圳市"
    text = render_notice(REMIND, NotifySettings().logistics.template("arrived_city").text, dict(out[0].variables), "店")
    assert "已到达深圳市" in text
    # before it arrived, the shipped notice was due, and only it
    early = plan_logistics(NotifySettings(), REMIND, [s], dt.datetime(2026, 11, 11, 12), shop="店")
    assert [m.key for m in early] == ["logistics_notice:shipped:T1"]


def test_an_exception_is_one_notice_naming_it_deferred_out_of_the_night_and_none_once_delivered() -> None:
    s = _tracked(arrived_at=dt.datetime(2026, 11, 12, 9), exception_at=dt.datetime(2026, 11, 12, 23, 10),
                 problem="派件异常")
    out = plan_logistics(NotifySettings(), REMIND, [s], dt.datetime(2026, 11, 12, 23, 30), shop="店")
    exception = [m for m in out if m.template == "exception"]
    assert [m.key for m in exception] == ["logistics_notice:exception:T1"]
    assert exception[0].not_before == dt.datetime(2026, 11, 13, 8)  # 23:10 is past the notice window's 22:00
    assert exception[0].reason == "notify.rule.exception" and dict(exception[0].variables)["problem"] == "派件异常"
    done = _tracked(exception_at=dt.datetime(2026, 11, 12, 15), problem="派件异常",
                    delivered_at=dt.datetime(2026, 11, 13, 10))
    later = plan_logistics(NotifySettings(), REMIND, [done], dt.datetime(2026, 11, 13, 11), shop="店")
    assert [m.key for m in later] == ["logistics_notice:delivered:T1"]  # delivered: no exception left to send
