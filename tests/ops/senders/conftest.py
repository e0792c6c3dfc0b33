from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.peers.aliyun_sms import SmsPeer
from tests.peers.chat import ChatPeer
from tests.peers.smtp import SmtpPeer


@pytest.fixture(scope="session")
def sms_peer() -> Iterator[SmsPeer]:
    peer = SmsPeer()
    yield peer
    peer.stop()


@pytest.fixture(scope="session")
def chat_peer() -> Iterator[ChatPeer]:
    peer = ChatPeer()
    yield peer
    peer.stop()


@pytest.fixture(scope="session")
def smtp_peer() -> Iterator[SmtpPeer]:
    peer = SmtpPeer()
    yield peer
    peer.stop()
