"""Taobao user-behaviour logs in the public Tianchi `UserBehavior.csv` layout.

No header; five columns: user_id, item_id, category_id, behavior_type (pv/fav/cart/buy), a unix
timestamp in seconds. Times are stored as UTC+8 wall time (the data set's shop time).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import ClassVar

from dachu.data import schema
from dachu.data.importers.base import Field, Importer
from dachu.data.store import Store, UpsertCounts


class TianchiBehaviour(Importer):
    """UserBehavior.csv: one row per event; re-imports match on every column."""

    name = "tianchi_behaviour"
    platform = "tianchi"
    primary = schema.BEHAVIOUR_EVENTS
    has_header = False
    fields: ClassVar[tuple[Field, ...]] = (
        Field("visitor_id", ("user_id",), "id", required=True),
        Field("item_id", ("item_id",), "id", required=True),
        Field("category_id", ("category_id",), "id"),
        Field("behaviour", ("behavior_type",), "behaviour", required=True),
        Field("event_at", ("timestamp",), "epoch", required=True),
    )

    def header(self, path: Path) -> list[str]:
        """The layout's own column names (the file has no header)."""
        return [f.headers[0] for f in self.fields]

    def detect(self, header: list[str], path: Path) -> int:
        """Five fields, a behaviour word fourth and digits fifth on the first line."""
        if path.suffix.lower() != ".csv":
            return 0
        with path.open("r", encoding="utf-8", errors="replace", newline="") as fh:
            first = next(csv.reader([fh.readline()]), [])
        ok = len(first) == 5 and first[3].strip() in schema.BEHAVIOURS and first[4].strip().isdigit()
        return 1 if ok else 0

    def finalize(self, store: Store, stage: str) -> dict[str, UpsertCounts]:
        """Upsert events (distinct: the same event twice in a file is one event)."""
        events = store.upsert(
            schema.BEHAVIOUR_EVENTS,
            "(SELECT DISTINCT visitor_id, item_id, category_id, behaviour, event_at "
            f"FROM {stage} WHERE _rej IS NULL)",
        )
        return {"behaviour_events": events}
