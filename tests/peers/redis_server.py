"""A real Redis server on loopback for the stock tests: Debian's `redis-server` started in a temp folder on a
free port (no persistence beyond the folder), or the one `DACHU_REDIS_URL` names (CI may start its own)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import need


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def redis_url(folder: Path) -> Iterator[str]:
    """A Redis URL to a server that answers PING; skip (fail in CI) without redis-server or redis-py."""
    try:
        import redis
    except ImportError:
        need(False, "redis-py is not installed (pip install redis)")
        raise
    given = os.environ.get("DACHU_REDIS_URL")
    if given:
        yield given
        return
    binary = shutil.which("redis-server")
    need(binary is not None, "redis-server is not installed (apt-get install redis-server)")
    assert binary is not None
    port = _free_port()
    folder.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                assert proc.poll() is None, "redis-server exited"
                assert time.monotonic() < deadline, "redis-server did not answer"
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
