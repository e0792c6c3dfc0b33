"""The ingest's write-ahead log (事件日志): accepted events on disk before the sender is told "accepted".

One file of lines; each line is a JSON array of the events one request added (duplicates already
removed). `append` writes the line and fsyncs the file (and, the first time, the folder), so an
acknowledged event survives a crash or a power cut. `read` yields every complete line; a torn last line
(a crash in the middle of a write, never acknowledged) is skipped and cut off when the log is reopened.

A write that fails (disk full, a file-size limit, an I/O error) or writes only part of the line is cut back
to the end of the last whole line before the error is raised, so the next acknowledged line never lands on
a torn one. The error is an `IngestError` the ingest answers as is: 507 when the disk or the file-size
limit is full, 503 for another I/O error; the log writes again as soon as the disk has room.

A whole line that cannot be read back (bytes damaged on disk, an edit by hand) is never a reason to refuse
to start: the reader sets it aside (`events_of_line`, `set_aside`) into `<log>.bad` — its byte offset, the error and the
line — once, and the rest of the log loads. `bad` holds what is set aside, for the page and /healthz.
"""

from __future__ import annotations

import errno
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from dachu.domain.live.events import EVENTS, LOGGED, Event
from dachu.errors import IngestError
from dachu.ops.files import fsync_folder

LOG = logging.getLogger(__name__)
_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


class EventLog:
    """An append-only log file; `append` returns once the bytes are on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._truncate_torn_tail()
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.size = os.fstat(self._fd).st_size  # bytes of whole lines: where the next line starts
        self.torn = False  # a failed write is still on disk past `size`: cut it before writing again
        self.error: str | None = None  # the last write error, until a write succeeds
        self.bad_path = path.with_name(path.name + ".bad")
        self.bad: dict[int, str] = {}  # byte offset of a line set aside → why
        self.bad.update(set_aside_lines(self.bad_path))
        fsync_folder(path.parent)  # the file's directory entry is durable too

    def _truncate_torn_tail(self) -> None:
        if not self.path.exists():
            return
        size = self.path.stat().st_size
        if size == 0:
            return
        with self.path.open("rb+") as f:
            f.seek(max(0, size - 1))
            if f.read(1) == b"\n":
                return
            # find the last newline and cut everything after it
            pos = size
            chunk = 1 << 16
            while pos > 0:
                start = max(0, pos - chunk)
                f.seek(start)
                block = f.read(pos - start)
                nl = block.rfind(b"\n")
                if nl >= 0:
                    f.truncate(start + nl + 1)
                    return
                pos = start
            f.truncate(0)

    def append(self, line: bytes) -> None:
        """Append one line (no newline inside) and fsync; on any failure nothing of it stays.

        Raises:
            IngestError: `warroom.log.full` (507) when the disk or the file-size limit is full (ENOSPC,
                EFBIG, EDQUOT); `warroom.log.write_failed` (503) for any other write or fsync error.
        """
        data = line + b"\n"
        try:
            if self.torn:
                self._cut_back()
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                if written == 0:
                    raise OSError(errno.ENOSPC, "no byte written")
                view = view[written:]
            os.fsync(self._fd)
        except OSError as exc:
            self.torn = True
            detail = f"{errno.errorcode.get(exc.errno or 0, 'EIO')}: {exc.strerror or exc}"
            self.error = detail
            try:
                self._cut_back()
            except OSError:
                pass  # still torn: the next append cuts before it writes
            if exc.errno in _FULL:
                raise IngestError("warroom.log.full", status=507, detail=detail) from None
            raise IngestError("warroom.log.write_failed", status=503, detail=detail) from None
        self.size += len(data)
        self.error = None

    def _cut_back(self) -> None:
        """Truncate the file to the end of its last whole line and make that durable."""
        os.ftruncate(self._fd, self.size)
        os.fsync(self._fd)
        self.torn = False

    def read(self) -> Iterator[bytes]:
        """Every complete line written so far, oldest first."""
        if not self.path.exists():
            return
        with self.path.open("rb") as f:
            for line in f:
                if line.endswith(b"\n") and len(line) > 1:
                    yield line[:-1]

    def read_from(self, offset: int, limit: int = 1 << 62) -> Iterator[tuple[int, bytes]]:
        """Complete lines from byte `offset` on, each with the offset just past it; about `limit` bytes at most."""
        return read_lines(self.path, offset, limit)

    def close(self) -> None:
        """Close the file."""
        os.close(self._fd)


def read_lines(path: Path, offset: int, limit: int = 1 << 62) -> Iterator[tuple[int, bytes]]:
    """The log's complete lines from byte `offset` on, each with the offset just past it.

    About `limit` bytes at most. A reader of a log another process writes (the store writer) reads it so.
    """
    if not path.exists():
        return
    with path.open("rb") as f:
        f.seek(offset)
        pos = offset
        for line in f:
            if not line.endswith(b"\n"):
                return  # a line still being written
            pos += len(line)
            if len(line) > 1:
                yield pos, line[:-1]
            if pos - offset >= limit:
                return


def set_aside_lines(bad_path: Path) -> dict[int, str]:
    """The lines a side file `<log>.bad` holds: byte offset → why each was set aside."""
    bad: dict[int, str] = {}
    if bad_path.is_file():
        for raw in bad_path.read_bytes().splitlines():
            try:
                entry = json.loads(raw)
                bad[int(entry["offset"])] = str(entry["error"])
            except (ValueError, KeyError, TypeError):
                continue  # a torn last entry: the line is set aside again when next read
    return bad


def set_aside(bad_path: Path, bad: dict[int, str], offset: int, line: bytes, error: str) -> None:
    """Record the unreadable line at byte `offset` in the side file (fsynced), once; `bad` notes it."""
    if offset in bad:
        return
    entry = {"offset": offset, "error": error, "line": line.decode("utf-8", "replace")}
    fd = os.open(bad_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, json.dumps(entry, ensure_ascii=False).encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    bad[offset] = error


def events_of_line(bad_path: Path, bad: dict[int, str], end: int, line: bytes) -> list[Event] | None:
    """The events of the log line ending at byte `end`; None when it cannot be read.

    A line that cannot be read is set aside (`set_aside`, once) with where and why; one already set aside
    (in `bad`) is not validated again. The serving room and the store writer's process both read so.
    """
    offset = end - len(line) - 1
    if offset in bad:
        return None
    try:
        return EVENTS.validate_json(line, context=LOGGED)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
        set_aside(bad_path, bad, offset, line, f"{where} {error['msg']}".strip())
        LOG.error("event log line at byte %d cannot be read; set aside in %s", offset, bad_path)
        return None
