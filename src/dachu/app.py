"""The facade both faces call (`Workspace`): open a campaign file, make its plan, write examples.

The CLI and the web hold no business logic; they call these verbs and render what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from dachu.analytics.review_model import Review
from dachu.data.store import DEFAULT_STORE
from dachu.domain.campaign import Campaign
from dachu.domain.campaign_file import parse_campaign
from dachu.domain.plan import Plan, make_plan
from dachu.errors import InputError
from dachu.i18n import Lang

EXAMPLES: tuple[str, ...] = ("double11", "seed-2013")
"""Campaign files `dachu init --example` can write."""


def example_text(name: str, lang: Lang) -> str:
    """The commented campaign file of example `name` in `lang`."""
    if name not in EXAMPLES:
        raise InputError("common.unknown_example", name=name, choices=", ".join(EXAMPLES))
    return resources.files("dachu.examples").joinpath(f"{name}.{lang}.yaml").read_text(encoding="utf-8")


def read_campaign(path: Path) -> Campaign:
    """Read and validate a campaign file; errors name the file, the key path and the line."""
    if not path.is_file():
        raise InputError("common.file_missing", path=str(path))
    return parse_campaign(path.read_text(encoding="utf-8-sig"), str(path))


@dataclass
class Workspace:
    """A folder holding a campaign file and what dachu writes beside it (plans, the store, reports)."""

    root: Path
    campaign_file: str = "campaign.yaml"
    _plan: Plan | None = field(default=None, init=False, repr=False)

    @property
    def campaign_path(self) -> Path:
        """Where the campaign file is."""
        return self.root / self.campaign_file

    def init(self, example: str, lang: Lang, force: bool = False) -> Path:
        """Write example `example` as the workspace's campaign file; refuse to overwrite unless `force`."""
        text = example_text(example, lang)
        if self.campaign_path.exists() and not force:
            raise InputError("common.file_exists", path=str(self.campaign_path))
        self.root.mkdir(parents=True, exist_ok=True)
        self.campaign_path.write_text(text, encoding="utf-8")
        return self.campaign_path

    def campaign(self) -> Campaign:
        """The validated campaign."""
        return read_campaign(self.campaign_path)

    def plan(self) -> Plan:
        """The plan of the campaign (made once per workspace object)."""
        if self._plan is None:
            self._plan = make_plan(self.campaign())
        return self._plan

    def review(self, store: Path | None = None) -> Review:
        """The review (复盘) of this campaign from the store (default: `dachu.duckdb` in the workspace)."""
        from dachu.app_review import review_store

        return review_store(store if store is not None else self.root / DEFAULT_STORE, self.plan())

    @classmethod
    def for_file(cls, path: Path) -> Workspace:
        """The workspace around a campaign file given by path."""
        return cls(root=path.parent, campaign_file=path.name)
