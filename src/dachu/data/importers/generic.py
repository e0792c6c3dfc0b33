"""Generic CSV/XLSX/Parquet files for traffic, ad spend and CS sessions, described by a YAML mapping.

The mapping names the canonical table and, for each canonical column, the header in the file::

    table: ad_spend            # traffic | ad_spend | cs_sessions
    columns:                   # canonical column: header in the file
      day: 日期
      channel: 渠道
      spend: 花费
    constants:                 # optional: a value for a column the file lacks
      campaign: ""

For cs_sessions a `buyer` column (the buyer account) is hashed into `buyer_key`; the account is not stored.
The mapping is given with `--mapping`, or found next to the data file as `<file>.mapping.yaml`; a file
whose header already uses the canonical column names (as `dachu simulate` writes) needs none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import yaml

from dachu.data import schema
from dachu.data.importers.base import Field, Importer, Kind, buyer_key_sql
from dachu.data.store import Store, UpsertCounts
from dachu.errors import InputError

GENERIC_TABLES = ("traffic", "ad_spend", "cs_sessions")


def _kind(sql_type: str) -> Kind:
    if sql_type.startswith("DECIMAL"):
        return "money"
    if sql_type.startswith(("BIGINT", "INTEGER", "SMALLINT")):
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

    @classmethod
    def load(cls, path: Path) -> Mapping:
        """Read and check a mapping file; problems raise `InputError` naming the file."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise InputError("data_import.mapping_bad", file=str(path), detail=str(exc)) from exc
        table = str(data.get("table", ""))
        if table not in GENERIC_TABLES:
            raise InputError(
                "data_import.mapping_table", file=str(path), table=table, choices=", ".join(GENERIC_TABLES)
            )
        allowed = set(schema.BY_NAME[table].column_names) | ({"buyer"} if table == "cs_sessions" else set())
        columns = {str(k): str(v).strip() for k, v in (data.get("columns") or {}).items()}
        constants = {str(k): str(v) for k, v in (data.get("constants") or {}).items()}
        unknown = sorted((set(columns) | set(constants)) - allowed)
        if unknown:
            raise InputError(
                "data_import.mapping_column",
                file=str(path),
                column=unknown[0],
                choices=", ".join(sorted(allowed)),
            )
        return cls(table, columns, constants)


def canonical_mapping(header: list[str]) -> Mapping | None:
    """A mapping for a file whose header already uses the canonical column names, if one fits.

    The file must hold every key column of the table and at least half of its columns; other columns
    are ignored. A `buyer` column of a cs_sessions file is hashed as usual.
    """
    names = set(header)
    best: tuple[int, str] | None = None
    for table in GENERIC_TABLES:
        spec = schema.BY_NAME[table]
        allowed = set(spec.column_names) | ({"buyer"} if table == "cs_sessions" else set())
        overlap = len(names & allowed)
        if (
            set(spec.key) <= names
            and overlap * 2 >= len(spec.columns)
            and (best is None or overlap > best[0])
        ):
            best = (overlap, table)
    if best is None:
        return None
    table = best[1]
    allowed = set(schema.BY_NAME[table].column_names) | ({"buyer"} if table == "cs_sessions" else set())
    return Mapping(table, {name: name for name in header if name in allowed}, {})


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
        for column, header in mapping.columns.items():
            kind = "text" if column == "buyer" else _kind(types[column])
            fields.append(Field(column, (header,), kind, required=column in self.table.key))
        self.fields = tuple(fields)  # type: ignore[misc]

    def finalize(self, store: Store, stage: str) -> dict[str, UpsertCounts]:
        """Upsert the mapped table, the last row winning for a repeated key."""
        types = dict(self.table.columns)
        exprs = []
        for column in self.table.column_names:
            sql_type = types[column].replace(" NOT NULL", "")
            if column in self.mapping.columns:
                expr = column
            elif column in self.mapping.constants:
                expr = "'" + self.mapping.constants[column].replace("'", "''") + "'"
            elif column == "buyer_key" and "buyer" in self.mapping.columns:
                expr = buyer_key_sql("generic", "buyer")
            elif column == "campaign":
                expr = "''"
            else:
                expr = "NULL"
            exprs.append(f"CAST({expr} AS {sql_type}) AS {column}")
        key = ", ".join(self.table.key)
        counts = store.upsert(
            self.table,
            f"(SELECT * FROM (SELECT {', '.join(exprs)}, _line FROM {stage} WHERE _rej IS NULL) "
            f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _line DESC) = 1)",
        )
        return {self.table.name: counts}
