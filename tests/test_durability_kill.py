"""An acknowledged answer survives the server being killed (issue 6, point 5).

A real gunicorn server (2 workers × 2 threads) serves the app on loopback. Several client
threads autosave answers through it, each save to its own respondent with its own value,
and note every save the server acknowledged (HTTP 200, "saved"). The whole server process
group is killed with SIGKILL while they are at it — no shutdown, no flush — and started
again. Every acknowledged save must then be in the database, and the restarted server
must show it. Runs on SQLite (schema made by `survey db upgrade`) and, when
SURVEY_TEST_DATABASE_URL is set, on that PostgreSQL database.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from survey import create_app
from survey.extensions import db
from survey.models import Answer, Respondent

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SECRET = "durability-test-secret"
THREADS = 4
SAVES_PER_THREAD = 80  # one respondent per save: an acknowledged value is never overwritten
KILL_AFTER_ACKS = 60
QUESTION, PAGE = "continue", 7  # the flagship's first always-shown client text question
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A gunicorn process group serving the app on 127.0.0.1."""

    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "2",
                "--timeout",
                "30",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, so SIGKILL reaches the workers
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(self.process.stderr.read().decode())  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not answer within 30 s")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a crash or an OOM kill would."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        if self.process.stderr:
            self.process.stderr.close()


def database_url(tmp_path: Path) -> str:
    return os.environ.get("SURVEY_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'kill.db'}"


def server_env(tmp_path: Path, url: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "SURVEY_DATABASE_URL": url,
        "SURVEY_SECRET_KEY": SECRET,
        "SURVEY_INSTANCE": str(tmp_path / "instance"),
        "SURVEY_RATELIMIT": "0",
    }


def make_app(tmp_path: Path, url: str) -> Flask:
    return create_app(
        {
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": url,
            "SURVEY_INSTANCE": tmp_path / "instance",
            "SURVEY_PASSWORD_HASH": "pbkdf2:sha256:1000",
        }
    )


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """The schema: by the migrations on SQLite, from the models on the shared PostgreSQL."""
    url = database_url(tmp_path)
    if url.startswith("sqlite"):
        env = server_env(tmp_path, url)
        subprocess.run([str(BIN / "survey"), "db", "upgrade"], cwd=ROOT, env=env, check=True)
        yield url
        return
    app = make_app(tmp_path, url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield url
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def seed(app: Flask, count: int) -> list[str]:
    """A flagship review and `count` client respondents; their raw resume tokens."""
    from survey.auth import operations as auth_ops
    from survey.questionnaires import catalogue
    from survey.respond import operations as respond_ops
    from survey.workspace import operations as workspace_ops

    with app.app_context():
        user = auth_ops.create_account("Acme", "Dana", "dana@acme.example", "correct horse battery")
        loaded = catalogue()["vendor-value-review"]
        review, _ = workspace_ops.start_review(
            user.organisation, user, loaded.questionnaire, loaded.source, "Globex"
        )
        link = review.current_link("client")
        assert link is not None
        tokens = [respond_ops.start_response(link, None, None)[1] for _ in range(count)]
        db.session.remove()
        db.engine.dispose()
    return tokens


class Saver(threading.Thread):
    """Autosaves one answer per respondent through the server, noting acknowledged ones."""

    def __init__(self, base: str, tokens: list[str], name: str) -> None:
        super().__init__(daemon=True)
        self.base, self.tokens, self.label = base, tokens, name
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.acked: dict[str, str] = {}  # resume token -> acknowledged value
        self.failures = 0
        self.refused: list[str] = []  # error answers from a live server: must not happen
        self.error: Exception | None = None
        self.csrf = ""

    def session(self) -> None:
        """Open a survey page as a browser would: a session cookie and its CSRF token."""
        page = f"{self.base}/r/resume/{self.tokens[0]}/page/{PAGE}"
        with self.opener.open(page, timeout=10) as reply:
            found = CSRF.search(reply.read().decode())
        assert found, "no CSRF token on the survey page"
        self.csrf = found[1]

    def save(self, token: str, value: str) -> bool:
        body = urllib.parse.urlencode({"_page": PAGE, QUESTION: value}).encode()
        request = urllib.request.Request(
            f"{self.base}/r/resume/{token}/autosave",
            data=body,
            headers={"X-CSRFToken": self.csrf, "Accept": "application/json"},
        )
        with self.opener.open(request, timeout=10) as reply:
            return reply.status == 200 and json.loads(reply.read())["status"] == "saved"

    def run(self) -> None:
        try:
            self.session()
        except Exception as error:  # noqa: BLE001 - reported by the test, not the thread
            self.error = error
            return
        for i, token in enumerate(self.tokens):
            value = f"{self.label}-{i}"
            try:
                if self.save(token, value):
                    self.acked[token] = value
            except urllib.error.HTTPError as error:
                self.refused.append(f"{error.code} {error.read()[:200]!r}")
            except (OSError, http.client.HTTPException, ValueError) as error:
                # the server is gone mid-request: this save was never acknowledged
                self.failures += 1
                self.error = error
                return


def stored_answers(app: Flask, tokens: list[str]) -> dict[str, object]:
    from survey.models import hash_token

    by_hash = {hash_token(t): t for t in tokens}
    with app.app_context():
        rows = db.session.execute(
            sa.select(Respondent.resume_token_hash, Answer.value)
            .join(Answer, Answer.respondent_id == Respondent.id)
            .where(Answer.question_id == QUESTION)
        ).all()
        db.session.remove()
        db.engine.dispose()
    return {by_hash[h]: value for h, value in rows if h in by_hash}


def test_acknowledged_saves_survive_sigkill(tmp_path: Path, database: str) -> None:
    app = make_app(tmp_path, database)
    tokens = seed(app, THREADS * SAVES_PER_THREAD)
    server = Server(server_env(tmp_path, database))
    server.start()
    try:
        savers = [Saver(server.url, tokens[n::THREADS], name=f"t{n}") for n in range(THREADS)]
        for saver in savers:
            saver.start()
        time.sleep(0.2)
        assert not [s.error for s in savers if s.error], "a saver could not open its session"
        deadline = time.monotonic() + 30
        while sum(len(s.acked) for s in savers) < KILL_AFTER_ACKS:
            assert time.monotonic() < deadline, "too few saves acknowledged in 30 s"
            assert any(s.is_alive() for s in savers), "all savers stopped before the kill"
            time.sleep(0.005)
        server.kill()
        for saver in savers:
            saver.join(timeout=20)
            assert not saver.is_alive()
    finally:
        server.kill()

    acked = {token: value for s in savers for token, value in s.acked.items()}
    assert len(acked) >= KILL_AFTER_ACKS
    assert not [r for s in savers for r in s.refused], [s.refused for s in savers]
    assert sum(s.failures for s in savers) >= 1, "the kill did not interrupt any saver"
    assert len(acked) < len(tokens), "every save finished before the kill"

    stored = stored_answers(app, tokens)
    lost = {t[:6]: v for t, v in acked.items() if stored.get(t) != v}
    assert not lost, f"{len(lost)} of {len(acked)} acknowledged saves lost: {lost}"

    server = Server(server_env(tmp_path, database))
    server.start()  # the database opens cleanly after the crash
    try:
        check = Saver(server.url, list(acked)[:3], name="after")
        check.session()
        for token in list(acked)[:3]:
            page = check.opener.open(f"{server.url}/r/resume/{token}/page/{PAGE}", timeout=10)
            assert f">{acked[token]}</textarea>" in page.read().decode()  # a text area
        assert check.save(tokens[-1], "after-restart")
    finally:
        server.kill()
    assert stored_answers(app, tokens)[tokens[-1]] == "after-restart"
