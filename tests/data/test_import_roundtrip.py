"""simulate → import: the canonical Parquet tables `dachu simulate --formats parquet` writes import as they are."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import typer
from typer.testing import CliRunner

from dachu.cli import import_cmd, simulate_cmd
from dachu.data.store import Store

CAMPAIGN = Path(__file__).parent / "simulate_campaign.yaml"


def app() -> typer.Typer:
    application = typer.Typer()
    simulate_cmd.register(application)
    import_cmd.register(application)

    @application.callback()
    def _root() -> None:
        pass

    return application


def test_simulated_parquet_imports_without_a_mapping(tmp_path: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "200"})
    out = tmp_path / "sim"
    made = runner.invoke(
        app(), ["simulate", str(CAMPAIGN), "--orders", "600", "--seed", "3", "--out", str(out), "--formats", "parquet"]
    )
    assert made.exit_code == 0, made.output
    folder = out / "parquet"
    files = sorted(folder.glob("*.parquet"))
    assert {f.stem for f in files} == {
        "orders",
        "order_lines",
        "contacts",
        "behaviour_events",
        "cs_sessions",
        "complaints",
        "dsr_ratings",
        "shipments",
        "traffic",
    }
    store = tmp_path / "s.duckdb"
    done = runner.invoke(app(), ["import", *map(str, files), "--store", str(store), "--format", "json"])
    assert done.exit_code == 0, done.output
    results = {Path(r["file"]).stem: r for r in json.loads(done.output)}
    for stem, r in results.items():  # every row of every table went in, none rejected
        assert (r["source"], r["rejected"]) == ("generic", 0), stem
        assert r["inserted"] == r["rows_read"] == pq.ParquetFile(folder / f"{stem}.parquet").metadata.num_rows
    with Store.open(store) as st:
        con = st.con
        orders = pq.read_table(folder / "orders.parquet")
        # the store holds what the file holds: order count, money to the fen, statuses mapped
        assert con.execute("SELECT count(*), sum(paid_amount) FROM orders").fetchone() == (
            orders.num_rows,
            sum(orders["paid_amount"].to_pylist()),
        )
        pending_in_file = orders["status"].to_pylist().count("pending")
        assert con.execute("SELECT count(*) FROM orders WHERE status = 'pending_payment'").fetchone() == (
            pending_in_file,
        )
        assert con.execute("SELECT count(*) FROM orders WHERE status = 'unknown'").fetchone() == (0,)
        # contacts share their order's buyer key; the buyer id itself is stored nowhere
        assert con.execute(
            "SELECT count(*) FROM contacts c JOIN orders o USING (platform, order_id) "
            "WHERE c.buyer_key IS DISTINCT FROM o.buyer_key"
        ).fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM orders WHERE buyer_key IS NULL").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM products").fetchone()[0] > 0  # type: ignore[index]
    again = runner.invoke(app(), ["import", *map(str, files), "--store", str(store), "--format", "json", "--force"])
    assert all(r["inserted"] == r["updated"] == 0 for r in json.loads(again.output))  # idempotent
