"""The one clock (时钟): every `now()` dachu reads comes from here, so tests can set it.

`dachu.domain` never reads the clock; the faces, the facade and the operations layer call `now()` and
hand the time down. A test freezes or moves time with `set_clock(lambda: ...)` and `reset_clock()` (the
`frozen_clock` fixture in tests/conftest.py does both).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

_source: Callable[[], float] = time.time


def set_clock(source: Callable[[], float]) -> None:
    """Read time from `source` (seconds since the epoch, like `time.time`) until `reset_clock`."""
    global _source
    _source = source


def reset_clock() -> None:
    """Back to the system clock."""
    global _source
    _source = time.time


def timestamp() -> float:
    """Seconds since the epoch (UTC), as `time.time()`."""
    return _source()


def now() -> dt.datetime:
    """The current local time (naive, the machine's zone: shop time on a shop's machine)."""
    return dt.datetime.fromtimestamp(_source())


def today() -> dt.date:
    """Today's date on the local clock."""
    return now().date()
