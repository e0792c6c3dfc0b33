"""Every review metric on the hand-built store (tests/analytics/conftest.py), answers worked out by hand.

Event-day payments (by paid_at on 2026-11-11): o1 100.00 (b1, 00:11), o2 50.00 (b2, 01:30), o3 30.50
(b1, 20:05). o5 was placed on the day but paid on 11-12; o4 and o6 were never paid.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dachu.analytics.review_model import Review, Section
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import Plan


def figures(section: Section) -> dict[str, Any]:
    return {f.id: f.actual for f in section.figures}


def table(section: Section, table_id: str) -> list[dict[str, Any]]:
    tb = next(t for t in section.tables if t.id == table_id)
    return [dict(zip((c.id for c in tb.columns), row, strict=True)) for row in tb.rows]


def test_headline(hand_review: Review, hand_plan: Plan) -> None:
    f = figures(hand_review.section("headline"))
    assert f["gmv_paid"] == Decimal("180.50")  # 100 + 50 + 30.50
    assert f["orders_placed"] == 6  # o1..o6 created on the day
    assert f["orders_paid"] == 3  # o1, o2, o3
    assert f["paying_buyers"] == 2  # b1, b2
    assert f["aov"] == Decimal("90.25")  # 180.50 / 2 buyers
    assert f["visitors"] == 100  # 30 + 10 + 60
    assert f["conversion"] == pytest.approx(0.02)  # 2 buyers / 100 visitors
    assert f["pv_per_visitor"] == pytest.approx(2.1)  # (90 + 20 + 100) / 100
    gmv = hand_review.section("headline").figures[0]
    assert gmv.floor == hand_plan.scenario("floor", "seed").gmv  # net of spend is unreachable here
    assert gmv.previous == Decimal("60.00")  # o9 on 2025-11-11


def test_day_table_spans_the_plan(hand_review: Review) -> None:
    rows = table(hand_review.section("headline"), "by_day")
    assert rows[0]["day"] == dt.date(2026, 10, 10) and rows[-1]["day"] == dt.date(2026, 11, 20)
    by_day = {r["day"]: r for r in rows}
    assert by_day[dt.date(2026, 11, 12)]["gmv_paid"] == Decimal("80.00")  # o5 paid on 11-12
    assert by_day[dt.date(2026, 11, 20)]["orders_paid"] == 1  # o10


def test_hourly_and_pace(hand_review: Review) -> None:
    rows = table(hand_review.section("hourly"), "by_hour")
    assert [r["gmv_paid"] for r in rows if r["gmv_paid"]] == [Decimal("100.00"), Decimal("50.00"), Decimal("30.50")]
    assert rows[0]["visitors"] == 40 and rows[20]["visitors"] == 60
    assert rows[0]["orders_placed"] == 2  # o1 00:10, o2 00:20
    assert rows[23]["cumulative_gmv"] == Decimal("180.50")
    assert rows[1]["cumulative_share"] == pytest.approx(150 / 180.5)
    assert rows[23]["floor_pace"] == rows[23]["floor_pace"].quantize(Decimal("0.01"))


def test_funnel(hand_review: Review) -> None:
    f = figures(hand_review.section("funnel"))
    assert f["favouriters"] == 1 and f["cart_adders"] == 1  # v1 fav, v2 cart
    assert f["unpaid_share"] == pytest.approx(2 / 6)  # o4, o6 never paid of 6 placed
    # not paid within 30 min: o2 (70 min), o4, o5 (11 h), o6 = 4; of them paid: o2, o5
    assert f["paid_after_reminder"] == pytest.approx(2 / 4)
    assert f["returning_visitor_share"] == pytest.approx(1 / 3)  # v1 of v1, v2, v3
    assert f["items_viewed"] == 2  # X, Y
    chart = hand_review.section("funnel").charts[0]
    assert chart.series[0].values == (100, 2, 6, 3)  # visitors, engaged (v1, v2), placed, paid


def test_channels(hand_review: Review) -> None:
    row = next(r for r in table(hand_review.section("channels"), "channels") if r["channel"] == "Search")
    assert row["spend"] == Decimal("12.00")
    assert row["visitors"] == 30
    assert row["attributed_orders"] == 1
    assert row["roi"] == pytest.approx(100 / 12)
    assert row["cost_per_order"] == Decimal("12.00")
    assert row["ctr"] == pytest.approx(0.03)  # 30 / 1000
    assert row["cost_per_click"] == Decimal("0.40")  # 12 / 30


def test_products(hand_review: Review) -> None:
    rows = {r["sku"]: r for r in table(hand_review.section("products"), "products")}
    a, b = rows["A"], rows["B"]
    assert (a["units_sold"], a["product_sales"]) == (3, Decimal("130.00"))  # 2 × 40 + 1 × 50 (o4 unpaid)
    assert a["sell_through"] == pytest.approx(1.0)  # 3 of 3
    assert a["sell_out_hour"] == 1  # 2 units by hour 0, the 3rd at 01:30
    assert a["margin_after_promotion"] == Decimal("100.00")  # 130 − 3 × 10
    assert (b["units_sold"], b["product_sales"]) == (2, Decimal("50.50"))
    assert b["sell_out_hour"] is None
    assert b["margin_after_promotion"] == Decimal("35.45")  # 50.50 × 0.9 − 2 × 5
    assert a["sales_share"] == pytest.approx(130 / 180.5)
    roles = {r["role"]: r for r in table(hand_review.section("products"), "roles")}
    assert roles["profit"]["product_sales"] == Decimal("50.50")


def test_service(hand_review: Review) -> None:
    section = hand_review.section("service")
    agents = {r["agent"]: r for r in table(section, "agents")}
    a1, b2 = agents["A1"], agents["B2"]  # the shop prefix of 店:A1 is dropped
    assert (a1["cs_sessions"], a1["cs_buyers"]) == (2, 2)  # b1, b3
    assert a1["inquiry_conversion"] == pytest.approx(0.5)  # b1 paid, b3 did not
    assert (a1["cs_sales"], a1["cs_aov"]) == (Decimal("100.00"), Decimal("100.00"))  # o1
    assert a1["first_response_seconds"] == pytest.approx(20.0)  # (10 + 30) / 2
    assert a1["avg_response_seconds"] == pytest.approx(32.0)  # (90 + 70) s of waits / (3 + 2) replies
    assert b2["avg_response_seconds"] is None  # s3 gives no response times
    assert b2["cs_refund_amount"] == Decimal("50.00")  # o2 refunded
    f = figures(section)
    assert f["cs_sessions"] == 3
    assert f["inquiry_conversion"] == pytest.approx(2 / 3)
    assert f["cs_sales"] == Decimal("150.00")
    assert f["cs_sales_share"] == pytest.approx(150 / 180.5)
    assert f["first_response_seconds"] == pytest.approx(20.0)  # (10 + 30 + 20) / 3
    assert f["avg_response_seconds"] == pytest.approx(32.0)  # s3's 4 replies left out: 160 s / 5 replies
    assert section.notes == ()  # response times are there


def test_logistics(hand_review: Review) -> None:
    section = hand_review.section("logistics")
    f = figures(section)
    assert f["shipped_within_24h"] == pytest.approx(1 / 3)  # o1 (10 h)
    assert f["shipped_within_48h"] == pytest.approx(2 / 3)  # o1, o2 (34.5 h)
    assert f["shipped_within_7d"] == pytest.approx(1.0)  # o3 after 4 days
    assert f["priority_within_2d"] == pytest.approx(1.0)  # Beijing o1 and Shanghai o2 both within 48 h
    backlog = {r["day"]: r["backlog"] for r in table(section, "backlog")}
    # paid since 10-10: 11-11 o1 o2 o3, 11-12 o5, 11-20 o10; shipped 11-11 o1, 11-12 o2, 11-13 o5, 11-15 o3,
    # 11-20 o10
    assert backlog[dt.date(2026, 11, 11)] == 2
    assert backlog[dt.date(2026, 11, 12)] == 2
    assert backlog[dt.date(2026, 11, 13)] == 1
    assert backlog[dt.date(2026, 11, 15)] == 0
    assert max(backlog) == dt.date(2026, 11, 20)


def test_after_sale(hand_review: Review) -> None:
    f = figures(hand_review.section("after_sale"))
    assert f["refund_rate"] == pytest.approx(1 / 3)  # o2 of o1..o3
    assert f["refund_amount"] == Decimal("50.00")
    # event-day paid orders o1, o2, o3; o2 (two cases) and o3 drew complaints; c4 is about o5 (paid 11-12)
    # and c5 about no order: 2 / 3
    assert f["complaint_rate"] == pytest.approx(2 / 3)
    # ratings of 05-30…11-25 (the latest rating's day): o1, o2, o3, o10, o12, o9 (o7's is older)
    # description 5, 2, 5, 4, 3, 1 = 20 / 6; service 5, 3, 4, 4, 1 = 17 / 5; logistics 5, 4, 4, 3, 1 = 17 / 5
    assert f["dsr"] == pytest.approx((20 / 6 + 17 / 5 + 17 / 5) / 3)
    # per buyer, all scores in the window: b1 (5 5 5, 5 4) 24/5 = 4.8; b2 (2 3 4, 4 4 4) 21/6 = 3.5;
    # b6 (3, 3) = 3; o9's rating has no buyer: b2 and b6 are below 4
    assert f["dsr_low_score_buyers"] == 2
    section = hand_review.section("after_sale")
    assert [k for k, _ in section.notes] == ["review.note.dsr_window"]
    assert section.notes[0][1] == {"first": dt.date(2026, 5, 30), "last": dt.date(2026, 11, 25)}
    cases = {(r["complaint_kind"], r["complaint_reason"]): r for r in table(section, "complaints")}
    assert set(cases) == {("维权", "退款纠纷"), ("投诉", "服务态度"), ("投诉", "延迟发货")}  # c1, c2, c3
    assert all(r["complaints"] == 1 and r["share_of_orders_paid"] == pytest.approx(1 / 3) for r in cases.values())
    items = {r["dsr_item"]: r for r in table(section, "dsr")}
    d = items["review.dsr_item.description"]
    assert (d["dsr_mean"], d["ratings"]) == (pytest.approx(20 / 6), 6)
    assert d["share_5"] == pytest.approx(2 / 6) and d["share_1_3"] == pytest.approx(3 / 6)  # 5 5; 2 3 1
    lg = items["review.dsr_item.logistics"]
    assert lg["ratings"] == 5 and lg["share_5"] == pytest.approx(1 / 5) and lg["share_1_3"] == pytest.approx(2 / 5)


def test_customers(hand_review: Review) -> None:
    section = hand_review.section("customers")
    f = figures(section)
    # b1 paid on 2026-05-01 (within 365 days): returning; b2 last paid 2025-06-01 (529 days before): new
    assert (f["new_buyers"], f["returning_buyers"]) == (1, 1)
    rep = {r["cohort"]: r for r in table(section, "repurchase")}
    # b2 (new) paid again on 11-20, 8 days after the event day ended; b1 (returning) never again
    assert rep["review.cohort.new"]["repurchase_15d"] == pytest.approx(1.0)
    assert rep["review.cohort.new"]["repurchase_60d"] == pytest.approx(1.0)
    assert rep["review.cohort.returning"]["repurchase_30d"] == pytest.approx(0.0)


def test_rfm_segments_with_ties(hand_review: Review) -> None:
    # Buyers paying in the 365 days to 11-12 00:00: b1 (3 orders, 330.50, last 11-11), b2 (1, 50.00, last
    # 11-11), b6 (1, 50.00, last 08-01: 102 days). n = 3.
    # R: b1, b2 tie at 0 days → k = 3 → 5; b6 k = 1 → ceil(5/3) = 2.
    # F: b1 → 5; b2, b6 tie at 1 → k = 2 → ceil(10/3) = 4.  M: b1 → 5; b2, b6 tie at 50 → 4.
    # Segments: b1 (5,5,5) champions; b2 (5,4,4) champions; b6 (2,4,4) at_risk.
    rows = {r["segment"]: r for r in table(hand_review.section("customers"), "rfm")}
    assert rows["review.rfm.champions"]["buyers"] == 2
    assert rows["review.rfm.champions"]["monetary"] == Decimal("380.50")
    assert rows["review.rfm.at_risk"]["buyers"] == 1
    assert rows["review.rfm.loyal"]["buyers"] == 0


def test_calibration_measures_the_data(hand_review: Review) -> None:
    assert hand_review.calibrated_yaml is not None
    c = parse_campaign(hand_review.calibrated_yaml, "calibrated.yaml")
    assert c.campaign.event_day == dt.date(2027, 11, 11)
    assert c.store.event_conversion == Decimal("0.02")  # 2 buyers / 100 visitors
    assert c.channels[0].cpc == Decimal("0.40")  # type: ignore[union-attr]  # 12.00 / 30 clicks
    assert c.service is not None and c.service.inquiry_rate == Decimal("0.03")  # 3 chatting buyers / 100
    m = c.measured
    assert m is not None
    assert m.unpaid_rate == Decimal("0.3333")  # 2 / 6
    assert m.recovery_rate == Decimal("0.5")  # 2 / 4
    # orders paid per hour: 1 at 0, 1 at 1, 1 at 20; the leftover 0.0001 goes to the first hour
    assert m.hour_order_shares is not None
    assert (m.hour_order_shares[0], m.hour_order_shares[1], m.hour_order_shares[20]) == (
        Decimal("0.3334"),
        Decimal("0.3333"),
        Decimal("0.3333"),
    )
    assert m.hour_visitor_shares is not None and m.hour_visitor_shares[20] == Decimal("0.6")  # 60 / 100
    # the day profile: 11-12 has no traffic row, so no segment; the event day is never a segment
    assert c.daily_profile is None or all(s.from_day != 0 for s in c.daily_profile)


def test_no_personal_data_in_the_review(hand_review: Review) -> None:
    from dachu.report.review_json import review_dict

    text = repr(review_dict(hand_review))
    for secret in ("b1", "b2", "b3", "b6", "v1", "o1", "s1"):
        assert f"'{secret}'" not in text


def test_every_label_is_a_catalogue_key(hand_review: Review) -> None:
    from dachu.i18n import has

    keys: set[str] = set()
    for s in hand_review.sections:
        keys |= {s.key, *(f.key for f in s.figures), *(k for k, _ in s.notes)}
        for tb in s.tables:
            keys |= {tb.key, *(c.key for c in tb.columns)}
            for i, c in enumerate(tb.columns):
                if c.labels:
                    keys |= {str(row[i]) for row in tb.rows}
        for ch in s.charts:
            keys |= {ch.key, ch.x.key, *(x.key for x in ch.series)}
            if ch.x.labels:
                keys |= {str(x) for x in ch.x_values}
    assert sorted(k for k in keys if not has(k)) == []
