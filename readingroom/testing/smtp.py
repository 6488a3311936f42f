"""A real SMTP server for tests: aiosmtpd on a free localhost port, with Django's SMTP backend
pointed at it. Registered as a pytest plugin from the root conftest.py.

    def test_something(smtp_server):
        ...  # code that sends email through django.core.mail
        message = smtp_server.wait_for(1)[0]   # an email.message.EmailMessage, as received
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    raw: bytes  # as it crossed the wire, e.g. to check a header was not encoded


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        with self.arrived:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, raw))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, controller: Controller, handler: _Handler):
        self.controller = controller
        self.handler = handler
        self.host, self.port = controller.hostname, controller.port

    @property
    def received(self) -> list[Received]:
        return list(self.handler.received)

    @property
    def messages(self) -> list[EmailMessage]:
        return [r.message for r in self.handler.received]

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        """The messages received, once at least `count` have arrived (delivery is synchronous for
        Django's SMTP backend, so this rarely waits)."""
        deadline = time.monotonic() + timeout
        with self.handler.arrived:
            while len(self.handler.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} emails, got {len(self.handler.received)}")
                self.handler.arrived.wait(left)
        return self.messages


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """Start aiosmtpd on 127.0.0.1 and send every Django email there through the SMTP backend."""
    handler = _Handler()
    host = "127.0.0.1"
    controller = Controller(handler, hostname=host, port=_free_port(host))
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = host, controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield SmtpServer(controller, handler)
    finally:
        controller.stop()
