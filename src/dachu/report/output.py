"""Writing a finished report to its file: the bytes are made in memory, then written in one step.

A workbook library writing straight to a path leaves its half-written zip behind when the disk is full or
the file is held by Excel, and complains again when that zip is collected; made in memory, a report either
reaches its file or fails with one `OSError` naming the path (shown to the user as a `FileAccessError`).
"""

from __future__ import annotations

from pathlib import Path

from dachu.errors import naming


def write_output(path: Path, data: bytes, make_folders: bool = False) -> Path:
    """Write `data` to `path` (creating its folders when `make_folders`); return `path`."""
    with naming(path):
        if make_folders:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return path
