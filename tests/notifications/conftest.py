"""A real SMTP server and a real HTTP receiver in the test process, on ephemeral ports."""

import email
import email.policy
import json
import logging
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


class _EphemeralController(Controller):
    """aiosmtpd's controller, on the port the OS picked (it wants to know it up front)."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class Mailbox:
    """What the SMTP server received: one entry per message and recipient."""

    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        for recipient in envelope.rcpt_tos:
            self.messages.append((recipient, message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [message for recipient, message in self.messages if recipient == address]

    def subject(self, address: str) -> str:
        """The subject of the one message to `address`, unfolded."""
        [message] = self.to(address)
        return " ".join(str(message["Subject"]).split())

    @property
    def recipients(self) -> list[str]:
        return sorted(recipient for recipient, _ in self.messages)


@pytest.fixture
def mailbox(settings):
    """A real SMTP server; memadmin's mail goes to it over SMTP, as it would in production."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every SMTP line
    box = Mailbox()
    controller = _EphemeralController(box, hostname="127.0.0.1", port=0)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "memadmin <memadmin@example.com>"
    yield box
    controller.stop()


@dataclass
class Receiver:
    """An HTTP endpoint that records every POST; `status` decides what it answers."""

    url: str = ""
    status: int = 200
    requests: list = field(default_factory=list)

    def json(self) -> list[dict]:
        return [json.loads(body) for _, _, body in self.requests]


@pytest.fixture
def make_receiver():
    """Call for a fresh receiver: make_receiver(status=500) answers every POST with 500."""
    servers = []

    def make(status: int = 200) -> Receiver:
        receiver = Receiver(status=status)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((self.path, dict(self.headers), body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
        return receiver

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def on_the_instant_emulator(instant_emulator, settings):
    """Links point at a public address; no chat destination from the environment."""
    settings.MEMADMIN_BASE_URL = "https://memadmin.example.com"
    settings.NOTIFY_APPRISE_URLS = []
    return instant_emulator


@pytest.fixture
def person(make_user):
    """A user of a role with an e-mail address: person("Reviewer", "rita")."""

    def make(role: str, name: str):
        user = make_user(role, username=name)
        user.email = f"{name}@example.com"
        user.save(update_fields=["email"])
        return user

    return make
