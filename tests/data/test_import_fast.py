"""The fast CSV path (iconv into a temporary file, DuckDB's parallel reader) keeps exact lines, falls back safely."""

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


@pytest.mark.parametrize("route", ["iconv", "python"], ids=["iconv", "python-transcoder"])
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
    ("encoding", "route"), [("gbk", "iconv"), ("gbk", "python"), ("utf-8", "iconv")], ids=["iconv", "python", "utf8"]
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


@pytest.mark.parametrize("route", ["iconv", "python"], ids=["iconv", "python-transcoder"])
def test_a_quoted_field_spanning_lines_keeps_its_row_and_the_numbering_of_the_rows_after_it(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    # lines count records, as Excel and WPS number rows: record 3 spans three physical lines (a 买家留言
    # typed with line breaks), so the short row is record 5 and the 30 February record 6
    if route == "python":
        monkeypatch.setattr(duckcsv, "iconv_available", lambda: False)
    rows = [taobao_order(1), taobao_order(2), taobao_order(3), taobao_order(4)[:10], taobao_order(5), taobao_order(6)]
    rows[1][TAOBAO_45.index("买家留言")] = "第一行\n第二行\n第三行"
    rows[4][TAOBAO_45.index("订单创建时间")] = "2026-02-30 10:00:00"
    r = import_files(store, [write(tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_45, rows, "gbk"))])[0]
    assert (r.rows_read, r.inserted, r.rejected) == (6, 4, 2)
    assert store.con.execute("SELECT line, col, reason FROM quarantine ORDER BY line").fetchall() == [
        (5, "", "data_import.reason.short_row"),
        (6, "订单创建时间", "data_import.reason.bad_date"),
    ]


@pytest.mark.parametrize("route", ["iconv", "python"], ids=["iconv", "python-transcoder"])
def test_stray_quotes_inside_unquoted_fields_are_kept_as_text(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    # an inch mark in a title, a quoted word: Excel writes them unquoted when the field has no comma
    if route == "python":
        monkeypatch.setattr(duckcsv, "iconv_available", lambda: False)
    titles = ['27"显示器', '野菊蜜 "500g"', "普通标题"]
    text = csv_bytes(TAOBAO_45, [taobao_order(n) for n in (1, 2, 3)], "gbk").decode("gbk").split("\r\n")
    for i, title in enumerate(titles, start=1):
        text[i] = text[i].replace("野菊蜜 500g", title)
    r = import_files(store, [write(tmp_path / "o.csv", "\r\n".join(text).encode("gbk"))])[0]
    assert (r.inserted, r.rejected) == (3, 0)
    assert [t for (t,) in store.con.execute("SELECT title FROM orders ORDER BY order_id").fetchall()] == titles


def test_line_numbers_survive_a_parallel_parse(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # small CSV buffers make DuckDB parse the file in many pieces on every thread; rows are still stored in
    # file order, so rejects far into the file (rows 1000, 4001–4002 and the last) keep their exact lines
    monkeypatch.setattr(duckcsv, "BUFFER_SIZE", 64 << 10)
    n = 6000
    rows = [taobao_order(i) for i in range(1, n + 1)]
    rows[998] = rows[998][:10]  # line 1000: short
    for i in (3999, 4000):  # lines 4001, 4002: bad amounts
        rows[i][TAOBAO_45.index("总金额")] = "五十八元"
    rows[-1][TAOBAO_45.index("订单创建时间")] = "昨天"  # line 6001
    path = write(tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_45, rows, "gbk"))
    assert path.stat().st_size > 10 * (64 << 10)
    r = import_files(store, [path])[0]
    assert (r.rows_read, r.rejected) == (n, 4)
    assert [line for (line,) in store.con.execute("SELECT line FROM quarantine ORDER BY line").fetchall()] == [
        1000,
        4001,
        4002,
        6001,
    ]
    # and the accepted rows are the others, each once
    got = store.con.execute("SELECT count(*), count(DISTINCT order_id) FROM orders").fetchone()
    assert got == (n - 4, n - 4)


def test_iconv_pieces_are_written_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # many small pieces on several workers: the UTF-8 copy is the file's text in order
    if not duckcsv.iconv_available():
        pytest.skip("no iconv program (not a glibc system)")
    monkeypatch.setattr(duckcsv, "ICONV_PIECE", 1000)
    text = "".join(f"{i},测试第{i}行,野菊蜜\r\n" for i in range(5000))
    src = write(tmp_path / "g.csv", text.encode("gbk"))
    seen: list[int] = []
    assert duckcsv.transcode_iconv(src, "gb18030", tmp_path / "u.csv", seen.append)
    assert (tmp_path / "u.csv").read_bytes().decode("utf-8") == text
    assert sum(seen) == src.stat().st_size and len(seen) > 10
    bad = write(tmp_path / "b.csv", text.encode("gbk") + b"\xff\xff,1\r\n")
    assert not duckcsv.transcode_iconv(bad, "gb18030", tmp_path / "u2.csv")


@pytest.mark.parametrize("route", ["iconv", "python"], ids=["iconv", "python-transcoder"])
def test_a_large_file_is_staged_in_a_scratch_database_that_goes_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    from dachu.data.importers import engine

    # every file counts as large: staged in a scratch database beside the store, same rows, same lines
    monkeypatch.setattr(engine, "STAGE_IN_MEMORY_BYTES", 0)
    if route == "python":
        monkeypatch.setattr(duckcsv, "iconv_available", lambda: False)
    folder = tmp_path / "shop"
    folder.mkdir()
    path = write(tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_45, rows_with_rejects(), "gbk"))
    with Store.open(folder / "dachu.duckdb") as store:
        r = import_files(store, [path])[0]
        assert (r.rows_read, r.inserted, r.rejected) == (8, 4, 4)
        lines = [line for (line,) in store.con.execute("SELECT line FROM quarantine ORDER BY line").fetchall()]
        assert lines == [3, 5, 6, 8]
        again = import_files(store, [path], force=True)[0]
        assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 4, 4)
        databases = {name for (name,) in store.con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
        assert engine.SCRATCH not in databases
    assert sorted(p.name for p in folder.iterdir()) == ["dachu.duckdb"]  # no scratch or UTF-8 copy left


@pytest.mark.parametrize(
    ("opened_with", "during", "after"),
    [("2GB", "488.2 MiB", "1.8 GiB"), ("256MB", "244.1 MiB", "244.1 MiB")],
    ids=["store-cap-larger", "store-cap-smaller"],
)
def test_an_import_runs_under_its_own_memory_cap_and_gives_the_store_its_own_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opened_with: str, during: str, after: str
) -> None:
    import dachu.data.importers as importers

    # DuckDB shows 512 MB as 488.2 MiB (512e6 / 2^20), 2 GB as 1.8 GiB, 256 MB as 244.1 MiB
    seen: list[str] = []
    real = importers.import_file

    def spy(store: Store, *args: object, **kwargs: object) -> object:
        seen.append(store.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])
        return real(store, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importers, "import_file", spy)
    path = write(tmp_path / "ExportOrderList.csv", csv_bytes(TAOBAO_45, [taobao_order(1)], "gbk"))
    with Store.open(tmp_path / "dachu.duckdb", memory_limit=opened_with) as store:
        import_files(store, [path])
        assert seen == [during]
        assert store.con.execute("SELECT current_setting('memory_limit')").fetchall() == [(after,)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("512MB", 512e6), ("6144MiB", 6144 * 2**20), ("1.5 GiB", 1.5 * 2**30), ("2gb", 2e9), ("lots", float("inf"))],
)
def test_memory_sizes_are_read_as_duckdb_writes_them(text: str, expected: float) -> None:
    from dachu.data.importers import _bytes

    assert _bytes(text) == expected
