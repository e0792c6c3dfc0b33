"""A loopback SMTP server (aiosmtpd): records each accepted message by its Message-ID; refuses `refuse@…`."""

from __future__ import annotations

import email
import socket
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("refuse@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content))
        return f"250 2.0.0 Ok: queued as Q{len(self.messages):06d}"


class SmtpPeer:
    def __init__(self) -> None:
        self.handler = _Handler()
        with socket.socket() as probe:  # aiosmtpd's start-up check needs a real port, not 0
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def count(self, message_id: str) -> int:
        return sum(1 for m in self.messages if m["Message-ID"] == message_id)

    def stop(self) -> None:
        self.controller.stop()
