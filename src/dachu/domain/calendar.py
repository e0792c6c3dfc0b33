"""The campaign calendar (工作清单, DOMAIN.md §3, §6, §7): task templates dated for a campaign, and progress.

The seed's command centre (运营指挥中心) runs a worklist of 180+ tasks in four phases — preparation
9.15–10.31, warm-up 11.1–11.10, the event 11.11, follow-up 11.12–11.20 — owned by seven groups (product &
photos, copy, design, members & data, ads, ground events, PR); customer service and the warehouse are
groups here too. The library of templates is data (`calendar_tasks.yaml`, read outside the domain by
`dachu.calendar_state`); this module checks it and dates it.

Dating: a template's `start` is its offset from the event day; a task whose dependencies (`after`) end
later is pushed to the day after the last of them ends (finish-to-start, in topological order), and the
push is reported. `end` = start + days − 1 (both days included).

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


@dataclass(frozen=True)
class DatedTask:
    """A template dated for a campaign. `pushed`: days its dependencies moved it later (0 normally)."""

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
    def end_offset(self) -> int:
        """The last day, in days from the event day."""
        return self.start_offset + self.template.days - 1


def date_tasks(
    templates: Sequence[TaskTemplate], event_day: dt.date, phases: PhaseBounds = PhaseBounds()
) -> tuple[DatedTask, ...]:
    """Date every template for `event_day`; a task starts no earlier than the day after its dependencies end.

    Returned sorted by start date, then group order, then id.
    """
    dated: dict[str, DatedTask] = {}
    for t in topological(templates):
        start = max([t.start, *(dated[d].end_offset + 1 for d in t.after)])
        begin = event_day + dt.timedelta(days=start)
        dated[t.id] = DatedTask(
            template=t, start_offset=start, start=begin, end=begin + dt.timedelta(days=t.days - 1),
            phase=phases.phase(start), pushed=start - t.start,
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
