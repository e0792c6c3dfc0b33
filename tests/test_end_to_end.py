"""simulate → import, end to end: two parts built independently must agree on every row.

The simulator writes the platform's own export files (GBK CSV, Taobao/Tmall layouts); the importers read
them as a user's download. The expected figures here are read back from the files with the standard
library's csv module, not from either part's code.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dachu.app import Workspace
from dachu.cli.main import app
from dachu.data.store import Store


def _rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("gb18030")
    return list(csv.DictReader(io.StringIO(text)))


def _money(raw: str) -> Decimal:
    """An export amount as a user reads it: `="12.30"`, `12.30元` or `12.30`."""
    raw = raw.strip().removeprefix('="').removesuffix('"').removesuffix("元")
    return Decimal(raw) if raw else Decimal(0)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, list]:
    ws = Workspace(tmp_path_factory.mktemp("e2e"))
    ws.init("double11", "zh")
    simulated = ws.simulate(orders=1500, seed=7)
    results = ws.import_files([f.path for f in simulated.files])
    return ws, results


def test_every_simulated_file_imports_without_a_reject(imported: tuple[Workspace, list]) -> None:
    _, results = imported
    names = {Path(r.file).name: r for r in results}
    assert len(results) == 9  # order report, item report, behaviour, traffic, ads, CS, complaints, DSR, shipments
    assert all(r.rejected == 0 for r in results), [(r.file, r.rejected) for r in results]
    assert {r.source for r in results} >= {"taobao_orders", "taobao_lines", "tianchi_behaviour"}
    assert next(r for n, r in names.items() if n.startswith("ExportOrderList")).rows_read == 2250  # 1500 + half


def test_orders_and_paid_amounts_match_the_export(imported: tuple[Workspace, list]) -> None:
    ws, _ = imported
    export = _rows(next(ws.simulated_dir.glob("ExportOrderList*.csv")))
    ids = {r["订单编号"].strip().removeprefix('="').removesuffix('"') for r in export}
    paid = sum((_money(r["买家实际支付金额"]) for r in export), Decimal(0))
    with Store.open(ws.store_path) as store:
        count, total, distinct = store.con.execute(
            "SELECT count(*), sum(paid_amount), count(DISTINCT order_id) FROM orders"
        ).fetchone()
        stored = {r[0] for r in store.con.execute("SELECT order_id FROM orders").fetchall()}
    assert count == len(export) == distinct
    assert stored == ids
    assert total == paid


def test_lines_and_behaviour_match_the_export(imported: tuple[Workspace, list]) -> None:
    ws, _ = imported
    lines = _rows(next(ws.simulated_dir.glob("ExportOrderDetailList*.csv")))
    behaviour = (ws.simulated_dir / "UserBehavior.csv").read_text(encoding="utf-8").splitlines()
    unique_events = {tuple(line.split(",")) for line in behaviour if line.strip()}
    rows = ws.store_rows()
    assert rows["order_lines"] == len(lines)
    assert rows["behaviour_events"] == len(unique_events)
    assert rows["quarantine"] == 0


def test_reimporting_the_same_files_changes_nothing(imported: tuple[Workspace, list]) -> None:
    ws, _ = imported
    before = ws.store_rows()
    again = ws.import_files(sorted(ws.simulated_dir.iterdir()))
    assert all(r.skipped for r in again)
    after = ws.store_rows()
    assert after["import_log"] == before["import_log"]
    assert {k: v for k, v in after.items() if k != "import_log"} == {
        k: v for k, v in before.items() if k != "import_log"
    }


def test_demo_runs_plan_simulate_import_summary(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--orders", "300", "--lang", "en"])
    assert result.exit_code == 0, result.output
    for step in ("Step 1", "Step 2", "Step 3", "Step 4", "Step 5", "No rows rejected."):
        assert step in result.output
    assert (out / "plan.xlsx").is_file()
    for report in ("review.html", "review.xlsx", "calibrated.yaml"):
        assert (out / "review" / report).is_file()
        assert str(out / "review" / report) in result.output.replace("\n", "")
    assert (out / "dachu.duckdb").is_file()
    with Store.open(out / "dachu.duckdb") as store:
        assert store.con.execute("SELECT count(*) FROM orders").fetchone() == (450,)


def test_review_compares_with_floor_and_stretch_by_one_method(imported: tuple[Workspace, list]) -> None:
    # double11's stretch is out of reach net of spend while its floor is not; mixing the two methods would
    # show a floor GMV (net of spend, ¥1,139,505) above the stretch (seed, ¥651,859). Both must be seed.
    ws, _ = imported
    plan = ws.plan()
    assert plan.scenario("floor", "net_of_spend").reachable
    assert not plan.scenario("stretch", "net_of_spend").reachable
    gmv = next(f for f in ws.review().section("headline").figures if f.metric == "gmv_paid")
    assert gmv.floor == plan.scenario("floor", "seed").gmv
    assert gmv.stretch == plan.scenario("stretch", "seed").gmv
    assert gmv.floor < gmv.stretch


def test_review_command_reads_the_store_beside_the_campaign_file(
    imported: tuple[Workspace, list], tmp_path: Path
) -> None:
    ws, _ = imported
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["review", str(ws.campaign_path), "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert (out / "review.json").is_file()


def test_cs_sessions_and_orders_share_the_buyer_key(imported: tuple[Workspace, list]) -> None:
    # the Tmall order export and the CS-session file name the same buyer account; both are Taobao accounts,
    # so a session that led to an order has that order's buyer key (inquiry conversion depends on it)
    ws, _ = imported
    with Store.open(ws.store_path) as store:
        linked, same = store.con.execute(
            "SELECT count(*), count(*) FILTER (WHERE c.buyer_key = o.buyer_key) "
            "FROM cs_sessions c JOIN orders o ON o.order_id = c.order_id"
        ).fetchone()
    assert linked > 0
    assert same == linked


def test_ship_times_complaints_and_ratings_match_their_files(imported: tuple[Workspace, list]) -> None:
    # the 67-column 订单报表 has no ship time: the orders' ship times are the ERP shipping list's, read back
    # here with the csv module; complaints and ratings are the seller centre's downloads
    ws, _ = imported
    ships = list(csv.DictReader(io.StringIO(next(ws.simulated_dir.glob("shipments_*.csv")).read_text("utf-8-sig"))))
    complaints = _rows(next(ws.simulated_dir.glob("complaints_*.csv")))
    ratings = _rows(next(ws.simulated_dir.glob("dsr_ratings_*.csv")))
    with Store.open(ws.store_path) as store:
        stored = {
            oid: str(at)
            for oid, at in store.con.execute(
                "SELECT order_id, shipped_at FROM orders WHERE shipped_at IS NOT NULL"
            ).fetchall()
        }
        scores = store.con.execute("SELECT sum(description + service + logistics) FROM dsr_ratings").fetchone()
        cases = store.con.execute(
            "SELECT count(*), count(*) FILTER (WHERE c.buyer_key = o.buyer_key) FROM complaints c "
            "JOIN orders o USING (platform, order_id)"
        ).fetchone()
    assert stored == {r["订单编号"]: r["发货时间"] for r in ships}
    assert scores == (sum(int(r["描述相符"]) + int(r["服务态度"]) + int(r["物流服务"]) for r in ratings),)
    assert cases == (len(complaints), len(complaints))  # every case found its order and its buyer
