"""Channel listings (渠道库存): one real stock, never listed above it in all (`dachu.domain.stock.listings`)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from dachu.domain.stock.listings import listings, to_lower

SHARES = {"tmall": Decimal("0.5"), "jd": Decimal("0.3"), "douyin": Decimal("0.15"), "own": Decimal("0.05")}


def test_the_listed_ratio_and_the_shares_split_the_available_units() -> None:
    # 1,000 available, 95% listed = 950, split 50/30/15/5
    # 142.5 and 47.5: a tie of remainders, given by name
    assert listings(1000, SHARES, Decimal("0.95")) == {"tmall": 475, "jd": 285, "douyin": 143, "own": 47}


def test_the_units_left_by_rounding_go_to_the_largest_remainders_and_never_more() -> None:
    thirds = {"a": Decimal(1), "b": Decimal(1), "c": Decimal(1)}
    assert listings(10, thirds) == {"a": 4, "b": 3, "c": 3}
    assert listings(2, thirds) == {"a": 1, "b": 1, "c": 0}
    assert listings(0, thirds) == {"a": 0, "b": 0, "c": 0}
    assert listings(5, {"a": Decimal(0)}) == {"a": 0}


@given(st.integers(min_value=-5, max_value=100_000),
       st.dictionaries(st.sampled_from(["tmall", "jd", "douyin", "own"]),
                       st.decimals(min_value=0, max_value=1, places=3), min_size=1),
       st.decimals(min_value=Decimal("0.5"), max_value=1, places=2))
def test_no_split_ever_lists_more_than_is_available(available: int, shares: dict[str, Decimal],
                                                    ratio: Decimal) -> None:
    listed = listings(available, shares, ratio)
    assert set(listed) == set(shares)
    assert all(v >= 0 for v in listed.values())
    assert sum(listed.values()) <= max(0, available)


def test_only_channels_listing_more_than_their_part_are_lowered() -> None:
    before = listings(1000, SHARES, Decimal("0.95"))
    after = listings(100, SHARES, Decimal("0.95"))
    assert to_lower(before, after) == {"douyin": 14, "jd": 29, "own": 5, "tmall": 47}
    assert to_lower(after, before) == {}
