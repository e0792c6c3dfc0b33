"""Failpoints (故障注入点): named places where a test can kill this process with SIGKILL, as a crash would.

The exactly-once promises of the outbox are proved by killing a real process at each step (claimed,
provider_called, the provider's answer not yet recorded) and restarting it. `hit(name)` does nothing unless
the environment variable `DACHU_FAILPOINT` names this point when the process starts — `name` to die at its
first pass, `name:N` at its N-th — so the cost in production is one dictionary lookup. The same idea as
etcd's gofail and TiKV's fail-rs, reduced to the one action we need (kill -9).
"""

from __future__ import annotations

import os
import signal

_ENV = "DACHU_FAILPOINT"


def _parse(value: str) -> tuple[str, int]:
    name, _, count = value.partition(":")
    return name, int(count) if count.isdigit() and int(count) > 0 else 1


_armed: dict[str, int] = dict([_parse(os.environ[_ENV])]) if os.environ.get(_ENV) else {}


def hit(name: str) -> None:
    """Pass the failpoint `name`: kill this process (SIGKILL) if it is armed and its count is reached."""
    if not _armed or name not in _armed:
        return
    _armed[name] -= 1
    if _armed[name] <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
