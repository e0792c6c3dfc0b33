"""A real `dachu serve` process on a loopback port, for the tests that signal, kill or read it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from dachu.web.run import bind
from tests.conftest import need

DACHU = Path(sys.executable).parent / "dachu"


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    url: str
    out: Path
    err: Path


def free_port() -> int:
    sock = bind("127.0.0.1", 0)
    port = int(sock.getsockname()[1])
    sock.close()
    return port


@contextmanager
def serving(campaign: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """Start `dachu serve campaign --port P *args`, wait until it answers, and kill it if still running after."""
    need(DACHU.exists(), f"{DACHU} is not installed (pip install -e .)")
    port = free_port()
    out, err = campaign.parent / "serve.out", campaign.parent / "serve.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen([str(DACHU), "serve", str(campaign), "--port", str(port), *args],
                                env={**os.environ, **(env or {})}, stdout=stdout, stderr=stderr)
        served = Served(proc, f"http://127.0.0.1:{port}", out, err)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{served.url}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    assert proc.poll() is None, err.read_text()
                    assert time.monotonic() < deadline, "the war room did not start"
                    time.sleep(0.1)
            yield served
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
