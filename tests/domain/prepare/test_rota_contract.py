"""Issue #16, the rota: temporary agents' contract days, the midnight shift, the fewest hours within fairness.

Every check reads the solver's table of shift codes and recomputes from the clock times of docs/domain.md §8
(and the midnight shift 00:00–02:00), never from dachu's own shift objects.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import make_plan
from dachu.domain.prepare.rota import rota_request, solve_rota
from dachu.domain.prepare.shifts import RotaRequest, month_days
from dachu.errors import CampaignFileError

EVENT = dt.date(2026, 11, 11)
DAYS = month_days("2026-11")
# shift code → the spans it is on duty, as hours of the day
CLOCK = {
    "day": [(9.0, 17.5)], "half": [(10.0, 15.5)], "night": [(17.0, 23.5)], "midnight": [(0.0, 2.0)],
    "midnight_half": [(0.0, 2.0), (10.0, 15.5)], "midnight_night": [(0.0, 2.0), (17.0, 23.5)],
}


def _hours(code: str) -> Decimal:
    return sum((Decimal(str(b - a)) for a, b in CLOCK[code]), Decimal(0)) if code else Decimal(0)


def _on_duty(table, i: int, t0: float) -> int:
    return sum(1 for row in table.values() if row[i] and any(a <= t0 < b for a, b in CLOCK[row[i]]))


def _flat(day: int, night: int, midnight: int = 0, on=EVENT):
    return {d: tuple([midnight if d == on else 0] * 2 + [0] * 7 + [day] * 8 + [night] * 7) for d in DAYS}


def test_temporary_agents_work_their_contract_days_only():
    # 4 regular agents and 2 temporaries contracted for 8 and 5 days of November's 30
    agents = ("S01", "S02", "S03", "S04", "T01", "T02")
    req = RotaRequest(DAYS, agents, _flat(1, 1), EVENT, days_off=4, work_days={"T01": 8, "T02": 5})
    rota = solve_rota(req, seconds=10)
    assert rota.solved
    worked = {a: sum(1 for code in rota.shifts[a] if code) for a in agents}
    # regulars: 30 − 4 days off = 26; temporaries: their contract days, not 26
    assert worked == {"S01": 26, "S02": 26, "S03": 26, "S04": 26, "T01": 8, "T02": 5}
    assert all(rota.shifts[a][DAYS.index(EVENT)] for a in agents)  # everyone works the event day


def test_fewest_total_hours_within_equal_hours():
    # 4 agents, 26 days each = 104 agent-days; each day needs 1 on the day shift (9:00 and 15:30–17:00 only
    # it covers) and 1 on the night shift: 30 × (8.5 + 6.5) = 450 h; the other 104 − 60 = 44 agent-days are
    # cheapest as half-days, 44 × 5.5 = 242 h → 692 h in all. Equal hours are still possible:
    # 5.5 × 26 + 3·(day shifts) + 1·(night shifts) = 173 h for each, e.g. (8 day, 6 night) and (7, 9).
    agents = ("S01", "S02", "S03", "S04")
    req = RotaRequest(DAYS, agents, _flat(1, 1), EVENT, days_off=4)
    rota = solve_rota(req, seconds=20)
    assert rota.status == "optimal"
    hours = {a: sum((_hours(c) for c in rota.shifts[a]), Decimal(0)) for a in agents}
    assert sum(hours.values()) == Decimal(692)
    assert max(hours.values()) - min(hours.values()) == 0 == rota.spread
    assert rota.total_hours == Decimal(692)


def _check_midnight_rules(table):
    for row in table.values():
        for i, code in enumerate(row):
            if code in ("midnight", "midnight_half", "midnight_night"):
                assert DAYS[i] == EVENT  # only the day whose busiest hour is midnight gets it
            if i and row[i - 1] in ("night", "midnight_night"):
                assert code != "day"  # no day shift after a shift ending 23:30


def test_a_midnight_shift_covers_the_busiest_hour_when_the_team_can():
    # event day: 3 needed at 0–2h, 2 by day, 2 at night → midnight is the busiest hour. 8 agents all work
    # that day: 2 on the day shift, the other 6 may add the midnight shift to a half-day or night shift.
    agents = tuple(f"S{i:02d}" for i in range(1, 9))
    need = _flat(1, 1) | {EVENT: tuple([3, 3] + [0] * 7 + [2] * 8 + [2] * 7)}
    req = RotaRequest(DAYS, agents, need, EVENT, days_off=4)
    assert req.midnight_days == (EVENT,)
    rota = solve_rota(req, seconds=20)
    assert rota.solved and rota.midnight_short == 0
    table = {a: rota.shifts[a] for a in agents}
    i = DAYS.index(EVENT)
    assert all(_on_duty(table, i, t0) >= 3 for t0 in (0.0, 0.5, 1.0, 1.5))
    _check_midnight_rules(table)


def test_midnight_beyond_the_team_is_staffed_as_far_as_it_goes_and_the_rest_reported():
    # 5 agents; the event day needs 2 on the day shift (9:00), 2 at night and 4 at 0–2h. Day-shift agents
    # cannot work midnight (7 h of rest), so at most 5 − 2 = 3 are on at midnight: 1 short in each of the
    # 4 half-hours → 4 agent-half-hours left to auto-reply; the online hours are all covered.
    agents = tuple(f"S{i:02d}" for i in range(1, 6))
    need = _flat(1, 1) | {EVENT: tuple([4, 4] + [0] * 7 + [2] * 8 + [2] * 7)}
    req = RotaRequest(DAYS, agents, need, EVENT, days_off=4)
    rota = solve_rota(req, seconds=20)
    assert rota.solved
    assert rota.midnight_short == 4
    table = {a: rota.shifts[a] for a in agents}
    i = DAYS.index(EVENT)
    assert [_on_duty(table, i, t0) for t0 in (0.0, 0.5, 1.0, 1.5)] == [3, 3, 3, 3]
    assert all(_on_duty(table, i, 9 + k / 2) >= 2 for k in range(29))
    _check_midnight_rules(table)


def test_no_midnight_shift_when_midnight_is_not_the_busiest_hour():
    # 2 at midnight but 3 at night: hours 0–8 stay on auto-reply, no midnight code anywhere
    need = _flat(1, 1) | {EVENT: tuple([2, 2] + [0] * 7 + [1] * 8 + [3] * 7)}
    req = RotaRequest(DAYS, tuple(f"S{i:02d}" for i in range(1, 7)), need, EVENT, days_off=4)
    assert req.midnight_days == () and req.need_at(EVENT, 0) == 0
    rota = solve_rota(req, seconds=10)
    assert rota.solved
    assert not any(c.startswith("midnight") for row in rota.shifts.values() for c in row)


CAMPAIGN = """\
campaign: {name: test, event_day: 2026-11-11}
goal: {metric: orders, floor: 1000, stretch: 2000, resource_multiplier: 1}
store: {baseline_daily_uv: 2000, baseline_conversion: 0.03, event_conversion: 0.05, cost_per_visitor: 1}
products:
  - {sku: A, name: honey, role: hero, list_price: 99, promo_price: 59, unit_cost: 18, goal_share: 1}
service:
  inquiry_rate: 0.05
  agents: {presale: 2, aftersale: 2, temporary: 3}
"""


def test_contract_days_from_the_campaign_file_default_and_per_agent():
    c = parse_campaign(CAMPAIGN + "  contract_days: {default: 12, T03: 8}\n")
    req = rota_request(make_plan(c))
    assert dict(req.work_days) == {"T01": 12, "T02": 12, "T03": 8}
    assert req.off_count("T03") == 22 and req.off_count("P01") == 4
    plain = parse_campaign(CAMPAIGN + "  contract_days: 10\n")
    assert dict(rota_request(make_plan(plain)).work_days) == {"T01": 10, "T02": 10, "T03": 10}


@pytest.mark.parametrize(
    ("extra", "key", "path", "zh", "en"),
    [
        ("  contract_days: 0\n", "staff.contract_days_range", "service.contract_days.default",
         "合同天数 0 不在 1 到 26 之间", "contract days 0 are not between 1 and 26"),
        ("  contract_days: {T02: 27}\n", "staff.contract_days_range", "service.contract_days.T02",
         "2026-11 共 30 天，减去每月休息 4 天", "2026-11 has 30 days, less 4 days off"),
        ("  contract_days: {S01: 10}\n", "staff.contract_not_temporary", "service.contract_days.S01",
         "S01 不是临时客服", "S01 is not a temporary agent"),
    ],
    ids=["zero", "over-the-month", "not-temporary"],
)
def test_bad_contract_days_are_named_in_zh_and_en(extra, key, path, zh, en):
    with pytest.raises(CampaignFileError) as info:
        parse_campaign(CAMPAIGN + extra, "c.yaml")
    (problem,) = info.value.problems
    assert (problem.key, problem.path) == (key, path)
    assert zh in problem.message("zh") and en in problem.message("en")
    assert problem.fix("zh") and problem.fix("en")


def test_contract_days_without_temporary_agents_are_refused():
    text = CAMPAIGN.replace(", temporary: 3", "") + "  contract_days: 10\n"
    with pytest.raises(CampaignFileError) as info:
        parse_campaign(text, "c.yaml")
    assert [p.key for p in info.value.problems] == ["staff.contract_no_temporary"]
