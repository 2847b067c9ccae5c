"""Vendor accounts: sign-up, log-in and out, passwords, invitations, rate limit, CSRF."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import check_password_hash

from survey import create_app
from survey.extensions import db
from survey.models import Invitation, Organisation, User, hash_token

SIGNUP = {
    "organisation": "Acme Analytics",
    "name": "Dana",
    "email": "Dana@Acme.example ",
    "password": "a long enough password",
    "confirm": "a long enough password",
}


def test_signup_creates_organisation_then_asks_to_log_in(app: Flask, client: FlaskClient) -> None:
    response = client.post("/signup", data=SIGNUP)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?email=dana@acme.example"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Next, log in with dana@acme.example" in page
    assert 'value="dana@acme.example"' in page  # the email is filled in
    assert client.get("/").status_code == 302  # not logged in yet
    client.post("/login", data={"email": SIGNUP["email"], "password": SIGNUP["password"]})
    assert "Acme Analytics" in client.get("/").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert user is not None
        assert user.email == "dana@acme.example"
        assert user.organisation.name == "Acme Analytics"


def test_password_is_stored_hashed(app: Flask, client: FlaskClient) -> None:
    client.post("/signup", data=SIGNUP)
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert user is not None
        assert SIGNUP["password"] not in user.password_hash
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
        assert check_password_hash(user.password_hash, SIGNUP["password"])


def test_signup_validation_messages_next_to_fields(client: FlaskClient) -> None:
    data = {**SIGNUP, "email": "not-an-email", "password": "short", "confirm": "different"}
    response = client.post("/signup", data={**data, "organisation": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter your organisation&#39;s name." in page
    assert "Enter an email address like name@example.com." in page
    assert "Use at least 10 characters." in page
    assert "The two passwords are not the same." in page
    assert 'href="#email"' in page  # the error summary links to the field
    assert 'id="email-error"' in page
    assert 'aria-describedby="email-error"' in page
    assert 'aria-invalid="true"' in page


def test_signup_with_a_taken_email_answers_as_for_a_new_one_and_changes_nothing(
    app: Flask, vendor_a: Any
) -> None:
    """No enumeration: the same redirect and message, and the account stays as it was."""
    answers = []
    for email in ("fresh@acme.example", vendor_a.email.upper()):
        client = app.test_client()
        response = client.post("/signup", data={**SIGNUP, "email": email})
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        message = re.search(r'<p class="flash flash-success">([^<]*)</p>', page)
        assert message
        answers.append((response.status_code, message.group(1).replace(email.lower(), "…")))
    assert answers[0] == answers[1]
    with app.app_context():
        dana = db.session.scalar(sa.select(User).where(User.email == vendor_a.email))
        assert dana is not None and dana.organisation.name == vendor_a.organisation
        assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 2


def test_signup_can_be_switched_off(tmp_path: Path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'off.db'}",
            "SURVEY_INSTANCE": tmp_path,
            "SURVEY_SIGNUP": False,
        }
    )
    assert app.test_client().get("/signup").status_code == 404


def test_login_and_logout(client: FlaskClient, vendor_a: Any) -> None:
    response = client.post("/login", data={"email": vendor_a.email, "password": vendor_a.password})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/logout").status_code == 405  # logging out needs a POST
    response = client.post("/logout")
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_session_keeps_public_id_not_primary_key(vendor_client: FlaskClient, vendor_a: Any) -> None:
    with vendor_client.session_transaction() as session:
        assert session["_user_id"] == f"{vendor_a.public_id}.1"  # and the session version


def test_wrong_password_and_unknown_email_get_one_message(
    client: FlaskClient, vendor_a: Any
) -> None:
    message = "That email and password do not match an account."
    wrong = client.post("/login", data={"email": vendor_a.email, "password": "nope nope nope"})
    unknown = client.post(
        "/login", data={"email": "who@nowhere.example", "password": vendor_a.password}
    )
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_pages_need_login_and_come_back_after(client: FlaskClient, vendor_a: Any) -> None:
    response = client.get("/reviews/new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Freviews%2Fnew"
    response = client.post(
        "/login?next=%2Freviews%2Fnew",
        data={"email": vendor_a.email, "password": vendor_a.password},
    )
    assert response.headers["Location"] == "/reviews/new"


def test_login_never_redirects_to_another_site(client: FlaskClient, vendor_a: Any) -> None:
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.post(
            "/login",
            query_string={"next": target},
            data={"email": vendor_a.email, "password": vendor_a.password},
        )
        assert response.headers["Location"] == "/", target
        client.post("/logout")


def test_invitation_joins_the_same_organisation(
    app: Flask, vendor_client: FlaskClient, vendor_a: Any
) -> None:
    page = vendor_client.post("/team", data={"email": "sam@acme.example"}).get_data(as_text=True)
    assert "Invitation sent to sam@acme.example." in page
    link = page.split('id="invite-link" value="')[1].split('"')[0]
    path = link.removeprefix("http://localhost")
    assert path.startswith("/invite/")
    with app.app_context():
        stored = db.session.scalar(sa.select(Invitation))
        assert stored is not None
        assert stored.token_hash == hash_token(path.removeprefix("/invite/"))
        assert path.removeprefix("/invite/") not in stored.token_hash
    vendor_client.post("/logout")

    invited = app.test_client()
    assert "Join Acme Analytics" in invited.get(path).get_data(as_text=True)
    response = invited.post(
        path, data={"name": "Sam", "password": "another long one", "confirm": "another long one"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?email=sam@acme.example"
    invited.post("/login", data={"email": "sam@acme.example", "password": "another long one"})
    assert "Sam" in invited.get("/team").get_data(as_text=True)
    with app.app_context():
        sam = db.session.scalar(sa.select(User).where(User.email == "sam@acme.example"))
        assert sam is not None
        assert sam.organisation_id == vendor_a.organisation_id
        assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 1
    assert app.test_client().get(path).status_code == 404  # used once only


def test_unknown_invitation_is_not_found(client: FlaskClient) -> None:
    assert client.get("/invite/not-a-real-token").status_code == 404


def test_an_invitation_says_nothing_of_accounts_elsewhere(
    app: Flask, vendor_client: FlaskClient, vendor_a: Any, vendor_b: Any
) -> None:
    """Inviting bill@initech answers as for anyone; accepting makes nothing, and says so
    in the same words as for a new account. Only one's own team is named (it is listed)."""
    page = vendor_client.post("/team", data={"email": vendor_b.email}).get_data(as_text=True)
    assert f"Invitation sent to {vendor_b.email}." in page
    link = page.split('id="invite-link" value="')[1].split('"')[0]
    path = link.removeprefix("http://localhost")
    accepted = app.test_client().post(
        path, data={"name": "Bill", "password": "another long one", "confirm": "another long one"}
    )
    assert accepted.headers["Location"] == f"/login?email={vendor_b.email}"
    with app.app_context():
        bill = db.session.scalar(sa.select(User).where(User.email == vendor_b.email))
        assert bill is not None and bill.organisation.name == "Initech"
    assert app.test_client().get(path).status_code == 404  # used up all the same
    own = vendor_client.post("/team", data={"email": vendor_a.email}).get_data(as_text=True)
    assert f"{vendor_a.email} is already in your team." in own
    assert 'id="invite-link"' not in own


def test_team_lists_only_own_organisation(
    vendor_client: FlaskClient, make_user: Callable, vendor_b: Any
) -> None:
    colleague = make_user("Acme Analytics", name="Colleague Carla")
    page = vendor_client.get("/team").get_data(as_text=True)
    assert colleague.name in page
    assert vendor_b.email not in page


def database_url(tmp_path: Path) -> str:
    return os.environ.get("SURVEY_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"


def _app(tmp_path: Path, **config: object) -> Flask:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
            "SURVEY_INSTANCE": tmp_path / "instance",
            "SERVER_NAME": "localhost",
            **config,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def _drop(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def test_login_is_rate_limited(tmp_path: Path) -> None:
    app = _app(tmp_path, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True)
    try:
        client = app.test_client()
        codes = [
            client.post("/login", data={"email": "x@y.example", "password": "p"}).status_code
            for _ in range(11)
        ]
        assert codes[:10] == [200] * 10
        assert codes[10] == 429
        assert "Too many attempts" in client.post("/login", data={}).get_data(as_text=True)
        assert client.get("/login").status_code == 200  # only POSTs count
    finally:
        _drop(app)


def test_forms_need_a_csrf_token(tmp_path: Path) -> None:
    app = _app(tmp_path, WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    try:
        client = app.test_client()
        response = client.post("/signup", data=SIGNUP)
        assert response.status_code == 400
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
    finally:
        _drop(app)


def test_passwords_use_scrypt_unless_told_otherwise(app: Flask) -> None:
    from survey.auth.operations import hash_password

    with app.app_context():
        assert hash_password("x" * 12).startswith("pbkdf2:sha256:1000$")  # the test setting
        del app.config["SURVEY_PASSWORD_HASH"]
        assert hash_password("x" * 12).startswith("scrypt:")
