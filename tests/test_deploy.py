"""A real deployment: the wheel, gunicorn's settings, proxies, the base URL, production guards."""

from __future__ import annotations

import http.cookiejar
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from factories import MadeRespondent, MadeReview, Persona
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from test_hardening import redis_url  # noqa: F401  (a fixture: a throw-away redis-server)
from test_results import fill_from_example

from survey import create_app
from survey.cli import main
from survey.config import ConfigError, load_config
from survey.extensions import limiter

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


# --- 2. the wheel lists every package -----------------------------------------------------------


def test_every_package_under_survey_is_listed_for_the_wheel() -> None:
    """pyproject lists packages by hand (the mapped folders forbid discovery): none forgotten."""
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "survey").rglob("__init__.py")
    }
    assert on_disk <= set(listed["packages"]), on_disk - set(listed["packages"])
    mapped = {name.rpartition(".")[2] for name in listed["package-dir"]}
    assert mapped == {"templates", "static", "migrations", "questionnaires"}


# --- 3. gunicorn's settings ---------------------------------------------------------------------


def test_gunicorn_settings_come_from_the_environment(tmp_path: Path) -> None:
    """Threads, a timeout past the PDF limit, access log on stdout, bind and proxies from env."""
    env = {
        "PATH": "/usr/bin:/bin",
        "SURVEY_BIND": "127.0.0.1:8123",
        "SURVEY_FORWARDED_ALLOW_IPS": "10.0.0.7",
        "SURVEY_PDF_TIMEOUT": "75",
        "SURVEY_INSTANCE": str(tmp_path),
    }
    command = [str(BIN / "gunicorn"), "-c", "python:survey.gunicorn_conf", "--print-config"]
    done = subprocess.run(
        [*command, "survey.wsgi:app"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    settings = dict(re.findall(r"^(\w+)\s+= (.*)$", done.stdout, flags=re.M))
    assert settings["bind"] == "['127.0.0.1:8123']"
    assert settings["forwarded_allow_ips"] == "['10.0.0.7']"
    assert int(settings["timeout"]) > 75
    assert int(settings["threads"]) > 1 and settings["worker_class"] == "gthread"
    assert settings["accesslog"] == "-"
    assert settings["control_socket_disable"] == "True"  # no per-user socket to fight over


# --- 4. proxies and the base URL ----------------------------------------------------------------

LIMITS_ON = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


@pytest.fixture
def limits_on() -> Iterator[None]:
    yield
    limiter.enabled = False  # the limiter is process-wide: leave it off for later apps


def _failed_logins(client: FlaskClient, address: str, times: int) -> list[int]:
    form = {"email": "nobody@example.com", "password": "wrong password"}
    headers = {"X-Forwarded-For": address}
    return [client.post("/login", data=form, headers=headers).status_code for _ in range(times)]


@pytest.mark.parametrize("app", [{**LIMITS_ON, "SURVEY_PROXY_HOPS": 1}], indirect=True)
def test_behind_one_proxy_each_client_has_its_own_login_limit(
    client: FlaskClient, limits_on: None
) -> None:
    assert _failed_logins(client, "203.0.113.1", 11)[-1] == 429
    assert _failed_logins(client, "203.0.113.2", 1) == [200]  # another visitor, not locked out


@pytest.mark.parametrize("app", [LIMITS_ON], indirect=True)
def test_without_proxy_hops_a_forged_forwarded_for_is_ignored(
    client: FlaskClient, limits_on: None
) -> None:
    assert _failed_logins(client, "203.0.113.1", 11)[-1] == 429
    assert _failed_logins(client, "203.0.113.99", 1) == [429]  # same socket, same bucket


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "rapport.example"}


def _review_page(client: FlaskClient, review: MadeReview, **headers: str) -> str:
    response = client.get(f"/reviews/{review.public_id}", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def review(
    vendor_client: FlaskClient,
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
) -> MadeReview:
    return make_review(vendor_a)


@pytest.mark.parametrize("app", [{"SURVEY_PROXY_HOPS": 1}], indirect=True)
def test_behind_a_proxy_links_take_its_scheme_and_host(
    client: FlaskClient, review: MadeReview
) -> None:
    page = _review_page(client, review, **FORWARDED)
    assert f"https://rapport.example/r/{review.client_token}" in page


def test_without_proxy_hops_forwarded_host_and_scheme_are_ignored(
    client: FlaskClient, review: MadeReview
) -> None:
    page = _review_page(client, review, **FORWARDED)
    assert f"http://localhost/r/{review.client_token}" in page
    assert "rapport.example" not in page


BASE = {"SURVEY_BASE_URL": "https://links.example", "SURVEY_PROXY_HOPS": 1}
#: What a proxy passes on (trusted with one hop), which the base URL still overrides.
PROXIED = {"X-Forwarded-Proto": "http", "X-Forwarded-Host": "evil.example"}
#: A Host header sent straight to the server.
FORGED = {"Host": "evil.example"}


@pytest.mark.parametrize("app", [BASE], indirect=True)
def test_the_base_url_fixes_shared_links_and_invitations(
    client: FlaskClient, vendor_a: Persona, make_review: Callable[..., MadeReview]
) -> None:
    review = make_review(vendor_a)
    credentials = {"email": vendor_a.email, "password": vendor_a.password}
    assert client.post("/login", data=credentials, headers=FORGED).status_code == 302
    page = _review_page(client, review, **PROXIED, **FORGED)
    for token in review.tokens.values():
        assert f"https://links.example/r/{token}" in page
    team = client.post("/team", data={"email": "colleague@example.com"}, headers=PROXIED | FORGED)
    invitation = re.search(r"https?://[^\"<\s]+/invite/[^\"<\s]+", team.get_data(True))
    assert invitation and invitation.group(0).startswith("https://links.example/"), invitation
    assert "evil.example" not in page + team.get_data(as_text=True)


@pytest.mark.parametrize("app", [BASE], indirect=True)
def test_the_base_url_fixes_resume_links(
    client: FlaskClient,
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    respondent = make_respondent(make_review(vendor_a), "client")
    page = client.get(f"/r/resume/{respondent.resume_token}/page/1", headers=FORGED)
    assert page.status_code == 200
    assert f"https://links.example/r/resume/{respondent.resume_token}" in page.get_data(True)
    assert "evil.example" not in page.get_data(as_text=True)


@pytest.mark.parametrize("app", [{"SURVEY_BASE_URL": "https://links.example"}], indirect=True)
def test_survey_demo_prints_links_on_the_base_url(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # the login, the review, both survey links and the client's results link
    assert len(lines) == 5 and all("https://links.example/" in line for line in lines), lines


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("links.example", "must look like https://rapport.example"),
        ("ftp://links.example", "must look like https://rapport.example"),
        ("https://links.example/app", "a scheme and host only"),
    ],
)
def test_a_malformed_base_url_is_named(value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config({"SURVEY_BASE_URL": value})


def test_proxy_hops_cannot_be_negative() -> None:
    with pytest.raises(ConfigError, match="SURVEY_PROXY_HOPS=-1 must be 0 or more"):
        load_config({"SURVEY_PROXY_HOPS": "-1"})


# --- 8. production guards -----------------------------------------------------------------------

PRODUCTION = {
    "SURVEY_ENV": "production",
    "SURVEY_SECRET_KEY": "s" * 40,
    "SURVEY_RATELIMIT_STORAGE": "redis://127.0.0.1:6379",
}


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Flask]:
    """Build an app from a production environment (plus the variables given)."""

    def build(**env: str) -> Flask:
        for name, value in {**PRODUCTION, "SURVEY_INSTANCE": str(tmp_path), **env}.items():
            monkeypatch.setenv(name, value)
        return create_app()

    return build


def test_production_refuses_the_implicit_sqlite_database(production: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigError, match="SURVEY_DATABASE_URL must be set when SURVEY_ENV="):
        production()


def test_production_runs_on_a_named_database(
    production: Callable[..., Flask], tmp_path: Path
) -> None:
    app = production(SURVEY_DATABASE_URL=f"sqlite:///{tmp_path / 'named.db'}")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("named.db")


def test_production_warns_about_memory_rate_limits(
    production: Callable[..., Flask], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    database = f"sqlite:///{tmp_path / 'named.db'}"
    with caplog.at_level(logging.WARNING):
        production(SURVEY_DATABASE_URL=database)
    assert "memory://" not in caplog.text
    with caplog.at_level(logging.WARNING):
        production(SURVEY_DATABASE_URL=database, SURVEY_RATELIMIT_STORAGE="memory://")
    assert "SURVEY_RATELIMIT_STORAGE is memory://: each worker counts" in caplog.text


def test_survey_demo_refuses_to_run_in_production(
    production: Callable[..., Flask], tmp_path: Path
) -> None:
    app = production(SURVEY_DATABASE_URL=f"sqlite:///{tmp_path / 'named.db'}")
    result = app.test_cli_runner().invoke(main, ["demo"])
    assert result.exit_code != 0
    assert "survey demo does not run when SURVEY_ENV=production" in result.output


# --- 2. the wheel is the whole app: built, installed in a new venv, run from / -----------------

#: What the copy of the checkout leaves out (the wheel is built from tracked sources only).
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".tools",
    "node_modules",
    "instance",
    "build",
    "dist",
    "test-artifacts",
    ".pgdata",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _build_wheel(tmp_path: Path) -> Path:
    """Build the wheel with the lock-installed backend, from a clean copy of the sources."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    command = [str(BIN / "python"), "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*command, "--quiet", "-w", str(tmp_path / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("rapport_survey-*.whl")
    return wheel


def _new_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new venv with the wheel installed; the dependencies are read from the project's venv.

    Offline and honest: only the dependencies come from `.venv` (a path line in a .pth file,
    which does not run `.venv`'s own .pth files, so the editable checkout stays out of reach);
    the app itself comes from the wheel.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    (site,) = venv.glob("lib/python3*/site-packages")
    deps = next((ROOT / ".venv").glob("lib/python3*/site-packages"))
    (site / "rapport-deps.pth").write_text(f"{deps}\n")
    install = [str(BIN / "python"), "-m", "pip", "--python", str(venv / "bin" / "python")]
    subprocess.run(
        [*install, "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    return venv


def _wait_for_http(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode())  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # up, if not well: the test's own checks say what is wrong
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within 30 s")


@pytest.mark.slow
def test_the_wheel_installs_migrates_and_serves_from_any_directory(
    tmp_path: Path,
    redis_url: str,  # noqa: F811
) -> None:
    """The README's deployment: wheel, db upgrade, create-user, gunicorn; from `/`."""
    venv = _new_venv(tmp_path, _build_wheel(tmp_path))
    port = _free_port()
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "SURVEY_ENV": "production",
        "SURVEY_SECRET_KEY": "wheel-test-" + "k" * 40,
        "SURVEY_DATABASE_URL": f"sqlite:///{tmp_path / 'rapport.db'}",
        "SURVEY_RATELIMIT_STORAGE": redis_url,
        "SURVEY_INSTANCE": str(tmp_path / "instance"),
        "SURVEY_BIND": f"127.0.0.1:{port}",
        "SURVEY_WORKERS": "1",
    }
    python, survey = str(venv / "bin" / "python"), str(venv / "bin" / "survey")

    def run(*command: str) -> str:
        done = subprocess.run(command, cwd="/", env=env, capture_output=True, text=True)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        return done.stdout

    where = run(python, "-c", "import survey.resources as r; print(r.resource_dir('templates'))")
    assert Path(where.strip()).is_relative_to(venv), where  # the wheel's files, not the checkout
    run(survey, "db", "upgrade")
    run(survey, "create-user", "--email", "ops@example.com", "--name", "Ops", "--organisation",
        "Acme", "--password", "correct horse battery")  # fmt: skip
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "-c", "python:survey.gunicorn_conf", "survey.wsgi:app"],
        cwd="/",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_for_http(f"http://127.0.0.1:{port}/login", server)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as login:
            assert login.status == 200
            page = login.read().decode()
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
        assert stylesheet, page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet[1]}") as css:
            assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
            assert b"{" in css.read()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if server.stderr:
            server.stderr.close()


def test_the_readme_deploys_the_way_the_wheel_test_does() -> None:
    """The deployment section names the commands and settings the tests above prove."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Deployment") : readme.index("## Layout")]
    for step in (
        "pip wheel --no-deps --no-build-isolation",
        "pip install --require-hashes -r requirements.txt",
        "pip install --no-deps dist/rapport_survey-",
        "survey db upgrade",
        "survey create-user --email",
        "gunicorn -c python:survey.gunicorn_conf survey.wsgi:app",
        "SURVEY_PROXY_HOPS=1",
        "SURVEY_BASE_URL=https://",
        "SURVEY_BIND=",
        "SURVEY_DATABASE_URL=postgresql",
        "SURVEY_RATELIMIT_STORAGE=redis://",
    ):
        assert step in section, step
    makefile = (ROOT / "Makefile").read_text()
    assert "gunicorn -c python:survey.gunicorn_conf survey.wsgi:app" in makefile  # make run


# --- 10. scale-out: two gunicorn instances, one PostgreSQL, one Redis ----------------------------

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RESPOND_TEST = Path(__file__).parent / "data" / "respond" / "respond-test.yaml"
POSTGRES = os.environ.get("SURVEY_TEST_DATABASE_URL", "").startswith("postgresql")


@contextmanager
def _instance(tmp_path: Path, name: str, **env: str) -> Iterator[str]:
    """One gunicorn of the checkout, with the project's settings, on a free loopback port."""
    port = _free_port()
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "SURVEY_INSTANCE": str(tmp_path / name),
        "SURVEY_BIND": f"127.0.0.1:{port}",
        "SURVEY_WORKERS": "1",
        **env,
    }
    command = [str(BIN / "python"), "-m", "gunicorn", "-c", "python:survey.gunicorn_conf"]
    process = subprocess.Popen(
        [*command, "survey.wsgi:app"],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_http(f"{url}/login", process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()


def _browser() -> urllib.request.OpenerDirector:
    """A visitor with one cookie jar (cookies ignore the port: both instances get them)."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _submit(
    browser: urllib.request.OpenerDirector, url: str, data: dict[str, str] | None = None
) -> Any:
    """GET a form, then POST it with its CSRF token (redirects followed); the response."""
    form = browser.open(url, timeout=30).read().decode()
    token = CSRF.search(form)
    assert token, form
    body = urllib.parse.urlencode({"csrf_token": token[1], **(data or {})}).encode()
    return browser.open(url, body, timeout=60)


def _status(browser: urllib.request.OpenerDirector, url: str) -> int:
    try:
        with browser.open(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
@pytest.mark.skipif(not (os.environ.get("CI") and POSTGRES), reason="CI with PostgreSQL only")
def test_two_instances_share_sessions_responses_limits_and_both_render_pdfs(
    app: Flask,
    tmp_path: Path,
    redis_url: str,  # noqa: F811
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    journey = make_review(vendor_a, questionnaire_path=RESPOND_TEST)
    reported = make_review(vendor_a, client_name="Initech")
    fill_from_example(app, reported, make_respondent)
    shared = {
        "SURVEY_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SURVEY_SECRET_KEY": app.config["SECRET_KEY"],
        "SURVEY_RATELIMIT_STORAGE": redis_url,
    }
    with _instance(tmp_path, "a", **shared) as a, _instance(tmp_path, "b", **shared) as b:
        vendor = _browser()
        credentials = {"email": vendor_a.email, "password": vendor_a.password}
        assert _submit(vendor, f"{a}/login", credentials).geturl() == f"{a}/"
        assert _status(vendor, f"{b}/reviews/{journey.public_id}") == 200  # logged in on B
        invited = _submit(vendor, f"{b}/team", {"email": "colleague@example.com"}).read()
        assert b"/invite/" in invited  # and writes there

        respondent = _browser()
        started = _submit(respondent, f"{a}/r/{journey.client_token}", {"name": "Ann"})
        resume = re.search(r"/r/resume/([^/]+)/page/1$", started.geturl())
        assert resume, started.geturl()
        pages = f"/r/resume/{resume[1]}/page"
        first = {"knows-priorities": "4", "last-contacts": "Adding value"}
        _submit(respondent, f"{a}{pages}/1", first)
        _submit(respondent, f"{b}{pages}/2", {"recommend": "8", "main-channel": "Email"})
        _submit(respondent, f"{a}{pages}/3", {"renew": "Yes, renew"})
        done = _submit(respondent, f"{b}/r/resume/{resume[1]}/review")
        assert done.geturl().endswith(f"/r/resume/{resume[1]}/done")

        for server in (a, b):
            with vendor.open(f"{server}/reviews/{reported.public_id}/results/report.pdf") as pdf:
                assert pdf.status == 200 and pdf.read(4) == b"%PDF", server

        stranger = _browser()
        statuses = [_status(stranger, f"{(a, b)[n % 2]}/r/{'u' * 32}") for n in range(130)]
    # one bucket of 60 misses a minute for both (the respondent's visits were no misses)
    assert statuses.count(404) == 60 and statuses.count(429) == 70, statuses
