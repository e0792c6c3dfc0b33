"""Read a campaign file's text into a `Campaign`, or say every problem with its key path and line.

Pure: takes the text and a name for it (the caller reads the file). Floats are read as `Decimal`
straight from their text, so `0.05` is exactly 0.05.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from dachu.domain.campaign.checks import check_campaign
from dachu.domain.campaign.model import Campaign
from dachu.domain.types import Model
from dachu.errors import CampaignFileError, Problem
from dachu.i18n import has

Path = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads floats as Decimal from their own text."""


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    return Decimal(text)


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)


def format_path(path: Iterable[str | int]) -> str:
    """`('products', 2, 'goal_share')` → `products[2].goal_share`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int], problems: list[Problem]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(Problem("campaign.duplicate_key", format_path((*path, key)), line, {"key": key}))
            seen.add(key)
            lines[(*path, key)] = line
            _walk(value_node, (*path, key), lines, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            _walk(item, (*path, i), lines, problems)


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of `path`, or of its nearest ancestor present in the file (a missing key's parent)."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _vocabulary() -> list[str]:
    names: set[str] = set()
    stack: list[type[BaseModel]] = list(Model.__subclasses__())
    while stack:
        cls = stack.pop()
        names.update(cls.model_fields)
        stack.extend(cls.__subclasses__())
    return sorted(names)


def _strip_tags(loc: tuple[Any, ...], data: Any) -> Path:
    """Drop the discriminator tags pydantic puts into a union member's location."""
    out: list[str | int] = []
    node = data
    for part in loc:
        after_index = bool(out) and isinstance(out[-1], int)
        if after_index and isinstance(node, dict) and isinstance(part, str) and node.get("kind") == part:
            continue
        out.append(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(out)


def _problem(error: Any, data: Any, lines: dict[Path, int]) -> Problem:
    path = _strip_tags(tuple(error["loc"]), data)
    kind = str(error["type"])
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    given = error.get("input")
    params: dict[str, object] = {"value": given if not isinstance(given, dict | list) else "…", **ctx}
    params["pydantic"] = error.get("msg", "")
    if kind == "extra_forbidden" and path:
        near = difflib.get_close_matches(str(path[-1]), _vocabulary(), n=1)
        params["suggestion"] = near[0] if near else "—"
    key = f"campaign.err.{kind}" if has(f"campaign.err.{kind}") else "campaign.err.other"
    return Problem(key, format_path(path), line_of(lines, path), params)


def _merge_typos(found: list[Problem]) -> list[Problem]:
    """A misspelt key is one problem, not two: drop the 'missing' that its suggestion explains."""
    explained = {
        p.path.rsplit(".", 1)[0] + "." + str(p.params["suggestion"])
        for p in found
        if p.key == "campaign.err.extra_forbidden" and "." in p.path
    }
    return [p for p in found if not (p.key == "campaign.err.missing" and p.path in explained)]


def parse_campaign(text: str, source: str = "campaign.yaml") -> Campaign:
    """Parse and validate a campaign file; raise `CampaignFileError` listing every problem found.

    Structure and types are checked first (pydantic); when they pass, the cross-field rules
    (`campaign_checks`) run, so each problem is reported once and in terms the user wrote.
    """
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise CampaignFileError(source, [Problem("campaign.yaml_syntax", "", line, {"detail": exc.problem})]) from exc
    if node is None or not isinstance(data, dict):
        raise CampaignFileError(source, [Problem("campaign.not_mapping", "", 1)])
    lines: dict[Path, int] = {}
    problems: list[Problem] = []
    _walk(node, (), lines, problems)
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as exc:
        problems += _merge_typos([_problem(e, data, lines) for e in exc.errors()])
        raise CampaignFileError(source, problems) from None
    for found in check_campaign(campaign):
        path: Path = found.params.pop("_path", ())  # type: ignore[assignment]
        problems.append(Problem(found.key, format_path(path), line_of(lines, path), found.params))
    if problems:
        raise CampaignFileError(source, problems)
    return campaign
