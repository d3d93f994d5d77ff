"""A real local SMTP server (aiosmtpd) on a free port, keeping what arrived; it can be told to
refuse for a while (a 4xx or 5xx to RCPT), or be stopped and started again on the same port."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Arrived:
    to: list[str]
    message: EmailMessage

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        return part.get_content() if part is not None else ""


@dataclass
class Inbox:
    """The handler: what arrived, and an answer to give RCPT instead of accepting."""

    arrived: list[Arrived] = field(default_factory=list)
    refuse_with: str = ""  # e.g. "451 4.3.0 try later", "550 5.1.1 no such user"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.arrived.append(Arrived(list(envelope.rcpt_tos), message))
        return "250 Message accepted"


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, server_hostname="localhost"
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def arrived(self) -> list[Arrived]:
        return self.inbox.arrived

    def settings(self, **extra: Any) -> str:
        """The `[smtp]` section pointing at this server (plain SMTP, no login)."""
        values: dict[str, Any] = {
            "enabled": True,
            "host": "127.0.0.1",
            "port": self.port,
            "sender": "Siaran Kota Bekasi <siaran@bekasikota.go.id>",
            "starttls": False,
            "helo_name": "localhost",
            "timeout_seconds": 5,
            "dashboard_url": "https://siaran.example.test",
            "send_seconds": 0.3,
            "backoff_seconds": 0.2,
            **extra,
        }
        lines = ["[smtp]"]
        for key, value in values.items():
            shown = str(value).lower() if isinstance(value, bool) else repr(value)
            lines.append(f"{key} = {shown}" if not isinstance(value, str) else f'{key} = "{value}"')
        return "\n".join(lines) + "\n"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
