"""Generic CSV/XLSX/Parquet files for traffic, ad spend and CS sessions, described by a YAML mapping.

The mapping names the canonical table and, for each canonical column, the header in the file::

    table: ad_spend            # traffic | ad_spend | cs_sessions | complaints | dsr_ratings | shipments …
    columns:                   # canonical column: header in the file
      day: 日期
      channel: 渠道
      spend: 花费
    join:                      # optional: a column made of several, joined with " / "
      campaign: [推广计划名称, 关键词]
    constants:                 # optional: a value for a column the file lacks
      campaign: ""

A constant `status` of an orders file (every order of a file of paid orders, say) is a canonical status
(`paid`) or a platform's word for one (交易成功), applied to every row; any other value is refused.
Ready mappings for the seller tools' report downloads (生意参谋, 直通车, 引力魔方) are in
`dachu.data.importers.reports`, detected from the header.

For cs_sessions, orders, complaints and dsr_ratings a `buyer` column (the buyer account or id) is hashed
into `buyer_key`; it is not stored. A CS file may give `avg_response_seconds` (the export's per-session
平均响应时间) instead of `reply_wait_seconds`: the store keeps average × replies, the sum of the reply waits,
so the average over many sessions is weighted by their replies. Complaints, DSR ratings and shipments
have checks of their own: `dachu.data.importers.after_sale`. The mapping is given with `--mapping`, or
found next to the data file as `<file>.mapping.yaml`; a file whose header already uses the canonical
column names needs none: so the canonical Parquet tables `dachu simulate --formats parquet` writes
(orders, order_lines, contacts, behaviour_events, cs_sessions, complaints, dsr_ratings, shipments,
traffic) import as they are (`buyer_id` is read as `buyer`, `at` as
`event_at`; columns the store has no place for, like `paid_later`, are ignored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

from dachu.data import schema
from dachu.data.importers.base import (
    Field,
    Importer,
    Kind,
    account_system_sql,
    buyer_key_sql,
    status_sql,
    store_account_system,
)
from dachu.data.store import Store, UpsertCounts
from dachu.errors import InputError

GENERIC_TABLES = (
    "traffic",
    "ad_spend",
    "cs_sessions",
    "orders",
    "order_lines",
    "contacts",
    "behaviour_events",
    "complaints",
    "dsr_ratings",
    "shipments",
    "shipment_events",
)
HASHED_BUYER = ("cs_sessions", "orders", "complaints", "dsr_ratings")
"""Tables whose `buyer` column (an account or id, never stored) is hashed into `buyer_key`."""
ALIASES = {"buyer_id": "buyer", "at": "event_at"}
"""Header names `dachu simulate`'s Parquet uses for a canonical column."""


ID_COLUMNS = frozenset({"order_id", "complaint_id", "tracking_no", "sku", "visitor_id", "item_id", "shop_id"})
"""Text columns read as ids: `="…"` (Excel-proof) wrapping stripped, scientific notation refused."""

DERIVED: dict[str, dict[str, Kind]] = {"cs_sessions": {"avg_response_seconds": "money"}}
"""Columns a file may give that the store keeps in another form, and how they are read: a CS export's
per-session average response time (平均响应时间, seconds) becomes `reply_wait_seconds` = average × replies."""


def allowed_columns(table: str) -> set[str]:
    """Canonical columns a file of `table` may give (plus `buyer`, hashed, and `DERIVED` ones where they apply)."""
    extra = ({"buyer"} if table in HASHED_BUYER else set()) | set(DERIVED.get(table, {}))
    return set(schema.BY_NAME[table].column_names) | extra


def _kind(sql_type: str) -> Kind:
    if sql_type.startswith("DECIMAL"):
        return "money"
    if sql_type.startswith(("BIGINT", "INTEGER", "SMALLINT", "DOUBLE")):
        return "count"
    if sql_type.startswith("TIMESTAMP"):
        return "time"
    if sql_type.startswith("DATE"):
        return "date"
    return "text"


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file."""

    table: str
    columns: dict[str, str]
    constants: dict[str, str]
    join: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Columns made of several of the file's, joined with " / " (blank parts left out)."""

    @classmethod
    def load(cls, path: Path) -> Mapping:
        """Read and check a mapping file; problems raise `InputError` naming the file."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise InputError("data_import.mapping_bad", file=str(path), detail=str(exc)) from exc
        return cls.from_dict(data, str(path))

    @classmethod
    def from_dict(cls, data: dict[str, Any], file: str) -> Mapping:
        """Check a mapping's content (`file` names it in the errors)."""
        path = file
        table = str(data.get("table", ""))
        if table not in GENERIC_TABLES:
            raise InputError(
                "data_import.mapping_table", file=str(path), table=table, choices=", ".join(GENERIC_TABLES)
            )
        allowed = allowed_columns(table)
        columns = {str(k): str(v).strip() for k, v in (data.get("columns") or {}).items()}
        constants = {str(k): str(v) for k, v in (data.get("constants") or {}).items()}
        join: dict[str, tuple[str, ...]] = {}
        for k, v in (data.get("join") or {}).items():
            if not isinstance(v, list) or not v:
                raise InputError("data_import.mapping_join", file=str(path), column=str(k))
            join[str(k)] = tuple(str(h).strip() for h in v)
        unknown = sorted((set(columns) | set(constants) | set(join)) - allowed)
        if unknown:
            raise InputError(
                "data_import.mapping_column",
                file=str(path),
                column=unknown[0],
                choices=", ".join(sorted(allowed)),
            )
        if table == "orders" and "status" in constants:
            constants["status"] = _status_constant(constants["status"], str(path))
        return cls(table, columns, constants, join)


def _status_constant(value: str, file: str) -> str:
    """The canonical status a mapping's constant `status` means; `InputError` when it means none."""
    word = value.strip()
    canonical = {s.value for s in schema.OrderStatus}
    if word in canonical:
        return word
    if word in schema.STATUS_MAP:
        return schema.STATUS_MAP[word].value
    raise InputError("data_import.mapping_status", file=file, value=value, choices=", ".join(sorted(canonical)))


def canonical_mapping(header: list[str]) -> Mapping | None:
    """A mapping for a file whose header already uses the canonical column names, if one fits.

    The file must hold every key column of the table and at least half of its columns; other columns
    are ignored. `ALIASES` are read as their canonical column; a `buyer` is hashed as usual.
    """
    best: tuple[int, str, dict[str, str]] | None = None
    for table in GENERIC_TABLES:
        spec = schema.BY_NAME[table]
        allowed = allowed_columns(table)
        columns: dict[str, str] = {}
        for name in header:
            canon = name if name in allowed else ALIASES.get(name, "")
            if canon in allowed:
                columns.setdefault(canon, name)
        overlap = len(columns)
        if set(spec.key) <= set(columns) and overlap * 2 >= len(spec.columns) and (best is None or overlap > best[0]):
            best = (overlap, table, columns)
    if best is None:
        return None
    return Mapping(best[1], best[2], {})


def find_mapping(path: Path) -> Path | None:
    """`<file>.mapping.yaml` or `<stem>.mapping.yaml` next to a data file, if present."""
    for candidate in (path.with_name(path.name + ".mapping.yaml"), path.with_suffix(".mapping.yaml")):
        if candidate.exists():
            return candidate
    return None


class GenericTable(Importer):
    """A file mapped onto traffic, ad_spend or cs_sessions by a `Mapping`."""

    name = "generic"
    platform = "generic"
    primary = schema.TRAFFIC
    fields: ClassVar[tuple[Field, ...]] = ()

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.table = schema.BY_NAME[mapping.table]
        self.primary = self.table  # type: ignore[misc]
        types = dict(self.table.columns)
        fields = []
        derived = DERIVED.get(mapping.table, {})
        for column, header in mapping.columns.items():
            kind: Kind = "text" if column == "buyer" else derived.get(column) or _kind(types[column])
            if kind == "text" and column in ID_COLUMNS:
                kind = "id"
            fields.append(Field(column, (header,), kind, required=column in self.table.key))
        for column, headers in mapping.join.items():
            for i, header in enumerate(headers):
                fields.append(Field(f"{column}__{i}", (header,), "text", required=i == 0 and column in self.table.key))
        self.fields = tuple(fields)  # type: ignore[misc]

    def key_fields(self) -> tuple[str, ...]:
        """The table's key less `platform`, when the file gives all of it (else: none)."""
        key = tuple(k for k in self.table.key if k != "platform")
        return key if set(key) <= set(self.mapping.columns) else ()

    def finalize(self, store: Store, stage: str) -> dict[str, UpsertCounts]:
        """Upsert the mapped table, the last row winning for a repeated key."""
        types = dict(self.table.columns)
        mapped = self.mapping.columns
        exprs = []
        for column in self.table.column_names:
            sql_type = types[column].replace(" NOT NULL", "")
            if column in mapped:
                expr = column
            elif column in self.mapping.join:
                parts = ", ".join(f"{column}__{i}" for i in range(len(self.mapping.join[column])))
                expr = f"nullif(concat_ws(' / ', {parts}), '')"
            elif column in self.mapping.constants:
                expr = "'" + self.mapping.constants[column].replace("'", "''") + "'"
            elif column == "buyer_key" and "buyer" in mapped:
                expr = _buyer_key(self.table.name, "buyer", "platform" in mapped, store_account_system(store))
            elif column == "buyer_key" and self.table.name == "contacts":
                # the key its order got, so contacts and orders agree; else hashed from the account
                own = "NULL"
                if "buyer_account" in mapped:
                    own = _buyer_key("contacts", "buyer_account", "platform" in mapped, "generic")
                expr = (
                    "coalesce((SELECT o.buyer_key FROM orders o WHERE o.platform = s.platform "
                    f"AND o.order_id = s.order_id), {own})"
                )
            elif column == "reply_wait_seconds" and "avg_response_seconds" in mapped and "replies" in mapped:
                expr = "avg_response_seconds * replies"
            elif column == "campaign":
                expr = "''"
            else:
                expr = "NULL"
            if column == "status" and self.table.name == "orders" and "status" in self.mapping.constants:
                expr = "'" + self.mapping.constants["status"] + "'"  # checked canonical by `Mapping.load`
            elif column == "status" and self.table.name == "orders":
                expr = _order_status(mapped)
            exprs.append(f"CAST({expr} AS {sql_type}) AS {column}")
        key = ", ".join(self.table.key)
        select = (
            f"SELECT * FROM (SELECT {', '.join(exprs)}, _line FROM {stage} s WHERE _rej IS NULL) "
            f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _line DESC) = 1"
        )
        if self.table.name == "order_lines":
            from dachu.data.importers.taobao import upsert_lines  # products from the lines, as exports do

            return upsert_lines(store, f"SELECT {', '.join(self.table.column_names)} FROM ({select})")
        keep: tuple[str, ...] = ()
        if self.table.name == "orders":
            from dachu.data.importers.taobao import ORDER_KEEP  # a known time is never blanked, as there

            keep = ORDER_KEEP
        elif self.table.name == "traffic":
            keep = ("page",)  # the page the war room recorded stays: the exports do not say it
        counts = store.upsert(self.table, f"({select})", keep=keep)
        return {self.table.name: counts}


def _buyer_key(table: str, expr: str, has_platform: bool, fallback: str) -> str:
    """SQL hashing a buyer account or id into `buyer_key`.

    By the row's platform's account system where the table has a platform, else by `fallback` (the store's
    account system, for CS sessions).
    """
    if table == "cs_sessions" or not has_platform:
        return buyer_key_sql(fallback, expr)
    system = account_system_sql("s.platform")
    return f"CASE WHEN {expr} IS NULL THEN NULL ELSE substr(sha256({system} || ':' || {expr}), 1, 16) END"


def _order_status(mapped: dict[str, str]) -> str:
    """SQL for an order's canonical status from `status` (canonical, or a platform's word) or `status_raw`."""
    valid = ", ".join(f"'{s.value}'" for s in schema.OrderStatus)
    parts = []
    if "status" in mapped:
        word = status_sql("status")
        parts += [f"WHEN status IN ({valid}) THEN status", f"WHEN {word} <> 'unknown' THEN {word}"]
    if "status_raw" in mapped:
        parts.append(f"WHEN status_raw IS NOT NULL THEN {status_sql('status_raw')}")
    return f"CASE {' '.join(parts)} ELSE 'unknown' END" if parts else "'unknown'"
