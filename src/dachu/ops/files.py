"""Durable file steps (持久写入) the war room's files share: the log, its snapshot, the secrets."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_folder(folder: Path) -> None:
    """Make the entries of `folder` durable (a file created, renamed or replaced in it survives a crash)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(tmp: Path, path: Path) -> None:
    """Put the fsynced file `tmp` in the place of `path` atomically, the rename itself made durable."""
    os.replace(tmp, path)
    fsync_folder(path.parent)
