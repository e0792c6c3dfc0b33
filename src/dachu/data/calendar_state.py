"""The calendar's files (outside the pure domain): the shipped task library and the progress file.

- `load_templates()` reads `dachu/domain/calendar_tasks.yaml` through importlib.resources and checks it
  with `dachu.domain.prepare.calendar.parse_templates`.
- Progress lives beside the campaign file: `campaign.yaml` → `campaign.progress.yaml`, a mapping
  `done: {task id: date}`. `dachu calendar done ID` writes it; the calendar reads it.

Campaign files are read by the facade only (`dachu.app.read_campaign`; every area's cross-field rules,
the `warehouse:` section's included, run in `campaign_checks.check_campaign`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import yaml

from dachu.domain.prepare.calendar import TaskTemplate, parse_templates, unknown_ids
from dachu.errors import InputError


@functools.cache
def load_templates() -> tuple[TaskTemplate, ...]:
    """The task library shipped with dachu (checked: unique ids, known dependencies, no cycle)."""
    text = resources.files("dachu.domain.prepare").joinpath("calendar_tasks.yaml").read_text(encoding="utf-8")
    return parse_templates(yaml.safe_load(text))


def progress_path(campaign_path: Path) -> Path:
    """Where the progress of `campaign_path` is kept: `<name>.progress.yaml` beside it."""
    return campaign_path.with_name(f"{campaign_path.stem}.progress.yaml")


def read_progress(path: Path) -> dict[str, dt.date]:
    """The tasks done and the day each was done; empty when there is no progress file yet."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        raise InputError("prepare.progress_bad", path=str(path)) from None
    done = data.get("done") if isinstance(data, dict) else None
    if not isinstance(done, dict):
        raise InputError("prepare.progress_bad", path=str(path))
    out: dict[str, dt.date] = {}
    for key, value in done.items():
        if not isinstance(value, dt.date):
            raise InputError("prepare.progress_bad", path=str(path))
        out[str(key)] = value
    return out


def write_progress(path: Path, done: dict[str, dt.date]) -> None:
    """Write the progress file (ids sorted, so the file diffs well)."""
    lines = ["# dachu calendar progress: task id → the day it was done", "done:"]
    lines += [f"  {key}: {done[key].isoformat()}" for key in sorted(done)]
    if not done:
        lines[-1] = "done: {}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def mark_done(
    campaign_path: Path, ids: Iterable[str], on: dt.date, undo: bool = False
) -> dict[str, dt.date]:
    """Record `ids` as done on `on` (or not done with `undo`); unknown ids are an error naming the closest."""
    ids = list(ids)
    bad = unknown_ids(ids, load_templates())
    if bad:
        import difflib

        near = difflib.get_close_matches(bad[0], [t.id for t in load_templates()], n=1)
        raise InputError("prepare.unknown_task", id=bad[0], suggestion=near[0] if near else "—")
    path = progress_path(campaign_path)
    done = read_progress(path)
    for task_id in ids:
        if undo:
            done.pop(task_id, None)
        else:
            done[task_id] = on
    write_progress(path, done)
    return done
