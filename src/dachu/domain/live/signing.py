"""What a client of the war room needs to sign its requests (shared by `dachu replay` and the server)."""

from __future__ import annotations

import hashlib
import hmac


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The `X-Dachu-Signature` value of `body` sent at `timestamp`: sha256=<hex HMAC-SHA256(secret, "ts.body")>."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def sign_headers(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """The two headers of a signed request."""
    return {"X-Dachu-Timestamp": str(timestamp), "X-Dachu-Signature": sign(secret, timestamp, body)}
