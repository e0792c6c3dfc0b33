"""Personal data is masked in the quarantine: phones 138****1234, names and addresses cut short."""

from __future__ import annotations

from pathlib import Path

import pytest
from import_makers import TAOBAO_45, csv_bytes, taobao_order, write

from dachu.data.importers import import_files
from dachu.data.importers.privacy import PersonalKind, mask_cell, mask_line, mask_value, register_mask
from dachu.data.store import Store


@pytest.mark.parametrize(
    ("kind", "raw", "masked"),
    [
        ("phone", "13812341234", "138****1234"),  # a mobile keeps 3 + 4 digits
        ("phone", "'13812341234", "'138****1234"),  # the Excel guard stays, the digits do not
        ("phone", "0571-88886666", "0571-****6666"),  # a landline keeps its area code and last 4
        ("name", "测试收货人007", "测**"),
        ("account", "test-buyer-1@example.com", "t**@example.com"),
        ("address", "浙江省 杭州市 西湖区 测试路7号", "浙江省 杭州市 ***"),
        ("address", "北京市朝阳区测试街道1号", "北京市***"),  # no spaces: first 3 characters
        (None, "2026-13-45 25:61", "2026-13-45 25:61"),  # what the user must fix stays readable
        (None, "call 13812341234 please", "call 138****1234 please"),  # a mobile in free text
        (None, '="2026111100000000001"', '="2026111100000000001"'),  # ids are no phones
    ],
    ids=["mobile", "guarded", "landline", "name", "email", "address", "address-nospace", "date", "text", "id"],
)
def test_mask_value_by_kind(kind: PersonalKind | None, raw: str, masked: str) -> None:
    assert mask_value(kind, raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("+86 138 1234 5678", "+86 138****5678"),  # any spacing or prefix
        ("86-138-1234-5678", "86-138****5678"),
        ("请寄给测试甲，电话0571-88886666，地址浙江省杭州市西湖区测试路1号3幢201室",
         "请寄给测**，电话0571-****6666，地址浙江省***"),
        ("收件人：测试乙 (010) 6666 8888", "收件人：测** (010)-****8888"),
        ("身份证11010519491231002X", "身份证****002X"),  # a right check digit: an ID number
        ("110105194912310021", "110105194912310021"),  # a wrong one: some system's id, kept
        ("2026111100000000001", "2026111100000000001"),  # an order id holds no phone
        ("1,196.00元", "1,196.00元"),
    ],
    ids=["spaced", "dashed", "message", "labelled", "id-number", "not-id", "order-id", "amount"],
)
def test_any_value_is_masked_by_its_content(raw: str, masked: str) -> None:
    assert mask_cell("宝贝标题", raw) == masked  # a column that is not personal: content alone
    assert mask_cell("买家留言", raw) == masked  # free text: the same


def test_the_sql_function_is_the_python_mask() -> None:
    with Store.open(":memory:") as store:
        register_mask(store.con)
        register_mask(store.con)  # twice on one connection is fine
        rows = store.con.execute(
            "SELECT dachu_mask(c, v) FROM (VALUES ('收货人姓名', '测试收货人001'), ('', 'a,+86 138 1234 5678'), "
            "('x', NULL)) t(c, v)"
        ).fetchall()
    assert rows == [("测**",), ("a,+86 138****5678",), (None,)]


def test_a_whole_row_is_masked_field_by_field() -> None:
    row = taobao_order(5)[:17]
    row[16] = "'13812345678"
    line = csv_bytes(TAOBAO_45, [row], "utf-8").decode().split("\r\n")[1]
    masked = mask_line(line, TAOBAO_45)
    assert "'138****5678" in masked and "测**" in masked and "浙江省 杭州市 ***" in masked
    assert "测试买家005" not in masked and "测试收货人005" not in masked and "测试路5号" not in masked
    assert masked.startswith('"=""2026111100000000005"""') or masked.startswith('="2026111100000000005"')


def test_quarantine_keeps_no_personal_data_in_clear(tmp_path: Path) -> None:
    broken = csv_bytes(TAOBAO_45, [taobao_order(2)], "gbk").split(b"\r\n")[1]
    broken = broken.replace("测试收货人".encode("gbk"), b"\xff\xfe")  # a name GBK cannot decode
    short = taobao_order(3)[:17]
    data = csv_bytes(TAOBAO_45, [taobao_order(1)], "gbk") + broken + b"\r\n"
    data += csv_bytes(TAOBAO_45, [short], "gbk").split(b"\r\n", 1)[1]
    with Store.open(":memory:") as store:
        r = import_files(store, [write(tmp_path / "o.csv", data)])[0]
        got = store.con.execute("SELECT line, col, raw_value FROM quarantine ORDER BY line").fetchall()
    assert r.rejected == 2
    assert [(g[0], g[1]) for g in got] == [(3, "收货人姓名"), (4, "")]  # file + line still find them
    assert got[0][2].endswith("**") and len(got[0][2]) == 3  # first character only
    assert "13800000000" not in got[1][2] and "138****0000" in got[1][2]
    assert "测试收货人003" not in got[1][2] and "测试路3号" not in got[1][2]
