"""Run the war room on a socket with uvicorn: in the foreground (`dachu serve`) or in a thread (tests).

`serve(room, ...)` is the web face's one entry for the CLI: it builds the credentials check (`Guard`) and
the app (`dachu.web.server.create_app`) and serves them until interrupted.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from dachu.app.live import LiveRoom, SeenSignatures, tune_gc
from dachu.web.auth import Guard
from dachu.web.server import create_app


def bind(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening socket (port 0 = a free port chosen by the system)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The http URL of a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def server(app: FastAPI) -> uvicorn.Server:
    """A quiet uvicorn server that does not wait long for open event streams when stopping."""
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=1,
                            lifespan="on")
    return uvicorn.Server(config)


@dataclass
class Running:
    """A server running in a background thread; `stop()` shuts it down."""

    url: str
    srv: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        """Ask the server to exit and wait for its thread."""
        self.srv.should_exit = True
        self.thread.join(timeout=10)


def start_in_thread(app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> Running:
    """Serve `app` from a daemon thread on a loopback port; returns once it accepts requests."""
    sock = bind(host, port)
    srv = server(app)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, name="dachu-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the war room did not start")
        time.sleep(0.02)
    return Running(url_of(sock), srv, thread)


@dataclass(frozen=True)
class Entrance:
    """Where a war room listens, and the tokens that open it.

    `ingest_token` is None when the ingest takes signed requests only.
    """

    url: str
    ingest_token: str | None
    dashboard_token: str


def serve(room: LiveRoom, *, dashboard_token: str, ingest_token: str | None = None, hmac_secret: str | None = None,
          seen: SeenSignatures | None = None, host: str = "127.0.0.1", port: int = 8000,
          ready: Callable[[Entrance], None] | None = None) -> None:
    """Serve the war room over `room` on `host`:`port` in the foreground until interrupted (`dachu serve`).

    The ingest takes `ingest_token` as a bearer token, or requests signed with `hmac_secret` (with no
    ingest token: signed requests only); `seen` remembers used signatures across restarts. Once the socket
    is bound, `ready` is told the URL and the tokens. The server owns the room: stopping it (a signal or an
    exit) writes every logged event to the store and closes the room.
    """
    guard = Guard(ingest_token=ingest_token, dashboard_token=dashboard_token, hmac_secret=hmac_secret, seen=seen)
    tune_gc()
    sock = bind(host, port)
    if ready is not None:
        ready(Entrance(url_of(sock), guard.ingest_token, guard.dashboard_token))
    server(create_app(room, guard, close_room=True)).run(sockets=[sock])
