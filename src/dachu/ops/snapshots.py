"""Snapshots of the war room's live state (状态快照), so a restart reads one file and the log's tail.

A snapshot is one `.npz` file beside the event log (`<log>.snapshot.npz`): the state's arrays (orders,
buyers, event ids: `LiveState.export()`), plus a JSON header with the state's totals and the byte offset of
the log the state has taken in. Writing is atomic — a temporary file in the same folder, fsynced, renamed
over the old snapshot, the folder fsynced — so a crash at any moment leaves the old snapshot or the new one,
never a torn one. Reading refuses nothing it cannot trust: a snapshot that is damaged, of another format,
of another log (the hash of the log's first line differs) or past the log's end is ignored with its reason,
and the room replays the log from the beginning instead (slower, never wrong). Each array's CRC-32 is in the
header (numpy does not check the zip's own when it reads an array), so damaged bytes are found, not loaded.
No pickle is read: numpy arrays and JSON only (`allow_pickle=False`).
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from dachu.data.live_sink import log_head
from dachu.ops.files import replace_durably

_HEADER = "header"


def snapshot_path(log_path: Path) -> Path:
    """Where the snapshot of the log at `log_path` lives."""
    return log_path.with_name(log_path.name + ".snapshot.npz")


@dataclass(frozen=True)
class Snapshot:
    """A snapshot read back: the state's parts and the log offset it covers."""

    meta: dict[str, Any]
    arrays: dict[str, npt.NDArray[Any]]
    offset: int
    events: int


class Shadow:
    """Buffers a snapshot copies the live arrays into, kept from one snapshot to the next.

    A fresh copy of a large state is slow where it hurts: the ingest waits for it, and most of its time is
    the kernel handing out new pages (2.4 s for 800 MB on the bench machine, against 0.06 s into memory
    already touched). Each array keeps a buffer with an eighth more room, so the columns that lengthen with
    every event are copied into the same memory snapshot after snapshot. The price is memory: the room holds
    a second copy of its state (about 1.1× it) for as long as it runs.
    """

    def __init__(self) -> None:
        self._buffers: dict[str, npt.NDArray[Any]] = {}

    def take(self, arrays: dict[str, npt.NDArray[Any]]) -> dict[str, npt.NDArray[Any]]:
        """Copies of the 1-d `arrays` in the kept buffers (views of them: valid until the next `take`)."""
        out = {}
        for name, a in arrays.items():
            buf = self._buffers.get(name)
            if buf is None or buf.dtype != a.dtype or len(buf) < len(a):
                buf = self._buffers[name] = np.empty(len(a) + len(a) // 8, dtype=a.dtype)
            part = buf[: len(a)]
            np.copyto(part, a)
            out[name] = part
        return out


REFUSALS = ("unreadable", "damaged", "foreign", "past_end", "other_day")
"""Why a snapshot is not used (`read_snapshot`; `other_day` is the room's own check)."""


def _crc(a: npt.NDArray[Any]) -> int:
    return zlib.crc32(np.ascontiguousarray(a).data)


def write_snapshot(log_path: Path, offset: int, meta: dict[str, Any], arrays: dict[str, npt.NDArray[Any]]) -> int:
    """Write the snapshot of the state that has taken in the log's first `offset` bytes; return its size."""
    path = snapshot_path(log_path)
    header = {"log_head": log_head(log_path), "offset": offset, "state": meta,
              "crc32": {name: _crc(a) for name, a in arrays.items()}}
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        content: dict[str, Any] = {_HEADER: np.frombuffer(json.dumps(header, ensure_ascii=False).encode(), np.uint8)}
        content.update(arrays)
        np.savez(f, **content)
        f.flush()
        os.fsync(f.fileno())
        size = f.tell()
    replace_durably(tmp, path)
    return size


def read_snapshot(log_path: Path) -> tuple[Snapshot | None, tuple[str, str] | None]:
    """The log's snapshot, or (None, why not) when there is none or it cannot be trusted (see module doc).

    Why not is (kind, detail): kind one of `REFUSALS` (the catalogue's `warroom.snapshot.<kind>`), the detail
    in English for the log and /healthz.
    """
    path = snapshot_path(log_path)
    if not path.is_file():
        return None, None
    try:
        with path.open("rb") as f, np.load(f, allow_pickle=False) as data:  # the file closed even when damaged
            arrays = {name: data[name] for name in data.files}
        header = json.loads(arrays.pop(_HEADER).tobytes())
        offset = int(header["offset"])
        meta = header["state"]
        sums = header["crc32"]
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile, EOFError) as exc:
        return None, ("unreadable", f"{path.name}: {type(exc).__name__}: {exc}")
    # numpy reads an array without checking the zip's CRC: damaged bytes are found by the header's checksums
    if set(sums) != set(arrays) or any(_crc(a) != sums[name] for name, a in arrays.items()):
        return None, ("damaged", f"{path.name}: damaged (checksum)")
    if header.get("log_head") != log_head(log_path):
        return None, ("foreign", f"{path.name}: made from another event log")
    size = log_path.stat().st_size if log_path.exists() else 0
    if offset > size:
        return None, ("past_end", f"{path.name}: covers {offset} bytes of a log of {size}")
    return Snapshot(meta, arrays, offset, int(meta.get("totals", {}).get("seq", 0))), None
