"""Every error dachu shows a user, each with a code, a message in zh-CN and en, and the fix.

The tree::

    DachuError                 code + catalogue key + params; message(lang), fix(lang)
     ├── CampaignFileError     the campaign file has problems; .problems lists each one (path, line, fix)
     ├── PlanError             a plan cannot be made from valid inputs (goal unreachable, traffic short)
     ├── InputError            a file or argument the user gave cannot be used (missing, unreadable)
     │    ├── FileAccessError  a path cannot be read or written (no permission, a folder in the way, disk full)
     │    └── RefusedByServer  a running war room refused a request; its own zh/en words, in the asked language
     └── IngestError           a request to the war room's ingest cannot be accepted; .status (HTTP), .field

Messages live in the catalogue (`dachu.i18n`): key `K` holds the message and `K.fix` the fix.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from dachu.i18n import Lang, has, t


@dataclass(frozen=True)
class Problem:
    """One problem in an input: where it is, what is wrong, how to fix it.

    `path` is the dotted key path (`products[2].goal_share`), `line` the 1-based line in the file when
    known, `key` the catalogue key of the message, `params` the values the message names.
    """

    key: str
    path: str = ""
    line: int | None = None
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: Lang) -> str:
        """What is wrong, in `lang`."""
        return t(self.key, lang, **self.params)

    def fix(self, lang: Lang) -> str:
        """How to fix it, in `lang` (empty when the catalogue has no fix for it)."""
        return t(f"{self.key}.fix", lang, **self.params) if has(f"{self.key}.fix") else ""

    def render(self, lang: Lang, source: str = "") -> str:
        """One line: `file:line: path: message — fix`."""
        where = source
        if self.line is not None:
            where = f"{where}:{self.line}" if where else t("common.line", lang, line=self.line)
        head = ": ".join(part for part in (where, self.path) if part)
        body = self.message(lang)
        fix = self.fix(lang)
        text = f"{head}: {body}" if head else body
        return f"{text} — {fix}" if fix else text


class DachuError(Exception):
    """Base of every user-facing error. `code` is stable; the message comes from the catalogue."""

    code = "DACHU"

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{self.code}: {t(key, 'en', **params)}")

    def message(self, lang: Lang) -> str:
        """The message in `lang`."""
        return t(self.key, lang, **self.params)

    def fix(self, lang: Lang) -> str:
        """How to fix it in `lang`, or empty."""
        return t(f"{self.key}.fix", lang, **self.params) if has(f"{self.key}.fix") else ""

    def render(self, lang: Lang) -> str:
        """The message and the fix on one line."""
        fix = self.fix(lang)
        return f"{self.message(lang)} — {fix}" if fix else self.message(lang)


class CampaignFileError(DachuError):
    """The campaign file cannot be used; `problems` holds one entry per problem found."""

    code = "CAMPAIGN"

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("campaign.invalid", source=source, count=len(problems))

    def render(self, lang: Lang) -> str:
        """A headline, then one line per problem."""
        lines = [self.message(lang)]
        lines += [f"  - {p.render(lang, self.source)}" for p in self.problems]
        return "\n".join(lines)


class PlanError(DachuError):
    """Valid inputs from which no plan can be made (the goal is out of reach, traffic is short)."""

    code = "PLAN"


class InputError(DachuError):
    """A file or argument the user gave cannot be used."""

    code = "INPUT"


_OS_KEYS: dict[int, str] = {
    errno.EACCES: "common.os.denied",
    errno.EPERM: "common.os.denied",
    errno.EBUSY: "common.os.denied",  # Windows and network drives: a file held open by another program
    errno.EROFS: "common.os.read_only",
    errno.ENOSPC: "common.os.disk_full",
    errno.EDQUOT: "common.os.disk_full",
    errno.EFBIG: "common.os.disk_full",
    errno.EISDIR: "common.os.is_dir",
    errno.ENOTDIR: "common.os.not_dir",
    errno.EEXIST: "common.os.not_dir",  # mkdir where a file of that name already is
    errno.ENOENT: "common.os.no_folder",
    errno.ENAMETOOLONG: "common.os.name_too_long",
}
"""The message of each errno a merchant meets; any other is `common.os.other` with the errno's name."""


class FileAccessError(InputError):
    """A path the user named cannot be read or written; made from the `OSError` by `from_os_error`.

    The message names the path and the reason in the user's language (the operating system's own words are
    English, so they are never shown); the fix says what to do (choose another folder, close the file in
    Excel, free disk space). `errno` keeps the number for callers and tests.
    """

    code = "FILE"

    def __init__(self, key: str, /, path: str, errno_: int | None = None, **params: object) -> None:
        self.path = path
        self.errno = errno_
        super().__init__(key, path=path, **params)

    @classmethod
    def from_os_error(cls, exc: OSError, path: str | Path | None = None) -> FileAccessError:
        """The error a user sees for `exc`; `path` when the `OSError` names none (a write failing at close)."""
        where = exc.filename if exc.filename is not None else path
        text = str(where) if where is not None else "?"
        key = _OS_KEYS.get(exc.errno or 0, "common.os.other")
        name = errno.errorcode.get(exc.errno or 0, str(exc.errno))
        return cls(key, path=text, errno_=exc.errno, name=name)


@contextmanager
def naming(path: str | Path) -> Iterator[None]:
    """Let an `OSError` raised inside (or one a library wraps) name `path` when it names none (ENOSPC at close).

    Only the name is added; the error is still translated in the one place errors reach the user (the
    face's error handler, through `FileAccessError.from_os_error`).
    """
    try:
        yield
    except Exception as exc:
        found = os_error_in(exc)
        if found is not None and found.filename is None:
            found.filename = str(path)
        raise


def os_error_in(exc: BaseException) -> OSError | None:
    """The `OSError` that caused `exc` (itself, or one in its chain: a library wrapping it), else None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, OSError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


class RefusedByServer(InputError):
    """A running war room refused what was handed to it; `words` holds its reason in zh and en."""

    def __init__(self, key: str, /, words: dict[str, str], **params: object) -> None:
        self.words = words
        super().__init__(key, why=words.get("en", ""), **params)

    def message(self, lang: Lang) -> str:
        """The message in `lang`, with the server's reason in `lang` too."""
        return t(self.key, lang, **{**self.params, "why": self.words.get(lang, "")})


class IngestError(DachuError):
    """A request body the ingest cannot accept; `field` names where (e.g. `[3].amount`), `status` the HTTP code."""

    code = "INGEST"

    def __init__(self, key: str, /, status: int = 422, field: str = "", **params: object) -> None:
        self.status = status
        self.field = field
        super().__init__(key, field=field, **params)
