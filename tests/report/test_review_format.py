"""How review values read: money to the fen (half up), rates as %, durations with their unit, in zh and en."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from dachu.report import review_format as f


@pytest.mark.parametrize(
    ("value", "unit", "lang", "want"),
    [
        (Decimal("1234.56"), "yuan", "zh", "¥1,234.56"),
        (Decimal("1234.5"), "yuan", "en", "¥1,234.50"),
        (Decimal("-1234.5"), "yuan", "en", "-¥1,234.50"),
        (Decimal("0.005"), "yuan", "zh", "¥0.01"),  # half up, not banker's rounding
        (Decimal("0.004"), "yuan", "zh", "¥0.00"),
        (1234567, "count", "en", "1,234,567"),
        (0.0321, "rate", "en", "3.21%"),
        (0.00005, "rate", "en", "0.01%"),  # 0.005% rounds half up to 0.01%
        (1.0, "rate", "zh", "100.00%"),
        (3.456, "ratio", "en", "3.46"),
        (12.34, "seconds", "zh", "12.3 秒"),
        (12.34, "seconds", "en", "12.3 s"),
        (20.25, "hours", "en", "20.3 h"),  # 20.25 → 20.3 half up
        (1.5, "days", "zh", "1.5 天"),
        (0, "hour", "en", "00:00"),
        (23, "hour", "en", "23:00"),
        (date(2026, 11, 11), "date", "en", "2026-11-11"),
        (datetime(2026, 11, 11, 0, 42, 59), "datetime", "en", "2026-11-11 00:42"),
        ("plan.role.hero", "text", "zh", "主推款"),  # a catalogue key is translated
        ("plan.role.hero", "text", "en", "hero"),
        ("直通车", "text", "en", "直通车"),  # other text is shown as it is
        (None, "yuan", "zh", "—"),
    ],
    ids=lambda v: str(v),
)
def test_display(value, unit, lang, want):
    assert f.display(value, unit, lang) == want


def test_of_plan_and_change_by_hand():
    # 1,234.56 / 1,000 = 1.23456; (1,234.56 − 1,100) / 1,100 = 134.56 / 1,100 = 0.122327…
    assert f.of_plan(Decimal("1234.56"), Decimal("1000")) == pytest.approx(1.23456)
    assert f.change(Decimal("1234.56"), Decimal("1100")) == pytest.approx(0.1223272727)
    assert f.signed_percent(0.1223272727) == "+12.23%"
    assert f.signed_percent(-0.04) == "-4.00%"


@pytest.mark.parametrize(("actual", "plan"), [(1, None), (None, 1), (1, 0), ("x", 1)], ids=str)
def test_no_share_without_both_numbers(actual, plan):
    assert f.of_plan(actual, plan) is None
    assert f.change(actual, plan) is None


def test_number_is_a_float_or_none():
    assert f.number(Decimal("1.10")) == 1.1
    assert f.number(3) == 3.0
    assert f.number("3") is None
    assert f.number(date(2026, 1, 1)) is None
    assert f.number(None) is None
