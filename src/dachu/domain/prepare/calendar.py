"""The campaign calendar (工作清单, docs/domain.md §3, §6, §7): task templates dated for a campaign, and progress.

The seed's command centre (运营指挥中心) runs a worklist of 180+ tasks in four phases — preparation
9.15–10.31, warm-up 11.1–11.10, the event 11.11, follow-up 11.12–11.20 — owned by seven groups (product &
photos, copy, design, members & data, ads, ground events, PR); customer service and the warehouse are
groups here too. The library of templates is data (`calendar_tasks.yaml`, read outside the domain by
`dachu.data.calendar_state`); this module checks it and dates it.

Dating: a template's `start` is its offset from the event day, written against the seed's phases
(`DEFAULT_PHASES`: 9.15 / 11.1 / 11.11 / 11.20 for a 11.11 event). Each task belongs to the phase its
start falls in there. A campaign that moves its phases (`Campaign.phases`) moves their tasks with them:

1. The start keeps its relative position in its phase: a phase running from a0 to b0 by default and
   from a1 to b1 in the campaign maps offset o to a1 + round((o − a0) × (b1 − a1) / (b0 − a0)), half up
   (the phase's first and last days stay first and last). The event day stays day 0; a task before the
   preparation phase keeps its distance to the preparation's first day, one after the follow-up to the
   follow-up's last day.
2. A task that ends inside its own phase keeps its duration and is clamped into the phase (its start
   moved back so it ends by the phase's last day, never before the phase's first day). A task that runs
   on into a later phase ends at its end day mapped the same way (so "until warm-up begins" still holds);
   its duration may change.
3. Dependencies (`after`, finish-to-start) come last: a task starts no earlier than the day after all of
   its prerequisites end, in topological order, keeping its duration; the push is reported (`pushed`).
   So a task is never before its prerequisite, whatever the phases.

With the default phases the mapping is the identity. `end` = start + days − 1 (both days included).

Progress: a task is done (given the day it was done), overdue (not done and its end is before today),
in progress (today between start and end) or upcoming.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, ValidationError

from dachu.domain.types import Model, PositiveCount
from dachu.i18n import Lang

Group = Literal["product", "copy", "design", "members", "ads", "events", "pr", "cs", "warehouse"]
"""Owner groups: the command centre's seven (商品选择陈列拍照, 文案策划, 美工设计, 会员管理和数据分析,
广告投放和推广, 地面活动, 外部宣传和互动), then customer service (客服) and the warehouse (仓储物流)."""

GROUPS: tuple[Group, ...] = ("product", "copy", "design", "members", "ads", "events", "pr", "cs", "warehouse")

Phase = Literal["before", "preparation", "warm_up", "event", "follow_up", "after"]
PHASES: tuple[Phase, ...] = ("before", "preparation", "warm_up", "event", "follow_up", "after")

State = Literal["done", "overdue", "in_progress", "upcoming"]


class TemplateError(ValueError):
    """The task library is inconsistent (a duplicate id, an unknown dependency, a cycle)."""


class TaskTemplate(Model):
    """One task of the library: owner group, first day from the event day, duration, dependencies, titles."""

    id: Annotated[str, Field(pattern=r"^[a-z]+\.[a-z0-9_]+$")]
    group: Group
    start: int
    days: PositiveCount = 1
    after: tuple[str, ...] = ()
    zh: str
    en: str

    def title(self, lang: Lang) -> str:
        """The title in `lang`."""
        return self.zh if lang == "zh" else self.en


def topological(templates: Sequence[TaskTemplate]) -> list[TaskTemplate]:
    """The templates ordered so that each comes after everything it depends on (library order kept otherwise).

    Raises `TemplateError` on an unknown dependency or a cycle (naming the tasks in it).
    """
    by_id = {t.id: t for t in templates}
    for t in templates:
        for dep in t.after:
            if dep not in by_id:
                raise TemplateError(f"{t.id}: unknown dependency {dep}")
    out: list[TaskTemplate] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = placed

    def visit(t: TaskTemplate, path: list[str]) -> None:
        if state.get(t.id) == 2:
            return
        if state.get(t.id) == 1:
            cycle = [*path[path.index(t.id):], t.id]
            raise TemplateError("dependency cycle: " + " → ".join(cycle))
        state[t.id] = 1
        for dep in t.after:
            visit(by_id[dep], [*path, t.id])
        state[t.id] = 2
        out.append(t)

    for t in templates:
        visit(t, [])
    return out


def parse_templates(data: object) -> tuple[TaskTemplate, ...]:
    """Validate the library from `calendar_tasks.yaml`: fields, unique ids, known dependencies, no cycle."""
    try:
        templates = TypeAdapter(list[TaskTemplate]).validate_python(data)
    except ValidationError as exc:
        raise TemplateError(str(exc)) from None
    seen: set[str] = set()
    for t in templates:
        if t.id in seen:
            raise TemplateError(f"duplicate task id {t.id}")
        seen.add(t.id)
    topological(templates)
    return tuple(templates)


@dataclass(frozen=True)
class PhaseBounds:
    """The four phases as offsets from the event day (`Campaign.phases`; seed 9.15 / 11.1 / 11.20)."""

    preparation_from: int = -57
    warm_up_from: int = -10
    follow_up_to: int = 9

    def phase(self, offset: int) -> Phase:
        """The phase an offset falls in; `before`/`after` outside the campaign's four phases."""
        if offset == 0:
            return "event"
        if offset < 0:
            if offset >= self.warm_up_from:
                return "warm_up"
            return "preparation" if offset >= self.preparation_from else "before"
        return "follow_up" if offset <= self.follow_up_to else "after"


    def span(self, phase: Phase) -> tuple[int, int] | None:
        """The first and last offsets of `phase` (None for the open-ended `before` and `after`)."""
        spans: dict[Phase, tuple[int, int]] = {
            "preparation": (self.preparation_from, self.warm_up_from - 1),
            "warm_up": (self.warm_up_from, -1),
            "event": (0, 0),
            "follow_up": (1, self.follow_up_to),
        }
        return spans.get(phase)


DEFAULT_PHASES = PhaseBounds()
"""The phases the task library's offsets are written against (the seed's 9.15, 11.1, 11.11, 11.20)."""


def _round_half_up(num: int, den: int) -> int:
    """The quotient num / den rounded half up, for num ≥ 0 and den > 0 (exact integer arithmetic)."""
    return (2 * num + den) // (2 * den)


def map_offset(offset: int, source: PhaseBounds, target: PhaseBounds) -> int:
    """Move `offset` from its phase in `source` to the same relative position in that phase in `target`."""
    phase = source.phase(offset)
    if phase == "before":
        return offset - source.preparation_from + target.preparation_from
    if phase == "after":
        return offset - source.follow_up_to + target.follow_up_to
    from_span, to_span = source.span(phase), target.span(phase)
    assert from_span is not None and to_span is not None
    (a0, b0), (a1, b1) = from_span, to_span
    if b0 == a0:
        return a1
    return a1 + _round_half_up((offset - a0) * (b1 - a1), b0 - a0)


@dataclass(frozen=True)
class DatedTask:
    """A template dated for a campaign.

    `phase`: the phase the task belongs to (its start's phase under `DEFAULT_PHASES`).
    `pushed`: days its dependencies moved it later than its phase-mapped start (0 normally).
    """

    template: TaskTemplate
    start_offset: int
    start: dt.date
    end: dt.date
    phase: Phase
    pushed: int

    @property
    def id(self) -> str:
        """The task's id."""
        return self.template.id

    @property
    def group(self) -> Group:
        """The owner group."""
        return self.template.group

    @property
    def days(self) -> int:
        """Days from start to end, both included (the template's, unless a moved phase changed it)."""
        return (self.end - self.start).days + 1

    @property
    def end_offset(self) -> int:
        """The last day, in days from the event day."""
        return self.start_offset + self.days - 1


def _place(t: TaskTemplate, phases: PhaseBounds) -> tuple[int, int]:
    """(start, end) offsets of `t` in the campaign's `phases`, before dependencies (steps 1–2 above)."""
    home = DEFAULT_PHASES.phase(t.start)
    start = map_offset(t.start, DEFAULT_PHASES, phases)
    default_end = t.start + t.days - 1
    if DEFAULT_PHASES.phase(default_end) != home:
        return start, max(start, map_offset(default_end, DEFAULT_PHASES, phases))
    span = phases.span(home)
    if span is not None:
        first, last = span
        start = max(first, min(start, last - t.days + 1))
    return start, start + t.days - 1


def date_tasks(
    templates: Sequence[TaskTemplate], event_day: dt.date, phases: PhaseBounds = DEFAULT_PHASES
) -> tuple[DatedTask, ...]:
    """Date every template for `event_day` and the campaign's `phases` (see the module docstring).

    A task starts no earlier than the day after its dependencies end. Returned sorted by start date, then
    group order, then id.
    """
    dated: dict[str, DatedTask] = {}
    for t in topological(templates):
        planned, end = _place(t, phases)
        start = max([planned, *(dated[d].end_offset + 1 for d in t.after)])
        end += start - planned
        begin = event_day + dt.timedelta(days=start)
        dated[t.id] = DatedTask(
            template=t, start_offset=start, start=begin, end=event_day + dt.timedelta(days=end),
            phase=DEFAULT_PHASES.phase(t.start), pushed=start - planned,
        )
    return tuple(sorted(dated.values(), key=lambda d: (d.start, GROUPS.index(d.group), d.id)))


@dataclass(frozen=True)
class TaskStatus:
    """A dated task's progress as of a day.

    `done_on`: the day it was done, or None. `days_late`: days past its end (overdue tasks only, else 0).
    """

    task: DatedTask
    done_on: dt.date | None
    state: State
    days_late: int = 0


def task_status(
    tasks: Iterable[DatedTask], done: Mapping[str, dt.date], today: dt.date
) -> tuple[TaskStatus, ...]:
    """Each task's state as of `today`: done, overdue (ended before today), in progress or upcoming."""
    out = []
    for task in tasks:
        if task.id in done:
            out.append(TaskStatus(task, done[task.id], "done"))
        elif task.end < today:
            out.append(TaskStatus(task, None, "overdue", (today - task.end).days))
        elif task.start <= today:
            out.append(TaskStatus(task, None, "in_progress"))
        else:
            out.append(TaskStatus(task, None, "upcoming"))
    return tuple(out)


def overdue_by_group(statuses: Iterable[TaskStatus]) -> dict[Group, tuple[TaskStatus, ...]]:
    """The overdue tasks of each group that has any, groups in the command centre's order."""
    late: dict[Group, list[TaskStatus]] = {}
    for s in statuses:
        if s.state == "overdue":
            late.setdefault(s.task.group, []).append(s)
    return {g: tuple(late[g]) for g in GROUPS if g in late}


def unknown_ids(ids: Iterable[str], templates: Sequence[TaskTemplate]) -> list[str]:
    """The ids that name no task of the library."""
    known = {t.id for t in templates}
    return [i for i in ids if i not in known]
