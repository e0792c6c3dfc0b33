"""Erlang C staffing against published and hand-worked numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dachu.domain.campaign.checks import check_service
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.campaign.service import ServiceTeam
from dachu.domain.plan.plan import make_plan
from dachu.domain.prepare.staffing import (
    HourStaffing,
    Staffing,
    arrange_event_day,
    day_visitors,
    erlang_b,
    event_visitors,
    hourly_staffing,
    queue,
    servers_needed,
    staff_for,
    unstable_hours,
)
from dachu.errors import CampaignFileError

CAMPAIGN = """\
campaign: {name: test, event_day: 2026-11-11}
goal: {metric: orders, floor: 1000, stretch: 2000, resource_multiplier: 2}
store: {baseline_daily_uv: 2000, baseline_conversion: 0.03, event_conversion: 0.05, cost_per_visitor: 1}
products:
  - {sku: A, name: honey, role: hero, list_price: 99, promo_price: 59, unit_cost: 18, goal_share: 1}
service:
  inquiry_rate: 0.05
  handle_seconds: 240
  shrinkage: 0.2
  agents: {presale: 3, aftersale: 2}
"""


# ---- the published Erlang C example: 100 contacts / 30 min, AHT 180 s, 80% in 20 s


def test_published_example_traffic_is_ten_erlangs_and_needs_fourteen_then_twenty():
    # given 100 contacts per 1,800 s at 180 s each: A = 100 × 180 / 1800 = 10 Erlangs
    s = staff_for(Decimal(100), 1800, Decimal(180), target_share=Decimal("0.8"), target_seconds=20,
                  shrinkage=Decimal("0.3"))
    assert s.traffic == 10
    assert s.servers == 14 and s.agents == 14
    # 14 / (1 − 0.3) = 20 exactly (Decimal: no 20.000000000000004 → 21)
    assert s.scheduled == 20
    assert round(s.service_level, 4) == pytest.approx(0.8884)


@pytest.mark.parametrize(("agents", "published"), [(13, 0.7956), (14, 0.8884)], ids=["13-short", "14-enough"])
def test_published_service_levels(agents, published):
    assert round(queue(agents, 10.0, 180.0, 20.0).service_level, 4) == published


def test_thirteen_agents_are_not_enough():
    assert queue(13, 10.0, 180.0, 20.0).service_level < 0.8 <= queue(14, 10.0, 180.0, 20.0).service_level


def test_erlang_b_small_values_by_hand():
    # B(1, 2) = 2/3; B(2, 2) = 2·(2/3)/(2 + 4/3) = 0.4; B(3, 2) = 0.8/3.8
    assert erlang_b(1, 2.0) == pytest.approx(2 / 3)
    assert erlang_b(2, 2.0) == pytest.approx(0.4)
    assert erlang_b(3, 2.0) == pytest.approx(0.8 / 3.8)


@pytest.mark.parametrize("servers", [5, 9, 10], ids=["half", "just-below", "equal"])
def test_fewer_servers_than_erlangs_is_an_unstable_queue(servers):
    q = queue(servers, 10.0, 180.0, 20.0)
    assert not q.stable
    assert q.service_level == 0.0 and q.wait_probability == 1.0 and q.average_wait_seconds is None


def test_no_traffic_needs_nobody():
    s = staff_for(Decimal(0), 3600, Decimal(180))
    assert (s.servers, s.agents, s.scheduled) == (0, 0, 0)


def test_thousands_of_servers_stay_finite():
    # 1,000 Erlangs: the answer lies a little above 1,000 (square-root staffing: A + β√A, β ≈ 1–2)
    q = servers_needed(1000.0, 180.0, 0.8, 20.0)
    assert 1000 < q.servers < 1000 + 3 * 1000**0.5
    assert 0.8 <= q.service_level < 1
    assert 0 < erlang_b(5000, 4000.0) < 1


def test_concurrent_chats_divide_servers_between_agents():
    # 14 servers, 2 chats each → 7 agents; 7 / 0.7 = 10
    s = staff_for(Decimal(100), 1800, Decimal(180), chats_per_agent=2, shrinkage=Decimal("0.3"))
    assert (s.servers, s.agents, s.scheduled) == (14, 7, 10)


@pytest.mark.parametrize(("shrinkage", "scheduled"), [("0", 14), ("0.3", 20), ("0.5", 28), ("0.31", 21)])
def test_shrinkage_rounds_up(shrinkage, scheduled):
    # 14 / (1 − s): 14, 20, 28, 20.29 → 21
    assert staff_for(Decimal(100), 1800, Decimal(180), shrinkage=Decimal(shrinkage)).scheduled == scheduled


def test_whole_shrinkage_is_refused():
    with pytest.raises(ValueError, match="shrinkage"):
        staff_for(Decimal(100), 1800, Decimal(180), shrinkage=Decimal(1))


# ---- a small hand-worked plan


def test_hourly_staffing_of_a_hand_worked_hour():
    # given 10,000 visitors: hour 20 has share 0.0600 → 600 visitors; × 5% = 30 inquiries;
    # × 240 s / 3600 s = 2 Erlangs.
    # N = 3: B = 0.8/3.8 = 0.210526, C = 3B/(3 − 2(1 − B)) = 0.444444, SL = 1 − C·e^(−20/240) = 0.5911 < 0.8
    # N = 4: B = 0.095238, C = 0.173913, SL = 1 − C·e^(−40/240) = 0.852786 ≥ 0.8 → 4 servers = 4 agents
    # shrinkage 0.2: 4 / 0.8 = 5 scheduled
    service = parse_campaign(CAMPAIGN).service
    hours = hourly_staffing(10_000, service)
    h20 = hours[20]
    assert h20.visitors == 600
    assert h20.staffing.contacts == 30 and h20.staffing.traffic == 2
    assert (h20.staffing.servers, h20.staffing.agents, h20.staffing.scheduled) == (4, 4, 5)
    assert h20.staffing.service_level == pytest.approx(0.852786, abs=1e-6)
    assert sum(h.visitors for h in hours) == 10_000
    assert [h.online for h in hours] == [False] * 9 + [True] * 15


def test_event_visitors_are_the_stretch_traffic_times_the_multiplier():
    # stretch 2,000 orders at 5% → 40,000 visitors; × resource multiplier 2 → 80,000
    plan = make_plan(parse_campaign(CAMPAIGN))
    assert event_visitors(plan) == 80_000
    assert day_visitors(plan, dt.date(2026, 11, 11)) == 80_000
    # 11-30 lies after the daily plan (to 11-20): an ordinary day
    assert day_visitors(plan, dt.date(2026, 11, 30)) == 2000


def _hour(hour: int, scheduled: int) -> HourStaffing:
    s = Staffing(Decimal(0), Decimal(0), 0, 0, scheduled, 1.0, 0.0, 0.0)
    return HourStaffing(hour, 0, s, hour >= 9)


def test_event_day_arrangement_moves_presale_and_hires_the_rest():
    # given needs: 12 at 3h (offline), day peak 8 at 10h, night peak 11 at 21h
    needs = {3: 12, 10: 8, 12: 6, 17: 9, 21: 11}
    hours = [_hour(h, needs.get(h, 1)) for h in range(24)]
    arr = arrange_event_day(hours, ServiceTeam(presale=6, aftersale=7))
    # 8 by day + 11 at night = 19 agents; the team has 13 → hire 6
    assert (arr.day_peak, arr.night_peak, arr.headcount) == (8, 11, 19)
    assert arr.aftersale_on_day == 13 and arr.to_hire == 6
    assert arr.offline_peak == 12


def test_unstable_hours_name_hours_where_the_whole_team_is_short():
    service = parse_campaign(CAMPAIGN).service
    hours = hourly_staffing(10_000, service)
    # hour 20 carries 2 Erlangs: a team of 2 single-chat agents is unstable there, of 3 not
    assert 20 in unstable_hours(hours, 2, service)
    assert 20 not in unstable_hours(hours, 3, service)


def test_agent_ids_follow_the_team():
    assert ServiceTeam(presale=2, aftersale=1, temporary=1).agent_ids() == ["P01", "P02", "S01", "T01"]


@pytest.mark.parametrize(
    ("extra", "key", "path", "line"),
    [
        ("  shrinkage: 1\n", "staff.shrinkage_whole", "service.shrinkage", 10),
        ("  leave: [{agent: X09, dates: [2026-11-03]}]\n", "staff.unknown_agent",
         "service.leave[0].agent", 10),
    ],
    ids=["shrinkage", "unknown-agent"],
)
def test_service_problems_name_key_and_line(extra, key, path, line):
    text = CAMPAIGN.replace("  shrinkage: 0.2\n", "") + extra
    with pytest.raises(CampaignFileError) as info:
        parse_campaign(text, "c.yaml")
    (problem,) = info.value.problems
    assert (problem.key, problem.path, problem.line) == (key, path, line)
    assert problem.fix("zh") and problem.fix("en")


def test_no_problems_for_a_good_section():
    assert check_service(parse_campaign(CAMPAIGN)) == []


@given(traffic=st.floats(min_value=0.1, max_value=2000), extra=st.integers(min_value=1, max_value=50))
def test_more_servers_never_serve_worse(traffic, extra):
    # property: above the traffic, each added server raises the service level and lowers P(wait)
    n = int(traffic) + extra
    a, b = queue(n, traffic, 180.0, 20.0), queue(n + 1, traffic, 180.0, 20.0)
    assert a.stable and b.stable
    assert 0.0 <= a.wait_probability <= 1.0
    assert b.service_level >= a.service_level - 1e-12
    assert b.wait_probability <= a.wait_probability + 1e-12
