"""Importers of the platforms' exports (导入): a registry, format detection and `import_files`.

Every importer in `REGISTRY` obeys one contract (tested over all of them): given a file in its format it
reads every row, each row is either upserted or quarantined with a reason, and the counts add up.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from dachu.data import schema
from dachu.data.importers.after_sale import builtin_mapping, generic_importer
from dachu.data.importers.base import Field, Importer
from dachu.data.importers.behaviour import TianchiBehaviour
from dachu.data.importers.engine import ImportResult, file_hash, import_file
from dachu.data.importers.generic import GenericTable, Mapping, canonical_mapping, find_mapping
from dachu.data.importers.jd import JdOrders
from dachu.data.importers.reports import report_mapping
from dachu.data.importers.shopify import ShopifyOrders
from dachu.data.importers.taobao import TaobaoOrderLines, TaobaoOrders
from dachu.data.store import Store
from dachu.errors import InputError

REGISTRY: dict[str, Importer] = {
    imp.name: imp for imp in (TaobaoOrders(), TaobaoOrderLines(), JdOrders(), ShopifyOrders(), TianchiBehaviour())
}
"""Importers by name (the `--source` values), apart from `generic`, which needs a mapping."""

SUPPORTED_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet")


def choose(path: Path, source: str | None = None, mapping: Path | None = None) -> Importer:
    """The importer for `path`: forced by `source`, a mapping file, or detected from the header."""
    if not path.exists():
        raise InputError("data_import.no_file", file=str(path))
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InputError("data_import.bad_suffix", file=str(path), choices=", ".join(SUPPORTED_SUFFIXES))
    mapping = mapping or find_mapping(path)
    if source == "generic" or (source is None and mapping is not None):
        if mapping is None:
            raise InputError("data_import.mapping_missing", file=str(path))
        return generic_importer(Mapping.load(mapping))
    if source is not None:
        if source not in REGISTRY:
            raise InputError("data_import.bad_source", source=source, choices=", ".join([*REGISTRY, "generic"]))
        return REGISTRY[source]
    header = next(iter(REGISTRY.values())).header(path)
    scored = sorted(((imp.detect(header, path), name) for name, imp in REGISTRY.items()), reverse=True)
    if not scored or scored[0][0] == 0:
        known = builtin_mapping(header) or report_mapping(header, path) or canonical_mapping(header)
        if known is not None:
            return generic_importer(known)
        raise InputError("data_import.unknown_format", file=str(path), header=", ".join(header[:6]))
    return REGISTRY[scored[0][1]]


def import_files(
    store: Store,
    paths: list[Path],
    *,
    source: str | None = None,
    mapping: Path | None = None,
    force: bool = False,
    progress: Callable[[Path, int, int], None] | None = None,
) -> list[ImportResult]:
    """Import each file in turn; `progress(path, bytes_done_delta, file_size)` is called as they read."""
    chosen = [(path, choose(path, source, mapping)) for path in paths]  # every file checked before any import
    # orders before their lines, contacts and CS sessions, which take the platform or buyer key (account
    # system) their orders got
    after_orders = (schema.ORDER_LINES.name, schema.CONTACTS.name)
    # CS sessions, complaints, ratings and shipping lists last: they look up their orders' platform or
    # account system, whichever file brings the orders (the JD export's orders come with its lines)
    last = (schema.CS_SESSIONS.name, schema.COMPLAINTS.name, schema.DSR_RATINGS.name, schema.SHIPMENTS.name)
    chosen.sort(key=lambda pair: 2 if pair[1].primary.name in last else int(pair[1].primary.name in after_orders))
    results = []
    with import_memory(store):
        for path, importer in chosen:
            size = path.stat().st_size

            def step(delta: int, path: Path = path, size: int = size) -> None:
                if progress:
                    progress(path, delta, size)

            results.append(import_file(store, path, importer, force=force, progress=step))
    return results


IMPORT_MEMORY_LIMIT = "512MB"
"""DuckDB's memory cap while importing, whatever the file and the machine: what does not fit is spilled
to disk (`<store>.tmp`) or staged in a scratch database (`engine.STAGE_IN_MEMORY_BYTES`). Measured
(Tianchi UserBehavior.csv): 5M / 45M / 136M events peaked at 680 / 698 / {136} MiB of process memory; under
a quarter of a 24 GB machine's memory 20M events peaked at 3.1 GiB, and took longer. A store opened with
less keeps its own cap."""


@contextlib.contextmanager
def import_memory(store: Store) -> Iterator[None]:
    """Run an import under `IMPORT_MEMORY_LIMIT` (or the store's own cap, if lower), then restore it."""
    lower = _bytes(store.memory_limit) < _bytes(IMPORT_MEMORY_LIMIT)
    store.con.execute(f"SET memory_limit = '{store.memory_limit if lower else IMPORT_MEMORY_LIMIT}'")
    try:
        yield
    finally:
        store.con.execute(f"SET memory_limit = '{store.memory_limit}'")


_UNITS = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}
_UNITS.update({"KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40})


def _bytes(limit: str) -> float:
    """Bytes of a DuckDB memory size such as `512MB` or `6144MiB` (unknown units count as unlimited)."""
    text = limit.strip().upper().replace(" ", "")
    digits = text.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    unit = text[len(digits) :] or "B"
    try:
        return float(digits) * _UNITS[unit]
    except (KeyError, ValueError):
        return float("inf")


__all__ = [
    "REGISTRY",
    "Field",
    "GenericTable",
    "ImportResult",
    "Importer",
    "Mapping",
    "choose",
    "file_hash",
    "import_file",
    "import_files",
]
