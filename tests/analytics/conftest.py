"""A small hand-built store whose every figure is worked out by hand in tests/analytics/test_review_hand.py.

Event day 2026-11-11 (shop time). Buyers b1…b9, visitors v1…v3, agents `店:A1` and `B2`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dachu.analytics.review import build_review
from dachu.analytics.review_model import Review
from dachu.analytics.source import Source
from dachu.data.store import Store
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import Plan, make_plan

CAMPAIGN = """\
campaign: {name: hand, event_day: 2026-11-11}
goal: {metric: gmv, floor: 1000, stretch: 2000, resource_multiplier: 1}
store: {baseline_daily_uv: 100, baseline_conversion: 0.02, event_conversion: 0.05, baseline_aov: 50}
products:
  - {sku: A, name: Alpha, role: hero, list_price: 60, promo_price: 40, unit_cost: 10, goal_share: 0.6, stock: 3}
  - {sku: B, name: Beta, role: profit, list_price: 40, promo_price: 30, unit_cost: 5, platform_fee_rate: 0.1,
     goal_share: 0.4, stock: 100}
channels:
  - {name: Search, kind: cpc, cpc: 1.0, budget: 100}
service:
  inquiry_rate: 0.05
  handle_seconds: 180
  chats_per_agent: 3
  shrinkage: 0.3
  agents: {presale: 2, aftersale: 1}
"""

T = "2026-11-11 "
ORDERS: list[dict[str, Any]] = [
    # event day: o1 paid after 1 min, shipped 10 h later, Beijing
    dict(
        order_id="o1",
        buyer_key="b1",
        created_at=T + "00:10:00",
        paid_at=T + "00:11:00",
        shipped_at=T + "10:11:00",
        paid_amount="100.00",
        city="北京市",
    ),
    # o2 paid after 70 min (after a reminder), shipped 34.5 h later, refunded in full after shipping, Shanghai
    dict(
        order_id="o2",
        buyer_key="b2",
        created_at=T + "00:20:00",
        paid_at=T + "01:30:00",
        shipped_at="2026-11-12 12:00:00",
        paid_amount="50.00",
        refund_amount="50.00",
        city="上海市",
    ),
    # o3 paid after 5 min, shipped 4 days later, Chengdu
    dict(
        order_id="o3",
        buyer_key="b1",
        created_at=T + "20:00:00",
        paid_at=T + "20:05:00",
        shipped_at="2026-11-15 20:05:00",
        paid_amount="30.50",
        city="成都市",
    ),
    dict(order_id="o4", buyer_key="b3", created_at=T + "21:00:00", paid_amount="0.00"),  # never paid
    # o5 placed on the day, paid the next morning (11 h: after a reminder), shipped 11-13
    dict(
        order_id="o5",
        buyer_key="b4",
        created_at=T + "22:00:00",
        paid_at="2026-11-12 09:00:00",
        shipped_at="2026-11-13 09:00:00",
        paid_amount="80.00",
    ),
    dict(order_id="o6", buyer_key="b3", created_at=T + "23:00:00", paid_amount="0.00"),  # never paid
    # history
    dict(
        order_id="o7",
        buyer_key="b1",
        created_at="2026-05-01 10:00:00",
        paid_at="2026-05-01 10:00:00",
        shipped_at="2026-05-02 10:00:00",
        paid_amount="200.00",
    ),
    dict(
        order_id="o8",
        buyer_key="b2",
        created_at="2025-06-01 10:00:00",
        paid_at="2025-06-01 10:00:00",
        shipped_at="2025-06-02 10:00:00",
        paid_amount="40.00",
    ),
    dict(
        order_id="o9",
        buyer_key="b5",
        created_at="2025-11-11 12:00:00",
        paid_at="2025-11-11 12:00:00",
        shipped_at="2025-11-12 12:00:00",
        paid_amount="60.00",
    ),  # last year's event day
    dict(
        order_id="o12",
        buyer_key="b6",
        created_at="2026-08-01 12:00:00",
        paid_at="2026-08-01 12:00:00",
        shipped_at="2026-08-02 12:00:00",
        paid_amount="50.00",
    ),
    # after the event
    dict(
        order_id="o10",
        buyer_key="b2",
        created_at="2026-11-20 10:00:00",
        paid_at="2026-11-20 10:00:00",
        shipped_at="2026-11-20 18:00:00",
        paid_amount="20.00",
    ),
    dict(
        order_id="o11",
        buyer_key="b9",
        created_at="2027-01-20 10:00:00",
        paid_at="2027-01-20 10:00:00",
        paid_amount="10.00",
    ),  # stretches the data past the 60-day repurchase window
]
LINES = [  # (order, line, sku, unit price, quantity)
    ("o1", 1, "A", "40.00", 2),
    ("o1", 2, "B", "20.00", 1),
    ("o2", 1, "A", "50.00", 1),
    ("o3", 1, "B", "30.50", 1),
    ("o4", 1, "A", "40.00", 1),
]
TRAFFIC = [  # (hour, source, visitors, page views)
    (T + "00:00:00", "Search", 30, 90),
    (T + "00:00:00", "organic", 10, 20),
    (T + "20:00:00", "organic", 60, 100),
]
EVENTS = [  # (visitor, item, behaviour, time)
    ("v1", "X", "pv", T + "00:01:00"),
    ("v1", "X", "fav", T + "00:02:00"),
    ("v2", "Y", "pv", T + "10:00:00"),
    ("v2", "Y", "cart", T + "10:01:00"),
    ("v3", "X", "pv", T + "12:00:00"),
    ("v1", "X", "pv", "2026-11-08 09:00:00"),  # v1 visited 3 days before: returning
    ("v3", "X", "pv", "2026-11-01 09:00:00"),  # v3 10 days before: new
]
SESSIONS = [  # (id, agent, buyer, started, first response, replies, order, sum of the reply waits in seconds)
    ("s1", "店:A1", "b1", T + "00:05:00", T + "00:05:10", 3, "o1", 90.0),  # waits 10 + 30 + 50
    ("s2", "店:A1", "b3", T + "20:50:00", T + "20:50:30", 2, None, 70.0),  # waits 30 + 40
    ("s3", "B2", "b2", T + "00:15:00", T + "00:15:20", 4, "o2", None),  # an export without response times
]
COMPLAINTS = [  # (case, order, buyer, opened, kind, reason, status)
    ("c1", "o2", "b2", "2026-11-13 10:00:00", "维权", "退款纠纷", "已完结"),
    ("c2", "o2", "b2", "2026-11-14 10:00:00", "投诉", "服务态度", "处理中"),  # a second case on o2
    ("c3", "o3", "b1", "2026-11-15 10:00:00", "投诉", "延迟发货", "已完结"),
    ("c4", "o5", "b4", "2026-11-16 10:00:00", "投诉", "描述不符", "已完结"),  # o5 was paid on 11-12
    ("c5", None, "b7", "2026-11-16 11:00:00", "投诉", "服务态度", "已完结"),  # about no order
]
RATINGS = [  # (order, buyer, rated, description, service, logistics); the latest is 11-25: window 05-30…11-25
    ("o1", "b1", "2026-11-14 09:00:00", 5, 5, 5),
    ("o2", "b2", "2026-11-15 09:00:00", 2, 3, 4),
    ("o3", "b1", "2026-11-20 09:00:00", 5, 4, None),
    ("o7", "b1", "2026-05-01 09:00:00", 1, 1, 1),  # before the 180-day window
    ("o10", "b2", "2026-11-25 09:00:00", 4, 4, 4),
    ("o12", "b6", "2026-08-02 09:00:00", 3, None, 3),
    ("o9", None, "2026-09-01 09:00:00", 1, 1, 1),  # no buyer: in the item means, not among the buyers
]


def fill(store: Store) -> None:
    """Insert the hand-built rows."""
    con = store.con
    for o in ORDERS:
        row = {"platform": "taobao", "status": "paid" if o.get("paid_at") else "closed", "refund_amount": "0.00", **o}
        cols = ", ".join(row)
        con.execute(f"INSERT INTO orders ({cols}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))
    for oid, n, sku, price, qty in LINES:
        con.execute(
            "INSERT INTO order_lines (platform, order_id, line_no, sku, unit_price, quantity) "
            "VALUES ('taobao', ?, ?, ?, ?, ?)",
            [oid, n, sku, price, qty],
        )
    for hour, source, uv, pv in TRAFFIC:
        con.execute("INSERT INTO traffic (hour, source, visitors, page_views, buyers) VALUES (?, ?, ?, ?, 0)",
                    [hour, source, uv, pv])
    for v, item, what, at in EVENTS:
        con.execute("INSERT INTO behaviour_events VALUES (?, ?, 'c', ?, ?)", [v, item, what, at])
    con.execute("INSERT INTO ad_spend VALUES ('2026-11-11', 'Search', '', 12.00, 1000, 30, 1, 100.00)")
    for s in SESSIONS:
        con.execute(
            "INSERT INTO cs_sessions (session_id, agent, buyer_key, started_at, first_response_at, replies, "
            "order_id, reply_wait_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            list(s),
        )
    for c in COMPLAINTS:
        con.execute(
            "INSERT INTO complaints (complaint_id, platform, order_id, buyer_key, opened_at, kind, reason, status) "
            "VALUES (?, 'taobao', ?, ?, ?, ?, ?, ?)",
            list(c),
        )
    for r in RATINGS:
        con.execute("INSERT INTO dsr_ratings VALUES ('taobao', ?, ?, ?, ?, ?, ?)", list(r))


@pytest.fixture(scope="module")
def hand_plan() -> Plan:
    return make_plan(parse_campaign(CAMPAIGN, "hand.yaml"))


@pytest.fixture(scope="module")
def hand_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hand") / "hand.duckdb"
    with Store.open(path) as store:
        fill(store)
    return path


@pytest.fixture(scope="module")
def hand_source(hand_store: Path) -> Iterator[Source]:
    with Source.open(hand_store) as src:
        yield src


@pytest.fixture(scope="module")
def hand_review(hand_source: Source, hand_plan: Plan) -> Review:
    return build_review(hand_source, hand_plan)
