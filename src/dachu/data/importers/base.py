"""The importer contract and the SQL that turns text columns into typed, checked values.

An importer declares the `Field`s it reads (canonical name, the header names a platform uses for it,
its kind) and a `finalize` step that upserts the checked rows from the stage table into the canonical
tables. The engine (`dachu.data.importers.engine`) does everything else the same way for every format:
reading in batches, cleaning platform quirks, quarantining rejected rows, logging the import.

Cleaning per kind (every platform quirk the issue names):
- id / phone: `="2345"` (Excel-proof ids) and a leading `'` (phones) are stripped.
- id: one Excel turned into scientific notation (`4.00000000000001E+15`: digits already lost) → rejected.
- money and count: a `元` or `¥` suffix/prefix and thousands separators (`1,196.00元`, `"1,200"`) are
  dropped; negative → rejected.
- time: `yyyy-MM-dd HH:mm:ss`, `yyyy/MM/dd HH:mm[:ss]`, ISO `T`, a trailing UTC offset (kept apart in
  `tz_offset_min`), and Excel serial day numbers (days since 1899-12-30) from re-saved workbooks.
- every kind: `null`, `NULL` and blank mean "no value"; a U+FFFD anywhere in the row (bytes the file's
  encoding cannot decode) rejects the row as broken encoding.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

import pyarrow as pa
from python_calamine import CalamineError

from dachu.data import schema
from dachu.data.importers import reader
from dachu.data.store import Store, UpsertCounts
from dachu.errors import InputError

Kind = Literal["text", "id", "phone", "money", "count", "time", "date", "tz_offset", "behaviour", "epoch"]

TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d",
    "%Y/%m/%d",
)


@dataclass(frozen=True)
class Field:
    """One value an importer reads: `name` in the stage table, from the first of `headers` present."""

    name: str
    headers: tuple[str, ...]
    kind: Kind = "text"
    required: bool = False


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_ID_JUNK = "'=''\"'"
"""SQL literal of the characters stripped from both ends of ids and phones: = ' " (Excel guards)."""


EXCEL_SCIENTIFIC = r"[0-9](\.[0-9]+)?[eE]\+[0-9]+"
"""An id Excel showed (and saved) in scientific notation, `4.00000000000001E+15`: its last digits are gone."""


def blank_sql(raw: str) -> str:
    """SQL for text column `raw` trimmed, NULL when blank or a spelled-out null."""
    return f"CASE WHEN trim({raw}) IN ('', 'null', 'NULL', '-') THEN NULL ELSE trim({raw}) END"


def value_sql(kind: Kind, v: str) -> str:
    """SQL for the cleaned, typed value of `v` (a `blank_sql` result); NULL when blank or unparseable."""
    if kind in ("id", "phone"):
        return f"nullif(trim({v}, {_ID_JUNK}), '')"
    if kind == "money":
        cleaned = f"nullif(replace(replace(replace({v}, '元', ''), ',', ''), '¥', ''), '')"
        return f"try_cast({cleaned} AS DECIMAL(18,2))"
    if kind == "count":
        plain = f"replace({v}, ',', '')"
        return f"coalesce(try_cast({plain} AS BIGINT), try_cast(try_cast({plain} AS DOUBLE) AS BIGINT))"
    if kind in ("time", "date"):
        fmts = "[" + ", ".join(_q(f) for f in TIME_FORMATS) + "]"
        wall = f"regexp_replace({v}, '\\s*(Z|[+-]\\d\\d:?\\d\\d)$', '')"
        serial = (
            f"TIMESTAMP '1899-12-30' + to_microseconds(CAST(round(try_cast({v} AS DOUBLE) * 86400) AS BIGINT)"
            " * 1000000)"
        )
        # the common layouts first; Excel serials, yyyyMMdd and UTC offsets only for what is left
        ts = (
            f"coalesce(try_strptime({v}, {fmts}), "
            f"CASE WHEN regexp_full_match({v}, '\\d{{1,6}}(\\.\\d+)?') THEN {serial} "
            f"WHEN regexp_full_match({v}, '\\d{{8}}') THEN try_strptime({v}, '%Y%m%d') "
            f"ELSE try_strptime({wall}, {fmts}) END)"
        )
        return f"CAST({ts} AS DATE)" if kind == "date" else ts
    if kind == "tz_offset":
        m = f"regexp_extract({v}, '([+-])(\\d\\d):?(\\d\\d)$', ['s', 'h', 'm'])"
        return (
            f"CASE WHEN {v} IS NULL OR {m}.s = '' THEN NULL ELSE "
            f"CAST((CASE WHEN {m}.s = '-' THEN -1 ELSE 1 END) * "
            f"(CAST({m}.h AS INTEGER) * 60 + CAST({m}.m AS INTEGER)) AS SMALLINT) END"
        )
    if kind == "behaviour":
        return f"CASE WHEN lower({v}) IN ('pv', 'fav', 'cart', 'buy') THEN lower({v}) END"
    if kind == "epoch":
        return f"make_timestamp(try_cast({v} AS BIGINT) * 1000000) + INTERVAL 8 HOUR"
    return v


def problem_sql(kind: Kind, blank: str, value: str, required: bool) -> list[tuple[str, str]]:
    """(condition, reason key) pairs that reject a row, in the order they are checked.

    `blank` is the `blank_sql` of the field's text, `value` its typed value.
    """
    present = f"{blank} IS NOT NULL"
    checks: list[tuple[str, str]] = []
    if required:
        reason = "missing_id" if kind == "id" else "missing_value"
        parsed = kind not in (
            "text",
            "id",
            "phone",
        )  # a present but unparseable value is "bad", not "missing"
        cond = f"{value} IS NULL AND NOT ({present})" if parsed else f"{value} IS NULL"
        checks.append((cond, f"data_import.reason.{reason}"))
    bad = {
        "money": "bad_amount",
        "count": "bad_number",
        "time": "bad_date",
        "date": "bad_date",
        "behaviour": "bad_behaviour",
        "epoch": "bad_date",
    }.get(kind)
    if kind == "id":
        checks.append((f"regexp_full_match({blank}, {_q(EXCEL_SCIENTIFIC)})", "data_import.reason.excel_scientific"))
    if bad:
        checks.append((f"{present} AND {value} IS NULL", f"data_import.reason.{bad}"))
    if kind in ("money", "count"):
        checks.append((f"{value} < 0", "data_import.reason.negative_amount"))
    return checks


def status_sql(expr: str) -> str:
    """SQL mapping a platform status text to the canonical `OrderStatus` (unknown when unmapped)."""
    whens = " ".join(f"WHEN {_q(k)} THEN {_q(v.value)}" for k, v in schema.STATUS_MAP.items())
    return f"CASE trim({expr}) {whens} ELSE 'unknown' END"


ACCOUNT_SYSTEMS = {"tmall": "taobao"}
"""Platforms whose buyers log in with another platform's accounts: a Tmall buyer is a Taobao account."""


def account_system(platform: str) -> str:
    """The account system a platform's buyer accounts belong to (tmall → taobao; others their own)."""
    return ACCOUNT_SYSTEMS.get(platform, platform)


def account_system_sql(expr: str) -> str:
    """SQL: `account_system` of a platform column."""
    whens = " ".join(f"WHEN {_q(k)} THEN {_q(v)}" for k, v in ACCOUNT_SYSTEMS.items())
    return f"CASE {expr} {whens} ELSE {expr} END"


def buyer_key_sql(platform: str, expr: str) -> str:
    """A one-way key for a buyer account (16 hex digits of SHA-256), NULL when there is no account.

    Hashed with the platform's account system, so the same Taobao account has one key on Tmall and Taobao
    orders, and in CS sessions of the same shop.
    """
    prefix = _q(account_system(platform) + ":")
    return f"CASE WHEN {expr} IS NULL THEN NULL ELSE substr(sha256({prefix} || {expr}), 1, 16) END"


def store_account_system(store: Store) -> str:
    """The one account system of the store's orders, or `generic` when there are none or several.

    A file without a platform (a CS-session export) belongs to the shop whose orders are in the store.
    """
    rows = store.con.execute("SELECT DISTINCT platform FROM orders").fetchall()
    systems = {account_system(str(r[0])) for r in rows}
    return systems.pop() if len(systems) == 1 else "generic"


def address_split_sql(expr: str) -> str:
    """SQL: an address trimmed, runs of whitespace made one space; select it once as `_parts`.

    The regular expression runs only for the few addresses that need it (measured: splitting every
    address into a list cost more than the rest of an order's clean-up together).
    """
    odd = " OR ".join(f"contains({expr}, {c})" for c in ("'  '", "chr(9)", "chr(10)", "chr(12)", "chr(13)"))
    return f"CASE WHEN {odd} THEN regexp_replace(trim({expr}), '\\s+', ' ', 'g') ELSE trim({expr}) END"


def address_parts_sql(expr: str, parts: str = "_parts") -> dict[str, str]:
    """Province, city, district and street of a 收货地址, given it normalized in column `parts`.

    Taobao separates the parts with spaces (浙江省 杭州市 西湖区 文三路 1号); when there are fewer than
    three words (JD), province and city are cut at their suffixes (省/自治区/市, 市/州/盟/地区).
    """
    w1, w2, w3 = (f"split_part({parts}, ' ', {i})" for i in (1, 2, 3))
    spaced = f"{w3} <> ''"
    prov_re = "^(.+?(省|自治区|特别行政区)|北京市|天津市|上海市|重庆市)"
    city_re = f"{prov_re}(.+?(市|自治州|州|盟|地区))"
    return {
        "province": f"CASE WHEN {spaced} THEN {w1} ELSE nullif(regexp_extract({expr}, {_q(prov_re)}, 1), '') END",
        "city": f"CASE WHEN {spaced} THEN {w2} ELSE nullif(regexp_extract({expr}, {_q(city_re)}, 3), '') END",
        "district": f"CASE WHEN {spaced} THEN {w3} END",
        "street": f"CASE WHEN {spaced} THEN substr({parts}, length({w1}) + length({w2}) + length({w3}) + 4) "
        f"ELSE {expr} END",
    }


class Importer:
    """Base of every importer. Subclasses set the class attributes and write `finalize`."""

    name: ClassVar[str]
    """Registry name, used by `--source`."""
    platform: ClassVar[str]
    primary: ClassVar[schema.Table]
    """The table with one row per input row; the import's inserted/updated/unchanged count it."""
    fields: ClassVar[tuple[Field, ...]]
    signature: ClassVar[tuple[str, ...]] = ()
    """Header names that identify the format; all must be present."""
    has_header: ClassVar[bool] = True

    def header(self, path: Path) -> list[str]:
        """The file's header (column names), whatever its container; `InputError` if unreadable."""
        suffix = path.suffix.lower()
        try:
            if suffix in reader.WORKBOOK_SUFFIXES:
                return reader.xlsx_header(path)
            if suffix == ".parquet":
                return reader.parquet_header(path)
            return reader.read_header(path, reader.sniff_encoding(path))
        except (zipfile.BadZipFile, pa.ArrowInvalid, OSError, ValueError, KeyError, CalamineError) as exc:
            raise InputError("data_import.unreadable", file=str(path), detail=str(exc)[:200]) from exc

    def detect(self, header: list[str], path: Path) -> int:
        """How well the header fits (0: not this format); the registry picks the highest."""
        if not self.signature:
            return 0
        names = set(header)
        return len(self.signature) if all(s in names for s in self.signature) else 0

    def key_fields(self) -> tuple[str, ...]:
        """The fields that name a row of the primary table: its key less `platform` (set by the importer)."""
        names = {f.name for f in self.fields}
        return tuple(k for k in self.primary.key if k != "platform" and k in names)

    def one_row_per_key(self) -> bool:
        """Whether each row of the file is one row of the primary table (an order export, not a lines one)."""
        return bool(self.primary.key) and set(self.primary.key) - {"platform"} <= {f.name for f in self.fields}

    def is_csv(self, path: Path) -> bool:
        """Whether `path` is read as CSV text (neither a workbook nor Parquet)."""
        return path.suffix.lower() not in (*reader.WORKBOOK_SUFFIXES, ".parquet")

    def batches(self, path: Path, progress: Callable[[int], None] | None = None) -> Iterator[reader.RawBatch]:
        """The file as text batches."""
        suffix = path.suffix.lower()
        if suffix in reader.WORKBOOK_SUFFIXES:
            return reader.iter_xlsx(path, progress)
        if suffix == ".parquet":
            return reader.iter_parquet(path, progress)
        return reader.iter_csv(
            path,
            reader.sniff_encoding(path),
            has_header=self.has_header,
            width=len(self.fields),
            progress=progress,
        )

    def prepare(self, header: list[str], path: Path) -> Importer:
        """The importer for this one file (a copy may keep what the header or name says); default self."""
        return self

    def finalize(self, store: Store, stage: str) -> dict[str, UpsertCounts]:
        """Upsert the accepted rows of `stage` (columns: `_line` and each field's name); primary first."""
        raise NotImplementedError


def latest_per_key(store: Store, stage: str, key: str) -> str:
    """SQL: the accepted stage rows, keeping the last row (highest line) for each `key`.

    Exports rarely repeat a key, so the window (a sort) runs only when a distinct count finds repeats.
    """
    accepted = f"SELECT * FROM {stage} WHERE _rej IS NULL"
    row = store.con.execute(
        f"SELECT count(*) = count(DISTINCT {key}) FROM {stage} WHERE _rej IS NULL"
    ).fetchone()
    if row and row[0]:
        return accepted
    return f"{accepted} QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _line DESC) = 1"


def make_source(store: Store, table: schema.Table, select: str, name: str = "_src") -> str:
    """Create relation `name` holding the rows of `select` to upsert into `table`; return its kind.

    A view when none of its keys is in `table` yet (a first import: each upsert reads it once, nothing
    is written twice), else a temp table (the upsert then compares, updates and inserts from it).
    """
    store.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")
    if not store.overlaps(table, name):
        return "VIEW"
    store.con.execute(f"DROP VIEW {name}")
    store.con.execute(f"CREATE TEMP TABLE {name} AS {select}")
    return "TABLE"


def drop_source(store: Store, kind: str, name: str = "_src") -> None:
    """Drop what `make_source` created."""
    store.con.execute(f"DROP {kind} IF EXISTS {name}")
