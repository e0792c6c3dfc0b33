"""`explain` agrees with `plan_reminders` on every order of random small cases, and reads as steps."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from dachu.domain.automation.remind import plan_reminders
from dachu.domain.automation.remind_explain import explain
from dachu.domain.automation.remind_inputs import ItemBook
from dachu.domain.campaign.remind import RemindItem, RemindSettings, Window
from dachu.i18n import t
from tests.domain.automation.cases import at, build

BASE = dt.datetime(2026, 11, 11)
BOOK = ItemBook({"A": "野菊蜜", "B": "枣花蜜"}, {"秒杀": ("B", "C")})
SKUS = ["A", "B", "C"]


def _stamp(minutes: int) -> str:
    return (BASE + dt.timedelta(minutes=minutes)).isoformat(sep=" ")


items = st.builds(
    RemindItem,
    sku=st.sampled_from([None, *SKUS]),
    activity=st.sampled_from([None, "秒杀"]),
    close_after_minutes=st.sampled_from([None, 20, 30, 90, 600, 2000]),
    offer=st.sampled_from([None, "加赠"]),
)


@st.composite
def windows(draw):
    start = draw(st.integers(0, 20 * 60))
    return Window(start=start, end=draw(st.integers(start + 1, 1440)))


remind_settings = st.builds(
    RemindSettings,
    first_after_minutes=st.sampled_from([0, 10, 45, 300]),
    before_close_minutes=st.sampled_from([1, 15, 120]),
    close_after_hours=st.sampled_from([1, 3, 72]),
    items=st.lists(items, max_size=3),
    min_amount=st.sampled_from([None, Decimal(10)]),
    max_amount=st.sampled_from([None, Decimal(300)]),
    skus=st.sampled_from([[], ["A"]]),
    exclude_skus=st.sampled_from([[], ["C"]]),
    blacklist=st.sampled_from([[], ["b2"]]),
    marketing_window=windows(),
    notice_window=windows(),
    holdout=st.sampled_from([Decimal(0), Decimal("0.4")]),
)

rows = st.lists(
    st.tuples(st.sampled_from(["b1", "b2", "b3", "b4", ""]), st.integers(0, 3 * 1440), st.integers(100, 50_000),
              st.lists(st.sampled_from(SKUS), max_size=3)),
    min_size=1, max_size=9,
)


@settings(max_examples=300, deadline=None)
@given(remind_settings, rows, st.integers(0, 4 * 1440),
       st.dictionaries(st.sampled_from(["b1", "b2", "b3"]), st.integers(-3 * 1440, 3 * 1440)),
       st.sets(st.sampled_from(["b1", "b2"])))
def test_explain_agrees_with_plan(remind, drawn, now_minutes, paid, opted_out):
    table = [(f"o{i}", buyer, _stamp(created), fen / 100, skus) for i, (buyer, created, fen, skus) in enumerate(drawn)]
    orders, facts = build(table, paid={b: _stamp(m) for b, m in paid.items()}, opted_out=opted_out)
    now = BASE + dt.timedelta(minutes=now_minutes)
    decisions = plan_reminders(remind, orders, facts, now, shop="店", book=BOOK)
    for i, order_id in enumerate(orders.order_ids):
        explained = explain(remind, orders, facts, now, order_id, book=BOOK)
        for kind, verdict in enumerate(explained.verdicts):
            assert (verdict.reason, verdict.send_at) == decisions.verdict(i, kind), (order_id, kind)
            row = int(decisions.order_message[kind, i])
            if row >= 0:
                assert decisions.message_key(row) == verdict.key
                assert order_id in decisions.order_ids_of(row)


def test_the_steps_of_a_deferred_merged_reminder_read_in_both_languages():
    table = [("o1", "b1", "2026-11-11 23:10", 29, ["A"]), ("o2", "b1", "2026-11-11 23:30", 29, ["A"])]
    orders, facts = build(table)
    e = explain(RemindSettings(holdout=0), orders, facts, at("2026-11-11 23:40"), "o2", book=BOOK)
    keys = [key for key, _ in e.steps]
    assert keys[:4] == ["remind.explain.order", "remind.explain.close_default", "remind.explain.first_due",
                        "remind.explain.deferred_notice"]
    assert "remind.explain.merged" in keys and keys.count("remind.rule.first") == 1
    assert e.verdicts[0].send_at == at("2026-11-12 08:00")
    assert e.verdicts[0].key == "payment_reminder:b1:2026-11-12"
    for key, params in e.steps:
        zh, en = t(key, "zh", **params), t(key, "en", **params)
        assert "{" not in zh and "{" not in en
    deferred = next(params for key, params in e.steps if key == "remind.explain.deferred_notice")
    # o2's first reminder is due 23:40, after the notice window's 22:00
    assert t("remind.explain.deferred_notice", "zh", **deferred) == (
        "2026-11-11 23:40 在通知类发送时段 08:00-22:00 之外，推迟到 2026-11-12 08:00")


def test_as_dict_is_plain_data():
    orders, facts = build([("o1", "b1", "2026-11-11 10:00", 29, ["A"])])
    d = explain(RemindSettings(holdout=0), orders, facts, at("2026-11-11 10:00"), "o1").as_dict()
    assert d["verdicts"][0] == {"kind": "payment_reminder", "reason": "remind.rule.first",
                                "key": "payment_reminder:b1:2026-11-11", "send_at": "2026-11-11 10:10:00"}
    assert d["steps"][0]["key"] == "remind.explain.order"
