"""Read the emails the site sends, and the codes in them. The site only queues email; these
run the mail worker's pass first, so what was queued is delivered to the test outbox. And
mail servers for the worker to send to: a real one, and one that hangs."""

import re
import socket

from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail import EmailMessage
from mailer.engine import send_all

CODE_PATTERN = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\s*$", re.MULTILINE)


def sent_mail() -> list[EmailMessage]:
    """Every email delivered in this test, once the outbox has been sent."""
    send_all()
    return mail.outbox


def last_code(to: str) -> str:
    for message in reversed(sent_mail()):
        if to in message.to:
            match = CODE_PATTERN.search(message.body)
            assert match, f"no code in the email to {to}:\n{message.body}"
            return match.group(1)
    raise AssertionError(f"no email was sent to {to}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a local port, which refuses connections until it is
    started, as a mail server that is down does."""

    def __init__(self):
        self.messages = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.running = False

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted"

    def start(self) -> None:
        self.controller.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False


class HungSmtpServer:
    """A mail server that accepts the connection and then says nothing, ever."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.clients = []

    def wait_for_client(self, timeout: float = 30) -> None:
        self.listener.settimeout(timeout)
        self.clients.append(self.listener.accept()[0])

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.listener.close()
