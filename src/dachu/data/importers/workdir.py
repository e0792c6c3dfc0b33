"""The import's scratch folder (临时文件夹): private, removed after the import, and after a killed one.

An import transcodes a GBK export into a UTF-8 copy and may stage a large file in a scratch database, both
in a folder beside the store: clear text of the whole export (46 MB for a day of a large shop). The folder
is made private (0700: only the user who runs the import can list or read it) and removed when the import
ends. A process killed mid-import (`kill -9`, a power cut) cannot remove it, so every import first sweeps
the folders of imports that are no longer running: each running import holds an exclusive lock (`flock`)
on a file in its folder, which the system lets go when the process dies, however it dies.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system: folders are swept by age only
    fcntl = None  # type: ignore[assignment]

PREFIX = "dachu-import-"
LOCK = ".owner.lock"
UNLOCKED_GRACE_SECONDS = 60.0
"""A folder without a lock file yet (just made, or left by a version without locks) is swept only when older."""
NO_LOCKS_AGE_SECONDS = 24 * 3600.0
"""Where locks are not available, a folder older than this is taken as left behind."""


def _owned_by_a_running_import(folder: Path) -> bool:
    lock = folder / LOCK
    if not lock.exists():
        return time.time() - folder.stat().st_mtime < UNLOCKED_GRACE_SECONDS
    if fcntl is None:
        return time.time() - folder.stat().st_mtime < NO_LOCKS_AGE_SECONDS
    with lock.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: its import is running
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
    return False


def sweep(parent: Path) -> list[Path]:
    """Remove the scratch folders in `parent` that no running import holds (a killed import's); return them."""
    removed = []
    uid = os.getuid() if hasattr(os, "getuid") else None
    for folder in sorted(parent.glob(PREFIX + "*")):
        try:
            if folder.is_symlink() or not folder.is_dir() or (uid is not None and folder.stat().st_uid != uid):
                continue
            if _owned_by_a_running_import(folder):
                continue
        except OSError:  # removed meanwhile by another sweep
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


@contextlib.contextmanager
def import_folder(parent: Path | None) -> Iterator[Path]:
    """A private (0700) scratch folder in `parent` (the system's temp folder when None) for one import.

    Left-over folders of killed imports are swept first; the folder is locked while the import runs and
    removed when it ends.
    """
    base = parent if parent is not None else Path(tempfile.gettempdir())
    sweep(base)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=base))  # mkdtemp makes it 0700
    folder.chmod(0o700)
    try:
        with (folder / LOCK).open("w") as lock:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
