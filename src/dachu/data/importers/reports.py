"""Ready mappings for the seller tools' report downloads: 生意参谋, 直通车, 引力魔方 (`layouts/*.yaml`).

Each layout is a mapping file for the generic importer (`generic.Mapping`) that names, for each
canonical column, the header names the download uses (the first present wins; a name may also be a
list of alternatives), plus `detect`: the headers a download must have (an entry that is a list: any
of them), and `names`: words in the file name that tell two alike downloads apart (直通车 against
引力魔方). A download is recognised from its header (title lines above it skipped by the reader); the
layout whose detect headers are all present wins, a name hint first, then the one that reads the most
of the file's columns. Copy a layout beside a file as `<file>.mapping.yaml` (one header per column) to
change it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dachu.data.importers.generic import Mapping

LAYOUTS_DIR = Path(__file__).with_name("layouts")


@dataclass(frozen=True)
class Layout:
    """One ready mapping: its file, its title, what a header needs, file-name hints, and the mapping's text."""

    file: Path
    title: str
    detect: tuple[tuple[str, ...], ...]
    names: tuple[str, ...]
    data: dict[str, Any]


def _choices(value: object) -> tuple[str, ...]:
    return tuple(str(v).strip() for v in value) if isinstance(value, list) else (str(value).strip(),)


@functools.cache
def layouts() -> tuple[Layout, ...]:
    """Every ready layout, in file-name order."""
    found = []
    for path in sorted(LAYOUTS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found.append(
            Layout(
                path,
                str(data.get("title", path.stem)),
                tuple(_choices(d) for d in data.get("detect") or ()),
                tuple(str(n).lower() for n in data.get("names") or ()),
                data,
            )
        )
    return tuple(found)


def _first(choices: tuple[str, ...], names: set[str]) -> str | None:
    return next((c for c in choices if c in names), None)


def resolve(layout: Layout, header: list[str]) -> tuple[Mapping, int] | None:
    """The layout's mapping for a file with `header` and how many of its columns it reads, if it fits."""
    names = {h.strip() for h in header}
    if not all(_first(d, names) for d in layout.detect):
        return None
    data = layout.data
    columns = {}
    for canon, choices in (data.get("columns") or {}).items():
        found = _first(_choices(choices), names)
        if found is not None:
            columns[str(canon)] = found
    join = {}
    for canon, parts in (data.get("join") or {}).items():
        present = [p for p in (_first(_choices(part), names) for part in parts) if p is not None]
        if present:
            join[str(canon)] = present
    content = {"table": data.get("table"), "columns": columns, "join": join, "constants": data.get("constants")}
    read = len(columns) + sum(len(p) for p in join.values())
    return Mapping.from_dict(content, str(layout.file)), read


def report_mapping(header: list[str], path: Path) -> Mapping | None:
    """The mapping of the ready layout the header (and file name) fits best, else None."""
    best: tuple[tuple[bool, int], Mapping] | None = None
    name = path.name.lower()
    for layout in layouts():
        fit = resolve(layout, header)
        if fit is None:
            continue
        mapping, read = fit
        score = (any(hint in name for hint in layout.names), read)
        if best is None or score > best[0]:
            best = (score, mapping)
    return best[1] if best else None
