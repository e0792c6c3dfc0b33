"""Who may ingest and who may read (鉴权): bearer tokens and HMAC-signed webhooks.

Two separate bearer tokens: the ingest token writes events, the dashboard token only reads (a dashboard
token is refused by the ingest and the other way round). A webhook may instead sign its body; with an HMAC
secret and no ingest token (how `dachu serve --hmac-secret` runs) the ingest takes signed requests only:

    X-Dachu-Timestamp: <unix seconds>
    X-Dachu-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>

A timestamp more than `window` seconds from the server's clock is stale; a signature already used within
the window is a replay (remembered across restarts when the guard is given a `SeenSignatures` file). Both
are refused.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from dataclasses import dataclass, field

from dachu.app.live import SeenSignatures, sign
from dachu.errors import IngestError

SIGNATURE_WINDOW = 300
"""Seconds a signed timestamp stays valid (and signatures are remembered)."""


def bearer(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header."""
    if header and header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


@dataclass
class Guard:
    """Checks credentials; remembers recent signatures to refuse replays."""

    ingest_token: str | None
    dashboard_token: str
    hmac_secret: str | None = None
    window: int = SIGNATURE_WINDOW
    seen: SeenSignatures | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _signatures: SeenSignatures = field(init=False)

    def __post_init__(self) -> None:
        self._signatures = self.seen if self.seen is not None else SeenSignatures(None, self.window)

    def check_ingest(self, authorization: str | None, timestamp: str | None, signature: str | None,
                     body: bytes, now: float) -> None:
        """Accept the ingest token or a fresh, unused, valid signature; raise IngestError (401) otherwise."""
        if self.admit(authorization, timestamp, signature, now):
            self.check_signature(timestamp, signature, body, now)

    def admit(self, authorization: str | None, timestamp: str | None, signature: str | None, now: float) -> bool:
        """What the headers alone decide, before a byte of the body is read.

        Returns False when the ingest token admits the request, True when a signature must still be checked
        against the body (`check_signature`). Raises IngestError (401) for a wrong token, no credentials,
        or a stale or unreadable timestamp.
        """
        token = bearer(authorization)
        if token is not None:
            if self.ingest_token is None:
                raise IngestError("warroom.auth.signed_only", status=401)
            if not hmac.compare_digest(token.encode(), self.ingest_token.encode()):
                raise IngestError("warroom.auth.bad_token", status=401)
            return False
        if signature is None or timestamp is None or self.hmac_secret is None:
            raise IngestError("warroom.auth.missing", status=401)
        try:
            ts = int(timestamp)
        except ValueError:
            raise IngestError("warroom.auth.bad_signature", status=401) from None
        if abs(now - ts) > self.window:
            raise IngestError("warroom.auth.stale", status=401, seconds=int(abs(now - ts)), window=self.window)
        return True

    def check_signature(self, timestamp: str | None, signature: str | None, body: bytes, now: float) -> None:
        """The body's signature is right and was not used before within the window; else IngestError (401)."""
        if signature is None or timestamp is None or self.hmac_secret is None:
            raise IngestError("warroom.auth.missing", status=401)
        ts = int(timestamp)
        if not hmac.compare_digest(signature.encode(), sign(self.hmac_secret, ts, body).encode()):
            raise IngestError("warroom.auth.bad_signature", status=401)
        with self._lock:
            if not self._signatures.check_and_add(signature, now):
                raise IngestError("warroom.auth.replayed", status=401)

    def body_mac(self, timestamp: str | None) -> hmac.HMAC:
        """An HMAC to feed a body into piece by piece (a streamed upload); check it with `check_mac`."""
        if self.hmac_secret is None or timestamp is None:
            raise IngestError("warroom.auth.missing", status=401)
        return hmac.new(self.hmac_secret.encode(), f"{int(timestamp)}.".encode(), hashlib.sha256)

    def check_mac(self, signature: str | None, mac: hmac.HMAC, now: float) -> None:
        """A streamed body's signature is right and unused within the window; else IngestError (401)."""
        if signature is None or not hmac.compare_digest(signature.encode(), f"sha256={mac.hexdigest()}".encode()):
            raise IngestError("warroom.auth.bad_signature", status=401)
        with self._lock:
            if not self._signatures.check_and_add(signature, now):
                raise IngestError("warroom.auth.replayed", status=401)

    def check_read(self, authorization: str | None, query_token: str | None) -> bool:
        """Whether the dashboard token was given (header or `?token=`)."""
        token = bearer(authorization) or query_token
        return token is not None and hmac.compare_digest(token.encode(), self.dashboard_token.encode())
