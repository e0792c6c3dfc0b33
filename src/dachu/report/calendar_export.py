"""The campaign calendar for other tools: an iCalendar file (.ics) and an Excel workbook.

ICS: one all-day VEVENT per task (DTEND is the day after the last day, as RFC 5545 wants for dates);
the UID is `<task id>@<campaign key>.dachu`, where the campaign key is derived from the campaign's name
and event day, so re-importing an updated calendar updates the same events instead of duplicating them.
The group goes into CATEGORIES; the description names the dependencies and the state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

import icalendar
import xlsxwriter

from dachu.domain.prepare.calendar import TaskStatus
from dachu.i18n import Lang, t
from dachu.report.output import write_output


def campaign_key(name: str, event_day: dt.date) -> str:
    """A stable short key for a campaign: 12 hex digits of the name and event day's SHA-256."""
    return hashlib.sha256(f"{name}|{event_day.isoformat()}".encode()).hexdigest()[:12]


def task_uid(task_id: str, name: str, event_day: dt.date) -> str:
    """The task's ICS UID, stable across runs for the same campaign."""
    return f"{task_id}@{campaign_key(name, event_day)}.dachu"


def to_ics(
    statuses: Sequence[TaskStatus], name: str, event_day: dt.date, lang: Lang, stamp: dt.datetime
) -> bytes:
    """The calendar as iCalendar bytes. `stamp` (UTC) is the DTSTAMP of every event (the time of export)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//dachu//campaign calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{name} · {t('prepare.cal.title', lang)}")
    for s in statuses:
        task = s.task
        ev = icalendar.Event()
        ev.add("uid", task_uid(task.id, name, event_day))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", task.start)
        ev.add("dtend", task.end + dt.timedelta(days=1))
        ev.add("summary", f"[{t(f'prepare.group.{task.group}', lang)}] {task.template.title(lang)}")
        ev.add("categories", [task.group])
        lines = [f"{t('prepare.cal.col.id', lang)}: {task.id}", f"{t('prepare.cal.col.state', lang)}: "
                 f"{t(f'prepare.state.{s.state}', lang)}"]
        if task.template.after:
            lines.append(f"{t('prepare.cal.col.after', lang)}: {', '.join(task.template.after)}")
        ev.add("description", "\n".join(lines))
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data


def write_ics(path: Path, data: bytes) -> None:
    """Write the calendar's iCalendar bytes to `path`."""
    write_output(path, data)


def write_xlsx(path: Path, statuses: Sequence[TaskStatus], name: str, lang: Lang, today: dt.date) -> None:
    """The calendar as a workbook: one row per task, dates as Excel dates, overdue rows highlighted."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer)
    try:
        ws = wb.add_worksheet(t("prepare.cal.sheet", lang)[:31])
        bold = wb.add_format({"bold": True, "bg_color": "#DDDDDD"})
        day = wb.add_format({"num_format": "yyyy-mm-dd"})
        late = wb.add_format({"bg_color": "#F8CBAD"})
        late_day = wb.add_format({"num_format": "yyyy-mm-dd", "bg_color": "#F8CBAD"})
        ws.write(0, 0, f"{name} · {t('prepare.cal.title', lang)} · {t('prepare.cal.as_of', lang)} {today}")
        cols = ["id", "phase", "group", "task", "start", "end", "days", "after", "state", "done_on"]
        for c, key in enumerate(cols):
            ws.write(2, c, t(f"prepare.cal.col.{key}", lang), bold)
        for r, s in enumerate(statuses, start=3):
            task = s.task
            f_text, f_day = (late, late_day) if s.state == "overdue" else (None, day)
            ws.write(r, 0, task.id, f_text)
            ws.write(r, 1, t(f"prepare.phase.{task.phase}", lang), f_text)
            ws.write(r, 2, t(f"prepare.group.{task.group}", lang), f_text)
            ws.write(r, 3, task.template.title(lang), f_text)
            ws.write_datetime(r, 4, dt.datetime.combine(task.start, dt.time()), f_day)
            ws.write_datetime(r, 5, dt.datetime.combine(task.end, dt.time()), f_day)
            ws.write_number(r, 6, task.days, f_text)
            ws.write(r, 7, ", ".join(task.template.after), f_text)
            ws.write(r, 8, t(f"prepare.state.{s.state}", lang), f_text)
            if s.done_on is not None:
                ws.write_datetime(r, 9, dt.datetime.combine(s.done_on, dt.time()), f_day)
        ws.autofilter(2, 0, 2 + len(statuses), len(cols) - 1)
        ws.freeze_panes(3, 0)
        for c, width in enumerate((28, 10, 12, 60, 11, 11, 6, 30, 10, 11)):
            ws.set_column(c, c, width)
    finally:
        wb.close()
    write_output(path, buffer.getvalue())
