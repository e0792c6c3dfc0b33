"""How the review's values read (复盘数值格式), shared by the HTML report and the workbook.

One function per question: `display` turns a value and its `Unit` into the text a reader sees (¥1,234.56,
3.21%, 1,234, 20:00, 45 秒); `number` turns it into a plain float for a chart or a cell (None when it is not
a number); `of_plan` and `change` are the two comparisons a headline card shows. A text value that is a
catalogue key (`plan.role.hero`) is shown translated, so the analytics can name stages and roles
language-neutrally; any other text is shown as it is.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from dachu.analytics.review_model import Unit, Value
from dachu.domain.money import fen
from dachu.i18n import Lang, has, t

DASH = "—"
"""Shown where a value is unknown (None)."""

NUMERIC_UNITS: frozenset[str] = frozenset(
    {"yuan", "count", "rate", "points", "seconds", "hours", "days", "ratio", "hour"}
)
"""Units whose values are numbers (can be charted, compared with a plan)."""

def _decimal(value: Decimal | int | float) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def money(value: Decimal | int | float) -> str:
    """¥1,234.56; negative amounts as -¥1,234.56. Rounded half up to the fen."""
    d = fen(_decimal(value))
    sign = "-" if d < 0 else ""
    return f"{sign}¥{abs(d):,.2f}"


def percent(value: Decimal | int | float, places: int = 2) -> str:
    """A share 0–1 as a percentage: 0.0321 → 3.21%."""
    d = (_decimal(value) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{d:,.{places}f}%"


def points(value: Decimal | int | float, lang: Lang) -> str:
    """A difference of two shares in percentage points: 0.2 → +20.00 pp (zh: +20.00 个百分点)."""
    d = (_decimal(value) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return t("review_report.unit.points", lang, v=f"{d:+,.2f}")


def signed_percent(value: float) -> str:
    """A change as a signed percentage: +12.30%, -4.00%."""
    text = percent(value)
    return text if text.startswith("-") else "+" + text


def _plain(value: Decimal | int | float, places: int) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    d = _decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{d:,.{places}f}"


def text(value: str, lang: Lang) -> str:
    """A text value: translated when it is a catalogue key, else unchanged."""
    return t(value, lang) if has(value) else value


def display(value: Value, unit: Unit, lang: Lang) -> str:
    """The value as a reader sees it (not HTML-escaped)."""
    if value is None:
        return DASH
    if isinstance(value, str):
        return text(value, lang)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if unit == "yuan":
        return money(value)
    if unit == "rate":
        return percent(value)
    if unit == "points":
        return points(value, lang)
    if unit == "count":
        return _plain(value, 0)
    if unit == "hour":
        return f"{int(value):02d}:00"
    if unit == "ratio":
        return _plain(value, 2)
    if unit in ("seconds", "hours", "days"):
        return t(f"review_report.unit.{unit}", lang, v=_plain(value, 1))
    return str(value)


def number(value: Value, unit: Unit | None = None) -> float | None:
    """The value as a float for charts and cells; None for unknown or non-numeric values.

    Money is rounded to the fen first, so a cell or a tooltip shows what the page shows; points are given in
    points (0.2 → 20.0), as the page shows them.
    """
    if value is None or isinstance(value, (str, date, bool)):
        return None
    if unit == "yuan":
        return float(fen(_decimal(value)))
    if unit == "points":
        return float(_decimal(value) * 100)
    return float(value)


def of_plan(actual: Value, plan: Value) -> float | None:
    """Actual as a share of the plan's value (1.0 = exactly on plan); None when either is missing or plan is 0."""
    a, p = number(actual), number(plan)
    if a is None or p is None or p == 0:
        return None
    return a / p


def change(actual: Value, previous: Value) -> float | None:
    """Relative change against an earlier campaign ((actual − previous) / previous); None when not defined."""
    share = of_plan(actual, previous)
    return None if share is None else share - 1.0
