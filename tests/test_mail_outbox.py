"""The mail outbox: written with the change, delivered by a worker over real SMTP, once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from factories import Persona
from flask import Flask
from flask.testing import FlaskClient
from smtp_box import SmtpServer, html_of, links_in, text_of

from survey.database import write_operation
from survey.extensions import db
from survey.mail import outbox
from survey.mail.transport import FolderTransport, mail_folder
from survey.models import OutboxMail, utcnow


@pytest.fixture
def mail_app(app: Flask, smtp_server: SmtpServer) -> Flask:
    """The app, sending through the test's SMTP server (STARTTLS and a login)."""
    app.config.update(smtp_server.settings)
    return app


def deliver(app: Flask, **kwargs: Any) -> outbox.Delivery:
    with app.app_context():
        return outbox.deliver_due(**kwargs)


def rows(app: Flask) -> list[OutboxMail]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))
        db.session.expunge_all()
        return found


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_a_reset_mail_arrives_over_smtp_and_its_link_works_once(
    mail_app: Flask, client: FlaskClient, smtp_server: SmtpServer, vendor_a: Persona
) -> None:
    response = client.post("/password/forgot", data={"email": vendor_a.email.upper()})
    assert response.status_code == 200
    assert smtp_server.mailbox.messages == []  # the request only wrote the outbox

    assert deliver(mail_app).sent == 1
    [message] = smtp_server.mailbox.to(vendor_a.email)
    assert message["From"] == "Rapport <rapport@vendor.test>"
    assert message["Subject"] == "Reset your Rapport password"
    assert message["Message-ID"] and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    [link] = links_in(message)
    assert link in html_of(message)
    assert "<img" not in html_of(message) and "src=" not in html_of(message)

    page = client.get(path_of(link))
    assert page.status_code == 200 and vendor_a.email in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    new = "a brand new password"
    saved = client.post(path_of(link), data={"password": new, "confirm": new})
    assert saved.status_code == 302
    assert client.post("/login", data={"email": vendor_a.email, "password": new}).status_code == 302
    assert client.get(path_of(link)).status_code == 404  # used up: the password changed


def test_the_answer_is_the_same_for_an_unknown_address(
    mail_app: Flask, client: FlaskClient, vendor_a: Persona
) -> None:
    known = client.post("/password/forgot", data={"email": vendor_a.email})
    unknown = client.post("/password/forgot", data={"email": "nobody@nowhere.example"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True).replace(vendor_a.email, "X") == unknown.get_data(
        as_text=True
    ).replace("nobody@nowhere.example", "X")
    assert [mail.recipient for mail in rows(mail_app)] == [vendor_a.email]


def test_asking_again_and_again_sends_one_mail(
    mail_app: Flask, client: FlaskClient, vendor_a: Persona
) -> None:
    for _ in range(3):
        client.post("/password/forgot", data={"email": vendor_a.email})
    assert len(rows(mail_app)) == 1


def test_a_forged_or_altered_reset_link_opens_nothing(
    mail_app: Flask, client: FlaskClient, smtp_server: SmtpServer, vendor_a: Persona
) -> None:
    client.post("/password/forgot", data={"email": vendor_a.email})
    deliver(mail_app)
    [link] = links_in(smtp_server.mailbox.messages[0])
    assert client.get(path_of(link)[:-2] + "xx").status_code == 404
    assert client.get("/password/reset/not-a-token").status_code == 404


@pytest.mark.parametrize("app", [{"RATELIMIT_ENABLED": True}], indirect=True)
def test_asking_for_reset_links_is_rate_limited(mail_app: Flask, client: FlaskClient) -> None:
    codes = [
        client.post("/password/forgot", data={"email": f"x{n}@example.com"}).status_code
        for n in range(7)
    ]
    assert codes[:5] == [200] * 5 and codes[-1] == 429


def test_smtp_down_then_up_delivers_every_mail_once(
    mail_app: Flask, client: FlaskClient, smtp_server: SmtpServer, make_user: Callable[..., Persona]
) -> None:
    people = [make_user(email=f"person{n}@acme.example") for n in range(3)]
    smtp_server.down()
    for person in people:
        assert client.post("/password/forgot", data={"email": person.email}).status_code == 200
    first = deliver(mail_app)
    assert (first.sent, first.retried) == (0, 3)
    assert all(mail.attempts == 1 and mail.last_error for mail in rows(mail_app))
    assert deliver(mail_app).sent == 0  # not due yet: the retry waits

    smtp_server.up()
    _make_all_due(mail_app)
    assert deliver(mail_app).sent == 3
    _make_all_due(mail_app)
    assert deliver(mail_app).sent == 0
    assert sorted(m["To"] for m in smtp_server.mailbox.messages) == sorted(p.email for p in people)
    assert all(mail.status == "sent" and mail.text_body is None for mail in rows(mail_app))


def _make_all_due(app: Flask) -> None:
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(sa.update(OutboxMail).values(next_attempt_at=utcnow()))


def test_a_mail_is_given_up_after_the_last_attempt(
    mail_app: Flask, client: FlaskClient, smtp_server: SmtpServer, vendor_a: Persona
) -> None:
    client.post("/password/forgot", data={"email": vendor_a.email})
    smtp_server.down()
    with mail_app.app_context():
        with db.engine.begin() as connection:
            connection.execute(sa.update(OutboxMail).values(attempts=outbox.MAX_ATTEMPTS - 1))
    assert deliver(mail_app).failed == 1
    [mail] = rows(mail_app)
    assert mail.status == "failed" and mail.attempts == outbox.MAX_ATTEMPTS
    smtp_server.up()
    _make_all_due(mail_app)
    assert deliver(mail_app).sent == 0  # kept for the operator, never sent late


def test_two_workers_at_once_send_each_mail_once(mail_app: Flask, smtp_server: SmtpServer) -> None:
    with mail_app.test_request_context():
        for n in range(40):
            _queue_one(f"person{n}@client.example", f"test:{n}")
    results: list[outbox.Delivery] = []

    def work(name: str) -> None:
        results.append(deliver(mail_app, worker=name))

    workers = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(result.sent for result in results) == 40
    received = [message["To"] for message in smtp_server.mailbox.messages]
    assert len(received) == len(set(received)) == 40


@write_operation
def _queue_one(recipient: str, key: str) -> OutboxMail | None:
    return outbox.queue_mail(
        recipient,
        "Reset your Rapport password",
        "password_reset",
        {"user": {"name": "N", "email": recipient}, "link": "http://x.test/", "minutes": 60},
        event_key=key,
    )


def test_one_event_queues_one_mail(app: Flask) -> None:
    with app.test_request_context():
        assert _queue_one("a@b.example", "event:1") is not None
        assert _queue_one("a@b.example", "event:1") is None
    assert len(rows(app)) == 1


def test_a_change_rolled_back_queues_no_mail(app: Flask) -> None:
    @write_operation
    def failing_change() -> None:
        _queue_one("a@b.example", "event:2")
        raise RuntimeError("the change failed")

    with app.test_request_context():
        with pytest.raises(RuntimeError):
            failing_change()
    assert rows(app) == []


@pytest.mark.parametrize("app", [{"SURVEY_QUEUE_URL": "redis://127.0.0.1:1/0"}], indirect=True)
def test_an_unreachable_queue_never_fails_the_request(
    app: Flask, client: FlaskClient, vendor_a: Persona, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = client.post("/password/forgot", data={"email": vendor_a.email})
    assert response.status_code == 200
    assert len(rows(app)) == 1  # the sweep delivers it
    assert "could not nudge the mail worker" in caplog.text


def test_without_a_mail_url_mails_are_eml_files(
    app: Flask, client: FlaskClient, vendor_a: Persona
) -> None:
    client.post("/password/forgot", data={"email": vendor_a.email})
    assert deliver(app).sent == 1
    folder = mail_folder(app.config)
    [eml] = list(folder.glob("*.eml"))
    assert folder == app.config["SURVEY_INSTANCE"] / "mail"
    assert f"To: {vendor_a.email}" in eml.read_text()
    assert eml.stat().st_mode & 0o077 == 0


def test_no_token_reaches_the_logs(
    mail_app: Flask,
    client: FlaskClient,
    smtp_server: SmtpServer,
    vendor_a: Persona,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        client.post("/password/forgot", data={"email": vendor_a.email})
        smtp_server.down()
        deliver(mail_app)
        smtp_server.up()
        _make_all_due(mail_app)
        deliver(mail_app)
        [link] = links_in(smtp_server.mailbox.messages[0])
        client.get(path_of(link))
    token = link.rsplit("/", 1)[1]
    assert token[8:] not in caplog.text


def test_the_plain_text_part_reads_on_its_own(
    mail_app: Flask, client: FlaskClient, smtp_server: SmtpServer, vendor_a: Persona
) -> None:
    client.post("/password/forgot", data={"email": vendor_a.email})
    deliver(mail_app)
    text = text_of(smtp_server.mailbox.messages[0])
    assert "<" not in text and "open this link within 60 minutes" in text


def test_the_folder_transport_never_leaves_a_half_written_file(tmp_path: Any) -> None:
    from email.message import EmailMessage

    message = EmailMessage()
    message["To"] = "a@b.example"
    message.set_content("hello")
    FolderTransport(tmp_path).send(message)
    assert [p.suffix for p in tmp_path.iterdir()] == [".eml"]


def test_retry_delays_grow_and_stop_growing() -> None:
    delays = [outbox.retry_delay(n) for n in range(1, outbox.MAX_ATTEMPTS + 1)]
    assert delays == sorted(delays) and delays[0] == timedelta(seconds=30)
    assert delays[-1] <= outbox.LONGEST_RETRY


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SURVEY_MAIL_URL": "http://mail.example"}, "SURVEY_MAIL_URL"),
        ({"SURVEY_MAIL_URL": "smtp://mail.example:587"}, "SURVEY_MAIL_FROM"),
        ({"SURVEY_QUEUE_URL": "amqp://queue"}, "SURVEY_QUEUE_URL"),
    ],
)
def test_a_malformed_mail_setting_names_the_variable(env: dict[str, str], named: str) -> None:
    from survey.config import ConfigError, load_config

    with pytest.raises(ConfigError, match=named):
        load_config(env)


def test_smtps_speaks_tls_from_the_first_byte(
    app: Flask, smtp_certificate: tuple[Any, Any], vendor_a: Persona, client: FlaskClient
) -> None:
    import ssl

    from aiosmtpd.controller import Controller
    from smtp_box import Mailbox, free_port

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*smtp_certificate)
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, ssl_context=context)
    controller.start()
    try:
        app.config.update(
            SURVEY_MAIL_URL=f"smtps://127.0.0.1:{port}",
            SURVEY_MAIL_CA_FILE=str(smtp_certificate[0]),
        )
        client.post("/password/forgot", data={"email": vendor_a.email})
        assert deliver(app).sent == 1
    finally:
        controller.stop()
    assert [m["To"] for m in mailbox.messages] == [vendor_a.email]


def test_smtp_never_falls_back_to_plain_text(
    app: Flask, vendor_a: Persona, client: FlaskClient
) -> None:
    from aiosmtpd.controller import Controller
    from smtp_box import Mailbox, free_port

    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)  # offers no STARTTLS
    controller.start()
    try:
        app.config.update(SURVEY_MAIL_URL=f"smtp://127.0.0.1:{port}")
        client.post("/password/forgot", data={"email": vendor_a.email})
        assert deliver(app).retried == 1
    finally:
        controller.stop()
    assert mailbox.messages == []
    [mail] = rows(app)
    assert "STARTTLS" in (mail.last_error or "") or "starttls" in (mail.last_error or "")
