"""A real SMTP server in the test process (aiosmtpd), with STARTTLS and a login.

The server's certificate is made once per session with openssl, for 127.0.0.1, and the
app trusts it through `SURVEY_MAIL_CA_FILE`, so the tests go through the same TLS upgrade
and login as production. `down()` and `up()` make the server refuse, then accept again.
"""

from __future__ import annotations

import re
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "rapport"
PASSWORD = "s3cret-relay"
LINK = re.compile(r"https?://[^\s\"'<>]+")


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate (and its key) for 127.0.0.1."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the server received, and a switch to make it fail."""

    messages: list[EmailMessage] = field(default_factory=list)
    refusing: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusing:
            return "451 4.3.0 try again later"
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok)


class SmtpServer:
    """aiosmtpd on 127.0.0.1 requiring STARTTLS and a login."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.cert = cert
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(
            self.mailbox,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=context,
            require_starttls=True,
            authenticator=authenticate,
            auth_required=True,
        )

    @property
    def settings(self) -> dict[str, Any]:
        """The app settings that send through this server."""
        return {
            "SURVEY_MAIL_URL": f"smtp://{USER}:{PASSWORD}@127.0.0.1:{self.port}",
            "SURVEY_MAIL_FROM": "Rapport <rapport@vendor.test>",
            "SURVEY_MAIL_CA_FILE": str(self.cert),
        }

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def down(self) -> None:
        self.mailbox.refusing = True

    def up(self) -> None:
        self.mailbox.refusing = False


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "no plain-text part"
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "no HTML part"
    return str(part.get_content())


def links_in(message: EmailMessage) -> list[str]:
    """The links of the plain-text part, in order."""
    return LINK.findall(text_of(message))
