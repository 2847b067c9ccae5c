"""Capability links, rate limits, CSRF, cookies, headers and templates (issue 6, points 1 and 3).

Each test names the protection it proves; SECURITY.md lists them against the threat model.
The fixture world (org A with review X, org B with review Y, a revoked link, an invitation)
comes from :mod:`test_authz_matrix`, with CSRF switched *on* here.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import types
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from test_authz_matrix import (
    EXPECTED,
    PASSWORD,
    PERSONAS,
    UNKNOWN,
    Matrix,
    World,
    fill_params,
    login_as,
    rules,
    token_for,
)
from werkzeug.serving import make_server

import survey.models
from survey import create_app
from survey.config import load_config
from survey.extensions import db, limiter
from survey.models import ShareLink, derive_link_token, utcnow

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

# --- shared helpers -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    """The matrix world with CSRF protection on (as in production)."""
    built = Matrix(tmp_path_factory.mktemp("security"), WTF_CSRF_ENABLED=True)
    yield built
    built.close()


def client_of(matrix: Matrix, persona: str) -> FlaskClient:
    """A test client with the persona's session (none for token personas)."""
    client = matrix.app.test_client()
    user = login_as(persona, matrix.world)
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user
            session["_fresh"] = True
    return client


def url_for_cell(matrix: Matrix, endpoint: str, persona: str) -> str:
    rule = rules(matrix.app)[endpoint]
    params = fill_params(rule, persona, EXPECTED[endpoint].token, matrix.world)
    with matrix.app.test_request_context():
        built = rule.build(params, append_unknown=False)
    assert built is not None
    return built[1]


def csrf_of(html: str) -> str:
    match = re.search(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )  # a prefixed form's token (``propose-csrf_token``) is the session's token too
    assert match, "no CSRF token on the page"
    return match.group(1)


def database_fingerprint(app: Flask) -> str:
    """A digest of every row of every table: equal digests, nothing was written."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(sa.select(table)).all()
            for row in sorted(repr(tuple(r)) for r in rows):
                digest.update(row.encode())
        db.session.remove()
    return digest.hexdigest()


def all_stored_text(app: Flask) -> list[str]:
    """Every value of every column of every table, as text."""
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sa.select(table)).all():
                found += [str(value) for value in row if value is not None]
        db.session.remove()
    return found


def world_tokens(world: World) -> list[str]:
    return [
        *world.x_tokens.values(),
        *world.y_tokens.values(),
        *world.resume.values(),
        world.revoked,
        world.invite,
        world.reset,
        world.invited,
        world.stop,
    ]


# --- 1. capability links ----------------------------------------------------------------------


def test_tokens_have_at_least_128_bits_from_secrets(
    monkeypatch: pytest.MonkeyPatch, guarded: Matrix
) -> None:
    """Every capability token is drawn from `secrets` with >= 16 bytes (128 bits): resume
    and invitation tokens directly, shared-link tokens as HMAC(secret key, random salt)."""
    drawn: dict[str, int] = {}

    def spy(name: str) -> Callable[[int], str]:
        real = getattr(secrets, name)

        def call(nbytes: int) -> str:
            value: str = real(nbytes)
            drawn[value] = nbytes
            return value

        return call

    fake = types.SimpleNamespace(token_urlsafe=spy("token_urlsafe"), token_hex=spy("token_hex"))
    monkeypatch.setattr(survey.models, "secrets", fake)
    guarded.rebuild()  # a fresh world: links, resume tokens, an invitation
    world = guarded.world
    secret = guarded.app.config["SECRET_KEY"]
    salts = {derive_link_token(secret, salt): n for salt, n in drawn.items()}
    link_tokens = [*world.x_tokens.values(), *world.y_tokens.values(), world.revoked]
    for token in link_tokens:
        assert salts.get(token, 0) >= 16, "a shared link not derived from a 128-bit salt"
    for token in [*world.resume.values(), world.invite]:
        assert drawn.get(token, 0) >= 16, "a token not drawn from secrets with 128 bits"
    for token in world_tokens(world):
        assert len(token) * 6 >= 128, token  # URL-safe base64: 6 bits a character
    assert len(set(world_tokens(world))) == len(world_tokens(world))


def test_no_raw_token_is_stored_anywhere(guarded: Matrix) -> None:
    """Shared links, resume links and invitations: only hashes (and salts) in the database."""
    guarded.restore()
    client = client_of(guarded, "client_x")
    page = client.get(f"/r/{guarded.world.x_tokens['client']}").get_data(as_text=True)
    response = client.post(
        f"/r/{guarded.world.x_tokens['client']}",
        data={"name": "Hiro", "csrf_token": csrf_of(page)},
    )
    guarded.dirty = True
    fresh_resume = response.location.split("/")[3]
    tokens = [*world_tokens(guarded.world), fresh_resume]
    stored = all_stored_text(guarded.app)
    assert any(hashlib.sha256(fresh_resume.encode()).hexdigest() in v for v in stored)
    for token in tokens:
        assert not any(token in value for value in stored), "raw token in the database"
    if guarded.sqlite:  # and not in the file's bytes either (WAL included)
        with guarded.app.app_context():
            db.engine.dispose()
        raw = b"".join(
            Path(f"{guarded.file}{s}").read_bytes()
            for s in ("", "-wal")
            if Path(f"{guarded.file}{s}").exists()
        )
        for token in tokens:
            assert token.encode() not in raw


SHARED_LINK_PAGES = ["/r/{t}"]
RESULTS_LINK_PAGES = ["/r/{r}/results", "/r/{r}/results/report.pdf"]


def test_revoked_link_opens_nothing(guarded: Matrix) -> None:
    """A revoked link of either kind answers 410 and says so; a survey link opens no
    results page at all (404): the results link is a link of its own."""
    guarded.restore()
    client = guarded.app.test_client()
    revoked, revoked_results = guarded.world.revoked, guarded.world.results["results_revoked"]
    for path in (*SHARED_LINK_PAGES, *RESULTS_LINK_PAGES):
        response = client.get(path.format(t=revoked, r=revoked_results))
        assert response.status_code == 410, path
        assert "This link was withdrawn" in response.text, path
    for path in RESULTS_LINK_PAGES:
        assert client.get(path.format(r=revoked)).status_code == 404, path
    # posting to it (even with the session's CSRF token) starts nothing
    response = client.post(f"/r/{revoked}", data={"name": "Late"})
    assert response.status_code == 410


@pytest.mark.parametrize("expired", [True, False])
def test_expired_link_is_gone(guarded: Matrix, expired: bool) -> None:
    """A link past `expires_at` answers 410 Gone on every page it opens; before, it works."""
    guarded.restore()
    guarded.dirty = True
    token, results = guarded.world.x_tokens["client"], guarded.world.x_tokens["results"]
    when = utcnow() + (timedelta(minutes=-1) if expired else timedelta(days=1))
    with guarded.app.app_context():
        for link in db.session.scalars(sa.select(ShareLink)):
            link.expires_at = when
        db.session.commit()
        db.session.remove()
    client = guarded.app.test_client()
    for path in (*SHARED_LINK_PAGES, *RESULTS_LINK_PAGES):
        status = client.get(path.format(t=token, r=results)).status_code
        assert status == (410 if expired else 200), (path, status)
    if expired:
        assert "This link has expired" in client.get(f"/r/{token}").text
        assert client.post(f"/r/{token}", data={"name": "Late"}).status_code == 410


def _capability_urls(matrix: Matrix) -> list[tuple[str, str, str]]:
    """(endpoint, persona, url) of every GET route that takes a token, for live and dead tokens."""
    found = []
    for endpoint, rule in sorted(rules(matrix.app).items()):
        if "token" not in rule.arguments or "GET" not in (rule.methods or ()):
            continue
        for persona in ("client_x", "vendor_x", "anonymous", "revoked"):
            found.append((endpoint, persona, url_for_cell(matrix, endpoint, persona)))
    return found


def test_link_pages_keep_tokens_out_of_referers_indexes_and_caches(guarded: Matrix) -> None:
    """Every page reached by a token (shared, resume, invitation; found, unknown or revoked)."""
    guarded.restore()
    seen = set()
    for endpoint, persona, url in _capability_urls(guarded):
        response = client_of(guarded, persona).get(url)
        seen.add(endpoint)
        headers = response.headers
        assert headers.get("Referrer-Policy") == "no-referrer", (endpoint, persona)
        assert "noindex" in headers.get("X-Robots-Tag", ""), (endpoint, persona)
        assert "no-store" in headers.get("Cache-Control", ""), (endpoint, persona)
    assert "auth.accept_invitation" in seen and "respond.page" in seen


@dataclass
class LiveApp:
    url: str
    app: Flask


@pytest.fixture
def served(guarded: Matrix) -> Iterator[LiveApp]:
    """The security world on a real threaded werkzeug server (which writes access logs)."""
    guarded.restore()
    server = make_server("127.0.0.1", 0, guarded.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveApp(f"http://127.0.0.1:{server.server_port}", guarded.app)
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_tokens_never_reach_the_logs_in_full(
    served: LiveApp, guarded: Matrix, caplog: pytest.LogCaptureFixture
) -> None:
    """Access logs of a real server, and the app's error log, show at most a token's head."""
    world = guarded.world
    caplog.set_level(logging.DEBUG)
    statuses = []
    for endpoint, persona, url in _capability_urls(guarded):
        if login_as(persona, world) is None:
            statuses.append((endpoint, _fetch(served.url + url)))
    assert any(code == 200 for _, code in statuses) and any(code == 404 for _, code in statuses)
    messages = [record.getMessage() for record in caplog.records]
    assert any("/r/" in m for m in messages) and any("/invite/" in m for m in messages)
    for token in [*world_tokens(world), UNKNOWN]:
        for message in messages:
            assert token not in message, message


def test_token_of_a_failing_request_is_not_in_the_error_log(
    guarded: Matrix, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A crash on a link page is logged with its path: the token is cut short there too."""
    guarded.restore()
    import survey.respond.views as respond_views

    def boom(*_: Any) -> Any:
        raise RuntimeError("crash")

    monkeypatch.setattr(respond_views, "questionnaire_for", boom)
    guarded.app.config["PROPAGATE_EXCEPTIONS"] = False
    caplog.set_level(logging.DEBUG)
    try:
        token = guarded.world.x_tokens["client"]
        assert guarded.app.test_client().get(f"/r/{token}").status_code == 500
    finally:
        guarded.app.config["PROPAGATE_EXCEPTIONS"] = None
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "/r/" in errors[0].getMessage()
    assert all(token not in r.getMessage() for r in caplog.records)


# --- rate limits --------------------------------------------------------------------------------


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[Flask]:
    """An app with rate limiting on (in-memory storage) and CSRF off."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "limits",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.db'}",
            "SURVEY_INSTANCE": tmp_path / "instance",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SERVER_NAME": "localhost",
        }
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    limiter.enabled = False  # the limiter is process-wide: leave it off for later apps


def _token_rules(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, path template) of every route that takes a token, plus login."""
    found = [("auth.login", "POST", "/login")]
    for rule in app.url_map.iter_rules():
        if "token" not in rule.arguments:
            continue
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        path = rule.rule.replace("<int:number>", "1").replace("<item_id>", "nope")
        found.append((rule.endpoint, method, path))
    return found


def test_login_and_every_token_route_are_rate_limited(limited: Flask) -> None:
    """Guessing tokens: distinct random tokens from one address hit 429 within 600 a minute."""
    client = limited.test_client()
    for number, (endpoint, method, path) in enumerate(_token_rules(limited)):
        codes = []
        # each route from its own address: the token routes share one bucket of misses
        address = {"REMOTE_ADDR": f"198.51.100.{number + 1}"}
        for _ in range(601):
            url = path.replace("<token>", secrets.token_urlsafe(24))
            codes.append(client.open(url, method=method, environ_base=address).status_code)
            if codes[-1] == 429:
                break
        assert codes[-1] == 429, f"{endpoint} is not rate-limited"
        assert len(codes) > 5, f"{endpoint} limits after {len(codes)} requests: too strict"


def test_rate_limit_storage_comes_from_configuration(tmp_path: Path, guarded: Matrix) -> None:
    """In-memory by default; `SURVEY_RATELIMIT_STORAGE=redis://…` makes Redis the storage."""
    from limits.storage import MemoryStorage, RedisStorage

    assert load_config({})["RATELIMIT_STORAGE_URI"] == "memory://"
    assert load_config({})["RATELIMIT_ENABLED"] is True
    url = "redis://127.0.0.1:6399/3"
    assert load_config({"SURVEY_RATELIMIT_STORAGE": url})["RATELIMIT_STORAGE_URI"] == url
    for uri, kind in (("memory://", MemoryStorage), (url, RedisStorage)):
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                "SURVEY_INSTANCE": tmp_path / "instance",
                "RATELIMIT_STORAGE_URI": uri,
            }
        )
        with app.app_context():
            assert isinstance(limiter.storage, kind)
            db.engine.dispose()
    limiter.init_app(guarded.app)  # the limiter is process-wide: hand it back, switched off


# --- 3. CSRF on every state-changing request -------------------------------------------------


@dataclass(frozen=True)
class Post:
    """A POST that would change something: who sends it, with what, and what it does."""

    persona: str
    data: Callable[[World], dict[str, Any]]
    ok: int = 302  # the status with a valid token
    writes: bool = True  # whether, with a valid token, the database changes
    #: Exempt from CSRF on purpose (RFC 8058's one-click unsubscribe is a bare POST): it is
    #: accepted without a token, and the test checks that it is.
    exempt: bool = False


def _nothing(_: World) -> dict[str, Any]:
    return {}


POSTS: dict[str, Post] = {
    "auth.login": Post(
        "anonymous", lambda w: {"email": "dana@acme.example", "password": PASSWORD}, writes=False
    ),
    "auth.logout": Post("vendor_a", _nothing),  # ends the user's sessions: a new version
    "auth.account": Post(
        "vendor_a",
        lambda w: {
            "current": PASSWORD,
            "password": "a new long password",
            "confirm": "a new long password",
        },
    ),
    "auth.end_sessions": Post("vendor_a", _nothing),
    "auth.signup": Post(
        "anonymous",
        lambda w: {
            "organisation": "Evil Corp",
            "name": "Eve",
            "email": "eve@evil.example",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    ),
    "auth.change_name": Post("vendor_a", lambda w: {"name": "Dana Renamed"}),
    "auth.team": Post("vendor_a", lambda w: {"email": "pat@acme.example"}, ok=200),
    "auth.revoke_invitation": Post("vendor_a", _nothing),
    "auth.remove_member": Post("vendor_a", _nothing),
    "auth.change_role": Post("vendor_a", lambda w: {"role": "admin"}),
    # a known address: the reset mail is written to the outbox
    "auth.forgot_password": Post("anonymous", lambda w: {"email": "dana@acme.example"}, ok=200),
    "auth.reset_password": Post(
        "anonymous",
        lambda w: {"password": "a long enough password", "confirm": "a long enough password"},
    ),
    "auth.accept_invitation": Post(
        "anonymous",
        lambda w: {
            "name": "Pat",
            "password": "a long enough password",
            "confirm": "a long enough password",
        },
    ),
    "workspace.new_review": Post(
        "vendor_a", lambda w: {"questionnaire": "vendor-value-review", "client_name": "Soylent"}
    ),
    "workspace.close": Post("vendor_a", _nothing),
    "workspace.reopen": Post("vendor_a", _nothing, writes=False),
    "workspace.revoke_link": Post("vendor_a", _nothing),
    "workspace.reissue_link": Post("vendor_a", _nothing),
    "workspace.set_link_expiry": Post("vendor_a", lambda w: {"client-expires_on": "2099-01-31"}),
    "workspace.set_due": Post("vendor_a", lambda w: {"due_on": "2099-01-31"}),
    "workspace.set_client_value": Post("vendor_a", lambda w: {"yearly_value": "1000"}),
    "workspace.set_confidentiality": Post(  # review X has answers: locked, so nothing changes
        "vendor_a",
        lambda w: {"confidentiality-anonymity_threshold": "5"},
        writes=False,
    ),
    "respond.welcome": Post("client_x", lambda w: {"name": "Mallory"}),
    "respond.invited": Post("anonymous", lambda w: {"name": "Ivy"}),
    "respond.stop_reminders": Post(
        "anonymous", lambda w: {"List-Unsubscribe": "One-Click"}, ok=200, exempt=True
    ),
    "workspace.add_invitee": Post(
        "vendor_a",
        lambda w: {
            "client-name": "Olu",
            "client-email": "olu@globex.example",
            "client-stake": "user",
        },
    ),
    "workspace.remove_invitee": Post("vendor_a", _nothing),
    "workspace.remind": Post("vendor_a", _nothing),
    "workspace.set_reminder_schedule": Post("vendor_a", lambda w: {"schedule-days_before": "3"}),
    "respond.page": Post(
        "client_x", lambda w: {"recommend": "3", "what-would-change": "Steady", "nav": "next"}
    ),
    "respond.autosave": Post(
        "client_x", lambda w: {"_page": "1", "recommend": "3", "what-would-change": "Calm"}, ok=200
    ),
    "respond.review": Post("client_x", _nothing, ok=422, writes=False),
    "results.decide_pending": Post("vendor_a", lambda w: {"decision": "decline"}),
    "results.edit_pending": Post(
        "vendor_a",
        lambda w: {
            f"k-{w.pending_x.replace(':', '-')}-title": "Visit monthly",
            f"k-{w.pending_x.replace(':', '-')}-owner": "vendor",
        },
    ),
    "results.accept_suggested": Post("vendor_a", _nothing),
    "results.decline_rest": Post("vendor_a", _nothing),
    "results.decide_item": Post("vendor_a", lambda w: {"decision": "decline"}),
    "results.add": Post(
        "vendor_a", lambda w: {"new-title": "Quarterly visit", "new-owner": "joint"}
    ),
    "results.edit": Post(
        "vendor_a",
        lambda w: {"title": "Meet every month", "owner": "vendor", "status": "planned"},
    ),
    "results.comment": Post("vendor_a", lambda w: {f"c-{w.item_x}-text": "Agreed."}),
    "results.next_review": Post("vendor_a", lambda w: {"next_review_on": "2099-06-30"}),
    "results.respond": Post("vendor_a", lambda w: {f"r-{w.item_x}-response": "Yes, monthly."}),
    "results.share": Post("vendor_a", _nothing, writes=False),  # X is shared already
    "results.unshare": Post("vendor_a", _nothing),
    "shared_results.shared_comment": Post(
        "results_x", lambda w: {f"c-{w.item_x}-text": "Fine by us."}
    ),
    "shared_results.shared_propose": Post("results_x", lambda w: {"propose-title": "Joint KPIs"}),
}

#: A page each persona can open that carries a form, to take a valid CSRF token from.
TOKEN_SOURCE = {"anonymous": "/login", "vendor_a": "/team"}


def _valid_csrf(matrix: Matrix, client: FlaskClient, persona: str) -> str:
    source = TOKEN_SOURCE.get(persona) or f"/r/{token_for(persona, 'link', matrix.world)}"
    if persona in matrix.world.results:  # a results link opens its results page only
        source += "/results"
    return csrf_of(client.get(source).get_data(as_text=True))


def test_every_post_route_has_a_csrf_case(guarded: Matrix) -> None:
    posting = {e for e, r in rules(guarded.app).items() if "POST" in (r.methods or ())}
    assert posting == set(POSTS)


@pytest.mark.parametrize("endpoint", sorted(POSTS))
def test_post_without_csrf_token_is_refused_and_saves_nothing(
    guarded: Matrix, endpoint: str
) -> None:
    """400 and not one row changed; the same post with a valid token is accepted."""
    case = POSTS[endpoint]
    guarded.restore()
    guarded.dirty = True
    url = url_for_cell(guarded, endpoint, case.persona)
    client = client_of(guarded, case.persona)
    before = database_fingerprint(guarded.app)
    if case.exempt:
        response = client.post(url, data=case.data(guarded.world))
        assert response.status_code == case.ok, endpoint
        assert database_fingerprint(guarded.app) != before, endpoint
        return
    for forged in ({}, {"csrf_token": "forged"}):
        response = client.post(url, data={**case.data(guarded.world), **forged})
        assert response.status_code == 400, (endpoint, forged)
        assert database_fingerprint(guarded.app) == before, f"{endpoint} wrote without a token"
    if endpoint in ("auth.logout", "auth.login"):  # the session did not change either
        expected = 200 if endpoint == "auth.logout" else 302
        assert client.get("/").status_code == expected
    token = _valid_csrf(guarded, client, case.persona)
    response = client.post(url, data={**case.data(guarded.world), "csrf_token": token})
    assert response.status_code == case.ok, response.get_data(as_text=True)[:2000]
    assert (database_fingerprint(guarded.app) != before) is case.writes, endpoint


def test_respondent_page_without_token_keeps_the_answer_on_screen_only(guarded: Matrix) -> None:
    """The respond pages re-render what was posted (not saved) and save after re-posting."""
    guarded.restore()
    guarded.dirty = True
    client = client_of(guarded, "client_x")
    url = url_for_cell(guarded, "respond.page", "client_x")
    before = database_fingerprint(guarded.app)
    response = client.post(
        url, data={"recommend": "3", "what-would-change": "Unsaved-word", "nav": "next"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Unsaved-word" in body
    assert "we kept your answers" in body
    assert database_fingerprint(guarded.app) == before
    response = client.post(
        url,
        data={
            "recommend": "3",
            "what-would-change": "Unsaved-word",
            "nav": "next",
            "csrf_token": csrf_of(body),
        },
    )
    assert response.status_code == 302
    assert any("Unsaved-word" in v for v in all_stored_text(guarded.app))


# --- cookies ------------------------------------------------------------------------------------


def _cookie_headers(response: Any, name: str) -> list[str]:
    """Set-Cookie headers of cookies whose name starts with `name`."""
    return [h for h in response.headers.getlist("Set-Cookie") if h.split("=")[0].startswith(name)]


@pytest.mark.parametrize("https", ["1", "0"])
def test_cookies_are_httponly_samesite_lax_and_secure_behind_https(
    monkeypatch: pytest.MonkeyPatch, guarded: Matrix, tmp_path: Path, https: str
) -> None:
    """Session and resume cookies; `Secure` exactly when SURVEY_HTTPS=1."""
    guarded.restore()
    monkeypatch.setenv("SURVEY_HTTPS", https)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "matrix-secret",
            "SQLALCHEMY_DATABASE_URI": guarded.url,
            "SURVEY_INSTANCE": tmp_path / "instance",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    guarded.dirty = True
    try:
        client = app.test_client()
        login = client.post("/login", data={"email": "dana@acme.example", "password": PASSWORD})
        start = client.post(f"/r/{guarded.world.x_tokens['client']}", data={"name": "Hiro"})
        cookies = _cookie_headers(login, "session") + _cookie_headers(start, "rapport_resume_")
        assert len(cookies) == 2, login.headers
        for header in cookies:
            flags = [part.strip().lower() for part in header.split(";")]
            assert "httponly" in flags and "samesite=lax" in flags, header
            assert ("secure" in flags) is (https == "1"), header
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_https_setting_comes_from_the_environment() -> None:
    assert load_config({"SURVEY_HTTPS": "1"})["SESSION_COOKIE_SECURE"] is True
    assert load_config({"SURVEY_HTTPS": "0"})["SESSION_COOKIE_SECURE"] is False
    production = {
        "SURVEY_ENV": "production",
        "SURVEY_SECRET_KEY": "s" * 40,
        "SURVEY_RATELIMIT_STORAGE": "redis://localhost:6379",  # required in production
    }
    assert load_config(production)["SESSION_COOKIE_SECURE"] is True  # production defaults on


# --- headers on every page ----------------------------------------------------------------------

CSP_MUST = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)


def _check_headers(headers: Any, where: str) -> None:
    csp = headers.get("Content-Security-Policy", "")
    for part in CSP_MUST:
        assert part in csp, (where, part)
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"):
        assert loose not in csp, (where, loose)
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer"), where


def test_every_page_sends_a_strict_content_security_policy(guarded: Matrix) -> None:
    """Every GET route, as each persona (pages, downloads, redirects and error pages)."""
    guarded.restore()
    checked = 0
    for endpoint, row in sorted(EXPECTED.items()):
        if row.get is None or endpoint.endswith("pdf"):
            continue
        for persona in PERSONAS:
            response = client_of(guarded, persona).get(url_for_cell(guarded, endpoint, persona))
            assert response.status_code == row.get[persona], (endpoint, persona)
            _check_headers(response.headers, f"{endpoint} as {persona}")
            checked += 1
    response = client_of(guarded, "vendor_a").get(
        url_for_cell(guarded, "results.vendor_pdf", "vendor_a")
    )
    _check_headers(response.headers, "PDF")
    assert checked > 100


# --- templates: nothing that would need 'unsafe-inline' or bypass escaping ---------------------

TEMPLATE_RULES = {
    "a |safe filter": re.compile(r"\|\s*safe\b"),
    "autoescape switched off": re.compile(r"autoescape\s+(false|off)", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "an inline <script>": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "a javascript: URL": re.compile(r"=\s*[\"']?\s*javascript:", re.I),
}


def template_problems(text: str) -> list[str]:
    return [name for name, pattern in TEMPLATE_RULES.items() if pattern.search(text)]


def test_template_scan_catches_what_it_should() -> None:
    assert template_problems("{{ answer|safe }}") == ["a |safe filter"]
    assert template_problems('<p style="color:red">') == ["a style attribute"]
    assert template_problems("<script>alert(1)</script>") == ["an inline <script>"]
    assert template_problems('<img onerror="x">') == ["an event handler attribute"]
    assert template_problems('<a href="javascript:go()">') == ["a javascript: URL"]
    assert template_problems('<script src="/static/js/a.js" defer></script>') == []
    assert template_problems('<a href="{{ url }}" data-copy="x">') == []


def test_templates_need_no_inline_script_or_style_and_never_bypass_escaping() -> None:
    found = {
        str(path.relative_to(TEMPLATES)): problems
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (problems := template_problems(path.read_text()))
    }
    # Mail is read in mail clients, not served under the app's CSP: inline styles are the
    # only styles most clients keep. Nothing else is allowed there either.
    mail = {name: problems for name, problems in found.items() if name.startswith("mail/")}
    assert all(problems == ["a style attribute"] for problems in mail.values())
    assert not {name: problems for name, problems in found.items() if name not in mail}


def test_only_chart_svg_is_trusted_markup() -> None:
    """Markup that skips escaping exists only in the charts, which escape every text they draw."""
    trusted = {"survey/domain/charts/svg.py"}
    for path in sorted((ROOT / "survey").rglob("*.py")):
        text = path.read_text()
        name = str(path.relative_to(ROOT))
        if re.search(r"\bMarkup\(|def __html__|\|safe", text) and name not in trusted:
            pytest.fail(f"{name} makes markup that skips escaping")


def test_autoescape_is_on_for_every_template(guarded: Matrix) -> None:
    choose = guarded.app.jinja_env.autoescape
    assert callable(choose)
    for path in TEMPLATES.rglob("*.html"):
        assert choose(str(path.relative_to(TEMPLATES))), path
