"""From a queued mail to a sent message: SMTP in production, ``.eml`` files in development.

Messages are multipart (plain text first, HTML second), carry no tracking and no remote
images, and name the sender from `SURVEY_MAIL_FROM`. ``smtp://`` always upgrades with
STARTTLS (a server that does not offer it is an error, never a plain-text fallback);
``smtps://`` speaks TLS from the first byte.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from survey.models import OutboxMail, as_utc, utcnow

SMTP_TIMEOUT = 20


class Transport(Protocol):
    """Something that takes a message away, or raises."""

    def send(self, message: EmailMessage) -> None: ...


def build_message(mail: OutboxMail, sender: str) -> EmailMessage:
    """The message for a queued mail: plain text and HTML alternatives, its own headers."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(as_utc(mail.created_at) or utcnow())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (mail.headers or {}).items():
        message[name] = value
    message.set_content(mail.text_body or "")
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
    return message


@dataclass(frozen=True)
class SmtpTransport:
    """Send through an SMTP server named by a ``smtp://`` or ``smtps://`` URL."""

    url: str
    ca_file: str | None = None

    def send(self, message: EmailMessage) -> None:
        parts = urlsplit(self.url)
        context = ssl.create_default_context(cafile=self.ca_file)
        host = parts.hostname or "localhost"
        client: smtplib.SMTP
        if parts.scheme == "smtps":
            client = smtplib.SMTP_SSL(
                host, parts.port or 465, timeout=SMTP_TIMEOUT, context=context
            )
        else:
            client = smtplib.SMTP(host, parts.port or 587, timeout=SMTP_TIMEOUT)
        with client:
            if parts.scheme == "smtp":
                client.starttls(context=context)  # SMTPNotSupportedError when not offered
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)


@dataclass(frozen=True)
class FolderTransport:
    """Development: each message becomes an ``.eml`` file in a folder, written atomically."""

    folder: Path

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}-{os.getpid()}-{id(message):x}.eml"
        draft = self.folder / f".{name}"
        draft.write_bytes(bytes(message))
        draft.chmod(0o600)  # the links in it open people's surveys
        draft.rename(self.folder / name)


def mail_folder(config: dict[str, Any]) -> Path:
    """Where development mail goes: `SURVEY_MAIL_FOLDER`, else ``mail/`` in the instance."""
    folder = config.get("SURVEY_MAIL_FOLDER")
    return Path(folder) if folder else Path(config["SURVEY_INSTANCE"]) / "mail"


def transport_for(config: dict[str, Any]) -> Transport:
    """The transport the settings name: SMTP with a mail URL, else the development folder."""
    url = config.get("SURVEY_MAIL_URL")
    if url:
        return SmtpTransport(url, config.get("SURVEY_MAIL_CA_FILE"))
    return FolderTransport(mail_folder(config))
