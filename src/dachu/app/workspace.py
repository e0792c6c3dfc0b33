"""The facade both faces call (`Workspace`): open a campaign file, make its plan, write examples.

The CLI and the web hold no business logic; they call these verbs and render what comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dachu.app import prepare as app_prepare
from dachu.app.campaign import example_text, read_campaign
from dachu.app.prepare import CapacityResult, StaffingResult
from dachu.domain.campaign.model import Campaign
from dachu.domain.plan.plan import Plan, make_plan
from dachu.domain.prepare.calendar import TaskStatus
from dachu.errors import InputError, naming
from dachu.i18n import Lang

if TYPE_CHECKING:
    from dachu.analytics.review_model import Review
    from dachu.data.importers import ImportResult
    from dachu.data.simulate.run import SimulationResult
    from dachu.domain.prepare.shifts import Rota, RotaRequest  # OR-Tools: imported only when a rota is solved







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
        with naming(self.campaign_path):
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

    @property
    def store_path(self) -> Path:
        """The workspace's DuckDB store (`dachu.duckdb` beside the campaign file)."""
        from dachu.data.store import DEFAULT_STORE

        return self.root / DEFAULT_STORE

    @property
    def simulated_dir(self) -> Path:
        """Where `simulate` writes its export files."""
        return self.root / "simulated"

    def simulate(
        self, orders: int, seed: int = 0, progress: Callable[[int, int], None] | None = None
    ) -> SimulationResult:
        """Simulate the campaign's plan as the platform's own export files.

        Besides the order exports: the behaviour log, and canonical CSVs of traffic, ad spend, CS sessions.
        `orders` counts the campaign's orders; the year before adds half as many again (returning buyers).
        Deterministic for `seed`. Files go to `simulated_dir`, replacing a previous simulation's files.
        """
        from dachu.app import data  # DuckDB and Arrow load here, so `dachu --help` and `dachu plan` stay quick

        return data.simulate(self.campaign_path, self.simulated_dir, orders=orders, seed=seed, progress=progress)

    def import_files(
        self, files: Sequence[Path], progress: Callable[[Path, int, int], None] | None = None
    ) -> list[ImportResult]:
        """Import export files into the workspace's store (format detected from each header).

        Re-importing a file already imported changes nothing; rejected rows go to the quarantine table.
        """
        from dachu.app import data

        return data.import_files(self.store_path, files, progress=progress)

    def store_rows(self) -> dict[str, int]:
        """Rows per canonical table in the store (contacts, quarantine and the import log included)."""
        from dachu.data.schema import TABLES
        from dachu.data.store import Store

        with Store.open(self.store_path) as store:
            counts = {}
            for table in TABLES:
                row = store.con.execute(f"SELECT count(*) FROM {table.name}").fetchone()
                counts[table.name] = int(row[0]) if row else 0
            return counts

    # ------------------------------------------------------------ prepare: dachu.app.prepare

    def staffing(self) -> StaffingResult:
        """Agents per hour of the event day (Erlang C) and the day's arrangement; needs `service:`."""
        return app_prepare.staffing(self.plan(), str(self.campaign_path))

    def rota(
        self, month: str | None = None, seconds: float = 20.0, night_before: Iterable[str] = (),
        previous: Path | None = None,
    ) -> tuple[RotaRequest, Rota]:
        """A month's rota; `night_before`/`previous` name who worked nights on the previous month's last day."""
        return app_prepare.rota(self.plan(), str(self.campaign_path), month, seconds, night_before, previous)

    def capacity(self) -> CapacityResult:
        """The warehouse capacity section (None without `warehouse:` lines) and the stock plan."""
        return app_prepare.capacity(self.plan())

    def calendar(self, today: dt.date) -> tuple[TaskStatus, ...]:
        """Every task of the library dated for the campaign's phases, with its progress as of `today`."""
        return app_prepare.calendar(self.campaign(), self.campaign_path, today)

    def mark_done(self, ids: Iterable[str], on: dt.date, undo: bool = False) -> dict[str, dt.date]:
        """Record tasks done on `on` (or not done) beside the campaign file; the campaign must be valid."""
        self.campaign()
        return app_prepare.mark_done(self.campaign_path, ids, on, undo)

    def review(self, store: Path | None = None) -> Review:
        """The review (复盘) of this campaign from the store (default: `dachu.duckdb` in the workspace)."""
        from dachu.app.review import review_store

        return review_store(store if store is not None else self.store_path, self.plan())

    @classmethod
    def for_file(cls, path: Path) -> Workspace:
        """The workspace around a campaign file given by path."""
        return cls(root=path.parent, campaign_file=path.name)
