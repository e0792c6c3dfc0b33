"""Complaints (投诉/维权), DSR ratings (评价), shipments (发货明细) and tracking (物流轨迹): generic tables.

Each comes as CSV/XLSX/Parquet with a YAML mapping (`table: complaints | dsr_ratings | shipments |
shipment_events`), in the canonical column names, or in the Chinese headers of the seller centre and ERP
downloads that `dachu simulate` writes (`LAYOUTS`, detected from the header without a mapping).

What the store decides, after the row-level checks of every import:
- `platform`, when the file has none: the platform of the store's order with that 订单编号, else the
  store's one platform (`generic` when it has none or several).
- shipments: a row whose order is not in the store is rejected (`data_import.reason.unknown_order`):
  a shipping list never creates orders. Import the order export first (`dachu import` given both files
  reads orders first). Accepted rows go to `shipments` and set the order's `shipped_at` (a whole-minute
  time from a re-saved file does not coarsen a time with seconds); carrier, tracking number and the
  time signed for (签收时间) stay in `shipments`, so an order export re-imported later changes nothing.
- tracking events (物流轨迹: 运单号, 轨迹时间, 物流状态, and 快递公司, 状态码, 所在城市 when given) are kept by
  tracking number, whether or not a shipment has it yet (the logistics notices join them when read); a
  re-imported track replaces its rows, never duplicates them.
- DSR ratings: each score given must be a whole number 1–5 (`data_import.reason.bad_score`); a row with
  no score at all is rejected as a missing value.
"""

from __future__ import annotations

import copy
from dataclasses import replace

from dachu.data import schema
from dachu.data.importers.base import Field
from dachu.data.importers.generic import GenericTable, Mapping
from dachu.data.store import Store, UpsertCounts

AFTER_SALE_TABLES = ("complaints", "dsr_ratings", "shipments", "shipment_events")

LAYOUTS: dict[str, dict[str, tuple[str, ...]]] = {
    "complaints": {
        "complaint_id": ("维权编号", "投诉编号"),
        "order_id": ("订单编号",),
        "buyer": ("买家会员名",),
        "opened_at": ("发起时间", "投诉时间", "申请时间"),
        "kind": ("维权类型", "投诉类型"),
        "reason": ("维权原因", "投诉原因"),
        "status": ("维权状态", "投诉状态"),
        "closed_at": ("完结时间",),
    },
    "dsr_ratings": {
        "order_id": ("订单编号",),
        "buyer": ("买家会员名",),
        "rated_at": ("评价时间",),
        "description": ("描述相符",),
        "service": ("服务态度",),
        "logistics": ("物流服务",),
    },
    "shipments": {
        "order_id": ("订单编号", "平台单号", "订单号"),
        "carrier": ("物流公司", "快递公司"),
        "tracking_no": ("运单号", "物流单号", "快递单号"),
        "shipped_at": ("发货时间",),
        "delivered_at": ("签收时间",),
    },
    "shipment_events": {
        "tracking_no": ("运单号", "物流单号", "快递单号"),
        "carrier": ("快递公司", "物流公司"),
        "event_at": ("轨迹时间", "操作时间", "时间"),
        "code": ("状态码", "物流状态码"),
        "status": ("物流状态", "轨迹状态", "状态"),
        "area": ("所在城市", "所在地", "地区"),
    },
}
"""Chinese headers of each table's download: canonical column → the names it goes by (first present wins)."""

NEEDED: dict[str, tuple[str, ...]] = {
    "complaints": ("complaint_id", "order_id", "opened_at"),
    "dsr_ratings": ("order_id", "description", "service", "logistics"),
    "shipments": ("order_id", "shipped_at", "tracking_no"),
    "shipment_events": ("tracking_no", "event_at", "status"),
}
"""The columns a header must have for its layout to be recognised."""

CONSTANTS: dict[str, dict[str, str]] = {"shipment_events": {"source": "file"}}
"""Values a layout gives the columns its download lacks."""

ID_COLUMNS = frozenset({"complaint_id", "order_id", "tracking_no"})
"""Read as ids: `="…"` (Excel-proof) wrapping stripped; a missing one rejects as a missing id."""
REQUIRED = {
    "shipments": ("order_id", "shipped_at"),
    "shipment_events": ("tracking_no", "event_at", "status"),
    "dsr_ratings": ("order_id",),
    "complaints": ("complaint_id",),
}


def builtin_mapping(header: list[str]) -> Mapping | None:
    """The mapping of a header that is one of `LAYOUTS` (the most columns matched wins), else None."""
    names = {h.strip() for h in header}
    best: tuple[int, Mapping] | None = None
    for table, layout in LAYOUTS.items():
        columns = {}
        for canon, aliases in layout.items():
            found = next((a for a in aliases if a in names), None)
            if found is not None:
                columns[canon] = found
        if all(c in columns for c in NEEDED[table]) and (best is None or len(columns) > best[0]):
            best = (len(columns), Mapping(table, columns, dict(CONSTANTS.get(table, {}))))
    return best[1] if best else None


def store_platform(store: Store) -> str:
    """The store's one order platform, or `generic` when it has none or several."""
    rows = store.con.execute("SELECT DISTINCT platform FROM orders").fetchall()
    return str(rows[0][0]) if len(rows) == 1 else "generic"


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class AfterSaleTable(GenericTable):
    """A mapped file of complaints, DSR ratings or shipments (see the module docstring)."""

    name = "generic"

    def __init__(self, mapping: Mapping) -> None:
        super().__init__(mapping)
        needed = REQUIRED.get(mapping.table, ())
        fields = []
        for f in self.fields:
            kind = f.kind
            if f.name in ID_COLUMNS:
                kind = "id"
            elif f.name in schema.DSR_ITEMS:
                kind = "text"  # checked as a whole score 1–5 in finalize, with the raw value kept
            fields.append(replace(f, kind=kind, required=f.required or f.name in needed))
        self.fields = tuple(fields)  # type: ignore[misc]

    def _header(self, column: str) -> str:
        return self.mapping.columns.get(column, column)

    def _reject(self, store: Store, stage: str, column: str, raw: str, reason: str, where: str) -> None:
        store.con.execute(
            f"UPDATE {stage} SET _rej = struct_pack(col := {_q(self._header(column))}, "
            f"raw := CAST({raw} AS VARCHAR), reason := {_q('data_import.reason.' + reason)}) "
            f"WHERE _rej IS NULL AND ({where})"
        )

    def _platform(self, store: Store, stage: str) -> None:
        """Give the stage a platform: the order's in the store, else the store's one platform."""
        con = store.con
        con.execute(f"ALTER TABLE {stage} ADD COLUMN platform VARCHAR")
        if "order_id" in self.mapping.columns:
            con.execute(
                f"UPDATE {stage} SET platform = k.platform FROM (SELECT order_id, max(platform) AS platform "
                f"FROM orders WHERE order_id IN (SELECT order_id FROM {stage}) GROUP BY order_id) k "
                f"WHERE {stage}.order_id = k.order_id"
            )
        con.execute(f"UPDATE {stage} SET platform = {_q(store_platform(store))} WHERE platform IS NULL")

    def _own_stage(self, store: Store, stage: str) -> None:
        """Make the stage a table of its own (the engine may stage a CSV as a view numbering its lines).

        These files are small (one row per case, rating or parcel), so the copy is cheap; the later checks
        then write their rejects into it, where the engine reads them.
        """
        con = store.con
        row = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [stage]).fetchone()
        if not (row and row[0]):
            return
        con.execute(f"CREATE TEMP TABLE _after_sale_stage AS SELECT * FROM {stage}")
        con.execute(f"DROP VIEW {stage}")
        con.execute(f"ALTER TABLE _after_sale_stage RENAME TO {stage}")

    def finalize(self, store: Store, stage: str) -> dict[str, UpsertCounts]:
        """Check what only the store can judge, then upsert; shipments then update their orders."""
        table = self.mapping.table
        self._own_stage(store, stage)
        mine = self
        if "platform" not in self.mapping.columns and "platform" in schema.BY_NAME[table].column_names:
            self._platform(store, stage)
            mine = copy.copy(self)
            mine.mapping = replace(self.mapping, columns={**self.mapping.columns, "platform": "platform"})
        if table == "shipments":
            self._reject(
                store,
                stage,
                "order_id",
                "order_id",
                "unknown_order",
                f"NOT EXISTS (SELECT 1 FROM orders o WHERE o.platform = {stage}.platform "
                f"AND o.order_id = {stage}.order_id)",
            )
        if table == "dsr_ratings":
            items = [c for c in schema.DSR_ITEMS if c in self.mapping.columns]
            for c in items:
                whole = f"try_cast({c} AS DOUBLE)"
                bad = f"{c} IS NOT NULL AND coalesce({whole} NOT IN (1, 2, 3, 4, 5), true)"
                self._reject(store, stage, c, c, "bad_score", bad)
            if items:
                none = " AND ".join(f"{c} IS NULL" for c in items)
                self._reject(store, stage, items[0], "''", "missing_value", none)
                sets = ", ".join(f"{c} = CAST(try_cast(try_cast({c} AS DOUBLE) AS INTEGER) AS VARCHAR)" for c in items)
                store.con.execute(f"UPDATE {stage} SET {sets}")
        counts = GenericTable.finalize(mine, store, stage)
        if table == "shipments":
            counts["orders"] = self._ship_orders(store, stage)
        return counts

    def _ship_orders(self, store: Store, stage: str) -> UpsertCounts:
        """Set the ship time of the shipped orders (carrier and tracking number stay in `shipments`)."""
        latest = (
            f"(SELECT * FROM {stage} WHERE _rej IS NULL "
            "QUALIFY row_number() OVER (PARTITION BY platform, order_id ORDER BY _line DESC) = 1)"
        )
        # a whole-minute time (an Excel re-save) never coarsens a stored time within that minute
        coarse = (
            "s.shipped_at = date_trunc('minute', s.shipped_at) AND o.shipped_at IS NOT NULL "
            "AND date_trunc('minute', o.shipped_at) = s.shipped_at"
        )
        new_time = f"CASE WHEN s.shipped_at IS NULL OR ({coarse}) THEN o.shipped_at ELSE s.shipped_at END"
        store.con.execute(
            f"CREATE OR REPLACE TEMP TABLE _ship AS SELECT o.platform, o.order_id, {new_time} AS shipped_at "
            f"FROM {latest} s JOIN orders o ON o.platform = s.platform AND o.order_id = s.order_id "
            f"WHERE o.shipped_at IS DISTINCT FROM ({new_time})"
        )
        row = store.con.execute("SELECT count(*) FROM _ship").fetchone()
        changed = int(row[0]) if row else 0
        if changed:
            store.con.execute(
                "UPDATE orders SET shipped_at = u.shipped_at "
                "FROM _ship u WHERE orders.platform = u.platform AND orders.order_id = u.order_id"
            )
        store.con.execute("DROP TABLE _ship")
        return UpsertCounts(0, changed, 0)


def generic_importer(mapping: Mapping) -> GenericTable:
    """The importer of a mapped file: `AfterSaleTable` for complaints, ratings and shipments."""
    return AfterSaleTable(mapping) if mapping.table in AFTER_SALE_TABLES else GenericTable(mapping)


__all__ = ["AFTER_SALE_TABLES", "LAYOUTS", "AfterSaleTable", "Field", "builtin_mapping", "generic_importer"]
