"""The data verbs of the facade: import exports into the store, read back what was refused, simulate a campaign.

`dachu import`, `dachu simulate` and `dachu demo` call these (through `Workspace` or directly with paths);
the store is opened and closed here, one writer at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from dachu.app.campaign import read_campaign
from dachu.data.exports import ENCODINGS, FORMATS, PLATFORM_FORMATS, ExportOptions
from dachu.data.exports.render import Quirks
from dachu.data.importers import REGISTRY, ImportResult
from dachu.data.importers import import_files as _import_files
from dachu.data.quarantine import RejectedRow, rejected_rows
from dachu.data.simulate.run import SimulationResult, run_simulation
from dachu.data.simulate.setup import Options, platform_family
from dachu.data.store import DEFAULT_STORE, Store
from dachu.domain.plan.plan import make_plan
from dachu.errors import InputError
from dachu.ops.remote_import import upload

__all__ = [
    "DEFAULT_STORE", "ENCODINGS", "FORMATS", "PLATFORMS", "SOURCES", "ImportResult", "RejectedRow",
    "SimulationResult", "import_files", "import_via_server", "rejected", "simulate",
]

SOURCES: tuple[str, ...] = (*REGISTRY, "generic")
"""Names `dachu import --source` accepts (detected from the header when not given)."""
PLATFORMS: tuple[str, ...] = ("tmall", "jd", "shopify")
"""Platforms `dachu simulate --platform` writes exports of."""

Progress = Callable[[Path, int, int], None]


def import_files(
    store: Path, files: Sequence[Path], *, source: str | None = None, mapping: Path | None = None,
    force: bool = False, progress: Progress | None = None,
) -> list[ImportResult]:
    """Import export files into the store at `store` (format detected from each header unless `source`).

    Re-importing a file already imported changes nothing (unless `force`); rejected rows go to the
    quarantine table with file, line and reason.
    """
    with Store.open(store) as st:
        return _import_files(st, list(files), source=source, mapping=mapping, force=force, progress=progress)


def import_via_server(
    url: str, files: Sequence[Path], *, token: str | None = None, secret: str | None = None,
    source: str | None = None, force: bool = False, progress: Progress | None = None,
) -> list[ImportResult]:
    """Hand the files to the running war room at `url`, which imports them into the store it holds.

    The same results as `import_files`, made by the server's own importer (the import runs there).
    """
    return [
        ImportResult.from_dict(answer)
        for path in files
        for answer in upload(url, path, token=token, secret=secret, source=source, force=force, progress=progress)
    ]


def rejected(store: Path, lang: str, *, include_resolved: bool = False) -> list[RejectedRow]:
    """The rows the imports into `store` refused and no later import brought in (all with `include_resolved`).

    Each with file, line, column, masked value, reason and when it was resolved.
    """
    with Store.open(store) as st:
        return rejected_rows(st, "zh" if lang == "zh" else "en", include_resolved=include_resolved)


def export_formats(value: str | None, platform: str) -> tuple[str, ...]:
    """The export formats asked for: the platform's own by default, `all`, or a comma-separated list."""
    if not value:
        return PLATFORM_FORMATS[platform]
    if value.strip() == "all":
        return FORMATS
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    for name in chosen:
        if name not in FORMATS:
            raise InputError("simulate.bad_formats", value=name, choices=", ".join(FORMATS))
    return chosen


def simulate(
    campaign_file: Path, out: Path, *, orders: int, seed: int = 0, platform: str | None = None,
    formats: str | None = None, history_orders: int | None = None, xlsx: bool = False, excel_quirks: bool = False,
    encoding: str | None = None, chunk: int = 50_000, progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Simulate the campaign in `campaign_file` from its plan and write the platform's exports into `out`.

    The campaign file is read as every command reads it (`read_campaign`: a UTF-8 file with or without a
    byte-order mark). `orders` counts the campaign's orders; the year before adds `history_orders` (default
    half as many). Deterministic for `seed`.
    """
    if orders < 1:
        raise InputError("simulate.bad_orders", value=orders)
    if platform is not None and platform not in PLATFORMS:
        raise InputError("simulate.bad_platform", value=platform, choices=", ".join(PLATFORMS))
    if encoding is not None and encoding not in ENCODINGS:
        raise InputError("simulate.bad_encoding", value=encoding, choices=", ".join(ENCODINGS))
    campaign = read_campaign(campaign_file)
    family = platform_family(campaign, platform)
    chosen = export_formats(formats, family)
    options = Options(orders=orders, seed=seed, history_orders=history_orders, chunk_size=max(1000, chunk))
    quirks = Quirks(excel_dates=True, yuan=True, header_spaces=True) if excel_quirks else Quirks()
    exports = ExportOptions(formats=chosen, quirks=quirks, encoding=encoding, xlsx=xlsx)
    return run_simulation(make_plan(campaign), options, out, exports, family, progress)
