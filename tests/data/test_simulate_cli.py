"""`dachu simulate` through its own Typer app (the program's main module may lack other commands here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dachu.cli import simulate_cmd

CAMPAIGN = Path(__file__).parent / "simulate_campaign.yaml"


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    simulate_cmd.register(app)

    @app.callback()
    def _root() -> None:
        pass

    return app


def test_simulate_writes_the_platform_files_and_summarises_them(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            str(CAMPAIGN),
            "--orders",
            "800",
            "--seed",
            "2",
            "--out",
            str(tmp_path),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["orders"] == 1200 and summary["history_orders"] == 400
    names = {Path(f["path"]).name for f in summary["files"]}
    assert "ExportOrderList202611210000.csv" in names and "UserBehavior.csv" in names
    assert all((tmp_path / n).exists() for n in names)


def test_simulate_table_in_chinese(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            str(CAMPAIGN),
            "--orders",
            "300",
            "--out",
            str(tmp_path),
            "--platform",
            "shopify",
            "--lang",
            "zh",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "已生成 450 个订单" in result.output
    assert (tmp_path / "orders_export_1.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--orders", "0"], "--orders must be at least 1"),
        (["--platform", "ebay"], "unknown platform ebay"),
        (["--formats", "tmall45,excel"], "unknown format excel"),
        (["--encoding", "latin-1"], "unknown encoding latin-1"),
    ],
    ids=["orders", "platform", "formats", "encoding"],
)
def test_bad_options_end_in_one_red_line(
    app: typer.Typer, tmp_path: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(
        app, ["simulate", str(CAMPAIGN), "--out", str(tmp_path), "--lang", "en", *args]
    )
    assert result.exit_code == 1
    assert message in result.output


def test_missing_campaign_file(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["simulate", str(tmp_path / "nope.yaml"), "--lang", "en"])
    assert result.exit_code == 1
    assert "file not found" in result.output


def test_a_campaign_file_saved_with_a_byte_order_mark_simulates_as_it_plans(app: typer.Typer, tmp_path: Path) -> None:
    # Windows Notepad and Excel's "UTF-8" save put EF BB BF in front; `dachu plan` read such a file, simulate did not
    bom = tmp_path / "campaign.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + CAMPAIGN.read_bytes())
    args = ["simulate", str(bom), "--orders", "300", "--out", str(tmp_path / "sim"), "--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["orders"] - summary["history_orders"] == 300  # the campaign's own orders
