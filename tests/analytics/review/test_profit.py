"""Profit after everything (issue #15): a small export plus ad spend, its profit worked out by hand.

Event day 2026-11-11; the campaign's days run from 10-10 to 11-20, so 11-10's sales are the campaign's only.

    orders                       paid      refund  lines
    p1  11-11 10:00             100.00       0     A 40 × 2, T 10 × 2
    p2  11-11 11:00              40.00   40.00     A 40 × 1
    p3  11-10 09:00               9.00       0     T 10 × 1 (a coupon off)
    p4  11-11 12:00 never paid    0.00       0     A 40 × 1

    A: cost 10, shipping 3, platform fee 5%;  T: cost 6, no shipping, no fee; one promotion "Live 1" on T
    of 1 planned order: commission 30% × 10 + fee 1 = 4.00 an order, gift 2.00.
    ad spend 11-11: Search (cpc) 25.00, Taoke (cps) 8.00, Slot (flat) 30.00, SMS (sms) 3.00; 11-10: Search 5.00
    outbox: a sent message 11-11 (0.10), a failed one 11-11 (0.05, not paid for), a sent one 11-10 (0.05).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from dachu.analytics.review import build_review
from dachu.analytics.review_model import Review
from dachu.analytics.source import Source
from dachu.data.store import Store
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import make_plan
from dachu.report.review_html import render_html
from dachu.report.review_json import review_dict

CAMPAIGN = """\
campaign: {name: profit, event_day: 2026-11-11}
goal: {metric: profit, floor: 100, stretch: 200, resource_multiplier: 1}
store: {baseline_daily_uv: 100, baseline_conversion: 0.02, event_conversion: 0.05, baseline_aov: 50}
products:
  - {sku: A, name: Alpha, role: hero, list_price: 60, promo_price: 40, unit_cost: 10, shipping_cost: 3,
     platform_fee_rate: 0.05, goal_share: 1}
  - {sku: T, name: Tee, role: traffic, list_price: 20, promo_price: 10, unit_cost: 6, planned_orders: 10}
channels:
  - {name: Search, kind: cpc, cpc: 1.0, budget: 100}
  - {name: Taoke, kind: cps, commission: 0.2, budget: 50}
  - {name: Slot, kind: flat, fee: 30, visitors: 100}
  - {name: SMS, kind: sms, cost_per_message: 0.05, click_rate: 0.05, budget: 10}
promotions:
  - {name: Live 1, sku: T, list_price: 20, coupon: 10, promo_price: 10, commission: 0.3, service_fee: 1,
     gift_cost: 2, unit_cost: 6, planned_orders: 1}
"""

ORDERS = [  # (order, paid_at, paid, refund)
    ("p1", "2026-11-11 10:00:00", "100.00", "0.00"),
    ("p2", "2026-11-11 11:00:00", "40.00", "40.00"),
    ("p3", "2026-11-10 09:00:00", "9.00", "0.00"),
    ("p4", None, "0.00", "0.00"),
]
LINES = [("p1", 1, "A", "40.00", 2), ("p1", 2, "T", "10.00", 2), ("p2", 1, "A", "40.00", 1),
         ("p3", 1, "T", "10.00", 1), ("p4", 1, "A", "40.00", 1)]
ADS = [("2026-11-11", "Search", "25.00"), ("2026-11-11", "Taoke", "8.00"), ("2026-11-11", "Slot", "30.00"),
       ("2026-11-11", "SMS", "3.00"), ("2026-11-10", "Search", "5.00")]
OUTBOX = [("m1", "sent", "2026-11-11 10:30:00", "0.10"), ("m2", "failed", "2026-11-11 10:31:00", "0.05"),
          ("m3", "sent", "2026-11-10 10:30:00", "0.05")]


def _fill(store: Store, *, extra_sku: str | None = None) -> None:
    con = store.con
    for oid, paid_at, paid, refund in ORDERS:
        con.execute(
            "INSERT INTO orders (platform, order_id, buyer_key, status, created_at, paid_at, paid_amount, "
            "refund_amount) VALUES ('taobao', ?, ?, ?, ?, ?, ?, ?)",
            [oid, "b" + oid, "paid" if paid_at else "closed", paid_at or "2026-11-11 12:00:00", paid_at, paid, refund],
        )
    lines = LINES + ([("p1", 3, extra_sku, "5.00", 1)] if extra_sku else [])
    for oid, n, sku, price, qty in lines:
        con.execute(
            "INSERT INTO order_lines (platform, order_id, line_no, sku, unit_price, quantity) "
            "VALUES ('taobao', ?, ?, ?, ?, ?)",
            [oid, n, sku, price, qty],
        )
    for day, channel, spend in ADS:
        con.execute("INSERT INTO ad_spend VALUES (?, ?, '', ?, 100, 10, 1, 10.00)", [day, channel, spend])
    for i, (key, state, called, cost) in enumerate(OUTBOX, start=1):
        con.execute(
            "INSERT INTO outbox (key, seq, kind, recipient, channel, not_before, state, attempts, called_at, cost) "
            "VALUES (?, ?, 'payment_reminder', 'b', 'sms', ?, ?, 0, ?, ?)",
            [key, i, called, state, called, cost],
        )


def _review(tmp: Path, **kw: str) -> Review:
    path = tmp / "p.duckdb"
    with Store.open(path) as store:
        _fill(store, **kw)
    with Source.open(path) as src:
        return build_review(src, make_plan(parse_campaign(CAMPAIGN, "p.yaml")), calibrate=False)


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Review]:
    yield _review(tmp_path_factory.mktemp("profit"))


def test_event_day_profit_after_everything_by_hand(review: Review) -> None:
    p = review.profit
    assert p is not None
    day = p.event_day
    assert day.gmv_paid == Decimal("140.00")  # p1 100 + p2 40 (p3 was paid the day before, p4 never)
    assert day.line("refunds") == Decimal("40.00")  # p2
    assert day.line("product_cost") == Decimal("42.00")  # A 3 × 10 + T 2 × 6
    assert day.line("shipping") == Decimal("9.00")  # A 3 × 3
    assert day.line("platform_fees") == Decimal("6.00")  # A sales (80 + 40) × 5%
    assert day.line("commissions") == Decimal("12.00")  # Taoke 8.00 + Live 1: 1 order × (0.3 × 10 + 1)
    assert day.line("ad_spend") == Decimal("25.00")  # Search
    assert day.line("offers") == Decimal("2.00")  # Live 1's gift on its 1 order
    assert day.line("flat_fees") == Decimal("30.00")  # Slot
    assert day.line("message_costs") == Decimal("3.10")  # SMS 3.00 + m1 0.10 (m2 failed)
    # 140 − (40 + 42 + 9 + 6 + 12 + 25 + 2 + 30 + 3.10 = 169.10) = −29.10
    assert day.net == Decimal("-29.10")
    assert (p.floor.goal, p.floor.goal_met, p.floor.gap) == (Decimal("100.00"), False, Decimal("-129.10"))
    assert (p.stretch.goal, p.stretch.goal_met, p.stretch.gap) == (Decimal("200.00"), False, Decimal("-229.10"))


def test_campaign_profit_by_hand(review: Review) -> None:
    # adds 11-10: p3 9.00, T 1 more unit (cost 6), Search 5.00, m3 0.05; Live 1 still brought its 1 order
    # 149 − (40 + 48 + 9 + 6 + 12 + 30 + 2 + 30 + 3.15 = 180.15) = −31.15
    camp = review.profit.campaign  # type: ignore[union-attr]
    assert camp.gmv_paid == Decimal("149.00")
    assert camp.line("product_cost") == Decimal("48.00")
    assert camp.line("ad_spend") == Decimal("30.00")
    assert camp.line("message_costs") == Decimal("3.15")
    assert camp.net == Decimal("-31.15")


def test_profit_section_tables_by_product_and_channel(review: Review) -> None:
    s = review.section("profit")
    by_product = {r[0]: r for r in next(t for t in s.tables if t.id == "by_product").rows}
    # A: sales 120 − cost 30 − shipping 9 − fee 6 = 75; T: 20 − 12 − 0 − 0 − commission 4 − gift 2 = 2
    assert by_product["A"][-1] == Decimal("75.00")
    assert by_product["T"][-1] == Decimal("2.00")
    by_channel = {r[0]: r for r in next(t for t in s.tables if t.id == "by_channel").rows}
    assert by_channel["Taoke"][1:3] == ("metric.profit_commissions.name", Decimal("8.00"))
    assert by_channel["Slot"][1:3] == ("metric.profit_flat_fees.name", Decimal("30.00"))
    assert s.figures[0].actual == Decimal("-29.10")
    assert (s.figures[0].floor, s.figures[0].stretch) == (Decimal("100.00"), Decimal("200.00"))


def test_review_json_has_a_profit_section_and_keeps_its_keys(review: Review) -> None:
    d = review_dict(review)
    assert {"schema_version", "campaign", "event_day", "source", "sections", "calibrated_yaml"} <= set(d)
    p = d["profit"]
    assert (p["net"], p["goal"], p["goal_met"], p["gap"]) == ("-29.10", "100.00", False, "-129.10")
    assert p["refunds"] == "40.00" and p["commissions"] == "12.00" and p["message_costs"] == "3.10"
    assert p["stretch"] == {"goal": "200.00", "goal_met": False, "gap": "-229.10"}
    assert p["campaign"]["net"] == "-31.15"
    assert "profit" in [s["id"] for s in d["sections"]]


def test_a_product_without_a_cost_makes_the_profit_unknown_never_zero(tmp_path: Path) -> None:
    review = _review(tmp_path, extra_sku="Z")
    p = review.profit
    assert p is not None
    assert p.event_day.line("product_cost") is None
    assert p.event_day.net is None
    assert (p.floor.goal_met, p.floor.gap) == (None, None)
    assert review_dict(review)["profit"]["net"] is None
    html = render_html(review, "zh")
    assert "review.note.profit_unknown" not in html
    assert "净利润未知" in html
