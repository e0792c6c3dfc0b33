"""Warehouse capacity against hand-worked numbers (seed 000: 250–300k orders, 10 lines × 5k a day)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dachu.domain.campaign.file import parse_campaign
from dachu.domain.campaign.warehouse import Material, Warehouse
from dachu.domain.plan.plan import make_plan
from dachu.domain.prepare.logistics import backlog, logistics, logistics_plan, material_needs
from dachu.errors import CampaignFileError
from tests.domain.prepare.fixtures import CAMPAIGN_YAML

SEED = Warehouse(lines=10, orders_per_line_per_day=5000, packers_per_line=20)


def test_seed_300k_orders_clear_in_6_days_priority_in_2():
    # given 300k orders, 10 lines × 5,000 = 50,000 a day, 30% to 北上广深杭 (90k)
    # when shipping priority first
    run = backlog(300_000, 50_000, Decimal("0.3"))
    # then by hand: day 1 ships 50k priority (40k priority left), day 2 the last 40k priority + 10k others;
    # 300k / 50k = 6 days in all
    assert [d.backlog for d in run.days] == [250_000, 200_000, 150_000, 100_000, 50_000, 0]
    assert [d.backlog_priority for d in run.days] == [40_000, 0, 0, 0, 0, 0]
    assert [d.shipped_priority for d in run.days] == [50_000, 40_000, 0, 0, 0, 0]
    assert run.days_to_clear == 6
    assert run.priority_days == 2
    assert run.all_days == 6


def test_seed_250k_orders_clear_in_5_days():
    assert backlog(250_000, 50_000, Decimal("0.3")).days_to_clear == 5


def test_seed_warehouse_meets_both_rules_at_300k_and_30_percent_priority():
    result = logistics(300_000, SEED)
    assert result.priority_ok is True and result.all_ok is True
    assert result.extra_lines == 0 and result.extra_packers == 0


def test_priority_share_40_percent_misses_two_days_and_needs_two_lines():
    # given 40% priority: 120k priority orders at 50k a day → 50k, 50k, 20k: 3 days > 2
    result = logistics(300_000, SEED.model_copy(update={"priority_city_share": Decimal("0.4")}))
    assert result.backlog is not None and result.backlog.priority_days == 3
    assert result.priority_ok is False and result.all_ok is True
    # then: 120k within 2 days needs 60k a day = 12 lines (2 more); or +10k a day from temporary packers
    # at 5,000 / 20 = 250 orders each → 40 packers
    assert result.extra_lines == 2
    assert result.extra_packers == 40


def test_400k_orders_miss_seven_days():
    # 400k / 50k = 8 days > 7. 11 lines (55k): ⌈400/55⌉ = 8 days, still late; 12 lines (60k): 7 days.
    # Packers: need ≥ 400,000/7 = 57,142.9 a day → +7,143 → ⌈7,143 / 250⌉ = 29 packers (57,250 a day).
    result = logistics(400_000, SEED.model_copy(update={"priority_city_share": Decimal("0.2")}))
    assert result.backlog is not None and result.backlog.days_to_clear == 8
    assert result.all_ok is False and result.priority_ok is True
    assert result.extra_lines == 2
    assert result.extra_packers == 29


def test_extra_lines_beyond_floor_space_are_flagged():
    w = SEED.model_copy(update={"priority_city_share": Decimal("0.4"), "max_lines": 11})
    assert logistics(300_000, w).lines_fit is False


def test_follow_up_orders_queue_behind_the_event_day():
    # day 0: 100k (50k P, 50k O) → ship 50k P, 50k O wait
    # day 1: 40k new (20k P, 20k O) → ship the 20k P, then 30k of day 0's O; 20k + 20k O wait
    # day 2: ship 40k → empty. Worst: day 0's others leave on day 2 = the 3rd day.
    run = backlog(100_000, 50_000, Decimal("0.5"), follow_up=[40_000])
    assert [(d.new, d.shipped, d.backlog) for d in run.days] == [
        (100_000, 50_000, 50_000), (40_000, 50_000, 40_000), (0, 40_000, 0)]
    assert run.priority_days == 1
    assert run.all_days == 3


def test_packing_from_the_day_after():
    run = backlog(50_000, 50_000, Decimal("0.3"), ship_from_day=1)
    assert run.all_days == 2 and run.priority_days == 2
    assert [d.shipped for d in run.days] == [0, 50_000]


def test_priority_share_rounds_up():
    # 10 orders at 25% → 2.5 → 3 priority orders
    assert backlog(10, 100, Decimal("0.25")).days[0].new_priority == 3


def test_materials_for_300k_parcels():
    # boxes 300,000 × 0.6 × 1.1 = 198,000; labels 330,000 / 500 = 660 rolls;
    # tape 300,000 × 1.2 × 1.1 = 396,000 m / 100 = 3,960 rolls; ribbons 660,000 prints / 2,000 = 330
    needs = {m.name: m for m in logistics(300_000, SEED).materials}
    assert needs["box"].amount == 198_000 and needs["box"].packs == 198_000
    assert needs["bag"].amount == 132_000
    assert needs["label"].packs == 660
    assert needs["tape"].amount == 396_000 and needs["tape"].packs == 3_960
    assert needs["ribbon"].packs == 330


def test_material_packs_round_up():
    # 1,001 parcels × 1 × 1.0 = 1,001 labels → 3 rolls of 500
    label = Material(name="label", per_parcel=Decimal(1), pack_size=500, spare=Decimal(0))
    [need] = material_needs(1001, [label])
    assert need.packs == 3


def test_parcels_per_order_and_follow_up_count_in_materials():
    w = SEED.model_copy(update={"parcels_per_order": Decimal("1.1"), "follow_up_shares": [Decimal("0.1")]})
    # (1,000 + 100) orders × 1.1 = 1,210 parcels
    assert logistics(1000, w).parcels == 1210


def test_without_lines_only_parcels_and_materials():
    result = logistics(1000, Warehouse())
    assert result.backlog is None and result.extra_lines is None
    assert result.parcels == 1000 and result.materials


def test_plan_section_uses_capacity_orders():
    # stretch 2,000 orders × multiplier 2 = 4,000 orders to ship
    plan = make_plan(parse_campaign(CAMPAIGN_YAML))
    result = logistics_plan(plan)
    assert result is not None and result.event_orders == 4000
    assert result.backlog is not None and result.backlog.days_to_clear == 1


def test_a_backlog_longer_than_a_year_is_not_cleared():
    run = backlog(1_000, 2, Decimal(0))
    assert run.cleared is False and run.all_days == 367 and len(run.days) == 366


def test_lines_without_rate_is_a_file_problem():
    text = CAMPAIGN_YAML.replace("  orders_per_line_per_day: 5000\n", "")
    with pytest.raises(CampaignFileError) as err:
        parse_campaign(text)
    assert err.value.problems[0].path == "warehouse"
    assert err.value.problems[0].line == 11


@given(
    orders=st.integers(0, 200_000),
    capacity=st.integers(1, 60_000),
    share=st.decimals("0", "1", places=2),
    follow=st.lists(st.integers(0, 50_000), max_size=4),
)
def test_backlog_ships_every_order_once(orders, capacity, share, follow):
    capacity = max(capacity, (orders + sum(follow)) // 50 + 1)  # keep runs short: ≤ ~55 days
    run = backlog(orders, capacity, share, follow)
    assert sum(d.shipped for d in run.days) == orders + sum(follow)
    assert all(d.shipped <= capacity for d in run.days)
    assert run.days[-1].backlog == 0
    assert run.priority_days <= run.all_days
