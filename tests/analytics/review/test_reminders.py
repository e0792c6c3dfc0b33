"""The payment-reminder section (催付), measured from the outbox against the holdout, worked out by hand.

The store (event day 2026-11-11, the hand campaign's default `remind:` settings: first reminder 10 min after
placing, before-close 15 min before the 72 h close, holdout 5%):

- 10 reminded orders r0…r9 of 10 buyers outside the holdout, placed 10:00, ¥100.00 each (¥1,000.00), each
  named by a sent first reminder called at 10:10 (1 segment, ¥0.05): r0–r2 paid 10:30, r3 paid 11-14 09:50
  (after both reminders), r4 paid 10:09:30 (before the call: not "after"), r5–r9 never paid → 4 / 10;
- before-close reminders about r3 and r5, called 11-14 09:45 (2 segments, ¥0.10 each) → 1 / 2;
- one failed first reminder (a provider code) and two skipped (remind.skip.paid) for other buyers' orders;
  a sent reminder about an order placed 11-10 (another day: not counted);
- 40 holdout orders h0…h39 (¥50.00) of 40 held-out buyers placed 12:00 and unpaid at 12:10: h0–h6 paid
  12:30, h7 paid 11-14 11:50 → 8 / 40; besides, held-out orders paid 12:05 and at 12:10 exactly (paid by
  the moment a reminder was due: not candidates). Before close (11-14 11:45) 33 are unpaid, 1 pays later.

lift = 0.4 − 0.2 = 20 pp; recovered = 0.2 × ¥1,000.00 = ¥200.00; cost ¥0.50 + ¥0.20 = ¥0.70; ROI 200 / 0.7.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from dachu.analytics.review import build_review
from dachu.analytics.review.reminders import MIN_HOLDOUT_ORDERS, lift_interval, recovered_gmv
from dachu.analytics.review_model import Review
from dachu.analytics.source import Source
from dachu.data.store import Store
from dachu.domain.automation.holdout import in_holdout
from dachu.domain.plan.plan import Plan
from dachu.i18n import t
from dachu.report.review_html import render_html
from dachu.report.review_json import review_dict
from dachu.report.review_xlsx import write_review_xlsx
from tests.analytics.review.tables import figures, table

D = "2026-11-11 "
Z = 1.959963984540054  # the normal distribution's 97.5% quantile


def _buyers(plan: Plan, held: bool, n: int, prefix: str) -> list[str]:
    settings = plan.campaign.remind
    out = []
    i = 0
    while len(out) < n:
        key = f"{prefix}{i:05d}"
        if in_holdout(settings, key) == held:
            out.append(key)
        i += 1
    return out


def _order(con: Any, oid: str, buyer: str, created: str, paid: str | None, amount: str) -> None:
    con.execute(
        "INSERT INTO orders (platform, order_id, buyer_key, status, created_at, paid_at, total_amount, paid_amount) "
        "VALUES ('taobao', ?, ?, ?, ?, ?, ?, ?)",
        [oid, buyer, "paid" if paid else "unpaid", created, paid, amount, amount if paid else "0"],
    )


def _message(con: Any, key: str, kind: str, buyer: str, orders: list[str], state: str, *, called: str | None = None,
             reason: str | None = None, segments: int | None = None, cost: str | None = None) -> None:
    con.execute(
        "INSERT INTO outbox (key, seq, kind, recipient, channel, order_ids, not_before, state, state_reason, "
        "attempts, called_at, finished_at, sent_order_ids, segments, cost) "
        "VALUES (?, (SELECT count(*) + 1 FROM outbox), ?, ?, 'sms', ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
        [key, kind, buyer, orders, called or D + "10:10:00", state, reason, called, called,
         orders if state == "sent" else None, segments, cost],
    )


def fill(store: Store, plan: Plan) -> list[str]:
    """The store of the module docstring; returns every buyer key (none may reach the report)."""
    con = store.con
    out = _buyers(plan, False, 14, "r")
    held = _buyers(plan, True, 42, "h")
    paid = {0: D + "10:30:00", 1: D + "10:30:00", 2: D + "10:30:00", 3: "2026-11-14 09:50:00", 4: D + "10:09:30"}
    for i in range(10):
        _order(con, f"r{i}", out[i], D + "10:00:00", paid.get(i), "100.00")
        _message(con, f"payment_reminder:{out[i]}", "payment_reminder", out[i], [f"r{i}"], "sent",
                 called=D + "10:10:00", segments=1, cost="0.05")
    for i in (3, 5):
        _message(con, f"pre_close_reminder:{out[i]}", "pre_close_reminder", out[i], [f"r{i}"], "sent",
                 called="2026-11-14 09:45:00", segments=2, cost="0.10")
    _order(con, "f0", out[10], D + "11:00:00", None, "80.00")
    _message(con, "payment_reminder:f0", "payment_reminder", out[10], ["f0"], "failed",
             reason="isv.BUSINESS_LIMIT_CONTROL")
    for i in (11, 12):
        _order(con, f"s{i}", out[i], D + "11:00:00", D + "11:05:00", "80.00")
        _message(con, f"payment_reminder:s{i}", "payment_reminder", out[i], [f"s{i}"], "skipped",
                 reason="remind.skip.paid")
    _order(con, "y0", out[13], "2026-11-10 10:00:00", "2026-11-10 11:00:00", "100.00")
    _message(con, "payment_reminder:y0", "payment_reminder", out[13], ["y0"], "sent",
             called="2026-11-10 10:10:00", segments=1, cost="0.05")
    late = {**{i: D + "12:30:00" for i in range(7)}, 7: "2026-11-14 11:50:00"}
    for i in range(40):
        _order(con, f"h{i}", held[i], D + "12:00:00", late.get(i), "50.00")
    _order(con, "h40", held[40], D + "12:00:00", D + "12:05:00", "50.00")  # paid before a reminder was due
    _order(con, "h41", held[41], D + "12:00:00", D + "12:10:00", "50.00")  # paid at the very moment
    con.execute("INSERT INTO traffic (hour, source, visitors, page_views, buyers) VALUES (?, 'all', 1000, 2000, 0)",
                [D + "10:00:00"])
    return out + held


@pytest.fixture(scope="module")
def remind_store(tmp_path_factory: pytest.TempPathFactory, hand_plan: Plan) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("remind") / "remind.duckdb"
    with Store.open(path) as store:
        keys = fill(store, hand_plan)
    return path, keys


@pytest.fixture(scope="module")
def remind_review(remind_store: tuple[Path, list[str]], hand_plan: Plan) -> Iterator[Review]:
    with Source.open(remind_store[0]) as src:
        yield build_review(src, hand_plan)


def _by_kind(review: Review, table_id: str) -> dict[str, dict[str, Any]]:
    return {r["remind_kind"].rsplit(".", 1)[1]: r for r in table(review.section("reminders"), table_id)}


def test_messages_sent_failed_skipped_segments_and_cost(remind_review: Review) -> None:
    m = _by_kind(remind_review, "reminder_messages")
    # the 11-10 order's reminder belongs to another day: not counted
    assert (m["payment_reminder"]["sent"], m["payment_reminder"]["failed"], m["payment_reminder"]["skipped"]) == (
        10, 1, 2)
    assert m["payment_reminder"]["segments"] == 10 and m["payment_reminder"]["cost"] == Decimal("0.50")
    assert (m["pre_close_reminder"]["sent"], m["pre_close_reminder"]["segments"]) == (2, 4)
    assert m["pre_close_reminder"]["cost"] == Decimal("0.20")
    assert (m["total"]["sent"], m["total"]["failed"], m["total"]["skipped"], m["total"]["segments"]) == (12, 1, 2, 14)
    assert m["total"]["cost"] == Decimal("0.70")
    reasons = table(remind_review.section("reminders"), "reminder_reasons")
    assert [(r["remind_state"], r["remind_reason"], r["messages"]) for r in reasons] == [
        ("review.remind.state.failed", "isv.BUSINESS_LIMIT_CONTROL", 1),
        ("review.remind.state.skipped", "remind.skip.paid", 2),
    ]


def test_reminded_orders_paid_after_the_reminder(remind_review: Review) -> None:
    e = _by_kind(remind_review, "reminder_effect")
    first = e["payment_reminder"]
    # r0–r2 at 10:30 and r3 on 11-14 are after the 10:10 call; r4 paid at 10:09:30, before it
    assert (first["reminded_orders"], first["paid_after"]) == (10, 4)
    assert first["paid_after_reminder"] == pytest.approx(0.4)
    assert first["paid_after_gmv"] == Decimal("400.00")
    close = e["pre_close_reminder"]
    assert (close["reminded_orders"], close["paid_after"]) == (2, 1)  # r3 paid 09:50 after the 09:45 call
    assert close["paid_after_gmv"] == Decimal("100.00")
    total = e["total"]
    assert (total["reminded_orders"], total["paid_after"]) == (10, 4)  # each order once, after its first
    assert total["paid_after_reminder"] == pytest.approx(0.4)


def test_the_holdout(remind_review: Review) -> None:
    e = _by_kind(remind_review, "reminder_effect")
    # unpaid at 12:10: h0…h39 (h40 paid 12:05, h41 at 12:10 exactly); paid later: h0–h6, h7
    assert (e["payment_reminder"]["holdout_orders"], e["payment_reminder"]["holdout_paid"]) == (40, 8)
    assert e["payment_reminder"]["holdout_paid_rate"] == pytest.approx(0.2)
    assert (e["total"]["holdout_orders"], e["total"]["holdout_paid"]) == (40, 8)
    # unpaid at close − 15 min (11-14 11:45): the 32 never paid and h7, which pays at 11:50
    assert (e["pre_close_reminder"]["holdout_orders"], e["pre_close_reminder"]["holdout_paid"]) == (33, 1)


def test_lift_recovered_gmv_cost_and_roi(remind_review: Review) -> None:
    f = figures(remind_review.section("reminders"))
    assert f["reminders_sent"] == 12
    assert f["reminded_orders"] == 10
    assert f["paid_after_reminder"] == pytest.approx(0.4)
    assert f["holdout_paid_rate"] == pytest.approx(0.2)
    assert f["reminder_lift"] == pytest.approx(0.2)  # 40% − 20% = 20 pp
    assert f["recovered_gmv"] == Decimal("200.00")  # 0.2 × ¥1,000.00, not the gross ¥400.00
    assert f["reminder_cost"] == Decimal("0.70")
    assert f["reminder_roi"] == pytest.approx(200 / 0.7)
    close = _by_kind(remind_review, "reminder_effect")["pre_close_reminder"]
    assert close["reminder_lift"] == pytest.approx(1 / 2 - 1 / 33)
    assert close["recovered_gmv"] == Decimal("93.94")  # (1/2 − 1/33) × ¥200.00 = ¥93.9393…
    assert close["reminder_roi"] == pytest.approx(93.94 / 0.20)


def test_the_confidence_interval_by_hand(remind_review: Review) -> None:
    total = _by_kind(remind_review, "reminder_effect")["total"]
    # se = √(0.4·0.6/10 + 0.2·0.8/40) = √(0.024 + 0.004) = √0.028 = 0.16733; ± 1.96 se = ± 0.32796
    half = Z * math.sqrt(0.028)
    assert total["lift_low"] == pytest.approx(0.2 - half) and total["lift_low"] == pytest.approx(-0.12796, abs=1e-5)
    assert total["lift_high"] == pytest.approx(0.2 + half) and total["lift_high"] == pytest.approx(0.52796, abs=1e-5)
    assert total["verdict"] == "review.remind.verdict.unclear"  # the interval includes 0: 10 orders are few
    assert ("review.note.remind_lift_unclear", {"lift": "+20.00", "low": "-12.80", "high": "+52.80"}) in (
        remind_review.section("reminders").notes
    )


def test_lift_interval_worked_examples() -> None:
    # 60 of 100 reminded paid, 60 of 200 held out: lift 0.3, se = √(0.24/100 + 0.21/200) = √0.00345 = 0.058737
    lift = lift_interval(60, 100, 60, 200)
    assert lift.lift == pytest.approx(0.3)
    assert lift.low == pytest.approx(0.3 - Z * math.sqrt(0.00345)) and lift.low == pytest.approx(0.18488, abs=1e-5)
    assert lift.high == pytest.approx(0.41512, abs=1e-5)
    assert lift.verdict == "review.remind.verdict.raised"
    assert lift_interval(10, 100, 60, 200).verdict == "review.remind.verdict.lowered"  # 0.1 − 0.3, high < 0
    few = lift_interval(60, 100, 5, MIN_HOLDOUT_ORDERS - 1)
    assert (few.lift, few.low, few.high, few.verdict) == (None, None, None, "review.remind.verdict.too_few")
    assert few.holdout_rate == pytest.approx(5 / 29)
    assert lift_interval(0, 0, 8, 40).lift is None  # no reminded order: nothing to compare
    # recovered GMV exact to the fen: (4·40 − 8·10) / (10·40) = 0.2 of ¥1,000.01 = ¥200.002 → ¥200.00
    assert recovered_gmv(4, 10, 8, 40, Decimal("1000.01")) == Decimal("200.00")
    assert recovered_gmv(1, 3, 0, 40, Decimal("100.00")) == Decimal("33.33")


def test_too_few_holdout_orders_to_tell(tmp_path: Path, hand_plan: Plan) -> None:
    # given the same reminders but only 29 holdout orders
    path = tmp_path / "few.duckdb"
    with Store.open(path) as store:
        fill(store, hand_plan)
        store.con.execute("DELETE FROM orders WHERE order_id IN ('h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h8', "
                          "'h9', 'h10', 'h11')")
    with Source.open(path) as src:
        section = build_review(src, hand_plan, calibrate=False).section("reminders")
    total = _by_kind_section(section)["total"]
    assert (total["holdout_orders"], total["holdout_paid"]) == (29, 1)
    assert total["reminder_lift"] is None and total["recovered_gmv"] is None and total["reminder_roi"] is None
    assert total["verdict"] == "review.remind.verdict.too_few"
    assert ("review.note.remind_too_few", {"orders": 29, "minimum": 30}) in section.notes
    assert figures(section)["paid_after_reminder"] == pytest.approx(0.4)  # measured all the same


def _by_kind_section(section: Any) -> dict[str, dict[str, Any]]:
    return {r["remind_kind"].rsplit(".", 1)[1]: r for r in table(section, "reminder_effect")}


def test_no_outbox_rows_no_reminder_figures(hand_review: Review) -> None:
    # the hand store (tests/analytics/conftest.py) has orders paid late but no outbox: nothing is invented
    section = hand_review.section("reminders")
    assert section.figures == () and section.tables == ()
    assert section.notes == (("review.note.remind_not_sent", {}),)
    assert figures(hand_review.section("calibration"))["paid_after_reminder"] is None


def test_a_store_older_than_the_outbox_still_reviews(tmp_path: Path, hand_plan: Plan) -> None:
    path = tmp_path / "old.duckdb"
    with Store.open(path) as store:
        _order(store.con, "o1", "b1", D + "10:00:00", D + "11:00:00", "10.00")
        store.con.execute("DROP INDEX outbox_key")
        store.con.execute("DROP TABLE outbox")
        store.con.execute("DROP TABLE opt_outs")
    with Source.open(path) as src:
        review = build_review(src, hand_plan)
    assert review.section("reminders").notes == (("review.note.remind_not_sent", {}),)
    assert review.source["outbox"] == 0


def test_calibration_records_the_measured_recovery(remind_review: Review) -> None:
    assert figures(remind_review.section("calibration"))["paid_after_reminder"] == pytest.approx(0.4)
    assert remind_review.calibrated_yaml is not None and "recovery_rate: 0.4\n" in remind_review.calibrated_yaml


def test_the_reports_show_the_section_without_buyer_keys(
    remind_review: Review, remind_store: tuple[Path, list[str]], tmp_path: Path
) -> None:
    keys = remind_store[1]
    zh = render_html(remind_review, "zh")
    start = zh.index('<section class="review-section" id="sec-reminders">')
    part = zh[start:zh.index("</section>", start)]
    assert "<h2>催付</h2>" in part
    assert "+20.00 个百分点" in part and "¥200.00" in part
    assert t("review.remind.verdict.unclear", "zh") in part
    # no English in the Chinese section (provider codes such as isv.BUSINESS_LIMIT_CONTROL are data)
    visible = re.sub(r"<[^>]*>", " ", part).replace("isv.BUSINESS_LIMIT_CONTROL", "")
    assert [w for w in re.findall(r"[A-Za-z]{3,}", visible) if w != "dachu"] == []  # the product's name
    en = render_html(remind_review, "en")
    assert "Payment reminders" in en and "+20.00 pp" in en
    data = json.dumps(review_dict(remind_review, "en"), ensure_ascii=False)
    section = next(s for s in review_dict(remind_review)["sections"] if s["id"] == "reminders")
    lift = next(f for f in section["figures"] if f["id"] == "reminder_lift")
    assert (lift["unit"], lift["actual"]) == ("points", 0.2)
    assert next(f for f in section["figures"] if f["id"] == "recovered_gmv")["actual"] == "200.00"
    xlsx = tmp_path / "review.xlsx"
    write_review_xlsx(remind_review, xlsx, "zh")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["催付"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    lift_cells = [c for c in cells if c.number_format.endswith('" 个百分点"') and c.value == pytest.approx(20.0)]
    assert lift_cells  # 0.2 written as 20 points with the unit in the number format
    assert any(c.value == 200.0 for c in cells)
    for text in (zh, en, data, *(str(c.value) for sh in wb.worksheets for row in sh.iter_rows() for c in row)):
        assert not any(k in text for k in keys)
