"""Health probes: /healthz (process up) and /readyz (database, migrations, Redis)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from gunicorn.config import Config
from test_faults import database_gone

from survey import create_app
from survey.extensions import db
from survey.logs import AccessLogger


def _forget_migrations(app: Flask) -> None:
    with app.app_context():
        db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()


@pytest.fixture(autouse=True)
def unstamped(app: Flask) -> Iterator[None]:
    """No revision stamped, before and after (drop_all leaves alembic_version alone)."""
    _forget_migrations(app)
    yield
    _forget_migrations(app)


def test_healthz_answers_without_login_or_database(app: Flask, client: FlaskClient) -> None:
    with database_gone(app):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_is_ready_when_the_schema_is_at_the_newest_migration(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        flask_migrate.stamp()  # the tables were made from the models: mark them as at head
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "not configured"},
    }


def test_readyz_is_not_ready_before_migrations_or_when_behind(
    app: Flask, client: FlaskClient
) -> None:
    response = client.get("/readyz")  # never migrated
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["checks"]["database"] == "migrations behind"
    with app.app_context():
        flask_migrate.stamp(revision="0004_respondent_link")
    assert client.get("/readyz").status_code == 503


def test_readyz_is_not_ready_when_the_database_is_unreachable(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        flask_migrate.stamp()
    with database_gone(app):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["database"] == "unreachable"
    assert client.get("/readyz").status_code == 200  # and ready again once it is back


def test_probes_are_never_rate_limited(app: Flask, tmp_path: Path) -> None:
    limited = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SURVEY_INSTANCE": tmp_path / "limited",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_DEFAULT": "3 per minute",
        }
    )
    browser = limited.test_client()
    for _ in range(6):
        assert browser.get("/healthz").status_code == 200
        assert browser.get("/readyz").status_code in (200, 503)
    assert [browser.get("/login").status_code for _ in range(4)][-1] == 429  # others are
    with limited.app_context():
        db.engine.dispose()


# --- gunicorn's access log -------------------------------------------------------------------


def _access_lines(tmp_path: Path, level: str, paths: list[str]) -> list[str]:
    """What :class:`AccessLogger` writes for requests to these paths at a log level."""
    log = tmp_path / f"access-{level}.log"
    cfg = Config()
    cfg.set("accesslog", str(log))
    cfg.set("loglevel", level)
    logger = AccessLogger(cfg)
    for path in paths:
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": path,
            "PATH_INFO": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        response = SimpleNamespace(status="200 OK", headers=[], sent=2)
        logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.close()
    return log.read_text().splitlines()


def test_access_log_leaves_out_the_probes_at_the_default_level(tmp_path: Path) -> None:
    lines = _access_lines(tmp_path, "info", ["/healthz", "/login", "/readyz"])
    assert len(lines) == 1
    assert "GET /login HTTP/1.1" in lines[0]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_access_log_shows_the_probes_at_debug_level(tmp_path: Path, path: str) -> None:
    lines = _access_lines(tmp_path, "debug", [path])
    assert len(lines) == 1 and f"GET {path} HTTP/1.1" in lines[0]


def test_gunicorn_with_the_projects_config_leaves_out_only_the_probes(
    app: Flask, tmp_path: Path
) -> None:
    root = Path(__file__).resolve().parent.parent
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    access = tmp_path / "access.log"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(root),
        "SURVEY_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SURVEY_SECRET_KEY": "test-secret",
        "SURVEY_INSTANCE": str(tmp_path / "instance"),
        "SURVEY_RATELIMIT": "0",
    }
    command = [
        *(str(root / ".venv" / "bin" / "gunicorn"), "-c", "python:survey.gunicorn_conf"),
        *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(access)),
        "wsgi:app",
    ]
    server = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "no gunicorn"
                time.sleep(0.1)
        for path in ("/readyz", "/login", "/healthz"):
            try:
                urllib.request.urlopen(base + path, timeout=10).close()
            except urllib.error.HTTPError:
                pass  # /readyz is 503 here (not migrated): still a request to leave out
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = access.read_text().splitlines()
    assert len(lines) == 1 and '"GET /login HTTP/1.1" 200' in lines[0], lines


def test_readyz_ignores_a_redis_address_when_rate_limits_are_off(
    app: Flask, tmp_path: Path
) -> None:
    off = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SURVEY_INSTANCE": tmp_path / "off",
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
        }
    )
    response = off.test_client().get("/readyz")
    assert response.json is not None
    assert response.json["checks"]["redis"] == "not configured"
    with off.app_context():
        db.engine.dispose()
