"""What every command shares: the language, the console, options, and turning errors into one red line.

Help texts are chosen when the program starts (they are built before options are parsed): from
`--lang` on the command line, then `DACHU_LANG`, then the locale.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from dachu.errors import DachuError, InputError
from dachu.i18n import Lang, pick_lang, t


def _lang_from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


HELP_LANG: Lang = pick_lang(_lang_from_argv(sys.argv), os.environ)
"""The language of --help texts, fixed at start-up."""


def h(key: str) -> str:
    """A help text from the catalogue in the start-up language."""
    return t(key, HELP_LANG)


class State:
    """Options given before the command (`dachu --debug plan …`)."""

    debug: bool = False
    lang: str | None = None


STATE = State()

LangOption = Annotated[str | None, typer.Option("--lang", help=h("cli.opt.lang"), show_default=False)]
FormatOption = Annotated[str, typer.Option("--format", help=h("cli.opt.format"))]


def resolve_lang(option: str | None) -> Lang:
    """The language for this run: the command's --lang, the global one, DACHU_LANG, then the locale."""
    return pick_lang(option or STATE.lang, os.environ)


def console() -> Console:
    """The terminal for tables and messages."""
    import sys as _sys

    return Console(highlight=False, soft_wrap=False, width=None if _sys.stdout.isatty() else 160)


def err_console() -> Console:
    """The terminal for errors (stderr)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(fn: F) -> F:
    """Print a `DachuError` as a red message naming the fix and exit 1; tracebacks only with --debug."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DachuError as exc:
            if STATE.debug:
                raise
            lang = resolve_lang(kwargs.get("lang"))
            err_console().print(f"[red]{t('common.error', lang)}: {exc.render(lang)}[/red]", markup=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def parse_now(text: str | None) -> dt.datetime:
    """`--now` as shop time (ISO 8601, e.g. 2026-11-11T10:30); the clock when not given."""
    from dachu import clock

    if text is None:
        return clock.now().replace(tzinfo=None, microsecond=0)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError("automation.bad_now", value=text) from None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone(dt.timedelta(hours=8))).replace(tzinfo=None)
    return value
