"""The payment-reminder rules (催付), each on hand-built orders whose answers are worked out here by hand."""

from decimal import Decimal

import pytest

from dachu.domain.automation.remind import WAIT, SendFacts, check_at_send, plan_reminders, reopens_at
from dachu.domain.automation.remind_inputs import ItemBook
from dachu.domain.campaign.remind import RemindItem, RemindSettings, Template
from tests.domain.automation.cases import at, build

NO_HOLDOUT = RemindSettings(holdout=0)
FLASH = RemindSettings(holdout=0, items=[RemindItem(sku="F", close_after_minutes=30, offer="秒杀价再减5元")])


def plan(settings, rows, now, **kw):
    orders, facts = build(rows, paid=kw.pop("paid", None), opted_out=kw.pop("opted_out", ()))
    return plan_reminders(settings, orders, facts, at(now), shop="野菊蜜旗舰店", **kw)


def messages(decisions, kind=None):
    return [m for m in decisions.actions() if kind is None or m.kind == kind]


def verdicts(decisions, order):
    i = decisions.orders.order_ids.index(order)
    return decisions.verdict(i, 0), decisions.verdict(i, 1)


def test_a_buyer_with_several_unpaid_orders_gets_one_message_at_the_earliest_time():
    d = plan(NO_HOLDOUT, [
        ("o1", "b1", "2026-11-11 10:00", 29, ["A"]),
        ("o2", "b1", "2026-11-11 10:05", 69, ["A"]),
        ("o3", "b1", "2026-11-11 09:50", 49, ["B"]),
    ], "2026-11-11 09:00")
    first = messages(d, "payment_reminder")
    assert len(first) == 1
    m = first[0]
    # first reminders due 10:10, 10:15 and 10:00: o3 leads
    assert m.order_ids == ("o3", "o1", "o2")
    assert m.not_before == at("2026-11-11 10:00")
    assert m.key == "payment_reminder:b1:2026-11-11"
    assert m.recipient == "b1" and m.reason == "remind.rule.first" and m.message_class == "notice"
    assert dict(m.variables)["orders"] == "3" and dict(m.variables)["amount"] == "49.00"
    # closes 72 h after o2 (the last to close): 2026-11-14 10:05
    assert m.expires_at == at("2026-11-14 10:05")
    close = messages(d, "pre_close_reminder")
    assert len(close) == 1
    # o3 closes 2026-11-14 09:50, reminded 15 minutes before
    assert close[0].not_before == at("2026-11-14 09:35")
    assert close[0].key == "pre_close_reminder:b1:2026-11-14"
    assert close[0].order_ids == ("o3", "o1", "o2")


def test_orders_of_different_buyers_and_days_are_separate_messages():
    d = plan(NO_HOLDOUT, [
        ("o1", "b1", "2026-11-11 10:00", 29, ["A"]),
        ("o2", "b2", "2026-11-11 10:00", 29, ["A"]),
        ("o3", "b1", "2026-11-12 10:00", 29, ["A"]),
    ], "2026-11-11 09:00")
    keys = sorted(m.key for m in messages(d, "payment_reminder"))
    assert keys == ["payment_reminder:b1:2026-11-11", "payment_reminder:b1:2026-11-12",
                    "payment_reminder:b2:2026-11-11"]


def test_a_buyer_who_paid_one_of_several_orders_is_not_reminded():
    rows = [("o1", "b1", "2026-11-11 10:00", 29, ["A"]), ("o2", "b1", "2026-11-11 10:02", 29, ["A"])]
    d = plan(NO_HOLDOUT, rows, "2026-11-11 10:30", paid={"b1": "2026-11-11 10:20"})
    assert messages(d, "payment_reminder") == []
    assert verdicts(d, "o1")[0] == ("remind.skip.paid_recently", None)
    assert ("o2", "remind.skip.paid_recently") in d.skipped()
    # the before-close reminder goes on 2026-11-14: the payment was before 2026-11-13 00:00
    assert [m.not_before for m in messages(d, "pre_close_reminder")] == [at("2026-11-14 09:45")]


@pytest.mark.parametrize(("paid", "reminded"), [
    ("2026-11-10 00:00", False),  # the previous day's midnight counts
    ("2026-11-09 23:59", True),
], ids=["at-previous-midnight", "just-before"])
def test_paid_since_the_previous_day_midnight(paid, reminded):
    d = plan(NO_HOLDOUT, [("o1", "b1", "2026-11-11 10:00", 29, ["A"])], "2026-11-11 10:00", paid={"b1": paid})
    assert (verdicts(d, "o1")[0][0] == "remind.rule.first") is reminded


def test_placed_late_at_night_the_notice_waits_for_eight_next_morning():
    d = plan(NO_HOLDOUT, [("o1", "b1", "2026-11-11 23:10", 29, ["A"])], "2026-11-11 23:10")
    (m,) = messages(d, "payment_reminder")
    # due 23:20, after the notice window closes at 22:00 → next day 08:00
    assert m.not_before == at("2026-11-12 08:00")
    assert m.key == "payment_reminder:b1:2026-11-12"
    assert bool(d.deferred[0])


def test_a_flash_order_placed_late_at_night_closes_before_the_window_opens():
    d = plan(FLASH, [("o1", "b1", "2026-11-11 23:10", 9.9, ["F"])], "2026-11-11 23:10")
    # closes 23:40; both reminders (23:20, 23:25) would wait until 08:00
    assert messages(d) == []
    assert verdicts(d, "o1") == (("remind.skip.closes_in_quiet_hours", None),) * 2
    assert d.skipped() == [("o1", "remind.skip.closes_in_quiet_hours")]


def test_a_flash_order_by_day_is_reminded_before_it_closes_in_30_minutes():
    d = plan(FLASH, [("o1", "b1", "2026-11-11 10:00", 9.9, ["F", "A"])], "2026-11-11 10:00",
             book=ItemBook({"F": "秒杀蜂蜜"}))
    first, close = messages(d, "payment_reminder"), messages(d, "pre_close_reminder")
    assert [m.not_before for m in first] == [at("2026-11-11 10:10")]
    assert [m.not_before for m in close] == [at("2026-11-11 10:15")]
    (m,) = close
    assert m.message_class == "marketing" and m.template == "before_close"
    variables = dict(m.variables)
    assert variables["offer"] == "秒杀价再减5元" and variables["item"] == "秒杀蜂蜜"
    assert variables["close_at"] == "11月11日 10:30"
    assert m.expires_at == at("2026-11-11 10:30")


def test_before_close_at_72_hours_less_15_minutes():
    d = plan(NO_HOLDOUT, [("o1", "b1", "2026-11-11 12:00", 29, ["A"])], "2026-11-11 12:00")
    (m,) = messages(d, "pre_close_reminder")
    assert m.not_before == at("2026-11-14 11:45")
    assert m.expires_at == at("2026-11-14 12:00")
    assert m.template == "before_close_notice" and m.message_class == "notice"


def test_marketing_waits_after_21_where_a_notice_goes():
    marketing_first = RemindSettings(holdout=0, templates={
        "first": Template(text="亲，{item}还未付款，付款享{offer}。拒收请回复R", message_class="marketing")})
    rows = [("o1", "b1", "2026-11-11 21:00", 29, ["A"])]
    (notice,) = messages(plan(NO_HOLDOUT, rows, "2026-11-11 21:00"), "payment_reminder")
    (marketing,) = messages(plan(marketing_first, rows, "2026-11-11 21:00"), "payment_reminder")
    assert notice.not_before == at("2026-11-11 21:10")  # the notice window runs to 22:00
    assert marketing.not_before == at("2026-11-12 08:00")  # the marketing window ends at 21:00
    assert marketing.message_class == "marketing"


def test_an_offer_before_close_after_21_closes_in_quiet_hours():
    settings = RemindSettings(holdout=0, items=[RemindItem(sku="A", offer="加赠蜂蜜勺")])
    d = plan(settings, [("o1", "b1", "2026-11-11 21:20", 29, ["A"])], "2026-11-11 21:20")
    # closes 2026-11-14 21:20; due 21:05, past the marketing window; 08:00 next day is after the close
    assert verdicts(d, "o1")[1] == ("remind.skip.closes_in_quiet_hours", None)


@pytest.mark.parametrize(("kw", "reason"), [
    ({"opted_out": ("b1",)}, "remind.skip.opted_out"),
], ids=["opted-out"])
def test_an_opted_out_buyer_is_never_reminded(kw, reason):
    d = plan(NO_HOLDOUT, [("o1", "b1", "2026-11-11 10:00", 29, ["A"])], "2026-11-11 10:00", **kw)
    assert messages(d) == [] and d.skipped() == [("o1", reason)]


def test_blacklisted_buyer_and_missing_buyer_key():
    settings = RemindSettings(holdout=0, blacklist=["b1"])
    d = plan(settings, [("o1", "b1", "2026-11-11 10:00", 29, ["A"]), ("o2", "", "2026-11-11 10:00", 29, ["A"]),
                        ("o3", "b3", "2026-11-11 10:00", 29, ["A"])], "2026-11-11 10:00")
    assert d.skipped() == [("o1", "remind.skip.blacklist"), ("o2", "remind.skip.no_buyer")]
    assert {m.recipient for m in messages(d)} == {"b3"}


def test_amount_filters_are_inclusive():
    settings = RemindSettings(holdout=0, min_amount=Decimal(10), max_amount=Decimal(500))
    rows = [("low", "b1", "2026-11-11 10:00", 9.99, ["A"]), ("min", "b2", "2026-11-11 10:00", 10, ["A"]),
            ("max", "b3", "2026-11-11 10:00", 500, ["A"]), ("high", "b4", "2026-11-11 10:00", 500.01, ["A"])]
    d = plan(settings, rows, "2026-11-11 10:00")
    assert d.skipped() == [("low", "remind.skip.amount_low"), ("high", "remind.skip.amount_high")]


def test_sku_filters():
    rows = [("a", "b1", "2026-11-11 10:00", 29, ["A"]), ("b", "b2", "2026-11-11 10:00", 29, ["B"]),
            ("ab", "b3", "2026-11-11 10:00", 29, ["A", "B"])]
    only_a = plan(RemindSettings(holdout=0, skus=["A"]), rows, "2026-11-11 10:00")
    assert only_a.skipped() == [("b", "remind.skip.sku_not_listed")]
    not_b = plan(RemindSettings(holdout=0, exclude_skus=["B"]), rows, "2026-11-11 10:00")
    assert not_b.skipped() == [("b", "remind.skip.sku_excluded"), ("ab", "remind.skip.sku_excluded")]


def test_holdout_buyers_are_skipped():
    everyone = RemindSettings(holdout=1)
    d = plan(everyone, [("o1", "b1", "2026-11-11 10:00", 29, ["A"])], "2026-11-11 10:00")
    assert d.skipped() == [("o1", "remind.skip.holdout")]


def test_closed_orders_and_disabled_reminders():
    rows = [("o1", "b1", "2026-11-07 10:00", 29, ["A"])]  # closed 2026-11-10 10:00
    assert plan(NO_HOLDOUT, rows, "2026-11-11 10:00").skipped() == [("o1", "remind.skip.closed")]
    off = RemindSettings(enabled=False)
    assert plan(off, rows, "2026-11-07 10:00").skipped() == [("o1", "remind.skip.disabled")]


def test_a_first_reminder_due_after_the_close_is_skipped():
    settings = RemindSettings(holdout=0, first_after_minutes=40, items=[RemindItem(sku="F", close_after_minutes=30)])
    d = plan(settings, [("o1", "b1", "2026-11-11 10:00", 29, ["F"])], "2026-11-11 10:00")
    assert verdicts(d, "o1")[0] == ("remind.skip.closes_first", None)
    assert verdicts(d, "o1")[1] == ("remind.rule.before_close", at("2026-11-11 10:15"))


def test_the_shortest_close_of_the_lines_items_wins():
    settings = RemindSettings(holdout=0, items=[
        RemindItem(sku="A", close_after_minutes=120, offer="A的优惠"),
        RemindItem(activity="秒杀", close_after_minutes=60, offer="秒杀优惠"),
    ])
    book = ItemBook({"A": "野菊蜜", "F": "秒杀蜜"}, {"秒杀": ("F",)})
    d = plan(settings, [("o1", "b1", "2026-11-11 10:00", 29, ["A", "F"])], "2026-11-11 10:00", book=book)
    (m,) = messages(d, "pre_close_reminder")
    assert m.not_before == at("2026-11-11 10:45")  # the activity's 60 minutes, less 15
    assert dict(m.variables)["offer"] == "秒杀优惠"
    assert dict(m.variables)["item"] == "野菊蜜"  # the order's first line


def test_planning_twice_gives_the_same_keys():
    rows = [("o1", "b1", "2026-11-11 10:00", 29, ["A"])]
    a = [m.key for m in messages(plan(NO_HOLDOUT, rows, "2026-11-11 10:00"))]
    b = [m.key for m in messages(plan(NO_HOLDOUT, rows, "2026-11-12 10:00"))]
    assert a == b


@pytest.mark.parametrize(("now", "kw", "reason"), [
    ("2026-11-11 10:10", {}, None),
    ("2026-11-11 10:10", {"unpaid_order_ids": ()}, "remind.skip.paid"),
    ("2026-11-11 10:10", {"last_paid": at("2026-11-10 09:00")}, "remind.skip.paid_recently"),
    ("2026-11-11 10:10", {"last_paid": at("2026-11-09 23:59")}, None),
    ("2026-11-11 10:10", {"opted_out": True}, "remind.skip.opted_out"),
    ("2026-11-11 10:10", {"sent_today_to_phone": 50}, "remind.skip.phone_cap"),
    ("2026-11-11 10:10", {"sent_today_to_phone": 49}, None),
    ("2026-11-14 10:00", {}, "remind.skip.closed"),
    ("2026-11-11 22:30", {}, WAIT),
], ids=["send", "paid", "paid-recently", "paid-before-yesterday", "opted-out", "phone-cap", "under-cap", "closed",
        "quiet"])
def test_check_at_send(now, kw, reason):
    facts = SendFacts(**{"unpaid_order_ids": ("o1",), "last_paid": None, "opted_out": False,
                         "sent_today_to_phone": 0, **kw})
    assert check_at_send(NO_HOLDOUT, "payment_reminder", "notice", at("2026-11-14 10:00"), facts, at(now)) == reason


def test_check_at_send_quiet_hours_wait_or_skip():
    facts = SendFacts(("o1",), None, False, 0)
    # marketing after 21:00 waits for 08:00 the next morning ...
    assert check_at_send(NO_HOLDOUT, "pre_close_reminder", "marketing", at("2026-11-14 10:00"), facts,
                         at("2026-11-11 21:00")) == WAIT
    assert reopens_at(NO_HOLDOUT, "marketing", at("2026-11-11 21:00")) == at("2026-11-12 08:00")
    assert reopens_at(NO_HOLDOUT, "notice", at("2026-11-11 21:00")) == at("2026-11-11 21:00")
    # ... unless the order closes first
    assert check_at_send(NO_HOLDOUT, "pre_close_reminder", "marketing", at("2026-11-12 07:00"), facts,
                         at("2026-11-11 23:00")) == "remind.skip.closes_in_quiet_hours"


def test_no_orders_and_an_order_without_lines():
    assert len(plan(NO_HOLDOUT, [], "2026-11-11 10:00")) == 0
    d = plan(NO_HOLDOUT, [("o1", "b1", "2026-11-11 10:00", 29, [])], "2026-11-11 10:00")
    first = messages(d, "payment_reminder")
    assert [dict(m.variables)["item"] for m in first] == [""]
    assert list(d.skipped()) == []
