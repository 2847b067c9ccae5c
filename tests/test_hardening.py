"""What an independent security probe broke (issue 16), one regression test or more per break.

Each test here failed on the code the probe ran against and passes with its fix; the
revocation bypass (break 1) is in the authorization matrix and in tests/test_ux_fixes.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import MadeReview, Persona
from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import Client, Review

DATA = Path(__file__).parent / "data"
RESPOND_TEST = DATA / "respond" / "respond-test.yaml"
SURVEY = Path(sys.executable).parent / "survey"
FLAGSHIP = "vendor-value-review"


@pytest.fixture
def acme(client: FlaskClient, vendor_a: Persona, login: Callable[..., None]) -> Persona:
    """Vendor A, logged in on `client`."""
    login(client, vendor_a)
    return vendor_a


def _survey(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SURVEY), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )


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
    done = _survey("score", DATA / "scoring" / "small.yaml", answers, cwd=tmp_path)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert str(answers) in done.stderr
    assert len(done.stderr) < 400  # the message quotes the number cut short, if at all


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
    done = _survey("check", "/dev/zero", cwd=tmp_path)
    assert (datetime.now(UTC) - started).total_seconds() < 30
    assert done.returncode == 1
    assert "/dev/zero:1:1: the file holds more than 1 MiB" in done.stdout
