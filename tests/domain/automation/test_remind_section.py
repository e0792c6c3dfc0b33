"""The campaign file's `remind:` section: defaults, the refusals at read time, templates and SMS length."""

from decimal import Decimal

import pytest

from dachu.domain.campaign.file import parse_campaign
from dachu.domain.campaign.remind import RemindSettings, render, sms_cost, sms_length, sms_segments
from dachu.errors import CampaignFileError
from tests.conftest import CHECK_CAMPAIGN

PROMOTION = "promotions:\n  - {name: 聚划算, sku: B, list_price: 50, coupon: 20, promo_price: 30, unit_cost: 8}\n"


def problems(section):
    with pytest.raises(CampaignFileError) as info:
        parse_campaign(CHECK_CAMPAIGN + PROMOTION + section, "c.yaml")
    return [(p.key, p.path) for p in info.value.problems]


def test_a_campaign_without_the_section_has_the_defaults(check_campaign):
    r = check_campaign.remind
    assert (r.enabled, r.channel, r.first_after_minutes, r.before_close_minutes, r.close_after_hours) == (
        True, "sms", 10, 15, 72)
    assert r.per_phone_daily_cap == 50 and r.opt_out_replies == ["TD", "R", "退订", "T"]
    assert (r.marketing_window.start, r.marketing_window.end) == (8 * 60, 21 * 60)
    assert (r.notice_window.start, r.notice_window.end) == (8 * 60, 22 * 60)
    assert r.holdout == Decimal("0.05") and r.opt_out_text == "拒收请回复R"
    templates = r.all_templates()
    assert templates["first"].effective_class == "notice"
    assert templates["before_close"].effective_class == "marketing"
    assert "拒收请回复R" in templates["before_close"].text


def test_a_full_section_reads():
    c = parse_campaign(CHECK_CAMPAIGN + PROMOTION + (
        "remind:\n"
        "  first_after_minutes: 5\n"
        "  items:\n"
        "    - {activity: 聚划算, close_after_minutes: 30, offer: 前100名加赠}\n"
        "    - {sku: A, template: honey}\n"
        "  min_amount: 9.9\n"
        "  holdout: 10%\n"
        "  marketing_window: 09:00-20:30\n"
        "  signature: 【野菊蜜旗舰店】\n"
        "  templates:\n"
        "    honey: {text: \"{item}将于{close_at}关闭，{offer}。拒收请回复R\", class: marketing}\n"
    ), "c.yaml")
    r = c.remind
    assert r.items[0].close_after_minutes == 30 and r.min_amount == Decimal("9.9")
    assert r.holdout == Decimal("0.1") and (r.marketing_window.start, r.marketing_window.end) == (540, 1230)
    assert r.templates["honey"].message_class == "marketing"


@pytest.mark.parametrize(("section", "expected"), [
    ('remind:\n  templates:\n    t: {text: "您的{goods}未付款"}\n',
     [("remind.unknown_variable", "remind.templates.t.text")]),
    ('remind:\n  templates:\n    t: {text: "您的{item未付款"}\n',
     [("remind.template_braces", "remind.templates.t.text")]),
    ('remind:\n  templates:\n    t: {text: "{item}付款享{offer}"}\n',
     [("remind.no_opt_out", "remind.templates.t.text")]),
    ('remind:\n  templates:\n    t: {text: "{item}未付款", class: marketing}\n',
     [("remind.no_opt_out", "remind.templates.t.text")]),
    ("remind:\n  items:\n    - {sku: A, template: nope}\n", [("remind.unknown_template", "remind.items[0].template")]),
    ("remind:\n  items:\n    - {sku: Z}\n", [("remind.unknown_sku", "remind.items[0].sku")]),
    ("remind:\n  items:\n    - {skus: [A, Z]}\n", [("remind.unknown_sku", "remind.items[0].skus[1]")]),
    ("remind:\n  items:\n    - {activity: 秒杀}\n", [("remind.unknown_activity", "remind.items[0].activity")]),
    ("remind:\n  items:\n    - {offer: 加赠}\n", [("remind.item_matches_nothing", "remind.items[0]")]),
    ("remind:\n  exclude_skus: [Q]\n", [("remind.unknown_sku", "remind.exclude_skus[0]")]),
    ("remind:\n  signature: 野菊蜜旗舰店\n", [("remind.signature_brackets", "remind.signature")]),
    ("remind:\n  notice_window: 22:00-08:00\n", [("remind.window_order", "remind.notice_window")]),
    ("remind:\n  min_amount: 100\n  max_amount: 50\n", [("remind.amount_range", "remind.min_amount")]),
], ids=["unknown-variable", "braces", "offer-without-opt-out", "marketing-without-opt-out", "unknown-template",
        "unknown-sku", "unknown-sku-in-list", "unknown-activity", "matches-nothing", "unknown-filter-sku",
        "signature", "window", "amount-range"])
def test_refused_at_read(section, expected):
    assert problems(section) == expected


def test_refusals_render_in_both_languages():
    with pytest.raises(CampaignFileError) as info:
        parse_campaign(CHECK_CAMPAIGN + 'remind:\n  templates:\n    t: {text: "您的{goods}"}\n', "c.yaml")
    (p,) = info.value.problems
    assert "{goods}" in p.message("zh") and "{goods}" in p.message("en")
    assert "item" in p.fix("en") and p.line == 11  # CHECK_CAMPAIGN is 8 lines: remind 9, templates 10, t 11


def test_a_built_in_marketing_template_follows_the_opt_out_text():
    r = RemindSettings(opt_out_text="回T退订")
    assert r.all_templates()["before_close"].text.endswith("回T退订")


def test_render_puts_the_signature_first():
    r = RemindSettings(signature="【野菊蜜旗舰店】")
    text = render(r, "before_close", {"item": "野菊蜜", "close_at": "11月14日 10:00", "offer": "加赠蜂蜜勺"}, "x")
    assert text == "【野菊蜜旗舰店】亲，您拍下的野菊蜜将于11月14日 10:00关闭，现在付款加赠蜂蜜勺。拒收请回复R"
    assert render(RemindSettings(), "first", {}, "野菊蜜").startswith("【野菊蜜】")


def test_the_built_in_templates_fit_one_message():
    r = RemindSettings(signature="【野菊蜜旗舰店】")
    values = {"item": "野菊蜜500g装", "close_at": "11月14日 10:00", "offer": "加赠蜂蜜勺一把"}
    for name in ("first", "before_close", "before_close_notice"):
        assert sms_segments(render(r, name, values, "x")) == 1, name


@pytest.mark.parametrize(("length", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3), (0, 0), (1, 1)])
def test_sms_segments(length, segments):
    # ≤ 70 characters is one message; above, 67 a part: 71 → 67 + 4, 134 → 67 + 67, 135 → 67 + 67 + 1
    text = "【店】" + "蜜" * (length - 3) if length >= 3 else "蜜" * length
    assert sms_length(text) == length
    assert sms_segments(text) == segments
    assert sms_cost(text, Decimal("0.045")) == Decimal("0.045") * segments


def test_an_emoji_counts_two():
    assert sms_length("蜜🍯") == 3


def test_the_documented_example_reads():
    import dachu.domain.campaign.remind as module

    doc = module.__doc__
    example = doc[doc.index("    remind:"):doc.index("Template variables")].rstrip()
    text = "\n".join(line[4:] for line in example.splitlines())
    campaign = CHECK_CAMPAIGN.replace("sku: A,", "sku: A01,").replace("sku: B,", "sku: Z99,") + (
        "promotions:\n  - {name: 聚划算秒杀, sku: A01, list_price: 200, coupon: 100, promo_price: 100, unit_cost: 45}\n"
    ) + text + "\n"
    r = parse_campaign(campaign, "c.yaml").remind
    assert r.items[0].close_after_minutes == 30 and r.templates["honey_close"].effective_class == "marketing"
    assert r.blacklist == ["b-9f2c"] and r.signature == "【野菊蜜旗舰店】"
