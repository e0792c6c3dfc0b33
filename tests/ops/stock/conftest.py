"""Each stock backend behind the one seam: `stock_url` gives a fresh, empty ledger's URL per test, for SQLite
(a file in the test's folder) and Redis (a database flushed before the test, on a loopback server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dachu.ops.stock.backend import StockBackend, open_backend
from tests.peers.redis_server import redis_url

BACKENDS = ("sqlite", "redis")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One loopback Redis for the session."""
    with redis_url(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def stock_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh ledger's URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stock.sqlite'}"
    import redis

    url: str = request.getfixturevalue("redis_server")
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def stock(stock_url: str) -> Iterator[StockBackend]:
    """An open, empty ledger on each backend."""
    backend = open_backend(stock_url)
    try:
        yield backend
    finally:
        backend.close()
