"""Where the review reads from: the store's DuckDB file, opened read-only.

Every query in `dachu.analytics` is an Ibis expression over *unbound* tables typed from the canonical
schema (`dachu.data.schema`); only `Source.rows` executes them: Ibis compiles the expression to SQL for the
engine's dialect (DuckDB here) and the store's own connection runs it, to plain Python values
(`Decimal` stays exact). Another engine stands in by compiling to its dialect and running the SQL there.
(Ibis's own DuckDB backend is not used: Ibis 12 calls a DuckDB method that DuckDB 2.0 removed.)

Only the analytics tables are exposed (`dachu.data.schema.ANALYTICS_TABLES`): personal data in `contacts`
cannot be read from here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from dachu.data import schema
from dachu.errors import InputError

_TYPES = {
    "VARCHAR": "string",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
    "BIGINT": "int64",
    "INTEGER": "int32",
    "SMALLINT": "int16",
    "BOOLEAN": "boolean",
    "DOUBLE": "float64",
}


def ibis_type(duck: str) -> str:
    """The Ibis type of a canonical column's DuckDB type (`DECIMAL(18,2) NOT NULL` → `!decimal(18, 2)`)."""
    base = duck.replace(" NOT NULL", "").strip()
    nullable = "!" if "NOT NULL" in duck else ""
    if base.endswith("[]"):  # a list column (`VARCHAR[]` → `array<string>`)
        return f"{nullable}array<{ibis_type(base[:-2])}>"
    match = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", base)
    if match:
        return f"{nullable}decimal({match[1]}, {match[2]})"
    return nullable + _TYPES[base]


def unbound(table: schema.Table) -> ir.Table:
    """An Ibis table expression with the canonical table's name and column types, bound to no engine."""
    return ibis.table(ibis.schema({name: ibis_type(typ) for name, typ in table.columns}), name=table.name)


def _stand_in_for_later_columns(con: duckdb.DuckDBPyConnection, present: set[str]) -> None:
    """For a store written before a later migration: temp views with its tables and columns empty/NULL.

    The review opens the store read-only, so it cannot migrate it; a temporary view (which shadows the
    stored table in this connection only) shows a missing table as empty and a missing column as NULL.
    """
    catalog = con.execute("SELECT current_database()").fetchone()
    db = '"' + str(catalog[0] if catalog else "memory").replace('"', '""') + '"'
    for name, added in schema.ADDED_LATER.items():
        table = schema.BY_NAME[name]
        if name not in present:
            cols = ", ".join(f"CAST(NULL AS {typ.replace(' NOT NULL', '')}) AS {c}" for c, typ in table.columns)
            con.execute(f"CREATE TEMP VIEW {name} AS SELECT {cols} WHERE false")
            continue
        have = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [name]
            ).fetchall()
        }
        lacking = [c for c in added if c not in have]
        if lacking:
            types = dict(table.columns)
            extra = ", ".join(f"CAST(NULL AS {types[c].replace(' NOT NULL', '')}) AS {c}" for c in lacking)
            con.execute(f"CREATE TEMP VIEW {name} AS SELECT *, {extra} FROM {db}.main.{name}")


@dataclass(frozen=True)
class Period:
    """A half-open span of shop wall-clock time [start, end)."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def day(cls, day: dt.date) -> Period:
        """The whole calendar day."""
        start = dt.datetime.combine(day, dt.time())
        return cls(start, start + dt.timedelta(days=1))

    @classmethod
    def days(cls, first: dt.date, last: dt.date) -> Period:
        """From the start of `first` to the end of `last`."""
        return cls(cls.day(first).start, cls.day(last).end)


class Source:
    """The store's analytics tables as Ibis tables, and the one place expressions are executed."""

    def __init__(self, con: duckdb.DuckDBPyConnection, name: str, dialect: str = "duckdb") -> None:
        self.con = con
        self.name = name
        self.dialect = dialect
        # duckdb_tables()/duckdb_views() rather than information_schema (a view over every catalog: 60 ms)
        present = {
            row[0]
            for row in con.execute(
                "SELECT table_name FROM duckdb_tables() "
                "UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal"
            ).fetchall()
        }
        missing = [t for t in schema.ANALYTICS_TABLES if t not in present and t not in schema.LATER_TABLES]
        if missing:
            raise InputError("review.store_not_dachu", path=name, tables=", ".join(missing))
        _stand_in_for_later_columns(con, present)
        self._tables = {t: unbound(schema.BY_NAME[t]) for t in schema.ANALYTICS_TABLES}
        self._results: dict[str, list[dict[str, Any]]] = {}
        self._compiled: dict[ops.Node, str] = {}

    @classmethod
    def open(cls, path: Path, *, memory_limit: str | None = None) -> Source:
        """Open the DuckDB store at `path` read-only (an import may run into another file meanwhile)."""
        if not path.is_file():
            raise InputError("review.no_store", path=str(path))
        config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit} if memory_limit else {}
        try:
            con = duckdb.connect(str(path), read_only=True, config=config)
        except duckdb.Error as exc:
            raise InputError("review.store_unreadable", path=str(path), detail=str(exc).splitlines()[0]) from None
        con.execute("SET enable_progress_bar = false")  # a long query must not draw on the report's terminal
        return cls(con, path.name)

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def table(self, name: str) -> ir.Table:
        """An analytics table (never `contacts`)."""
        return self._tables[name]

    @property
    def orders(self) -> ir.Table:
        """Orders (订单)."""
        return self.table("orders")

    @property
    def lines(self) -> ir.Table:
        """Order lines (商品行)."""
        return self.table("order_lines")

    @property
    def traffic(self) -> ir.Table:
        """Traffic by hour and source (分时流量)."""
        return self.table("traffic")

    @property
    def events(self) -> ir.Table:
        """Behaviour events (用户行为)."""
        return self.table("behaviour_events")

    @property
    def ads(self) -> ir.Table:
        """Ad spend by day and channel (推广花费)."""
        return self.table("ad_spend")

    @property
    def cs(self) -> ir.Table:
        """Customer-service sessions (客服接待)."""
        return self.table("cs_sessions")

    @property
    def complaints(self) -> ir.Table:
        """Complaints and disputes (投诉/维权)."""
        return self.table("complaints")

    @property
    def dsr(self) -> ir.Table:
        """DSR ratings (店铺评分)."""
        return self.table("dsr_ratings")

    @property
    def outbox(self) -> ir.Table:
        """Messages the rules planned and their fate (发件箱); empty in a store older than migration 4."""
        return self.table("outbox")

    def sql(self, expr: ir.Expr) -> str:
        """The SQL an expression compiles to in this engine's dialect.

        Kept per expression (Ibis expressions compare by structure): the sections build the same figure's
        expression again, and compiling it again costs more than running a small query.
        """
        node = expr.op()
        if node not in self._compiled:
            self._compiled[node] = str(ibis.to_sql(expr, dialect=self.dialect))
        return self._compiled[node]

    def rows(self, expr: ir.Table) -> list[dict[str, Any]]:
        """Execute `expr`; rows as dicts of plain Python values (Decimal, int, float, datetime, None).

        Results are kept per SQL text for the life of the connection (the store is read-only): a section
        asking for a figure another section already measured gets the same rows without a second scan.
        """
        sql = self.sql(expr)
        if sql not in self._results:
            rel = self.con.sql(sql)
            names = rel.columns
            self._results[sql] = [dict(zip(names, row, strict=True)) for row in rel.fetchall()]
        return [dict(row) for row in self._results[sql]]

    def one(self, expr: ir.Table) -> dict[str, Any]:
        """Execute an aggregate expression that yields exactly one row."""
        rows = self.rows(expr)
        return rows[0] if rows else {}

    def counts(self) -> dict[str, int]:
        """Rows per analytics table (the review's `source`)."""
        out: dict[str, int] = {}
        for name in schema.ANALYTICS_TABLES:
            rows = self.con.execute(f"SELECT count(*) FROM {name}").fetchall()
            out[name] = int(rows[0][0]) if rows else 0
        return out
