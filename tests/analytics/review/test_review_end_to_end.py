"""End to end: `dachu simulate` → `dachu import` → `dachu review`, checked against plain SQL."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dachu.analytics.review import build_review
from dachu.analytics.source import Source
from dachu.app import example_text
from dachu.cli.main import app
from dachu.domain.campaign.file import parse_campaign
from dachu.domain.plan.plan import make_plan
from dachu.errors import InputError


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("e2e")
    campaign = root / "campaign.yaml"
    campaign.write_text(example_text("double11", "en"), encoding="utf-8")
    runner = CliRunner()
    sim = runner.invoke(
        app, ["simulate", str(campaign), "--orders", "3000", "--out", str(root / "sim"), "--format", "json"]
    )
    assert sim.exit_code == 0, sim.output
    files = [f["path"] for f in json.loads(sim.output)["files"]]
    store = root / "dachu.duckdb"
    imp = runner.invoke(app, ["import", *files, "--store", str(store), "--format", "json", "--lang", "en"])
    assert imp.exit_code == 0, imp.output
    return campaign, store


def test_headline_gmv_is_the_plain_sql_sum(simulated: tuple[Path, Path]) -> None:
    campaign, store = simulated
    plan = make_plan(parse_campaign(campaign.read_text(encoding="utf-8"), str(campaign)))
    with Source.open(store) as src:
        review = build_review(src, plan)
    con = duckdb.connect(str(store), read_only=True)
    rows = con.execute(
        "SELECT sum(paid_amount), count(*), count(DISTINCT buyer_key) FROM orders "
        "WHERE paid_at >= TIMESTAMP '2026-11-11 00:00:00' AND paid_at < TIMESTAMP '2026-11-12 00:00:00'"
    ).fetchall()
    con.close()
    gmv, orders, buyers = rows[0]
    head = {f.id: f.actual for f in review.section("headline").figures}
    assert gmv > 0
    assert head["gmv_paid"] == Decimal(gmv)
    assert head["orders_paid"] == orders
    assert head["paying_buyers"] == buyers
    hourly = review.section("hourly").tables[0]
    assert hourly.rows[-1][8] == Decimal(gmv)  # the cumulative line ends at the day's GMV
    assert [s.id for s in review.sections] == [
        "headline",
        "hourly",
        "funnel",
        "reminders",
        "channels",
        "products",
        "service",
        "logistics",
        "after_sale",
        "customers",
        "profit",
        "calibration",
    ]
    assert review.calibrated_yaml is not None
    parse_campaign(review.calibrated_yaml, "calibrated.yaml")


def test_the_simulated_review_fills_service_logistics_and_after_sale(simulated: tuple[Path, Path]) -> None:
    # given the default (Tmall) simulation imported as `dachu simulate` wrote it: the 67-column 订单报表 has
    # no ship time, the ERP shipping list does; CS sessions carry response times; complaints and ratings
    campaign, store = simulated
    plan = make_plan(parse_campaign(campaign.read_text(encoding="utf-8"), str(campaign)))
    with Source.open(store) as src:
        review = build_review(src, plan)
    con = duckdb.connect(str(store), read_only=True)
    waits = dict(
        con.execute(
            "SELECT agent, sum(reply_wait_seconds) / sum(replies) FROM cs_sessions "
            "WHERE started_at >= TIMESTAMP '2026-11-11' AND started_at < TIMESTAMP '2026-11-12' GROUP BY agent"
        ).fetchall()
    )
    con.close()
    service = review.section("service")
    agents = next(t for t in service.tables if t.id == "agents")
    at = [c.id for c in agents.columns].index("avg_response_seconds")
    assert len(agents.rows) == len(waits) > 1
    for row in agents.rows:  # each agent's figure is the plain SQL ratio
        assert row[at] == pytest.approx(waits[row[0]])
    assert {f.id: f.actual for f in service.figures}["avg_response_seconds"] > 0
    assert not [k for k, _ in service.notes if k in ("review.note.no_reply_times", "review.note.no_reply_waits")]
    logistics = review.section("logistics")
    lf = {f.id: f.actual for f in logistics.figures}
    assert 0 < lf["shipped_within_24h"] <= lf["shipped_within_48h"] <= lf["shipped_within_7d"] <= 1
    assert lf["priority_within_2d"] is not None
    backlog = next(t for t in logistics.tables if t.id == "backlog")
    assert backlog.rows and sum(r[2] for r in backlog.rows) > 0  # orders shipped day by day
    after = review.section("after_sale")
    af = {f.id: f.actual for f in after.figures}
    assert 0 < af["complaint_rate"] < 0.03  # docs/domain.md §11: under 3%
    assert 4.5 < af["dsr"] < 5
    assert af["dsr_low_score_buyers"] >= 0
    assert [k for k, _ in after.notes] == ["review.note.dsr_window"]


def test_review_command_writes_json_and_calibrated_yaml(simulated: tuple[Path, Path], tmp_path: Path) -> None:
    campaign, store = simulated
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app, ["review", str(campaign), "--store", str(store), "--out", str(out), "--format", "json", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert str(out / "review.json") in result.output.replace("\n", "")
    data = json.loads((out / "review.json").read_text(encoding="utf-8"))
    gmv = data["sections"][0]["figures"][0]
    assert gmv["id"] == "gmv_paid" and gmv["label_text"] == "GMV paid"
    assert Decimal(gmv["actual"]).as_tuple().exponent == -2  # a string exact to the fen
    calibrated = (out / "calibrated.yaml").read_text(encoding="utf-8")
    assert parse_campaign(calibrated, "calibrated.yaml").measured is not None
    assert data["calibrated_yaml"] == calibrated


def test_review_command_refuses_unknown_format_and_missing_store(tmp_path: Path) -> None:
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(example_text("double11", "en"), encoding="utf-8")
    runner = CliRunner()
    bad = runner.invoke(app, ["review", str(campaign), "--format", "pdf", "--lang", "en"])
    assert bad.exit_code == 1
    missing = runner.invoke(
        app, ["review", str(campaign), "--store", str(tmp_path / "none.duckdb"), "--lang", "en", "--format", "json"]
    )
    assert missing.exit_code == 1
    assert "dachu import" in missing.output


def test_source_rejects_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE x (a INTEGER)")
    con.close()
    with pytest.raises(InputError) as err:
        Source.open(path)
    assert err.value.key == "review.store_not_dachu"


def test_an_empty_store_gives_notes_not_numbers(tmp_path: Path) -> None:
    from dachu.data.store import Store

    path = tmp_path / "empty.duckdb"
    Store.open(path).close()
    plan = make_plan(parse_campaign(example_text("double11", "en"), "double11.en.yaml"))
    with Source.open(path) as src:
        review = build_review(src, plan)
    head = review.section("headline")
    assert ("review.note.no_orders", {"day": plan.campaign.campaign.event_day}) in head.notes
    assert {f.id: f.actual for f in head.figures}["aov"] is None
    assert review.section("logistics").notes[0][0] == "review.note.no_shipping_times"
    assert review.section("funnel").notes[0][0] == "review.note.no_behaviour"
    assert [k for k, _ in review.section("service").notes] == ["review.note.no_cs"]
    after = review.section("after_sale")
    assert [k for k, _ in after.notes] == ["review.note.no_complaints", "review.note.no_dsr"]
    assert {f.id: f.actual for f in after.figures}["complaint_rate"] is None
    assert after.tables == ()
    assert review.calibrated_yaml is None


def test_the_simulated_review_renders_in_chromium(simulated: tuple[Path, Path], tmp_path: Path) -> None:
    from tests.browser import chromium_page

    campaign, store = simulated
    out = tmp_path / "html"
    result = CliRunner().invoke(app, ["review", str(campaign), "--store", str(store), "--out", str(out),
                                      "--lang", "zh"])
    assert result.exit_code == 0, result.output
    html = (out / "review.html").read_text(encoding="utf-8")
    assert "重要价值客户" in html  # row labels that are catalogue keys (Column.labels) are translated
    with chromium_page() as browser:
        browser.page.goto((out / "review.html").as_uri())
        browser.page.wait_for_timeout(500)
        browser.screenshot("review_simulated_zh")
        assert browser.errors == []
    assert (out / "calibrated.yaml").is_file()
