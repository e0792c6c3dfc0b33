"""A pool of keep-alive HTTP/1.1 connections to one origin, on asyncio streams (连接池).

Why not httpx or aiohttp: the SMS path must make 8,000 signed calls a second on two cores, sender and
provider peer together. Measured against the same loopback peer (bench/remind.py, 5,000 calls, 64 at a
time): httpx's AsyncClient ~400/s, aiohttp ~5,700/s (8,200/s with a pre-encoded body and no signing), this
pool ~9,600/s. It does one thing: a request with a `Content-Length` body to a fixed origin, an answer with
`Content-Length`, chunked or read-to-close body. TLS goes through the stdlib `ssl` default context
(certificates verified). A connection idle longer than `idle_seconds` is closed, not reused, so a server's
keep-alive timeout never turns into a failed call; a request is never re-sent on another connection (the
provider may have acted on it), the caller gets the error.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_HEAD = 64 * 1024
MAX_BODY = 4 * 1024 * 1024


class HttpError(Exception):
    """The connection failed or the answer was not HTTP; `lost` when the request may have reached the server."""

    def __init__(self, what: str, *, lost: bool) -> None:
        super().__init__(what)
        self.lost = lost


@dataclass(slots=True)
class _Conn:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float


class KeepAlivePool:
    """Up to `size` open connections to the origin of `url`; `request` waits for a free one."""

    def __init__(self, url: str, *, size: int = 64, timeout: float = 10.0, idle_seconds: float = 20.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("an http(s) URL is needed")
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.tls = ssl.create_default_context() if parts.scheme == "https" else None
        self.host_header = parts.netloc.rpartition("@")[2]
        self.timeout = timeout
        self.idle_seconds = idle_seconds
        self._idle: list[_Conn] = []
        self._slots = asyncio.Semaphore(size)

    async def request(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
        """Send one request and return (status, body). Raises `HttpError` or `TimeoutError`."""
        async with self._slots:
            conn: _Conn | None = None
            try:
                async with asyncio.timeout(self.timeout):
                    conn = await self._acquire()
                    head = [f"{method} {target} HTTP/1.1", f"Host: {self.host_header}", f"Content-Length: {len(body)}"]
                    head.extend(f"{k}: {v}" for k, v in headers.items())
                    conn.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
                    status, payload, keep = await self._read_response(conn.reader)
            except BaseException:
                if conn is not None:
                    conn.writer.close()
                raise
            if keep:
                conn.idle_since = time.monotonic()
                self._idle.append(conn)
            else:
                conn.writer.close()
            return status, payload

    async def _acquire(self) -> _Conn:
        now = time.monotonic()
        while self._idle:
            conn = self._idle.pop()
            if now - conn.idle_since < self.idle_seconds and not conn.reader.at_eof() and not conn.writer.is_closing():
                return conn
            conn.writer.close()
        try:
            reader, writer = await asyncio.open_connection(
                self.host, self.port, ssl=self.tls, server_hostname=self.host if self.tls else None, limit=MAX_HEAD
            )
        except OSError as exc:
            raise HttpError(type(exc).__name__, lost=False) from None
        return _Conn(reader, writer, now)

    async def _read_response(self, reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
        try:
            raw = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError) as exc:
            raise HttpError(type(exc).__name__, lost=True) from None
        lines = raw.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise HttpError("not HTTP", lost=True)
        status = int(parts[1])
        fields: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                fields[name.strip().lower()] = value.strip()
        keep = fields.get("connection", "").lower() != "close" and parts[0] == "HTTP/1.1"
        try:
            if "chunked" in fields.get("transfer-encoding", "").lower():
                body = await _read_chunked(reader)
            elif "content-length" in fields:
                length = int(fields["content-length"])
                if length > MAX_BODY:
                    raise HttpError("body too large", lost=True)
                body = await reader.readexactly(length)
            else:
                body = await reader.read(MAX_BODY)
                keep = False
        except (asyncio.IncompleteReadError, ConnectionError, ValueError) as exc:
            raise HttpError(type(exc).__name__, lost=True) from None
        return status, body, keep

    async def aclose(self) -> None:
        """Close every idle connection."""
        while self._idle:
            conn = self._idle.pop()
            conn.writer.close()


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return b"".join(chunks)
        total += size
        if total > MAX_BODY:
            raise ValueError("body too large")
        chunks.append(await reader.readexactly(size))
        await reader.readexactly(2)
