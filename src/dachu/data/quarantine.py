"""The quarantine (隔离区) read back: every row an import refused, where it was and why, personal data masked.

A row stays open until a later import brings it in accepted (the same order fixed in a new export, a
corrected download of the same file: `engine._resolve`); it is then marked resolved, never deleted, so
the history stays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dachu.data.importers.privacy import mask_for_display
from dachu.data.store import Store
from dachu.i18n import Lang


@dataclass(frozen=True)
class RejectedRow:
    """One refused row: where it came from, the column at fault, the masked value and the reason.

    `column` may be empty (a whole line refused); `value` is masked for display; `reason` is in the asked
    language; `resolved_at` is when a later import brought the row in (None: still open).
    """

    file: str
    line: int
    column: str
    value: str
    reason: str
    resolved_at: dt.datetime | None = None


def rejected_rows(store: Store, lang: Lang, *, include_resolved: bool = False) -> list[RejectedRow]:
    """The open quarantined rows (every one with `include_resolved`) in file and line order, values masked.

    Values are masked again for display (`mask_for_display`); nothing else is left out.
    """
    reason = "reason_zh" if lang == "zh" else "reason_en"
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    rows = store.con.execute(
        f"SELECT file, line, col, raw_value, {reason}, resolved_at FROM quarantine {where} ORDER BY file, line"
    ).fetchall()
    return [
        RejectedRow(file, int(line), col or "", mask_for_display(col or "", raw or ""), why or "", resolved)
        for file, line, col, raw, why, resolved in rows
    ]
