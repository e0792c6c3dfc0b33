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
from rich.markup import escape

from dachu.errors import DachuError, FileAccessError, InputError, os_error_in
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


def user_error(exc: BaseException) -> DachuError | None:
    """The error to show the user for `exc`, or None when it is a bug (shown as a traceback).

    A `DachuError` as it is; an `OSError` (or a library's error caused by one, such as XlsxWriter's
    `FileCreateError`) as a `FileAccessError` naming the path — except a closed pipe (`dachu … | head`),
    which Click ends quietly, and network errors, which the commands that talk to a server explain.
    """
    if isinstance(exc, DachuError):
        return exc
    if not isinstance(exc, OSError) and type(exc).__module__ == "builtins":
        return None  # a KeyError raised while handling an OSError is a bug, not a file problem
    os_error = os_error_in(exc)
    if os_error is None or isinstance(os_error, BrokenPipeError | ConnectionError | TimeoutError):
        return None
    return FileAccessError.from_os_error(os_error)


def friendly_errors(fn: F) -> F:
    """Print a user's error as one red line naming the fix and exit 1; tracebacks only with --debug.

    The one place errors reach the terminal: a `DachuError`, or a file that cannot be read or written
    (`user_error`). Notices of the run (a campaign file read as GBK) are printed once, in yellow.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from dachu.app.campaign import notices

        lang = resolve_lang(kwargs.get("lang"))

        def notice(key: str, params: dict[str, object]) -> None:
            text = escape(t(key, lang, **params))
            err_console().print(f"[yellow]{t('common.warning', lang)}: {text}[/yellow]", markup=True)

        try:
            with notices(notice):
                return fn(*args, **kwargs)
        except Exception as exc:
            error = user_error(exc)
            if error is None or STATE.debug:
                raise
            text = escape(error.render(lang))
            err_console().print(f"[red]{t('common.error', lang)}: {text}[/red]", markup=True)
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
