"""The campaign file at the door: the one place a campaign file is read, and the examples `dachu init` writes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import resources
from pathlib import Path

from dachu.domain.campaign.file import parse_campaign
from dachu.domain.campaign.model import Campaign
from dachu.errors import InputError
from dachu.i18n import Lang

__all__ = ["EXAMPLES", "Campaign", "decode_campaign", "example_text", "notices", "read_campaign"]

EXAMPLES: tuple[str, ...] = ("double11", "seed-2013")
"""Campaign files `dachu init --example` can write."""


def example_text(name: str, lang: Lang) -> str:
    """The commented campaign file of example `name` in `lang`."""
    if name not in EXAMPLES:
        raise InputError("common.unknown_example", name=name, choices=", ".join(EXAMPLES))
    return resources.files("dachu.examples").joinpath(f"{name}.{lang}.yaml").read_text(encoding="utf-8")


Notice = Callable[[str, dict[str, object]], None]
"""Told a catalogue key and its values: something the user should know that is not an error."""

_LISTENER: ContextVar[tuple[Notice, set[tuple[str, str]]] | None] = ContextVar("dachu_notices", default=None)


@contextmanager
def notices(listener: Notice) -> Iterator[None]:
    """Send the notices of what runs inside to `listener`, each (message, file) once.

    A command reads its campaign file more than once (the plan, then the calendar); the user is told about
    the file once. Without a listener (the web, a library caller) notices are dropped.
    """
    token = _LISTENER.set((listener, set()))
    try:
        yield
    finally:
        _LISTENER.reset(token)


def _notice(key: str, **params: object) -> None:
    current = _LISTENER.get()
    if current is None:
        return
    listener, told = current
    once = (key, str(params.get("path", "")))
    if once not in told:
        told.add(once)
        listener(key, params)


_CONTROL = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r"} | {"\x7f"}


def decode_campaign(raw: bytes, path: str) -> str:
    """The text of a campaign file: UTF-8 (with or without a BOM), else GBK/GB18030 when it decodes cleanly.

    Windows Notepad's "ANSI" on a Chinese Windows is GBK, so a merchant's file often is; GB18030 is its
    superset and decodes every GBK file. A file that is neither (a spreadsheet, an image, UTF-16) is one error
    naming the file and how to save it. A GBK file is read, and the user told once.

    Raises:
        InputError: `campaign.not_text` when the bytes are not text in either encoding.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError("campaign.not_text", path=path) from None
        if _CONTROL.isdisjoint(text):
            _notice("campaign.read_as_gbk", path=path)
            return text
        raise InputError("campaign.not_text", path=path) from None
    if not _CONTROL.isdisjoint(text):  # valid UTF-8 but binary (NUL bytes, UTF-16 without a BOM)
        raise InputError("campaign.not_text", path=path)
    return text


def read_campaign(path: Path) -> Campaign:
    """Read and validate a campaign file; errors name the file, the key path and the line.

    Every area's cross-field rules run here (`campaign_checks.check_campaign`: warehouse, service …);
    this is the one place a campaign file is read (its encoding: `decode_campaign`).
    """
    if not path.is_file():
        raise InputError("common.file_missing", path=str(path))
    return parse_campaign(decode_campaign(path.read_bytes(), str(path)), str(path))
