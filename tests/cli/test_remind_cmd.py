"""`dachu remind` through Typer's CliRunner: the documented `--dry-run --format json` contract, `--explain`,
and a real pass that sends through the file sender (the default) exactly once.

The store is built by hand; every expected answer is worked out here from the rules' defaults: first reminder
10 minutes after the order, one message per buyer per day merging the buyer's unpaid orders, no reminder for
a buyer who paid any order since yesterday 00:00, notices only 08:00–22:00, a 5% holdout by buyer-key hash.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dachu.cli import remind_cmd
from dachu.data.store import Store
from dachu.domain.automation.holdout import in_holdout
from dachu.domain.campaign.remind import RemindSettings

CAMPAIGN = """\
campaign: {name: 测试店, event_day: 2026-11-11}
goal: {metric: orders, floor: 1000, stretch: 2000, resource_multiplier: 1}
store: {baseline_daily_uv: 2000, baseline_conversion: 0.03, event_conversion: 0.05, cost_per_visitor: 1}
products:
  - {sku: A01, name: 野菊蜜, role: hero, list_price: 99, promo_price: 59, unit_cost: 18, goal_share: 1}
channels:
  - {name: 短信营销, kind: sms, cost_per_message: 0.05, click_rate: 0.05, budget: 5000}
"""

# orders: (id, buyer, status, created, paid_at)
ORDERS = [
    ("T1", "buyer-a", "pending_payment", "2026-11-11 10:00:00", None),
    ("T2", "buyer-a", "pending_payment", "2026-11-11 10:05:00", None),  # A: two unpaid orders → one message
    ("T3", "buyer-b", "pending_payment", "2026-11-11 10:00:00", None),
    ("T4", "buyer-b", "paid", "2026-11-11 10:01:00", "2026-11-11 10:03:00"),  # B paid one: no reminder
    ("T5", "buyer-c", "pending_payment", "2026-11-10 23:10:00", None),  # C: 23:20 is quiet → 08:00 on the 11th
]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    for buyer in ("buyer-a", "buyer-b", "buyer-c"):
        assert not in_holdout(RemindSettings(), buyer)  # the cases assume no buyer is held out
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(CAMPAIGN, encoding="utf-8")
    with Store.open(tmp_path / "dachu.duckdb") as store:
        for i, (order, buyer, status, created, paid) in enumerate(ORDERS):
            store.con.execute(
                "INSERT INTO orders (platform, order_id, buyer_key, status, created_at, paid_at, total_amount, "
                "paid_amount) VALUES ('tmall', ?, ?, ?, ?, ?, 59.00, ?)",
                [order, buyer, status, created, paid, 59 if paid else 0],
            )
            store.con.execute(
                "INSERT INTO order_lines (platform, order_id, line_no, sku) VALUES ('tmall', ?, 1, 'A01')", [order]
            )
            store.con.execute(
                "INSERT INTO contacts (platform, order_id, buyer_key, mobile) VALUES ('tmall', ?, ?, ?)",
                [order, buyer, f"1000000000{i}"],  # the unassigned 1000 prefix: no real phone
            )
    return campaign


def run(*args: str) -> str:
    app = typer.Typer()
    remind_cmd.register(app)
    app.command("noop")(lambda: None)  # two commands: Typer keeps the command's name
    result = CliRunner().invoke(app, ["remind", *args, "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_dry_run_json_is_the_documented_contract(workspace: Path) -> None:
    out = json.loads(run(str(workspace), "--now", "2026-11-11T10:30", "--dry-run", "--format", "json"))
    assert out["now"] == "2026-11-11T10:30:00"
    first = {a["buyer"]: a for a in out["actions"] if a["kind"] == "payment_reminder"}
    assert set(first) == {"buyer-a", "buyer-c"}
    assert first["buyer-a"] == {
        "kind": "payment_reminder",
        "buyer": "buyer-a",
        "order_ids": ["T1", "T2"],
        "send_at": "2026-11-11T10:10:00",  # the earliest order + 10 minutes
        "channel": "sms",
        "template": "first",
        "class": "notice",
        "reason": "remind.rule.first",
    }
    assert first["buyer-c"]["send_at"] == "2026-11-11T08:00:00"  # 23:20 falls in 22:00–08:00
    skipped = {(s["order_id"], s["reason"]) for s in out["skipped"]}
    assert ("T3", "remind.skip.paid_recently") in skipped
    before_close = {a["buyer"]: a["send_at"] for a in out["actions"] if a["kind"] == "pre_close_reminder"}
    assert before_close["buyer-a"] == "2026-11-14T09:45:00"  # 72 h after 10:00, less 15 minutes


def test_explain_names_the_rule_and_the_send_time(workspace: Path) -> None:
    out = json.loads(run(str(workspace), "--now", "2026-11-11T07:00", "--explain", "T5", "--format", "json"))
    first = next(v for v in out["verdicts"] if v["kind"] == "payment_reminder")
    assert first["send_at"] == "2026-11-11 08:00:00" and first["reason"] == "remind.rule.first"
    text = run(str(workspace), "--now", "2026-11-11T07:00", "--explain", "T5")
    assert "T5" in text and "08:00" in text


def test_a_pass_sends_through_the_file_sender_once_with_masked_numbers(workspace: Path) -> None:
    run(str(workspace), "--now", "2026-11-11T10:30")
    run(str(workspace), "--now", "2026-11-11T10:31")  # again: nothing new is due, nothing is sent twice
    sheet = workspace.parent / "out" / "reminders.csv"
    text = sheet.read_text(encoding="utf-8-sig")
    body = list(csv.reader(text.splitlines()))[1:]
    assert len(body) == 2  # buyer A (T1+T2) and buyer C; B paid
    assert "T1" in text and "T2" in text and "T5" in text and "T3" not in text
    # buyer A's number is the one of its latest order (T2): masked by content, never in clear
    assert "10000000001" not in text and "100****0001" in text
    with Store.open(workspace.parent / "dachu.duckdb") as store:
        states = store.con.execute(
            "SELECT recipient, state, cost FROM outbox WHERE kind = 'payment_reminder' ORDER BY 1"
        ).fetchall()
    assert [(r[0], r[1]) for r in states] == [("buyer-a", "sent"), ("buyer-c", "sent")]


def test_the_file_for_qianniu_needs_no_phone_the_order_ids_are_enough(workspace: Path) -> None:
    with Store.open(workspace.parent / "dachu.duckdb") as store:
        store.con.execute("DELETE FROM contacts WHERE buyer_key = 'buyer-c'")
    run(str(workspace), "--now", "2026-11-11T10:30")
    rows = list(csv.reader((workspace.parent / "out" / "reminders.csv").read_text(encoding="utf-8-sig").splitlines()))
    by_key = {r[0]: r for r in rows[1:]}
    assert by_key["payment_reminder:buyer-c:2026-11-11"][1:3] == ["T5", ""]  # the order, no number to mask
    assert by_key["payment_reminder:buyer-a:2026-11-11"][1:3] == ["T1,T2", "100****0001"]
