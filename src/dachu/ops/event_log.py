"""The ingest's write-ahead log (事件日志): accepted events on disk before the sender is told "accepted".

One file of lines; each line is a JSON array of the events one request added (duplicates already
removed). `append` writes the line and fsyncs the file (and, the first time, the folder), so an
acknowledged event survives a crash or a power cut. `read` yields every complete line; a torn last line
(a crash in the middle of a write, never acknowledged) is skipped and cut off when the log is reopened.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


class EventLog:
    """An append-only log file; `append` returns once the bytes are on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._truncate_torn_tail()
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)  # the file's directory entry is durable too
        finally:
            os.close(dir_fd)

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
        """Append one line (no newline inside) and fsync."""
        data = line + b"\n"
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    def read(self) -> Iterator[bytes]:
        """Every complete line written so far, oldest first."""
        if not self.path.exists():
            return
        with self.path.open("rb") as f:
            for line in f:
                if line.endswith(b"\n") and len(line) > 1:
                    yield line[:-1]

    def close(self) -> None:
        """Close the file."""
        os.close(self._fd)
