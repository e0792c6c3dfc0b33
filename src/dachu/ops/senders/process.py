"""A sender in a process of its own (独立进程发送): its provider calls never wait for the dispatcher's lock.

Signing and parsing an SMS call costs about 100 µs of Python; the dispatcher's claims, send-time checks and
rendering cost as much again. In one process they take turns on the interpreter lock, and the whole path
ran at half the sender's own speed (bench/remind.py). `SenderProcess` runs the sender in a child process
(spawned, never forked from a process with threads) and hands it each batch over a pipe; the dispatcher
prepares the next batch meanwhile on its own core.

The child dies with its parent: on Linux it asks the kernel for SIGKILL when the parent goes
(`PR_SET_PDEATHSIG`), so a kill -9 of `dachu remind` stops its provider calls at once, exactly as when they
ran on a thread; elsewhere it checks for its parent between calls. If the child itself dies, every message
of the batch is a retryable failure `senders.process_died`: on a reconcilable channel the outbox then asks
the provider what landed, so nothing is sent twice. Addresses cross the pipe in memory only.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

from dachu.ops.senders.base import Outcome, Outgoing, Sender
from dachu.ops.senders.common import failed

DIED = "senders.process_died"
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass


def _serve(conn: Connection, make: Callable[..., Sender], args: tuple[Any, ...], parent: int) -> None:
    _die_with_parent()
    if os.getppid() != parent:  # the parent went before the kernel was told
        return
    sender = make(*args)
    try:
        while True:
            try:
                verb, batch = conn.recv()
            except (EOFError, OSError):
                return
            if verb == "stop" or os.getppid() != parent:
                return
            conn.send(sender.send(batch) if verb == "send" else sender.reconcile(batch))
    finally:
        sender.close()


class SenderProcess:
    """`make(*args)` — a sender class and its settings, both picklable — run in a child process."""

    def __init__(self, make: Callable[..., Sender], *args: Any) -> None:
        # a sender class says its channel and whether it reconciles as class attributes
        self.channel: str = getattr(make, "channel")  # noqa: B009
        self.reconcilable: bool = getattr(make, "reconcilable")  # noqa: B009
        self.needs_address: bool = getattr(make, "needs_address")  # noqa: B009
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(
            target=_serve, args=(child, make, args, os.getpid()), name=f"dachu-{self.channel}", daemon=True
        )
        self._proc.start()
        child.close()

    def _ask(self, verb: str, batch: Sequence[Outgoing]) -> list[Outcome]:
        if not batch:
            return []
        try:
            self._conn.send((verb, list(batch)))
            answer: list[Outcome] = self._conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            return [failed(m.key, DIED, retryable=True) for m in batch]
        return answer

    def send(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """The child's `send(batch)`; every message a retryable failure if the child is gone."""
        return self._ask("send", batch)

    def reconcile(self, batch: Sequence[Outgoing]) -> list[Outcome]:
        """The child's `reconcile(batch)`."""
        return self._ask("reconcile", batch)

    def close(self) -> None:
        """Stop the child (it closes its sender) and wait for it."""
        try:
            self._conn.send(("stop", []))
        except (OSError, BrokenPipeError):
            pass
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join()
        self._conn.close()
