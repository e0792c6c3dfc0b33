"""Personal data by content: what is surely a phone, an ID number or an address, and what a shop writes."""

from __future__ import annotations

import pytest

from dachu.domain.privacy import id_number_valid, personal_kind


def test_the_check_digit_of_the_standard_example_id_worked_by_hand() -> None:
    # 1101051949123100 2X: Σ digit × weight (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) = 167; 167 mod 11 = 2 → "X"
    assert id_number_valid("11010519491231002X")
    assert id_number_valid("11010519491231002x")
    assert not id_number_valid("110105194912310021")  # one digit off: the check fails
    assert not id_number_valid("1101051949123100X2")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("张三 13812345678 北京市朝阳区", "phone"),
        ("13812345678", "phone"),
        ("张三13812345678", "phone"),
        ("138-1234-5678", "phone"),
        ("+86 138 1234 5678", "phone"),
        ("tel 010-12345678", "phone"),
        ("11010519491231002X", "id_number"),
        ("id:11010519491231002X", "id_number"),
        ("身份证11010519491231002X", "id_number"),
        ("北京市朝阳区", "address"),
        ("浙江省杭州市西湖区", "address"),
        ("广西壮族自治区南宁市", "address"),
        ("文三路90号", "address"),
        ("12 Main Street", "address"),
    ],
)
def test_personal_data_is_found(text: str, kind: str) -> None:
    assert personal_kind(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "2026111112345678901",  # a Tmall order id: 19 digits, no mobile inside it stands alone
        "12345678901",  # 11 digits, but no mobile prefix (1 then 3–9)
        "110105194912310021",  # 18 digits whose check digit is wrong: an id of some system, not a person
        "buyer-7f3a9c2e",
        "a13812345678bcde",  # a 16-hex buyer key (sha256 prefix) with an 11-digit run inside
        "e11010519491231002Xf",
        "天猫超市",
        "直通车",
        "钻石展位",
        "上海市场部",
        "聚划算",
        "淘宝客 A01",
        "店铺首页",
        "A01",
        "agent-P01",
        "Search ads",
    ],
)
def test_a_shops_own_words_are_not_personal(text: str) -> None:
    assert personal_kind(text) is None


def test_hashed_buyer_keys_are_never_taken_for_personal_data() -> None:
    import hashlib

    # the store's buyer key: the first 16 hex characters of sha256(platform + account)
    keys = [hashlib.sha256(f"taobao:{i}".encode()).hexdigest()[:16] for i in range(50_000)]
    assert [k for k in keys if personal_kind(k)] == []
