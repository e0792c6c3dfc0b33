"""The campaign file at the door: the one place a campaign file is read, and the examples `dachu init` writes."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from dachu.domain.campaign.file import parse_campaign
from dachu.domain.campaign.model import Campaign
from dachu.errors import InputError
from dachu.i18n import Lang

__all__ = ["EXAMPLES", "Campaign", "example_text", "read_campaign"]

EXAMPLES: tuple[str, ...] = ("double11", "seed-2013")
"""Campaign files `dachu init --example` can write."""


def example_text(name: str, lang: Lang) -> str:
    """The commented campaign file of example `name` in `lang`."""
    if name not in EXAMPLES:
        raise InputError("common.unknown_example", name=name, choices=", ".join(EXAMPLES))
    return resources.files("dachu.examples").joinpath(f"{name}.{lang}.yaml").read_text(encoding="utf-8")


def read_campaign(path: Path) -> Campaign:
    """Read and validate a campaign file; errors name the file, the key path and the line.

    Every area's cross-field rules run here (`campaign_checks.check_campaign`: warehouse, service …);
    this is the one place a campaign file is read.
    """
    if not path.is_file():
        raise InputError("common.file_missing", path=str(path))
    return parse_campaign(path.read_text(encoding="utf-8-sig"), str(path))

