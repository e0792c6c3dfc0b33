"""`dachu import --server`: during the day the running war room imports the files into the store it holds."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dachu.app import Workspace
from dachu.cli import import_cmd
from dachu.data.store import Store
from tests.web.process import serving

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))
from import_makers import TAOBAO_45, csv_bytes, taobao_order, write


def _app() -> typer.Typer:
    application = typer.Typer()
    import_cmd.register(application)

    @application.callback()
    def _root() -> None:
        pass

    return application


def _export(folder: Path, n: int = 5) -> Path:
    rows = [taobao_order(i) for i in range(1, n + 1)]
    folder.mkdir(parents=True, exist_ok=True)
    return write(folder / "ExportOrderList202611110000.csv", csv_bytes(TAOBAO_45, rows, "gbk"))


@pytest.mark.slow
def test_the_running_war_room_imports_what_it_is_handed(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    ws.init("double11", "en")
    export = _export(tmp_path / "downloads")
    with serving(ws.campaign_path, env={"DACHU_INGEST_TOKEN": "in-token", "DACHU_DASHBOARD_TOKEN": "d"}) as served:
        # the store is held: a local import says who holds it ...
        held = CliRunner(env={"COLUMNS": "300"}).invoke(
            _app(), ["import", str(export), "--store", str(ws.store_path), "--lang", "en"])
        assert held.exit_code == 1 and "held by another process" in held.output
        # ... and the same import handed to the server goes in, in the server's process
        args = ["import", str(export), "--server", served.url, "--token", "in-token", "--lang", "en"]
        done = CliRunner(env={"COLUMNS": "300"}).invoke(_app(), args)
        assert done.exit_code == 0, done.output
        assert "ExportOrderList202611110000.csv" in done.output and "Taobao/Tmall orders" in done.output
        again = CliRunner(env={"COLUMNS": "300"}).invoke(_app(), args)  # the same file twice changes nothing
        assert again.exit_code == 0 and "ExportOrderList202611110000.csv was imported before" in again.output
        wrong = CliRunner().invoke(_app(), ["import", str(export), "--server", served.url, "--token", "nope",
                                            "--lang", "zh"])
        assert wrong.exit_code == 1 and "作战室拒绝了" in wrong.output and "Traceback" not in wrong.output
        served.proc.send_signal(signal.SIGTERM)
        served.proc.wait(timeout=60)
    with Store.open(ws.store_path) as store:
        row = store.con.execute("SELECT count(*) FROM orders").fetchone()
    assert row is not None and row[0] == 5
    assert not any((tmp_path / "live" / "imports").iterdir())  # the uploaded copy is gone


@pytest.mark.slow
def test_a_signed_upload_in_hmac_mode(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    ws.init("double11", "en")
    export = _export(tmp_path / "downloads", 3)
    with serving(ws.campaign_path, env={"DACHU_HMAC_SECRET": "shh"}) as served:
        args = ["import", str(export), "--server", served.url, "--hmac-secret", "shh", "--lang", "en"]
        done = CliRunner(env={"COLUMNS": "300"}).invoke(_app(), args)
        assert done.exit_code == 0, done.output
        bad = CliRunner().invoke(_app(), ["import", str(export), "--server", served.url, "--hmac-secret", "other",
                                          "--force", "--lang", "en"])
        assert bad.exit_code == 1 and "HTTP 401" in bad.output
