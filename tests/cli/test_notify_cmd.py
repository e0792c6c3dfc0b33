"""`dachu notify` through Typer's CliRunner on a hand-built store: segments, opt-outs, budget, sending once.

Buyers: `old` paid on 11.01 and on the day (a past buyer and one of the day's old buyers), `past` paid on
11.01 only, `new` paid first on the day, `quit` paid on 11.01 and opted out, `unpaid` never paid. Order T9 of
`past` shipped on 11.11 at 10:00 (顺丰 SF900). Expected answers follow from the default waves (wake-up on day
−8 at 12:00, the start notice at 08:00 on the day, care on day +15) and the plan's SMS price of ¥0.05.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dachu.cli import notify_cmd
from dachu.data.store import Store

CAMPAIGN = """\
campaign: {name: 测试店, event_day: 2026-11-11}
goal: {metric: orders, floor: 1000, stretch: 2000, resource_multiplier: 1}
store: {baseline_daily_uv: 2000, baseline_conversion: 0.03, event_conversion: 0.05, cost_per_visitor: 1}
products:
  - {sku: A01, name: 野菊蜜, role: hero, list_price: 99, promo_price: 59, unit_cost: 18, goal_share: 1}
channels:
  - {name: 短信营销, kind: sms, cost_per_message: 0.05, click_rate: 0.05, budget: BUDGET}
"""

# (order, buyer, status, paid_at)
ORDERS = [
    ("T1", "old", "paid", "2026-11-01 10:00:00"),
    ("T2", "old", "paid", "2026-11-11 09:00:00"),
    ("T3", "past", "paid", "2026-11-01 11:00:00"),
    ("T4", "new", "paid", "2026-11-11 10:00:00"),
    ("T5", "quit", "paid", "2026-11-01 12:00:00"),
    ("T6", "unpaid", "pending_payment", None),
    ("T9", "past", "shipped", "2026-11-10 20:00:00"),
]


def workspace(root: Path, budget: str = "5000") -> Path:
    campaign = root / "campaign.yaml"
    campaign.write_text(CAMPAIGN.replace("BUDGET", budget), encoding="utf-8")
    with Store.open(root / "dachu.duckdb") as store:
        for i, (order, buyer, status, paid) in enumerate(ORDERS):
            store.con.execute(
                "INSERT INTO orders (platform, order_id, buyer_key, status, created_at, paid_at, total_amount, "
                "paid_amount) VALUES ('tmall', ?, ?, ?, coalesce(?::TIMESTAMP, TIMESTAMP '2026-11-11 08:00'), "
                "?, 59.00, 59.00)",
                [order, buyer, status, paid, paid],
            )
            store.con.execute(
                "INSERT INTO contacts (platform, order_id, buyer_key, mobile) VALUES ('tmall', ?, ?, ?)",
                [order, buyer, f"1000000000{i}"],  # the unassigned 1000 prefix: no real phone
            )
        store.con.execute("INSERT INTO opt_outs VALUES ('quit', 'sms', 'R', TIMESTAMP '2026-11-02 09:00')")
        store.con.execute(
            "INSERT INTO shipments VALUES ('tmall', 'T9', '顺丰', 'SF900', TIMESTAMP '2026-11-11 10:00', NULL)"
        )
    return campaign


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    return workspace(tmp_path)


def invoke(*args: str) -> tuple[int, str]:
    app = typer.Typer()
    notify_cmd.register(app)
    app.command("noop")(lambda: None)  # two commands: Typer keeps the command's name
    result = CliRunner().invoke(app, ["notify", *args], catch_exceptions=False)
    return result.exit_code, result.output


def run(*args: str) -> str:
    code, out = invoke(*args, "--lang", "en")
    assert code == 0, out
    return out


def waves(out: str) -> dict[str, dict[str, object]]:
    return {w["name"]: w for w in json.loads(out)["waves"]}


def test_plan_lists_each_wave_with_its_segment_and_cost(campaign: Path) -> None:
    got = waves(run(str(campaign), "plan", "--now", "2026-11-03T12:30", "--format", "json"))
    assert got["wake_up"]["send_at"] == "2026-11-03T12:00:00" and got["wake_up"]["state"] == "due"
    assert got["start"]["send_at"] == "2026-11-11T08:00:00"
    assert got["care"]["send_at"] == "2026-11-26T10:00:00"
    # past buyers: old and past (quit opted out, new paid first on the day, unpaid never paid)
    assert got["wake_up"]["recipients"] == 2 and got["wake_up"]["cost"] == "0.10"
    assert got["care"]["recipients"] == 1 and got["thanks"]["recipients"] == 1  # new; old
    with Store.open(campaign.parent / "dachu.duckdb") as store:
        assert store.con.execute("SELECT count(*) FROM outbox").fetchall() == [(0,)]  # plan writes nothing


def test_the_table_in_chinese_has_no_english_words(campaign: Path) -> None:
    code, out = invoke(str(campaign), "plan", "--now", "2026-11-03T12:30", "--lang", "zh")
    assert code == 0, out
    assert "老客" in out and "到期" in out
    for word in ("due", "later", "past buyers", "budget", "recipients"):
        assert word not in out


def test_send_refuses_a_wave_over_budget_naming_the_overrun(tmp_path: Path) -> None:
    campaign = workspace(tmp_path, budget="0.05")
    code, out = invoke(str(campaign), "send", "--now", "2026-11-03T12:30", "--lang", "en")
    assert code != 0
    assert "wake_up" in out and "0.05" in out  # ¥0.10 for the wave against ¥0.05: over by ¥0.05
    code, out = invoke(str(campaign), "send", "--now", "2026-11-03T12:30", "--lang", "zh")
    assert code != 0 and "超出" in out
    with Store.open(tmp_path / "dachu.duckdb") as store:
        assert store.con.execute("SELECT count(*) FROM outbox").fetchall() == [(0,)]


def test_send_goes_through_the_file_sender_exactly_once(campaign: Path) -> None:
    first = json.loads(run(str(campaign), "send", "--now", "2026-11-11T10:30", "--format", "json"))
    again = json.loads(run(str(campaign), "send", "--now", "2026-11-11T10:40", "--format", "json"))
    assert first["planned"] == {"new": 3, "existing": 0}  # the start wave to old and past; T9 shipped
    assert first["sent"]["sent"] == 3
    assert again["planned"] == {"new": 0, "existing": 3} and again["sent"]["sent"] == 0
    rows = list(csv.reader((campaign.parent / "out" / "reminders.csv").read_text("utf-8-sig").splitlines()))[1:]
    assert sorted(r[0] for r in rows) == [
        "logistics_notice:shipped:T9", "notice:start:old", "notice:start:past",
    ]
    shipped = next(r for r in rows if r[0] == "logistics_notice:shipped:T9")
    assert "SF900" in shipped[3] and "顺丰" in shipped[3] and shipped[3].startswith("【测试店】")
    assert "10000000006" not in shipped[2]  # the number is masked


def test_an_opt_out_after_planning_skips_at_send_time(campaign: Path) -> None:
    with Store.open(campaign.parent / "dachu.duckdb") as store:
        store.con.execute("UPDATE shipments SET shipped_at = TIMESTAMP '2026-11-11 23:00'")
    out = json.loads(run(str(campaign), "send", "--now", "2026-11-11T23:30", "--format", "json"))
    assert out["logistics"][0]["send_at"] == "2026-11-12T08:00:00"  # quiet hours: planned, not sent
    assert out["sent"]["sent"] == 0
    with Store.open(campaign.parent / "dachu.duckdb") as store:
        store.con.execute("INSERT INTO opt_outs VALUES ('past', 'sms', 'TD', TIMESTAMP '2026-11-12 07:00')")
    out = json.loads(run(str(campaign), "send", "--now", "2026-11-12T08:30", "--format", "json"))
    assert out["sent"]["reasons"] == {"notify.skip.opted_out": 1}
    with Store.open(campaign.parent / "dachu.duckdb") as store:
        assert store.con.execute("SELECT state FROM outbox WHERE kind = 'logistics_notice'").fetchall() == [
            ("skipped",)]


def test_the_parcels_track_sends_arrived_in_the_city_and_the_exception_once_each(campaign: Path) -> None:
    with Store.open(campaign.parent / "dachu.duckdb") as store:
        store.con.execute("UPDATE orders SET city = '深圳市' WHERE order_id = 'T9'")
        store.con.execute(
            "INSERT INTO shipment_events VALUES "
            "('SF900', 'shunfeng', TIMESTAMP '2026-11-11 15:00', '0', '在途', '广东,深圳市', 'kuaidi100'), "
            "('SF900', 'shunfeng', TIMESTAMP '2026-11-11 18:00', '204', '派件异常', '广东,深圳市', 'kuaidi100'), "
            "('SF999', 'shunfeng', TIMESTAMP '2026-11-11 18:00', '204', '派件异常', '广东,深圳市', 'kuaidi100')"
        )
    code, table = invoke(str(campaign), "plan", "--now", "2026-11-11T18:30", "--lang", "zh")
    assert code == 0 and "到达所在城市 1 条" in table and "物流异常 1 条" in table and "已发货 0 条" in table
    first = json.loads(run(str(campaign), "send", "--now", "2026-11-11T18:30", "--format", "json"))
    again = json.loads(run(str(campaign), "send", "--now", "2026-11-11T19:00", "--format", "json"))
    kinds = sorted(m["kind"] for m in first["logistics"])
    assert kinds == ["arrived_city", "exception"]  # in the city: the shipped notice says less; SF999 has no order
    assert again["sent"]["sent"] == 0
    rows = list(csv.reader((campaign.parent / "out" / "reminders.csv").read_text("utf-8-sig").splitlines()))[1:]
    texts = {r[0]: r[3] for r in rows if r[0].startswith("logistics_notice:")}
    assert set(texts) == {"logistics_notice:arrived_city:T9", "logistics_notice:exception:T9"}
    assert "已到达深圳市" in texts["logistics_notice:arrived_city:T9"]
    assert "派件异常" in texts["logistics_notice:exception:T9"]
