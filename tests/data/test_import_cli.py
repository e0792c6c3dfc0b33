from __future__ import annotations

import json
from pathlib import Path

import typer
from import_makers import TAOBAO_45, csv_bytes, taobao_order, write
from typer.testing import CliRunner

from dachu.cli import import_cmd


def app() -> typer.Typer:
    application = typer.Typer()
    import_cmd.register(application)

    @application.callback()
    def _root() -> None:  # keeps `import` a sub-command
        pass

    return application


def export(tmp_path: Path) -> Path:
    bad = taobao_order(3)
    bad[TAOBAO_45.index("订单创建时间")] = "昨天"
    return write(
        tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_45, [taobao_order(1), taobao_order(2), bad], "gbk")
    )


def test_import_prints_a_summary_and_where_the_rejects_are(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        app(), ["import", str(export(tmp_path)), "--store", str(store), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "ExportOrderList.csv" in result.output and "Taobao/Tmall orders" in result.output
    assert "1 rows rejected" in result.output and "dachu import --rejected" in result.output


def test_import_json_then_again_reports_already_imported(tmp_path: Path) -> None:
    path, store = export(tmp_path), tmp_path / "s.duckdb"
    args = ["import", str(path), "--store", str(store), "--format", "json"]
    first = json.loads(CliRunner(env={"COLUMNS": "200"}).invoke(app(), args).output)
    second = json.loads(CliRunner(env={"COLUMNS": "200"}).invoke(app(), args).output)
    assert (first[0]["rows_read"], first[0]["inserted"], first[0]["rejected"]) == (3, 2, 1)
    assert second[0]["already_imported"] is True


def test_rejected_rows_are_listed_and_exported_with_personal_data_masked(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    row = taobao_order(4)
    row[TAOBAO_45.index("联系手机")] = "'13812345678"
    row[TAOBAO_45.index("订单编号")] = ""
    short = taobao_order(5)[: TAOBAO_45.index("联系手机") + 1]  # cut after the mobile number
    short[TAOBAO_45.index("联系手机")] = "'13812345678"
    path = write(tmp_path / "o.csv", csv_bytes(TAOBAO_45, [row, short], "gbk"))
    CliRunner(env={"COLUMNS": "200"}).invoke(app(), ["import", str(path), "--store", str(store)])
    listed = CliRunner(env={"COLUMNS": "200"}).invoke(
        app(), ["import", "--rejected", "--store", str(store), "--format", "json"]
    )
    rows = json.loads(listed.output)
    assert [r["reason"] for r in rows] == ["missing id", "row has fewer columns than the header"] or [
        r["reason"] for r in rows
    ] == ["缺少编号", "这一行的列数比表头少"]
    assert "13812345678" not in listed.output and "138****5678" in listed.output
    # the short row's buyer, receiver and street are masked too; file and line still find it
    assert "测试买家005" not in listed.output and "测试收货人005" not in listed.output
    assert "测试路5号" not in listed.output and "浙江省 杭州市 ***" in listed.output
    assert [(r["line"], r["column"]) for r in rows] == [(2, "订单编号"), (3, "")]
    out = tmp_path / "rejected.csv"
    CliRunner(env={"COLUMNS": "200"}).invoke(app(), ["import", "--export", str(out), "--store", str(store)])
    assert "138****5678" in out.read_text(encoding="utf-8-sig")


def test_a_missing_file_is_one_red_line_and_exit_1(tmp_path: Path) -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        app(), ["import", str(tmp_path / "nope.csv"), "--store", str(tmp_path / "s.duckdb")]
    )
    assert result.exit_code == 1
    assert "nope.csv" in result.output


def test_a_store_held_by_another_process_is_one_clear_line_naming_the_holder(tmp_path: Path) -> None:
    import subprocess
    import sys

    store = tmp_path / "s.duckdb"
    hold = (
        "import sys; from dachu.data.store import Store; s = Store.open(sys.argv[1]); "
        "print('ready', flush=True); sys.stdin.read()"
    )
    holder = subprocess.Popen([sys.executable, "-c", hold, str(store)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ready"
        for lang, words in (("en", "is held by another process"), ("zh", "正被另一个进程占用")):
            result = CliRunner(env={"COLUMNS": "300"}).invoke(
                app(), ["import", str(export(tmp_path)), "--store", str(store), "--lang", lang]
            )
            assert result.exit_code == 1
            assert words in result.output and f"PID {holder.pid}" in result.output, result.output
            assert "Traceback" not in result.output and "IO Error" not in result.output
            assert len(result.output.strip().splitlines()) == 1
        # and nothing was written behind the holder's back: once it is gone the same import goes in whole
    finally:
        holder.communicate(b"", timeout=30)
    result = CliRunner().invoke(app(), ["import", str(export(tmp_path)), "--store", str(store), "--lang", "en"])
    assert result.exit_code == 0, result.output
