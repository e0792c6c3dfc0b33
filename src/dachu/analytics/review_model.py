"""The review's result: what `dachu review` measured, independent of how it is shown.

The analytics layer fills a `Review`; `dachu.report` renders it as HTML, XLSX or JSON. The model carries no
prose of its own: every title and column label is a catalogue key (`dachu.i18n.t(key, lang)`), so the
same review renders in zh or en and the JSON stays language-neutral. Values are plain Python: `Decimal`
for money (exact to the fen), `int` for counts, `float` for rates (0.0321 = 3.21%) and seconds,
`str`/`date`/`datetime` for labels, `None` where a value is unknown (no plan, no earlier campaign).
No personal data (names, phones, addresses, buyer ids) may appear in a Review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from dachu.domain.profit import ProfitReview

Unit = Literal[
    "yuan", "count", "rate", "points", "seconds", "hours", "days", "ratio", "text", "date", "datetime", "hour"
]
"""How a value is formatted: yuan = money (Decimal), rate = share 0–1 shown as %, points = a difference of two
shares 0–1 shown in percentage points (0.2 = +20 pp), ratio = plain multiple (ROI), hour = hour of day 0–23,
hours/days/seconds = durations, text = a label."""

Value = Decimal | int | float | str | date | datetime | None

SECTIONS = (
    "headline",
    "hourly",
    "funnel",
    "reminders",
    "channels",
    "products",
    "service",
    "logistics",
    "after_sale",
    "customers",
    "profit",
    "calibration",
)
"""The sections of the review, in the order the report shows them (issue #4; payment reminders after the funnel;
issue #15: profit after everything before the calibration)."""


@dataclass(frozen=True)
class Column:
    """One column of a table or the x axis of a chart.

    `key` is the catalogue key of its label; `metric` the id in `dachu.domain.metrics` when the column is a
    defined metric (the report can then show its definition), else None. `labels`: the column's values (or
    a chart's x values) are themselves catalogue keys to translate (segment, cohort and stage names).
    """

    id: str
    key: str
    unit: Unit
    metric: str | None = None
    labels: bool = False


@dataclass(frozen=True)
class Figure:
    """A headline figure: the actual value against the plan and an earlier campaign.

    `floor`/`stretch` are the plan's values for the same metric (None where the plan has none);
    `previous` the same metric in an earlier imported campaign (None when there is none).
    """

    id: str
    key: str
    unit: Unit
    actual: Value
    floor: Value = None
    stretch: Value = None
    previous: Value = None
    metric: str | None = None


@dataclass(frozen=True)
class Table:
    """Rows of values, one per entity (hour, channel, product, agent, segment…), columns as declared."""

    id: str
    key: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    note_key: str | None = None


@dataclass(frozen=True)
class Series:
    """One line or bar series of a chart; `style` tells the renderer how to draw it."""

    id: str
    key: str
    unit: Unit
    values: tuple[Value, ...]
    style: Literal["actual", "plan", "floor", "stretch", "previous"] = "actual"


@dataclass(frozen=True)
class Chart:
    """A chart: `kind` line/bar/funnel/pie, the x values (hours, days, stages…) and its series."""

    id: str
    key: str
    kind: Literal["line", "bar", "funnel", "pie"]
    x: Column
    x_values: tuple[Value, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True)
class Section:
    """One section of the review (`id` is one of `SECTIONS`). `notes` are catalogue keys with params."""

    id: str
    key: str
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    notes: tuple[tuple[str, dict[str, Value]], ...] = ()


@dataclass(frozen=True)
class Review:
    """The whole post-mortem of one campaign.

    `campaign` is the campaign's name, `event_day` its day; `source` says what was measured (row counts per
    table, the store file's name — never a path with a user's home in it); `calibrated_yaml` the text of the
    next campaign file (the calibration section), or None when the data cannot support one; `profit` the
    profit after everything (`dachu.domain.profit`), which the profit section shows.
    """

    campaign: str
    event_day: date
    sections: tuple[Section, ...]
    source: dict[str, int | str] = field(default_factory=dict)
    calibrated_yaml: str | None = None
    profit: ProfitReview | None = None

    def section(self, section_id: str) -> Section:
        """The section with this id; KeyError if the review has none."""
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)
