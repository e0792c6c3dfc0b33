"""Every invalid campaign file gets one message per problem: key path, line, the fix, in zh and en."""

import pytest

from dachu.domain.campaign.file import parse_campaign
from dachu.errors import CampaignFileError
from tests.conftest import CHECK_CAMPAIGN


def problems(text):
    with pytest.raises(CampaignFileError) as info:
        parse_campaign(text, "c.yaml")
    return info.value.problems


def only(text):
    found = problems(text)
    assert len(found) == 1, [p.render("en") for p in found]
    return found[0]


def test_valid_check_parses():
    c = parse_campaign(CHECK_CAMPAIGN)
    assert c.products[0].unit_profit == 50


def test_shares_must_sum_to_one():
    p = only(CHECK_CAMPAIGN.replace("goal_share: 0.4", "goal_share: 0.3"))
    assert p.key == "campaign.shares_sum"
    assert p.path == "products"
    assert p.line == 4
    assert "0.9" in p.message("en") and "0.9" in p.message("zh")
    assert "sum to 1" in p.fix("en")


def test_cpm_channel_without_ctr():
    text = CHECK_CAMPAIGN + "channels:\n  - {name: zz, kind: cpm, cpm: 10}\n"
    p = only(text)
    assert (p.key, p.path, p.line) == ("campaign.err.missing", "channels[0].ctr", 10)
    assert p.message("zh") == "缺少必填项"


def test_conversion_of_4_means_4_percent():
    p = only(CHECK_CAMPAIGN.replace("event_conversion: 0.04", "event_conversion: 4"))
    assert (p.key, p.path, p.line) == ("campaign.err.rate_over_one", "store.event_conversion", 3)
    assert "0.04" in p.fix("en") and '"4%"' in p.fix("en")
    assert "0.04" in p.fix("zh")


def test_percent_text_is_accepted():
    c = parse_campaign(CHECK_CAMPAIGN.replace("event_conversion: 0.04", 'event_conversion: "4%"'))
    assert str(c.store.event_conversion) == "0.04"


def test_coupon_arithmetic_must_agree():
    text = CHECK_CAMPAIGN + (
        "promotions:\n"
        "  - {name: tk1, list_price: 69, coupon: 40, promo_price: 30, unit_cost: 21}\n"
    )
    p = only(text)
    assert (p.key, p.path, p.line) == ("campaign.coupon_mismatch", "promotions[0].promo_price", 10)
    assert "29" in p.fix("en") and "29" in p.fix("zh")


def test_unknown_key_suggests_the_right_one():
    p = only(CHECK_CAMPAIGN.replace("baseline_daily_uv", "baseline_daly_uv"))
    assert (p.key, p.path, p.line) == ("campaign.err.extra_forbidden", "store.baseline_daly_uv", 3)
    assert "baseline_daily_uv" in p.fix("en")


def test_several_problems_are_all_reported():
    text = CHECK_CAMPAIGN.replace("event_conversion: 0.04", "event_conversion: 4").replace(
        "list_price: 200", "list_price: abc")
    keys = sorted(p.key for p in problems(text))
    assert keys == ["campaign.err.decimal_parsing", "campaign.err.rate_over_one"]


def test_product_needs_exactly_one_target():
    found = problems(CHECK_CAMPAIGN.replace("goal_share: 0.6", "planned_orders: 10, goal_share: 0.6"))
    assert [p.key for p in found] == ["campaign.product_two_targets"]


def test_yaml_syntax_error_names_the_line():
    p = only("campaign: {name: x\ngoal: [\n")
    assert p.key == "campaign.yaml_syntax"
    assert p.line is not None


def test_render_names_file_line_path_and_fix_in_both_languages():
    p = only(CHECK_CAMPAIGN.replace("event_conversion: 0.04", "event_conversion: 4"))
    assert p.render("en", "c.yaml").startswith("c.yaml:3: store.event_conversion: 4 is not a rate")
    assert p.render("zh", "c.yaml").startswith("c.yaml:3: store.event_conversion: 4 不是 0 到 1 之间的比率")


def test_no_channels_and_no_cost_per_visitor():
    p = only(CHECK_CAMPAIGN.replace(", cost_per_visitor: 1", ""))
    assert p.key == "campaign.no_channels"


def test_examples_all_parse(double11, seed2013):
    assert double11.campaign.name and seed2013.campaign.name
