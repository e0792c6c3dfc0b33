"""The war room's secrets (密钥): made once, kept in a file only its owner can read, never printed.

`live/secrets.json` beside the campaign file holds the ingest token, the dashboard token and the webhook
secret. A value given on the command line or in the environment wins and is not written; a value neither
given nor in the file is drawn at random (`secrets.token_urlsafe`) and written. The file is created with
mode 0600 (owner read/write) atomically — a temporary file, fsync, rename — and tightened to 0600 if an
older one is looser.

The address key keys the outbox's hash of a phone (the per-phone daily cap counts by it).

The webhook secret signs the alerts the war room posts; it is never the ingest's HMAC secret, so an alert
receiver cannot forge ingest requests with what it was given.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from dachu.ops.files import replace_durably

NAMES = ("ingest_token", "dashboard_token", "webhook_secret", "address_key")


@dataclass(frozen=True)
class Secrets:
    """The war room's credentials; `path` is the file the generated ones are kept in."""

    ingest_token: str
    dashboard_token: str
    webhook_secret: str
    path: Path
    address_key: str = ""
    """Keys the outbox's hash of a message's address (`phone_digest`, for the per-phone daily cap)."""


def _read(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if k in NAMES and isinstance(v, str) and v} if isinstance(data, dict) else {}


def _write(path: Path, values: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps(values, indent=1).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    replace_durably(tmp, path)


def load_secrets(path: Path, given: dict[str, str | None]) -> Secrets:
    """The credentials: each `given` value (options, environment) if set, else the file's, else a new one.

    New values are written to `path` (0600); given ones never are.
    """
    kept = _read(path)
    values: dict[str, str] = {}
    changed = False
    for name in NAMES:
        value = given.get(name)
        if value:
            values[name] = value
            continue
        if name not in kept:
            kept[name] = secrets.token_urlsafe(24)
            changed = True
        values[name] = kept[name]
    if changed:
        _write(path, kept)
    return Secrets(
        values["ingest_token"], values["dashboard_token"], values["webhook_secret"], path, values["address_key"]
    )


class SeenSignatures:
    """Signatures already used, remembered for the replay window — across restarts when given a file.

    Each accepted signature is appended to `path` as `<unix seconds> <signature>`; at start-up the ones
    still inside the window are read back, so a request captured before a restart cannot be replayed
    after it. The file is rewritten without the expired ones when it has grown well past them.
    """

    def __init__(self, path: Path | None, window: int) -> None:
        self.path = path
        self.window = window
        self._seen: dict[str, float] = {}
        self._lines = 0
        if path is not None and path.is_file():
            for line in path.read_text(encoding="ascii", errors="replace").splitlines():
                stamp, _, signature = line.partition(" ")
                try:
                    self._seen[signature] = float(stamp)
                except ValueError:
                    continue  # a torn last line
            self._lines = len(self._seen)

    def check_and_add(self, signature: str, now: float) -> bool:
        """Remember `signature` used at `now`; False when it was used within the window already."""
        used = self._seen.get(signature)
        if used is not None and now - used <= self.window:
            return False
        self._seen[signature] = now
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="ascii") as f:
                f.write(f"{now:.3f} {signature}\n")
            self._lines += 1
        if len(self._seen) > 10_000 or self._lines > 2 * max(len(self._seen), 5_000):
            self._compact(now)
        return True

    def _compact(self, now: float) -> None:
        self._seen = {s: t for s, t in self._seen.items() if now - t <= self.window}
        if self.path is not None:
            tmp = self.path.with_name(f".{self.path.name}.tmp")
            tmp.write_text("".join(f"{t:.3f} {s}\n" for s, t in self._seen.items()), encoding="ascii")
            os.replace(tmp, self.path)
            self._lines = len(self._seen)
