"""What an independent security probe broke (issue 16), one regression test or more per break.

Each test here failed on the code the probe ran against and passes with its fix; the
revocation bypass (break 1) is in the authorization matrix and in tests/test_ux_fixes.py.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from factories import PASSWORD, MadeRespondent, MadeReview, Persona
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from test_authz_matrix import EXPECTED, Matrix, fill_params, login_as, rules
from test_pdf import keep_pages
from test_results import example_people
from test_score_cli import survey
from test_security import limited  # noqa: F401 (a fixture)

from survey import create_app
from survey.cli import main as cli
from survey.config import ConfigError, load_config
from survey.domain.answers import answers_json, parse_answers, to_answers_document
from survey.domain.loader import load_file
from survey.domain.report import render_json
from survey.domain.scoring import Respondent as ScoredRespondent
from survey.domain.scoring import ReviewAnswers, score
from survey.extensions import db, limiter
from survey.models import Client, Respondent, Review, User, hash_token
from survey.questionnaires import catalogue

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
DATA = Path(__file__).parent / "data"
RESPOND_TEST = DATA / "respond" / "respond-test.yaml"
SURVEY = Path(sys.executable).parent / "survey"
FLAGSHIP = "vendor-value-review"


@pytest.fixture
def acme(vendor_client: FlaskClient, vendor_a: Persona) -> Persona:
    """Vendor A, logged in on `client`."""
    return vendor_a


# --- 2. names in every script, through every page and download ------------------------------

#: Who is who in the review of break 2: each script the probe broke, and an emoji.
VENDOR_ORG = "Ωmega Σύμβουλοι"
CLIENT_ORG = "日本商事"
PEOPLE = {
    "vendor": ["Łucja Żółć", "Νίκος Παπαδόπουλος"],
    "client": ["فاطمة الزهراء", "山田 花子", "Ren 🌸"],
}
VERBATIM = {  # one text answer per person, in the script of their name
    "Łucja Żółć": "Więcej spotkań w Łodzi",
    "Νίκος Παπαδόπουλος": "Περισσότερη ενημέρωση",
    "فاطمة الزهراء": "اتصال شهري منتظم",
    "山田 花子": "毎月の定例会議",
    "Ren 🌸": "Keep the 🚀 pace",
}


@dataclass(frozen=True)
class World:
    review: MadeReview
    resume: dict[str, str]  # person -> resume token


def _everyone_answers(
    app: Flask, review: MadeReview, make_respondent: Callable[..., MadeRespondent]
) -> dict[str, str]:
    """Every person submits the example's answers, with their own verbatim in each text."""
    with app.app_context():
        questionnaire = catalogue()[FLAGSHIP].questionnaire
    examples = {party: answers for party, _, answers in example_people()}
    tokens = {}
    for party, names in PEOPLE.items():
        for name in names:
            answers = {
                qid: VERBATIM[name] if questionnaire.question(qid).kind == "text" else value
                for qid, value in examples[party].items()
            }
            made = make_respondent(review, party, name=name, answers=answers, submit=True)
            tokens[name] = made.resume_token
    return tokens


@pytest.fixture
def world(
    app: Flask,
    make_user: Callable[..., Persona],
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., MadeRespondent],
    share_results: Callable[[MadeReview], None],
) -> World:
    vendor = make_user(VENDOR_ORG, name="Δανάη", email="danai@omega.example")
    # Names shown to the other side, so that every name reaches every page and download.
    review = make_review(vendor, client_name=CLIENT_ORG, names_to_other_side=True)
    answered = World(review, _everyone_answers(app, review, make_respondent))
    share_results(review)
    return answered


def _disposition_name(header: str) -> tuple[str, str]:
    """(ASCII fallback, real name) of an RFC 6266 Content-Disposition header."""
    header.encode("ascii")  # a WSGI server sends only Latin-1; this sends only ASCII
    fallback = re.search(r'filename="([^"]*)"', header)
    real = re.search(r"filename\*=UTF-8''(\S+)", header)
    assert fallback and real, header
    return fallback.group(1), unquote(real.group(1))


def test_every_download_names_its_file_in_any_script(
    app: Flask, client: FlaskClient, world: World
) -> None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "danai@omega.example"))
        assert user is not None
        client.post("/login", data={"email": user.email, "password": PASSWORD})
    review = world.review
    downloads = [
        f"/reviews/{review.public_id}/results/report.pdf",
        f"/reviews/{review.public_id}/results/export.json",
        f"/reviews/{review.public_id}/results/answers.csv",
        f"/r/{review.results_token}/results/report.pdf",
        f"/r/{review.results_token}/results/export.json",
        f"/r/{review.results_token}/results/answers.csv",
    ]
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200, url
        fallback, real = _disposition_name(response.headers["Content-Disposition"])
        assert real.startswith(f"rapport-{CLIENT_ORG}-"), real
        assert re.fullmatch(r"rapport-[A-Za-z0-9._-]+", fallback), fallback
        assert response.headers["Content-Security-Policy"]
    csv_text = client.get(downloads[2]).get_data(as_text=True)
    json_text = client.get(downloads[1]).get_data(as_text=True)
    for name, verbatim in VERBATIM.items():
        assert name in csv_text and verbatim in csv_text
        assert name in json_text and verbatim in json_text


def test_every_page_shows_names_in_any_script(
    app: Flask, client: FlaskClient, world: World
) -> None:
    review = world.review
    public = [f"/r/{review.client_token}", f"/r/{review.results_token}/results"]
    public += [f"/r/resume/{token}/done" for token in world.resume.values()]
    for url in public:
        page = client.get(url)
        assert page.status_code == 200, url
        assert CLIENT_ORG in page.get_data(as_text=True), url
    client.post("/login", data={"email": "danai@omega.example", "password": PASSWORD})
    vendor_pages = ["/", f"/reviews/{review.public_id}", f"/reviews/{review.public_id}/results"]
    for url in vendor_pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert CLIENT_ORG in page.get_data(as_text=True), url
    listed = client.get(f"/reviews/{review.public_id}").get_data(as_text=True)
    assert all(name in listed for names in PEOPLE.values() for name in names)


def test_the_pdf_shows_names_in_any_script_in_real_glyphs(
    app: Flask, client: FlaskClient, world: World
) -> None:
    """pypdf reads every name back, set in fonts that have its glyphs (not boxes)."""
    pdf = client.get(f"/r/{world.review.results_token}/results/report.pdf").get_data()
    keep_pages(pdf, "names-in-every-script")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    for written in (VENDOR_ORG, CLIENT_ORG, *VERBATIM.values()):
        assert written in text, written
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert any("CJK" in font for font in fonts), fonts  # 日本商事, 山田 花子
    assert any("Emoji" in font for font in fonts), fonts  # 🌸, 🚀


# --- 2, 6. through a real gunicorn, which refuses what the test client lets through -----------

PROBE_APP = """
from survey import create_app
from survey.cli import main as cli
from survey.domain.answers import answers_json, parse_answers, to_answers_document
from survey.domain.loader import load_file
from survey.domain.report import render_json
from survey.domain.scoring import Respondent as ScoredRespondent
from survey.domain.scoring import ReviewAnswers, score

app = create_app()


@app.get("/_probe/unsendable-header")
def unsendable_header():
    return "never sent", 200, {"X-Probe": "日本商事"}
"""


@dataclass
class Served:
    """A gunicorn serving the test's database (plus one probe route) on loopback."""

    url: str
    process: subprocess.Popen[bytes]

    def get(self, path: str, opener: urllib.request.OpenerDirector | None = None) -> Any:
        try:
            return (opener or urllib.request.build_opener()).open(self.url + path, timeout=60)
        except urllib.error.HTTPError as error:
            return error


@contextmanager
def gunicorn(app: Flask, tmp_path: Path, workers: int = 1, **env: str) -> Iterator[Served]:
    """Serve the app's database with the probe module through a real gunicorn."""
    (tmp_path / "probe_wsgi.py").write_text(PROBE_APP)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "SURVEY_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SURVEY_SECRET_KEY": app.config["SECRET_KEY"],
        "SURVEY_INSTANCE": str(tmp_path / "instance"),
        **env,
    }
    command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    process = subprocess.Popen(
        [*command, "--chdir", str(tmp_path), "probe_wsgi:app"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    server = Served(f"http://127.0.0.1:{port}", process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        if process.stderr:
            process.stderr.close()


@pytest.fixture
def served(app: Flask, tmp_path: Path) -> Iterator[Served]:
    with gunicorn(app, tmp_path, SURVEY_RATELIMIT="0") as server:
        yield server


def _wait_until_up(server: Served) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(server.process.stderr.read().decode())  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"{server.url}/login", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not answer within 30 s")


def _logged_in(server: Served, email: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    form = opener.open(f"{server.url}/login", timeout=30).read().decode()
    token = CSRF.search(form)
    assert token
    data = {"csrf_token": token.group(1), "email": email, "password": PASSWORD}
    opener.open(f"{server.url}/login", urllib.parse.urlencode(data).encode(), timeout=30)
    return opener


@pytest.mark.slow
def test_gunicorn_sends_every_download_with_names_in_any_script(
    served: Served, world: World
) -> None:
    review = world.review
    vendor = _logged_in(served, "danai@omega.example")
    for path, opener in [
        (f"/reviews/{review.public_id}/results/report.pdf", vendor),
        (f"/reviews/{review.public_id}/results/export.json", vendor),
        (f"/reviews/{review.public_id}/results/answers.csv", vendor),
        (f"/r/{review.results_token}/results/report.pdf", None),
    ]:
        response = served.get(path, opener)
        assert response.status == 200, path
        _, real = _disposition_name(response.headers["Content-Disposition"])
        assert CLIENT_ORG in real


@pytest.mark.slow
def test_a_response_gunicorn_would_refuse_is_a_500_with_the_security_headers(
    served: Served,
) -> None:
    response = served.get("/_probe/unsendable-header")
    assert response.status == 500
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Something went wrong on our side" in response.read().decode()


@pytest.mark.slow
def test_a_chunked_body_over_the_limit_is_refused_with_413(
    app: Flask, served: Served, world: World
) -> None:
    """700 KiB sent chunked (no Content-Length) to an autosave holding a valid CSRF token."""
    token = world.resume["Ren 🌸"]
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with app.app_context():  # a draft, so that the autosave would save
        respondent = db.session.scalar(
            sa.select(Respondent).where(Respondent.resume_token_hash == hash_token(token))
        )
        assert respondent is not None
        respondent.submitted_at = None
        db.session.commit()
    page = opener.open(f"{served.url}/r/resume/{token}/page/1", timeout=30).read().decode()
    csrf = CSRF.search(page)
    assert csrf
    cookie = next(iter(jar))
    head = urllib.parse.urlencode(
        {"csrf_token": csrf.group(1), "_page": "1", "what-would-change": ""}
    )
    chunks = [head.encode(), *([b"x" * 1024] * 700)]
    connection = http.client.HTTPConnection(served.url.removeprefix("http://"), timeout=60)
    connection.request(
        "POST",
        f"/r/resume/{token}/autosave",
        body=iter(chunks),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{cookie.name}={cookie.value}",
        },
        encode_chunked=True,
    )
    reply = connection.getresponse()
    assert reply.status == 413
    connection.close()


# --- 5. odd input gets a message, never a 500 -------------------------------------------------

ODD_NUMBERS = ["²", "①", "--1", "1" * 5000, "٣", "4.0", "+4", " 4 4", "0x4", "-"]


def _resume_token(client: FlaskClient, review: MadeReview) -> str:
    response = client.post(f"/r/{review.client_token}", data={})
    match = re.search(r"/r/resume/([^/]+)/page/1$", response.location)
    assert match, response.location
    return match.group(1)


@pytest.mark.parametrize("value", ODD_NUMBERS, ids=lambda v: v[:6])
def test_odd_scale_values_get_a_field_message_on_page_post_and_autosave(
    client: FlaskClient,
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
    value: str,
) -> None:
    review = make_review(vendor_a, questionnaire_path=RESPOND_TEST)
    token = _resume_token(client, review)
    posted = client.post(f"/r/resume/{token}/page/1", data={"knows-priorities": value})
    assert posted.status_code == 422
    assert 'id="q-knows-priorities-error"' in posted.get_data(as_text=True)
    saved = client.post(
        f"/r/resume/{token}/autosave", data={"_page": "1", "knows-priorities": value}
    )
    assert saved.status_code == 200
    assert saved.get_json()["status"] == "invalid"
    assert "knows-priorities" in saved.get_json()["errors"]


@pytest.mark.parametrize("value", ["²", "①", "--1", "1" * 5000, "1" * 400, "9" * 19])
def test_odd_scale_values_in_an_answers_file_get_a_message_not_a_traceback(
    tmp_path: Path, value: str
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"client:\n  respondents:\n    - answers: {{hears-us: {value}}}\n")
    done = survey("score", DATA / "scoring" / "small.yaml", answers, cwd=tmp_path)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert str(answers) in done.stderr
    assert len(done.stderr) < 400  # the message quotes the number cut short, if at all


def test_a_nul_in_form_text_is_dropped_never_a_500(
    app: Flask, client: FlaskClient, vendor_a: Persona, make_review: Callable[..., MadeReview]
) -> None:
    """PostgreSQL refuses NUL in text columns: a name holding one was a 500 there."""
    review = make_review(vendor_a)
    started = client.post(f"/r/{review.client_token}", data={"name": "Ha\x00ns", "role": "C\x00O"})
    assert started.status_code == 302
    saved = client.post(
        started.location, data={"recommend": "3", "what-would-change": "Ste\x00ady", "nav": "next"}
    )
    assert saved.status_code == 302
    with app.app_context():
        respondent = db.session.scalar(sa.select(Respondent).where(Respondent.name == "Hans"))
        assert respondent is not None and respondent.role == "CO"
        stored = {a.question_id: a.value for a in respondent.answers}
        assert stored["what-would-change"] == "Steady"


def test_far_dates_are_refused_next_to_the_field(
    app: Flask, client: FlaskClient, acme: Persona, make_review: Callable[..., MadeReview]
) -> None:
    review = make_review(acme)
    url = f"/reviews/{review.public_id}/links/client/expiry"
    response = client.post(url, data={"client-expires_on": "9999-12-31"})
    assert response.status_code == 400
    assert "Choose a date from 2000 to 2199." in response.get_data(as_text=True)
    due = client.post(f"/reviews/{review.public_id}/due", data={"due_on": "9999-12-31"})
    assert due.status_code in (302, 400)
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        assert row.current_link("client").expires_at is None  # type: ignore[union-attr]
        assert row.due_on is None
    last = client.post(url, data={"client-expires_on": "2199-12-31"})
    assert last.status_code == 302


def test_date_inputs_carry_their_bounds(client: FlaskClient, acme: Persona) -> None:
    page = client.get("/reviews/new").get_data(as_text=True)
    assert re.search(r'<input[^>]+max="2199-12-31"[^>]+min="2000-01-01"', page) or re.search(
        r'<input[^>]+min="2000-01-01"[^>]+max="2199-12-31"', page
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [("Ärzte AG", "ÄRZTE AG"), ("Łódź Ltd", "ŁÓDŹ LTD"), ("Straße GmbH", "STRASSE GMBH")],
)
def test_client_names_are_one_client_whatever_the_case_in_any_script(
    app: Flask, client: FlaskClient, acme: Persona, first: str, second: str
) -> None:
    for name in (first, second, f"  {first} "):
        response = client.post(
            "/reviews/new", data={"questionnaire": FLAGSHIP, "client_name": name}
        )
        assert response.status_code == 302
    with app.app_context():
        clients = list(db.session.scalars(sa.select(Client)))
        assert [c.name for c in clients] == [first]
        assert len(clients[0].reviews) == 3


def test_survey_check_reads_at_most_the_size_limit(tmp_path: Path) -> None:
    started = datetime.now(UTC)
    done = survey("check", "/dev/zero", cwd=tmp_path)
    assert (datetime.now(UTC) - started).total_seconds() < 30
    assert done.returncode == 1
    assert "/dev/zero:1:1: the file holds more than 1 MiB" in done.stdout


# --- 3. no development key in the source ------------------------------------------------------


def test_development_makes_a_random_key_once_and_keeps_it_in_instance(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'k.db'}"}
    first = create_app({**config, "SURVEY_INSTANCE": instance})
    second = create_app({**config, "SURVEY_INSTANCE": instance})
    other = create_app({**config, "SURVEY_INSTANCE": tmp_path / "elsewhere"})
    key = first.config["SECRET_KEY"]
    assert len(key) >= 64 and key == second.config["SECRET_KEY"] != other.config["SECRET_KEY"]
    assert (instance / "secret_key").read_text() == key
    assert (instance / "secret_key").stat().st_mode & 0o077 == 0  # the owner's only
    for app in (first, second, other):
        with app.app_context():
            db.engine.dispose()


def test_no_secret_key_is_written_in_the_source() -> None:
    """The probe rebuilt 611 shared links from a dump and the key in survey/config.py."""
    for path in [*ROOT.glob("survey/**/*.py"), ROOT / "wsgi.py", ROOT / "Makefile"]:
        text = path.read_text()
        assert "dev-only-not-secret" not in text, path
        assert not re.search(r"SECRET_KEY[\"']?\s*[:=]\s*[\"'][^\"']+[\"']", text), path


def test_production_still_refuses_to_start_without_a_key() -> None:
    with pytest.raises(ConfigError, match="SURVEY_SECRET_KEY must be set"):
        load_config({"SURVEY_ENV": "production", "SURVEY_RATELIMIT_STORAGE": "redis://r:6379"})


# --- 4. sessions --------------------------------------------------------------------------------


def _session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_login_starts_a_new_session_with_a_new_csrf_secret(
    client: FlaskClient, vendor_a: Persona
) -> None:
    """Fixation: nothing planted in the session before login survives it."""
    with client.session_transaction() as session:
        session["csrf_token"] = "planted-by-someone-else"
        session["planted"] = "yes"
    client.post("/login", data={"email": vendor_a.email, "password": vendor_a.password})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "planted-by-someone-else"
        assert session.permanent


def _copy(app: Flask, cookie: str) -> FlaskClient:
    copied = app.test_client()
    copied.set_cookie("session", cookie, domain="localhost")
    return copied


@pytest.mark.parametrize("ending", ["logout", "everywhere", "password"])
def test_ending_a_session_ends_every_older_cookie_copies_included(
    app: Flask, client: FlaskClient, vendor_a: Persona, login: Callable[..., None], ending: str
) -> None:
    login(client, vendor_a)
    elsewhere = app.test_client()  # the same user on another device
    login(elsewhere, vendor_a)
    copied = _copy(app, _session_cookie(client))
    assert copied.get("/").status_code == 200  # a copy works while the session does
    if ending == "logout":
        client.post("/logout")
    elif ending == "everywhere":
        assert client.post("/account/sessions/end").status_code == 302
    else:
        new = "a brand new password"
        changed = client.post(
            "/account", data={"current": vendor_a.password, "password": new, "confirm": new}
        )
        assert changed.status_code == 302
        assert client.get("/").status_code == 200  # the browser that changed it stays in
    assert copied.get("/").status_code == 302
    assert elsewhere.get("/").status_code == 302


def test_a_wrong_current_password_changes_nothing(app: Flask, vendor_client: FlaskClient) -> None:
    new = "a brand new password"
    page = vendor_client.post(
        "/account", data={"current": "wrong", "password": new, "confirm": new}
    )
    assert page.status_code == 200
    assert "That is not your current password." in page.get_data(as_text=True)
    assert vendor_client.get("/").status_code == 200


def test_session_lifetime_is_a_setting_of_days_without_a_visit(tmp_path: Path) -> None:
    assert load_config({})["PERMANENT_SESSION_LIFETIME"] == timedelta(days=14)
    assert load_config({"SURVEY_SESSION_DAYS": "2"})["PERMANENT_SESSION_LIFETIME"] == timedelta(
        days=2
    )
    with pytest.raises(ConfigError, match="SURVEY_SESSION_DAYS"):
        load_config({"SURVEY_SESSION_DAYS": "a fortnight"})


def test_a_session_ends_after_its_lifetime_without_a_visit(
    app: Flask, vendor_client: FlaskClient
) -> None:
    cookie = next(
        h for h in vendor_client.get("/").headers.getlist("Set-Cookie") if h.startswith("session=")
    )
    expires = re.search(r"Expires=([^;]+)", cookie)
    assert expires  # a dated cookie, renewed on every visit
    days = (parsedate_to_datetime(expires.group(1)) - datetime.now(UTC)).total_seconds() / 86400
    assert 13.9 < days <= 14
    app.permanent_session_lifetime = timedelta(seconds=1)
    time.sleep(2.1)
    assert vendor_client.get("/").status_code == 302  # the signed cookie is older than allowed


# --- 7. no enumeration, and limits ------------------------------------------------------------


def test_signup_and_invitations_are_rate_limited(limited: Flask) -> None:  # noqa: F811
    limited.config["SURVEY_PASSWORD_HASH"] = "pbkdf2:sha256:1000"
    with limited.app_context():
        limiter.reset()
    client = limited.test_client()
    signups = [
        client.post(
            "/signup",
            data={
                "organisation": f"Org {n}",
                "name": "Eve",
                "email": f"eve{n}@example.com",
                "password": "a long enough password",
                "confirm": "a long enough password",
            },
        ).status_code
        for n in range(12)
    ]
    assert signups[:10] == [302] * 10 and signups[10:] == [429, 429]
    inviter = limited.test_client()
    with limited.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "eve0@example.com"))
        assert user is not None
        with inviter.session_transaction() as session:
            session["_user_id"] = user.get_id()
    invites = [
        inviter.post("/team", data={"email": f"pat{n}@example.com"}).status_code for n in range(32)
    ]
    assert invites[:30] == [200] * 30 and invites[30:] == [429, 429]
    with limited.app_context():
        limiter.reset()


# --- 8. rate limits across workers ---------------------------------------------------------------


def test_production_needs_a_rate_limit_store_shared_by_the_workers() -> None:
    production = {"SURVEY_ENV": "production", "SURVEY_SECRET_KEY": "s" * 40}
    with pytest.raises(ConfigError, match="SURVEY_RATELIMIT_STORAGE must be set"):
        load_config(production)
    shared = load_config({**production, "SURVEY_RATELIMIT_STORAGE": "redis://r:6379"})
    assert shared["RATELIMIT_STORAGE_URI"] == "redis://r:6379"
    assert load_config({})["RATELIMIT_STORAGE_URI"] == "memory://"  # development


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throw-away Redis server on loopback (Debian's redis-server, from the Makefile)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
def test_a_limit_counts_across_gunicorn_workers_with_redis(
    app: Flask, tmp_path: Path, redis_url: str
) -> None:
    """Two workers, one bucket: a shared link's 60 a minute lets 60 through, not 60 each."""
    with gunicorn(app, tmp_path, workers=2, SURVEY_RATELIMIT_STORAGE=redis_url) as server:
        statuses = [server.get(f"/r/{'u' * 32}").status for _ in range(130)]
    assert statuses.count(404) == 60 and statuses.count(429) == 70, statuses


# --- 9. caching ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cache_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    built = Matrix(tmp_path_factory.mktemp("caching"))
    yield built
    built.close()


def test_every_page_behind_a_login_or_a_token_is_never_stored(cache_world: Matrix) -> None:
    """`no-store`, not `private`: the review and Team pages show raw links."""
    cache_world.restore()
    checked = set()
    for endpoint, rule in rules(cache_world.app).items():
        row = EXPECTED[endpoint]
        for persona in ("vendor_a", "client_x", "vendor_x", "replaced"):
            if row.get is None or row.get[persona] != 200:
                continue
            if persona != "vendor_a" and "token" not in rule.arguments:
                continue  # a link's holder on a public page (the login form)
            client = cache_world.app.test_client()
            user = login_as(persona, cache_world.world)
            if user is not None:
                with client.session_transaction() as session:
                    session["_user_id"] = user
            params = fill_params(rule, persona, row.token, cache_world.world)
            with cache_world.app.test_request_context():
                built = rule.build(params, append_unknown=False)
            assert built is not None
            response = client.get(built[1])
            assert response.status_code == 200, (endpoint, persona)
            assert "no-store" in response.headers.get("Cache-Control", ""), (endpoint, persona)
            checked.add(endpoint)
    behind_a_login = {"workspace.index", "workspace.review", "results.page", "auth.team"}
    assert behind_a_login | {"auth.account", "respond.page"} <= checked


# --- 10. exports round-trip whatever they hold ---------------------------------------------------

SMALL = DATA / "scoring" / "small.yaml"
#: Any character but the surrogates (which no form or database hands back) and NUL (which
#: PostgreSQL refuses in text), with the ones the probe used made likely.
ANY_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
    | st.sampled_from(["\x7f", "\x85", "\x9b", "\ufffe", "\uffff", "\ufeff", "\u2028", "\x1b"]),
    min_size=1,
    max_size=30,
)


def _texts_of(questionnaire: Any, party: str) -> list[str]:
    return [
        q.id
        for q in questionnaire.questions()
        if q.kind == "text" and party in questionnaire.parties_asked(q.id)
    ]


@st.composite
def reviews_in_any_script(draw: st.DrawFn, questionnaire: Any) -> ReviewAnswers:
    """Organisation and respondent names and text answers made of any characters."""
    people: dict[str, list[ScoredRespondent]] = {}
    for party in ("vendor", "client"):
        people[party] = []
        for _ in range(draw(st.integers(1, 2))):
            answers = {}
            for qid in _texts_of(questionnaire, party):
                text = draw(ANY_TEXT).strip()[: questionnaire.question(qid).max_length]
                if text.strip():
                    answers[qid] = text.strip()
            name = draw(st.none() | ANY_TEXT)
            people[party].append(ScoredRespondent(party, answers, name))  # type: ignore[arg-type]
    orgs = [draw(ANY_TEXT.filter(lambda t: t.strip())).strip() for _ in range(2)]
    return ReviewAnswers(orgs[0], orgs[1], people["vendor"], people["client"])


SMALL_QUESTIONNAIRE = load_file(SMALL).questionnaire


@settings(max_examples=150, deadline=None)
@given(review=reviews_in_any_script(SMALL_QUESTIONNAIRE))
def test_any_export_round_trips_through_survey_score(review: ReviewAnswers) -> None:
    """The JSON export, read back by `survey score`, holds exactly what was exported."""
    text = answers_json(review, SMALL_QUESTIONNAIRE)
    assert json.loads(text) == to_answers_document(review, SMALL_QUESTIONNAIRE)
    assert parse_answers(text, "export.json", SMALL_QUESTIONNAIRE) == review
    with tempfile.TemporaryDirectory() as folder:
        exported = Path(folder) / "export.json"
        exported.write_text(text, encoding="utf-8")
        done = CliRunner().invoke(cli, ["score", str(SMALL), str(exported), "--format", "json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == json.loads(render_json(score(SMALL_QUESTIONNAIRE, review)))


def test_the_app_export_escapes_what_yaml_refuses(
    app: Flask, client: FlaskClient, world: World
) -> None:
    """A name with DEL, a C1 control and U+FFFE goes out escaped and comes back whole."""
    odd = "Ωmega\x7f \x9bplc\ufffe"
    with app.app_context():
        db.session.get(Review, world.review.id).vendor_name = odd  # type: ignore[union-attr]
        db.session.commit()
    client.post("/login", data={"email": "danai@omega.example", "password": PASSWORD})
    text = client.get(f"/reviews/{world.review.public_id}/results/export.json").get_data(
        as_text=True
    )
    assert "\\u007f" in text and "\\u009b" in text and "\\ufffe" in text
    assert "日本商事" in text  # letters stay letters
    with app.app_context():
        questionnaire = catalogue()[FLAGSHIP].questionnaire
    assert parse_answers(text, "export.json", questionnaire).vendor_org == odd


def test_an_error_of_the_app_is_a_500_with_the_security_headers(
    app: Flask, client: FlaskClient
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/_probe/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = client.get("/_probe/boom")
    assert response.status_code == 500
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "secret detail" not in response.get_data(as_text=True)


# --- 11. SECURITY.md ------------------------------------------------------------------------------


def test_every_test_named_in_security_md_exists() -> None:
    """Each claim names its test: `tests/x.py::name`, or `…::name` for the file before it."""
    text = (ROOT / "SECURITY.md").read_text()
    named = re.findall(r"`(tests/[\w/]+\.py|…)::(\w+)`", text)
    assert len(named) > 60
    defined: dict[str, set[str]] = {}
    file = ""
    for where, name in named:
        file = file if where == "…" else where
        if file not in defined:
            source = (ROOT / file).read_text()
            defined[file] = set(re.findall(r"^def (test_\w+)", source, flags=re.M))
        assert name in defined[file], f"{file}::{name}"
