"""Every error dachu shows a user, each with a code, a message in zh-CN and en, and the fix.

The tree::

    DachuError                 code + catalogue key + params; message(lang), fix(lang)
     ├── CampaignFileError     the campaign file has problems; .problems lists each one (path, line, fix)
     ├── PlanError             a plan cannot be made from valid inputs (goal unreachable, traffic short)
     ├── InputError            a file or argument the user gave cannot be used (missing, unreadable)
     │    └── RefusedByServer  a running war room refused a request; its own zh/en words, in the asked language
     └── IngestError           a request to the war room's ingest cannot be accepted; .status (HTTP), .field

Messages live in the catalogue (`dachu.i18n`): key `K` holds the message and `K.fix` the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
