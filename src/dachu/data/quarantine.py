"""The quarantine (隔离区) read back: every row an import refused, where it was and why, personal data masked."""

from __future__ import annotations

from dataclasses import dataclass

from dachu.data.importers.privacy import mask_for_display
from dachu.data.store import Store
from dachu.i18n import Lang


@dataclass(frozen=True)
class RejectedRow:
    """One refused row: where it came from, the column at fault, the masked value and the reason.

    `column` may be empty (a whole line refused); `value` is masked for display; `reason` is in the asked
    language.
    """

    file: str
    line: int
    column: str
    value: str
    reason: str


def rejected_rows(store: Store, lang: Lang) -> list[RejectedRow]:
    """Every quarantined row in file and line order; values masked (`mask_for_display`), nothing left out."""
    reason = "reason_zh" if lang == "zh" else "reason_en"
    rows = store.con.execute(
        f"SELECT file, line, col, raw_value, {reason} FROM quarantine ORDER BY file, line"
    ).fetchall()
    return [
        RejectedRow(file, int(line), col or "", mask_for_display(col or "", raw or ""), why or "")
        for file, line, col, raw, why in rows
    ]
