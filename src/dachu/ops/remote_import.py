"""`dachu import --server URL`: hand export files to a running war room, which imports them into its store.

A running `dachu serve` holds its store (DuckDB has one writer), so an import during the day goes through
the server instead of stopping it. Each file is streamed as the body of `POST /api/import?name=…` with the
ingest token, or signed like an ingest request (the HMAC is computed over the file in pieces first, so the
file is never held in memory). The answer is each file's import result.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from dachu import clock
from dachu.errors import InputError, RefusedByServer

PIECE = 1 << 20


def _pieces(path: Path, progress: Callable[[Path, int, int], None] | None) -> Iterator[bytes]:
    size = path.stat().st_size
    with path.open("rb") as f:
        while piece := f.read(PIECE):
            if progress is not None:
                progress(path, len(piece), size)
            yield piece


def _signature(secret: str, timestamp: int, path: Path) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode(), hashlib.sha256)
    with path.open("rb") as f:
        while piece := f.read(PIECE):
            mac.update(piece)
    return f"sha256={mac.hexdigest()}"


def upload(
    url: str, path: Path, *, token: str | None = None, secret: str | None = None, source: str | None = None,
    force: bool = False, progress: Callable[[Path, int, int], None] | None = None, timeout: float = 3600.0,
) -> list[dict[str, Any]]:
    """Send `path` to the war room at `url` to import; return its import results (`ImportResult.as_dict`).

    Raises:
        InputError: the file is missing, the server cannot be reached, or it refused the file.
    """
    if not path.is_file():
        raise InputError("data_import.no_file", file=str(path))
    headers = {"Content-Type": "application/octet-stream", "Content-Length": str(path.stat().st_size)}
    if secret:
        stamp = int(clock.timestamp())
        headers |= {"X-Dachu-Timestamp": str(stamp), "X-Dachu-Signature": _signature(secret, stamp, path)}
    elif token:
        headers["Authorization"] = f"Bearer {token}"
    params = {"name": path.name, **({"source": source} if source else {}), **({"force": "1"} if force else {})}
    target = url.rstrip("/") + "/api/import"
    try:
        response = httpx.post(target, params=params, content=_pieces(path, progress), headers=headers,
                              timeout=timeout)
    except httpx.TransportError:
        raise InputError("warroom.replay.unreachable", url=target) from None
    if response.status_code != 200:
        try:
            error = response.json()["error"]
            zh, en = error["zh"], error["en"]
        except (ValueError, KeyError, TypeError):
            zh = en = response.text[:200]
        raise RefusedByServer("data_import.server_refused", {"zh": zh, "en": en}, file=path.name,
                              status=response.status_code)
    results: list[dict[str, Any]] = response.json()["results"]
    return results
