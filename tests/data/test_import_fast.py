"""The fast CSV path (iconv pipe + DuckDB's reader) keeps exact line numbers and falls back safely."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from import_makers import TAOBAO_45, csv_bytes, taobao_order, write

from dachu.data.importers import duckcsv, import_files
from dachu.data.store import Store


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.open(":memory:") as st:
        yield st


def rows_with_rejects() -> list[list[str]]:
    """Lines 2–9 of an export: good, short, good, long, bad date, good, bad amount, good."""
    short = taobao_order(2)[:10]
    long = [*taobao_order(4), "多出来的一列"]
    bad_date = taobao_order(5)
    bad_date[TAOBAO_45.index("订单创建时间")] = "2026-02-30 10:00:00"
    bad_amount = taobao_order(7)
    bad_amount[TAOBAO_45.index("总金额")] = "五十八元"
    return [taobao_order(1), short, taobao_order(3), long, bad_date, taobao_order(6), bad_amount, taobao_order(8)]


@pytest.mark.parametrize("route", ["iconv", "python"], ids=["iconv-pipe", "python-transcoder"])
@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_rejects_keep_their_exact_lines_whatever_the_route(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, route: str, encoding: str
) -> None:
    if route == "python":
        monkeypatch.setattr(duckcsv, "iconv_available", lambda: False)
    path = write(tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_45, rows_with_rejects(), encoding))
    r = import_files(store, [path])[0]
    assert (r.rows_read, r.inserted, r.rejected) == (8, 4, 4)
    got = store.con.execute("SELECT line, col, reason FROM quarantine ORDER BY line").fetchall()
    assert got == [
        (3, "", "data_import.reason.short_row"),
        (5, "", "data_import.reason.long_row"),
        (6, "订单创建时间", "data_import.reason.bad_date"),  # 30 February
        (8, "总金额", "data_import.reason.bad_amount"),
    ]
    ids = [row[0][-1] for row in store.con.execute("SELECT order_id FROM orders ORDER BY order_id").fetchall()]
    assert ids == ["1", "3", "6", "8"]


def test_a_file_duckdb_cannot_follow_is_read_by_the_tolerant_reader(store: Store, tmp_path: Path) -> None:
    # an unterminated quote: DuckDB's strict reader gives up; the row is still quarantined, not lost
    data = csv_bytes(TAOBAO_45, [taobao_order(1)], "gbk") + '="2",测试买家,"未闭合\r\n'.encode("gbk")
    r = import_files(store, [write(tmp_path / "o.csv", data)])[0]
    assert r.rows_read == r.inserted + r.rejected and r.inserted == 1 and r.rejected == 1


def test_the_python_transcoder_marks_undecodable_bytes(tmp_path: Path) -> None:
    src = write(tmp_path / "g.csv", "甲,乙\n".encode("gbk") + b"\xff,1\n")
    out = tmp_path / "u.csv"
    duckcsv.transcode_python(src, "gb18030", out)
    assert out.read_text(encoding="utf-8") == "甲,乙\n\ufffd,1\n"


def test_a_file_hashed_while_read_is_still_skipped_when_its_content_was_imported(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dachu.data.importers import engine

    monkeypatch.setattr(engine, "HASH_ALONGSIDE_BYTES", 0)  # every file counts as large
    data = csv_bytes(TAOBAO_45, [taobao_order(1), taobao_order(2)], "gbk")
    first = import_files(store, [write(tmp_path / "a.csv", data)])[0]
    renamed = import_files(store, [write(tmp_path / "b.csv", data)])[0]  # new name: hashed alongside
    assert first.inserted == 2 and renamed.skipped and renamed.file_hash == first.file_hash
    assert store.con.execute("SELECT count(*) FROM import_log").fetchone() == (1,)
    forced = import_files(store, [tmp_path / "b.csv"], force=True)[0]
    assert (forced.skipped, forced.unchanged, forced.file_hash) == (False, 2, first.file_hash)


@pytest.mark.parametrize(
    ("encoding", "route"), [("gbk", "iconv"), ("gbk", "python"), ("utf-8", "iconv")], ids=["pipe", "python", "utf8"]
)
def test_progress_adds_up_to_the_file_size(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, route: str
) -> None:
    if route == "python":
        monkeypatch.setattr(duckcsv, "iconv_available", lambda: False)
    path = write(tmp_path / "o.csv", csv_bytes(TAOBAO_45, [taobao_order(i) for i in range(50)], encoding))
    seen: list[int] = []
    import_files(store, [path], progress=lambda _p, delta, _size: seen.append(delta))
    assert sum(seen) == path.stat().st_size and all(d > 0 for d in seen)
