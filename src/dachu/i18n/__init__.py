"""The one message catalogue of dachu, in zh-CN and en.

Every user-facing string is looked up here by key. The catalogue is split by area into modules under
`dachu.i18n.catalogue` (one owner each); each module defines `MESSAGES: dict[str, tuple[zh, en]]`.
Keys are unique across modules; a duplicate is a programming error caught at import.

The language is chosen by the face (`--lang`, then `DACHU_LANG`, then the locale); library code takes
`lang` as a parameter and never reads the environment itself.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from typing import Literal, get_args

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)


def _load() -> dict[str, tuple[str, str]]:
    from dachu.i18n import catalogue

    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(catalogue.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{catalogue.__name__}.{info.name}")
        messages: Mapping[str, tuple[str, str]] = module.MESSAGES
        for key, pair in messages.items():
            if key in merged:
                raise RuntimeError(f"catalogue key {key!r} defined twice (second in {info.name})")
            merged[key] = pair
    return merged


CATALOGUE: dict[str, tuple[str, str]] = _load()


def has(key: str) -> bool:
    """Whether the catalogue holds `key`."""
    return key in CATALOGUE


def t(key: str, lang: Lang, /, **params: object) -> str:
    """The message `key` in `lang`, with `{name}` placeholders filled from `params`."""
    zh, en = CATALOGUE[key]
    template = zh if lang == "zh" else en
    return template.format(**params) if params else template


def both(key: str, /, **params: object) -> str:
    """The message in Chinese and English, for places that show both (logs, files)."""
    return f"{t(key, 'zh', **params)} / {t(key, 'en', **params)}"


def pick_lang(explicit: str | None, env: Mapping[str, str]) -> Lang:
    """Choose the language: an explicit choice, then `DACHU_LANG`, then the locale (zh* → zh), else en."""
    for candidate in (explicit, env.get("DACHU_LANG")):
        if candidate:
            low = candidate.lower()
            if low.startswith("zh"):
                return "zh"
            if low.startswith("en"):
                return "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def label(key: str, lang: Lang) -> str:
    """A short label (column header, field name) from the catalogue."""
    return t(key, lang)
