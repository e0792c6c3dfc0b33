"""Quiet hours (免打扰时段): a message due outside its class's daily window waits for the window to open.

Deferred, never dropped: due before the window opens → that day's opening minute; due at or after it closes
→ the next day's opening minute. Times are shop wall-clock; the vectorised form takes seconds since the
naive epoch (`datetime64[s]` as int64), so a day is exactly 86,400 s.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from dachu.domain.campaign.remind import Window

DAY = 86_400

Seconds = npt.NDArray[np.int64]


def defer(times: Seconds, window: Window) -> Seconds:
    """The first moment at or after each of `times` inside `window` (seconds, int64)."""
    day = times // DAY * DAY
    minute_of_day = times - day
    start, end = window.start * 60, window.end * 60
    later = np.where(minute_of_day >= end, day + DAY + start, times)
    return np.where(minute_of_day < start, day + start, later)


def defer_one(at: dt.datetime, window: Window) -> dt.datetime:
    """The first moment at or after `at` inside `window` (the scalar twin of `defer`)."""
    midnight = dt.datetime.combine(at.date(), dt.time())
    minutes = (at - midnight) / dt.timedelta(minutes=1)
    if minutes < window.start:
        return midnight + dt.timedelta(minutes=window.start)
    if minutes >= window.end:
        return midnight + dt.timedelta(days=1, minutes=window.start)
    return at


def in_window(at: dt.datetime, window: Window) -> bool:
    """Whether `at` falls inside `window`."""
    return defer_one(at, window) == at
