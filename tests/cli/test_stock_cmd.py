"""`dachu stock FILE status|set|ledger|check` through Typer's CliRunner, on a real SQLite ledger and DuckDB store."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dachu.app.stock import open_stock
from dachu.cli import stock_cmd
from dachu.domain.stock.model import Line

CAMPAIGN = """\
campaign: {name: test, event_day: 2026-11-11}
goal: {metric: orders, floor: 1000, stretch: 2000, resource_multiplier: 1}
store: {baseline_daily_uv: 2000, baseline_conversion: 0.03, event_conversion: 0.05, cost_per_visitor: 1}
products:
  - {sku: A, name: 蜂蜜, role: hero, list_price: 99, promo_price: 59, unit_cost: 18, goal_share: 1, stock: 100}
  - {sku: B, name: 礼盒, role: profit, list_price: 199, promo_price: 99, unit_cost: 40, planned_orders: 10,
     stock: 5000}
  - {sku: AB, name: 组合装, role: profit, list_price: 199, promo_price: 149, unit_cost: 60, planned_orders: 1,
     components: {A: 1, B: 1}}
warehouse:
  stock:
    items:
      A: {lead_time_days: 3, supplier: 蜂场}
      B: {lead_time_days: 2}
"""
NOW = dt.datetime(2026, 11, 11, 10, 0)


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    stock_cmd.register(app)

    @app.callback()
    def _root() -> None:
        pass

    return app


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    path = tmp_path / "campaign.yaml"
    path.write_text(CAMPAIGN, encoding="utf-8")
    return path


def run(app: typer.Typer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["stock", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_status_counts_the_campaign_stock_once_and_suggests_replenishment(app: typer.Typer, campaign: Path) -> None:
    code, out = run(app, str(campaign), "status", "--format", "json")
    assert code == 0
    rows = {r["sku"]: r for r in json.loads(out)}
    assert set(rows) == {"A", "B"}  # a bundle has no stock of its own
    assert (rows["A"]["on_hand"], rows["A"]["available"], rows["B"]["on_hand"]) == (100, 100, 5000)
    # A: 100 left against a reorder point of three event days' demand: order now; B's 5,000 cover its 2 days
    assert rows["A"]["reorder"]["lead_time_days"] == "3" and rows["A"]["reorder"]["units"] > 100
    assert rows["B"]["reorder"] is None
    assert (campaign.parent / "stock.sqlite").exists()  # beside the store
    run(app, str(campaign), "status")
    backend = open_stock(str(campaign.parent / "stock.sqlite"))
    assert [r.reason for r in backend.ledger(sku="A")] == ["count"]  # counted from the campaign once, not again
    backend.close()


def test_set_is_a_count_refused_below_the_allocated_units(app: typer.Typer, campaign: Path) -> None:
    assert run(app, str(campaign), "set", "A", "80", "--lang", "en")[0] == 0
    backend = open_stock(str(campaign.parent / "stock.sqlite"))
    backend.commit("T1", [Line("A", 50)], now=NOW, source="warroom")
    backend.close()
    code, out = run(app, str(campaign), "set", "A", "10", "--lang", "en")
    assert code != 0 and "below the 50 units allocated" in out
    code, out = run(app, str(campaign), "set", "MUG", "10", "--lang", "en")
    assert code != 0 and "MUG" in out
    _, out = run(app, str(campaign), "ledger", "--sku", "A", "--format", "json")
    rows = json.loads(out)
    assert [(r["reason"], r["on_hand"], r["allocated"]) for r in rows] == [("count", 100, 0), ("count", -20, 0),
                                                                           ("commit", 0, 50)]
    assert rows[1]["source"] == "cli"


def test_the_chinese_output_has_no_english(app: typer.Typer, campaign: Path) -> None:
    run(app, str(campaign), "set", "A", "90")
    for args in (("status",), ("ledger",), ("check",)):
        _, out = run(app, str(campaign), *args, "--lang", "zh")
        out = re.sub(r"sqlite:///?\S+", "", out.replace("\n", ""))  # the ledger's URL (a path, wrapped)
        words = set(re.findall(r"[A-Za-z]{3,}", out))
        assert not words, (args, words)


def test_check_finds_what_the_store_and_the_ledger_disagree_on(app: typer.Typer, campaign: Path) -> None:
    from dachu.data.store import Store

    code, out = run(app, str(campaign), "check", "--lang", "en")
    assert code == 0 and "all checks pass" in out
    backend = open_stock(str(campaign.parent / "stock.sqlite"))
    backend.commit("T1", [Line("A", 2)], now=NOW, source="warroom")  # allocated, the store never heard of it
    backend.commit("taobao:9", [Line("B", 1)], now=NOW, source="warroom")  # in both: fine
    backend.close()
    with Store.open(campaign.parent / "dachu.duckdb") as store:
        store.con.execute("INSERT INTO orders (platform, order_id, status, paid_at) VALUES "
                          "('live', 'T2', 'paid', TIMESTAMP '2026-11-11 10:00:00'), "
                          "('taobao', '9', 'shipped', TIMESTAMP '2026-11-11 10:00:00')")
    code, out = run(app, str(campaign), "check", "--format", "json", "--lang", "en")
    assert code == 1
    problems = json.loads(out)["problems"]
    assert [(p["code"], p["order"]) for p in problems] == [("stock.check.paid_not_allocated", "T2"),
                                                           ("stock.check.allocated_not_paid", "T1")]


def test_stock_none_has_no_ledger_to_show(app: typer.Typer, campaign: Path) -> None:
    for lang, words in (("zh", "没有库存账本"), ("en", "has no ledger")):
        code, out = run(app, str(campaign), "status", "--stock", "none", "--lang", lang)
        assert code == 1 and words in out and "Traceback" not in out
    assert not (campaign.parent / "stock.sqlite").exists()
