"""Faults lose nothing: the database or Redis goes away mid-survey, and comes back.

The faults are real: the SQLite file disappears (or the database refuses writes), a real
PostgreSQL ends every connection, a real ``redis-server`` is killed.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from factories import MadeReview, Persona
from flask import Flask
from flask.testing import FlaskClient
from test_respond import QUESTIONNAIRE, answer_all_required, page, start, stored

from survey.extensions import db

POSTGRES = bool(os.environ.get("SURVEY_TEST_DATABASE_URL"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
NAME = "Hiroko Tanabe-Quill"
ROLE = "Head of Zephyr Logistics"
ANSWER = "Okapi walkthroughs"


@pytest.fixture
def review(vendor_a: Persona, make_review: Callable[..., MadeReview]) -> MadeReview:
    """Vendor A's review of Globex on the small respond-test questionnaire."""
    return make_review(vendor_a, questionnaire_path=QUESTIONNAIRE)


# --- real faults -----------------------------------------------------------------------------


@contextmanager
def database_gone(app: Flask) -> Iterator[None]:
    """The database cannot be reached at all until the block ends (every pooled connection too).

    SQLite: the file is moved away and a folder takes its place, so no connection opens.
    PostgreSQL: the database stops accepting connections and every open one is ended.
    """
    with app.app_context():
        url = db.engine.url
        db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        away = path.with_name(path.name + ".away")
        path.rename(away)
        path.mkdir()
        try:
            yield
        finally:
            path.rmdir()
            away.rename(path)
    else:
        _allow_connections(url, False)
        try:
            yield
        finally:
            _allow_connections(url, True)
    with app.app_context():
        db.engine.dispose()


def _allow_connections(url: sa.URL, allowed: bool) -> None:
    """Open or close a PostgreSQL database to connections, from the ``postgres`` database."""
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = url.database
    with admin.connect() as connection:
        connection.exec_driver_sql(
            f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {"true" if allowed else "false"}'
        )
        if not allowed:
            terminate_backends(connection, name or "")
    admin.dispose()


def terminate_backends(connection: sa.Connection, name: str) -> int:
    """End every other connection to the database; how many were ended."""
    ended = connection.execute(
        sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = :name AND pid <> pg_backend_pid()"
        ),
        {"name": name},
    )
    return len(list(ended))


@contextmanager
def database_read_only(app: Flask) -> Iterator[None]:
    """Reads work, every write fails inside the database, values and all (SQLite
    ``query_only`` once each transaction has begun, so a write transaction still takes its
    lock and fails at its first INSERT or UPDATE; PostgreSQL read-only transactions)."""
    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")

    def read_only(connection: sa.Connection) -> None:
        if sqlite:
            connection.exec_driver_sql("PRAGMA query_only=ON")
        else:
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")

    def writable_again(connection: sa.Connection) -> None:
        """The pragma outlives the transaction: lift it so the next one can BEGIN IMMEDIATE."""
        if sqlite:
            connection.exec_driver_sql("PRAGMA query_only=OFF")

    listeners = [("begin", read_only), ("commit", writable_again), ("rollback", writable_again)]
    with app.app_context():
        engine = db.engine
        engine.dispose()
        for name, listener in listeners:
            sa.event.listen(engine, name, listener)
    try:
        yield
    finally:
        for name, listener in listeners:
            sa.event.remove(engine, name, listener)
        engine.dispose()


# --- database unreachable on a respondent page -----------------------------------------------


def test_page_post_with_database_gone_shows_answers_again_and_says_not_saved(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token, name=NAME)
    acknowledged = client.post(page(rt, 1), data={"knows-priorities": "4"})
    assert acknowledged.status_code == 302
    with database_gone(app):
        response = client.post(page(rt, 3), data={"renew": "Yes, renew", "more-valued": ANSWER})
        html = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "not saved yet" in html.lower()
        assert f'name="more-valued" value="{ANSWER}"' in html  # in the form, posted again
        assert ANSWER in html.split("What you sent")[1]  # and shown to the person
        assert 'name="renew" value="Yes, renew"' in html
        assert re.search(rf'<form method="post" action="{re.escape(page(rt, 3))}"', html)
    assert stored(app, rt) == {"knows-priorities": 4}  # the acknowledged answer is still there
    again = client.post(page(rt, 3), data={"renew": "Yes, renew", "more-valued": ANSWER})
    assert again.status_code == 302
    assert stored(app, rt)["more-valued"] == ANSWER


@pytest.mark.skipif(POSTGRES, reason="a read-only PostgreSQL is an internal error (500)")
def test_page_post_failing_while_saving_names_the_questions(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    with database_read_only(app):
        response = client.post(page(rt, 3), data={"more-valued": ANSWER})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "How could Acme Analytics be a more valued vendor?" in html.split("<dt>")[1]
    assert f'name="more-valued" value="{ANSWER}"' in html


def test_welcome_post_with_database_gone_keeps_name_and_role(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    client.get(f"/r/{review.client_token}")
    with database_gone(app):
        response = client.post(f"/r/{review.client_token}", data={"name": NAME, "role": ROLE})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert f'name="name" value="{NAME}"' in html and f'name="role" value="{ROLE}"' in html
    assert "not saved yet" in html.lower()


def test_submit_with_database_gone_says_not_submitted_and_keeps_the_answers(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    answer_all_required(client, rt)
    with database_gone(app):
        response = client.post(f"/r/resume/{rt}/review")
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "not submitted yet" in html and "Try submitting again" in html
    assert stored(app, rt)["renew"] == "Yes, renew"
    assert client.post(f"/r/resume/{rt}/review").status_code == 302  # submitted now


def test_vendor_page_with_database_gone_is_a_503_not_a_500(
    app: Flask,
    vendor_client: FlaskClient,
) -> None:
    with database_gone(app):
        response = vendor_client.get("/")
    assert response.status_code == 503
    assert "cannot reach our database" in response.get_data(as_text=True)
    assert vendor_client.get("/").status_code == 200  # and back once it is


def test_autosave_with_database_gone_says_not_saved_in_json(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    with database_gone(app):
        response = client.post(
            f"/r/resume/{rt}/autosave", data={"_page": "3", "more-valued": ANSWER}
        )
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["status"] == "unavailable"
    assert "not saved yet" in response.json["message"].lower()
    saved = client.post(f"/r/resume/{rt}/autosave", data={"_page": "3", "more-valued": ANSWER})
    assert saved.json is not None and saved.json["status"] == "saved"


def test_autosave_script_says_not_saved_yet_when_the_server_is_unavailable() -> None:
    script = (Path(__file__).parent.parent / "static" / "js" / "respond.js").read_text()
    branch = script.split('data.status === "unavailable"')[1].split("return;")[0]
    assert "Not saved yet" in branch
    assert "UNAVAILABLE_RETRY" in branch  # and tries again by itself


def test_engine_checks_pooled_connections_and_hides_parameters(app: Flask) -> None:
    with app.app_context():
        assert db.engine.pool._pre_ping  # type: ignore[attr-defined]
        assert db.engine.hide_parameters


@pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL (SURVEY_TEST_DATABASE_URL)")
def test_ended_postgres_connections_do_not_fail_the_next_request(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token, name=NAME)
    assert client.post(page(rt, 1), data={"knows-priorities": "4"}).status_code == 302
    with app.app_context():
        url = db.engine.url
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        assert terminate_backends(connection, url.database or "") >= 1  # the pooled ones
    admin.dispose()
    response = client.post(page(rt, 3), data={"more-valued": ANSWER})
    assert response.status_code == 302
    assert stored(app, rt) == {"knows-priorities": 4, "more-valued": ANSWER}


# --- no names, answers or tokens in the logs ---------------------------------------------------


def test_database_error_logs_neither_names_answers_nor_tokens(
    app: Flask, client: FlaskClient, review: MadeReview, caplog: pytest.LogCaptureFixture
) -> None:
    rt = start(client, review.client_token)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is logged as in production
    caplog.set_level(logging.INFO)
    with database_read_only(app):
        welcome = client.post(f"/r/{review.client_token}", data={"name": NAME, "role": ROLE})
        answer = client.post(page(rt, 3), data={"more-valued": ANSWER})
    assert welcome.status_code >= 500 and answer.status_code >= 500
    logged = caplog.text
    assert "Error" in logged  # the errors were logged, with their tracebacks …
    assert "INSERT INTO" in logged or "UPDATE" in logged
    for secret in (NAME, ROLE, ANSWER, rt, review.client_token):  # … and nothing personal
        assert secret not in logged


# --- Redis unreachable --------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real redis-server of this test only, on a free port of 127.0.0.1."""
    if not Path(REDIS_SERVER).exists():
        pytest.skip("redis-server is not installed")
    port = _free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0", server
    if server.poll() is None:
        server.kill()
    server.wait()


def test_redis_going_away_falls_back_to_memory_limits_with_a_warning(
    app: Flask,
    vendor_a: Persona,
    review: MadeReview,
    redis_url: tuple[str, subprocess.Popen[bytes]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from survey import create_app

    url, server = redis_url
    limited = create_app(
        {
            **{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SURVEY_INSTANCE")},
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": url,
            "SERVER_NAME": "localhost",
            "SURVEY_PASSWORD_HASH": "pbkdf2:sha256:1000",
        }
    )
    browser = limited.test_client()
    respondent = limited.test_client()
    rt = start(respondent, review.client_token)
    assert limited.test_client().get("/readyz").json["checks"]["redis"] == "ok"  # type: ignore[index]
    server.kill()
    server.wait()
    login = browser.post("/login", data={"email": vendor_a.email, "password": vendor_a.password})
    assert login.status_code == 302
    assert respondent.get(page(rt, 3)).status_code == 200
    assert respondent.post(page(rt, 3), data={"more-valued": ANSWER}).status_code == 302
    saved = respondent.post(f"/r/resume/{rt}/autosave", data={"_page": "3", "renew": "No"})
    assert saved.status_code == 200
    assert "falling back to in-memory storage" in caplog.text
    assert stored(app, rt) == {"more-valued": ANSWER, "renew": "No"}
    ready = limited.test_client().get("/readyz")
    assert ready.status_code == 503 and ready.json["checks"]["redis"] == "unreachable"  # type: ignore[index]
    with limited.app_context():
        db.engine.dispose()
