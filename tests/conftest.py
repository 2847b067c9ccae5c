"""Shared fixtures: an app with a fresh database per test, its client and CLI runner.

Set SURVEY_TEST_DATABASE_URL to a PostgreSQL URL to run the suite against PostgreSQL
(`make test` does so when CI is set); otherwise each test gets its own SQLite file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from factories import FLAGSHIP, PASSWORD, MadeRespondent, MadeReview, Persona, persona_of
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from survey import create_app
from survey.auth import operations as auth_ops
from survey.disclosure import Confidentiality
from survey.extensions import db
from survey.models import Organisation, Review, User
from survey.workspace import operations as workspace_ops

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = PROJECT_ROOT / "questionnaires"


def database_url(tmp_path: Path) -> str:
    """PostgreSQL when the environment names one, else a SQLite file for this test."""
    return os.environ.get("SURVEY_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh, empty database (tables made from the models).

    Parametrize it indirectly with a dict to add settings:
    ``@pytest.mark.parametrize("app", [{"SURVEY_PROXY_HOPS": 1}], indirect=True)``.
    """
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
            "SURVEY_INSTANCE": tmp_path / "instance",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "localhost",
            "SURVEY_PASSWORD_HASH": "pbkdf2:sha256:1000",  # fast; production uses scrypt
            **getattr(request, "param", {}),
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


# --- personas and factories --------------------------------------------------------------
#
# Factories are fixtures that return plain callables. Each call opens its own app context
# and returns a frozen snapshot of tests/factories.py (ids, names, raw tokens) rather than
# an ORM object, so a test never holds an object bound to a closed session. Query the
# database inside `with app.app_context():` when a test needs the live rows.


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Persona]:
    """Factory: `make_user(org_name="Acme Analytics", name=..., email=...)`.

    A new organisation is made unless one of that name already exists (then the user
    joins it), so two calls with the same `org_name` give two colleagues.
    """
    counter = iter(range(1, 10_000))

    def make(
        org_name: str = "Acme Analytics",
        name: str | None = None,
        email: str | None = None,
        password: str = PASSWORD,
    ) -> Persona:
        n = next(counter)
        with app.app_context():
            org = db.session.scalar(sa.select(Organisation).where(Organisation.name == org_name))
            name = name or f"User {n}"
            email = email or f"user{n}@{org_name.split()[0].lower()}.example"
            if org is None:
                user = auth_ops.create_account(org_name, name, email, password)
            else:
                user = auth_ops.add_user(org, name, email, password)
            return persona_of(user)

    return make


@pytest.fixture
def login() -> Callable[[FlaskClient, Persona], None]:
    """Log a test client in as a persona through the real login form."""

    def do_login(client: FlaskClient, user: Persona) -> None:
        response = client.post("/login", data={"email": user.email, "password": user.password})
        assert response.status_code == 302, response.get_data(as_text=True)

    return do_login


@pytest.fixture
def vendor_client(
    client: FlaskClient, login: Callable[..., None], vendor_a: Persona
) -> FlaskClient:
    """The test client, logged in as vendor A (Dana of Acme Analytics) through the login form."""
    login(client, vendor_a)
    return client


@pytest.fixture
def make_review(app: Flask) -> Callable[..., MadeReview]:
    """Factory: `make_review(user, questionnaire_id=FLAGSHIP, client_name="Globex")`.

    `names_to_other_side` and `anonymity_threshold` are the review's confidentiality
    (the defaults of a new review when not given).

    `questionnaire_path` loads a file instead of using the catalogue (e.g. a file in
    tests/data/questionnaires/).
    """

    def make(
        user: Persona,
        questionnaire_id: str = FLAGSHIP,
        client_name: str = "Globex",
        due_on: date | None = None,
        questionnaire_path: Path | None = None,
        names_to_other_side: bool = False,
        anonymity_threshold: int = 3,
    ) -> MadeReview:
        from survey.domain.loader import load_file
        from survey.questionnaires import catalogue

        with app.app_context():
            loaded = (
                load_file(questionnaire_path)
                if questionnaire_path
                else catalogue()[questionnaire_id]
            )
            owner = db.session.get(User, user.id)
            assert owner is not None
            review, tokens = workspace_ops.start_review(
                owner.organisation,
                owner,
                loaded.questionnaire,
                loaded.source,
                client_name,
                due_on,
                Confidentiality(names_to_other_side, anonymity_threshold),
            )
            return MadeReview(review.id, review.public_id, review.client_name, tokens)

    return make


@pytest.fixture
def make_respondent(app: Flask) -> Callable[..., MadeRespondent]:
    """Factory: `make_respondent(review, party="client", name=None, role=None,
    answers=None, submit=False)` through the respond operations.

    `answers` are what a respondent gives (raw values or labels by question id).
    """

    def make(
        review: MadeReview,
        party: str = "client",
        name: str | None = None,
        role: str | None = None,
        answers: dict[str, Any] | None = None,
        submit: bool = False,
    ) -> MadeRespondent:
        from survey.questionnaires import questionnaire_for
        from survey.respond import operations as respond_ops

        with app.app_context():
            row = db.session.get(Review, review.id)
            assert row is not None
            link = row.current_link(party)
            assert link is not None
            respondent, token = respond_ops.start_response(link, name, role)
            questionnaire = questionnaire_for(row)
            if answers:
                respond_ops.save_answers(respondent, questionnaire, answers)
            if submit:
                respond_ops.submit_response(respondent, questionnaire)
            return MadeRespondent(respondent.id, respondent.public_id, party, token)

    return make


@pytest.fixture
def share_results(app: Flask) -> Callable[[MadeReview], None]:
    """`share_results(review)`: the vendor shares the results with the client (staged reveal)."""

    def share(review: MadeReview) -> None:
        from survey.results import operations as results_ops

        with app.app_context():
            row = db.session.get(Review, review.id)
            assert row is not None
            results_ops.share_results(row, results_ops.Actor(user=row.created_by))

    return share


@pytest.fixture
def vendor_a(make_user: Callable[..., Persona]) -> Persona:
    """Persona: a vendor user of Acme Analytics."""
    return make_user("Acme Analytics", name="Dana Vendor", email="dana@acme.example")


@pytest.fixture
def vendor_b(make_user: Callable[..., Persona]) -> Persona:
    """Persona: a vendor user of another organisation, Initech."""
    return make_user("Initech", name="Bill Other", email="bill@initech.example")


@pytest.fixture
def client_respondent(
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., MadeRespondent],
) -> tuple[MadeReview, MadeRespondent]:
    """Persona: a client respondent who has started answering vendor A's review."""
    review = make_review(vendor_a)
    return review, make_respondent(review, "client", name="Hiro", role="Head of operations")


# --- mail ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def smtp_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from smtp_box import make_certificate

    return make_certificate(tmp_path_factory.mktemp("smtp"))


@pytest.fixture
def smtp_server(smtp_certificate: tuple[Path, Path]) -> Iterator[Any]:
    """A real SMTP server (STARTTLS, login) for this test; see tests/smtp_box.py."""
    from smtp_box import SmtpServer

    server = SmtpServer(*smtp_certificate)
    server.start()
    yield server
    server.stop()
