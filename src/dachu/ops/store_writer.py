"""The war room's store writer in a process of its own (入库进程), beside `dachu serve`.

In the serving process the store writer (`dachu.data.live_sink`) shares one interpreter with the ingest:
turning events into rows is Python work (~14 µs an event), and at 30,000 events/s it takes the time the
ingest needs. Here it runs in a child process that reads the event log itself — the log is the hand-over:
every line on it is fsynced and whole before the ingest answers — and holds the store. Nothing else changes:
`StoreSink` writes each run of lines in one transaction with its checkpoint, so a crash of either process
loses and repeats nothing; on start the child resumes at the checkpoint.

The parent talks to it over a pipe — `flush` (write everything logged so far, and say how many events),
`import` (`dachu import --server`: the child imports the files into the store it holds, between its
writes), `job` (a function given at start, run on the store: the war room's reminder pass), `stop` (a
last flush, then exit) — and reads its progress without asking: the bytes of the log in the store and the
last error are in shared memory. If the parent dies (kill -9), the child notices
within a second, writes what the log holds and exits, releasing the store for the next start.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import time
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from dachu.errors import DachuError, IngestError, InputError

Job = Callable[..., Any]
"""Work the parent may ask the writer's process to do on its store: `job(store, **args)` → a picklable
result. A top-level function given at start (pickled by name), so the store's owner runs it between writes
— the war room's reminder pass."""

LOCK_WAIT = 20.0
"""Seconds a new writer waits for the store held by the writer of a room that was just killed."""
ERROR_BYTES = 500
"""Room for the last error's text in shared memory."""


def _child(conn: Connection, store_path: str, log_path: str, flush_every: float, batch_bytes: int,
           parent: int, stored_to: Any, error: Any, jobs: Mapping[str, Job]) -> None:
    """The child's loop: write the log's new lines every `flush_every` seconds, answer the parent's requests."""
    from dachu.data.importers import import_files
    from dachu.data.live_sink import StoreSink
    from dachu.data.store import Store
    from dachu.ops.collector import tune_gc
    from dachu.ops.event_log import events_of_line, read_lines, set_aside_lines

    tune_gc()
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            store = Store.open(store_path)
            break
        except DachuError as exc:
            # the writer of a room killed a moment ago lets go of the store once it has written the log
            if exc.key != "store.locked" or time.monotonic() > deadline:
                conn.send(("error", _portable(exc)))
                return
            time.sleep(0.2)
    sink = StoreSink(store, Path(log_path))
    stored_to.value = sink.checkpoint()
    conn.send(("ready", stored_to.value))

    bad_path = Path(log_path).with_name(Path(log_path).name + ".bad")
    bad = set_aside_lines(bad_path)  # what the room set aside at start-up

    def flush() -> int:
        written = 0
        while True:
            events: list[Any] = []
            end = stored_to.value
            for line_end, line in read_lines(Path(log_path), end, batch_bytes):
                # damaged on disk: set aside (once, with the room's), never lost
                events.extend(events_of_line(bad_path, bad, line_end, line) or ())
                end = line_end
            if end == stored_to.value:
                return written
            written += sink.apply(events, end)
            stored_to.value = end

    def flush_noting_errors() -> int:
        try:
            written = flush()
        except Exception as exc:  # kept for /healthz; the log still holds every event, the next try writes
            error.value = f"{type(exc).__name__}: {exc}".encode()[:ERROR_BYTES]
            return 0
        error.value = b""
        return written

    try:
        while True:
            if conn.poll(flush_every):
                try:
                    request, args = conn.recv()
                except EOFError:
                    request, args = "stop", {}
                if request == "flush":
                    try:
                        conn.send(("ok", flush()))
                    except Exception as exc:  # the parent raises it: a flush it asked for failed
                        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
                elif request == "import":
                    try:
                        conn.send(("ok", import_files(store, [Path(p) for p in args["files"]],
                                                      source=args["source"], force=args["force"])))
                    except DachuError as exc:
                        conn.send(("error", _portable(exc)))
                elif request == "job":
                    try:  # between writes, on the store it holds: a reminder pass (`dachu.app.remind.live_pass`)
                        conn.send(("ok", jobs[args["name"]](store, **args["args"])))
                    except DachuError as exc:
                        conn.send(("error", _portable(exc)))
                    except Exception as exc:
                        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
                elif request == "stop":
                    conn.send(("ok", flush_noting_errors()))
                    return
            else:
                flush_noting_errors()
            if os.getppid() != parent:  # the room is gone (kill -9): write what the log holds and go
                flush_noting_errors()
                return
    finally:
        store.close()


def _portable(exc: DachuError) -> tuple[str, str, dict[str, Any], int]:
    """An error the parent can raise again (exceptions with keyword parameters do not pickle whole)."""
    status = exc.status if isinstance(exc, IngestError) else 0
    return type(exc).__name__, exc.key, {k: str(v) for k, v in exc.params.items()}, status


def _raise(portable: tuple[str, str, dict[str, Any], int]) -> None:
    name, key, params, status = portable
    if name == "IngestError":
        raise IngestError(key, status=status, **params)
    raise InputError(key, **params)


class StoreWriter:
    """The child process writing the log into the store; see the module doc."""

    def __init__(self, store_path: Path, log_path: Path, *, flush_every: float = 0.5,
                 batch_bytes: int = 8 << 20, jobs: Mapping[str, Job] | None = None) -> None:
        ctx = multiprocessing.get_context("spawn")  # never fork a process with threads
        # raw shared memory, no lock (so no semaphore left behind when a signal ends the server): one
        # writer (the child), one reader; a 64-bit offset is read whole, the error text is advisory
        self._stored_to = ctx.RawValue(ctypes.c_longlong, 0)
        self._error = ctx.RawArray(ctypes.c_char, ERROR_BYTES + 1)
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(
            target=_child, name="dachu-store-writer", daemon=True,
            args=(child, str(store_path), str(log_path), flush_every, batch_bytes, os.getpid(),
                  self._stored_to, self._error, dict(jobs or {})),
        )
        self._proc.start()
        child.close()
        deadline = time.monotonic() + 60
        while not self._conn.poll(0.1):  # a writer left by a killed room may still hold the store: wait
            if not self._proc.is_alive() or time.monotonic() > deadline:
                raise InputError("warroom.store.writer_failed", code=str(self._proc.exitcode))
        kind, value = self._conn.recv()
        if kind == "error":
            self._proc.join(5)
            _raise(value)

    @property
    def stored_to(self) -> int:
        """Bytes of the log in the store."""
        return int(self._stored_to.value)

    @property
    def error(self) -> str | None:
        """The last failed write's error (None when the last write worked), or that the process is gone."""
        if not self._proc.is_alive():
            return f"the store writer process exited ({self._proc.exitcode})"
        text = self._error.value.decode(errors="replace")
        return text or None

    def _ask(self, request: str, **args: Any) -> Any:
        self._conn.send((request, args))
        kind, value = self._conn.recv()
        if kind == "error":
            _raise(value)
        if kind == "failed":
            raise OSError(value)
        return value

    def flush(self) -> int:
        """Write everything logged so far; return the events written."""
        return int(self._ask("flush"))

    def import_files(self, files: list[Path], *, source: str | None, force: bool) -> Any:
        """Import `files` into the store, in the writer's process (its `ImportResult`s)."""
        return self._ask("import", files=[str(f) for f in files], source=source, force=force)

    def job(self, name: str, **args: Any) -> Any:
        """Run the job `name` (given at start) in the writer's process on its store, between writes."""
        return self._ask("job", name=name, args=args)

    def close(self, flush: bool = True) -> None:
        """Stop the writer: after a last flush (`flush`), or at once (what a crash would leave)."""
        if not self._proc.is_alive():
            return
        if flush:
            with contextlib.suppress(EOFError, OSError):
                self._ask("stop")
            self._proc.join(60)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(10)
        self._conn.close()
