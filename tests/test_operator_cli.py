"""Operator commands: reset-password, export-org, delete-review, delete-client."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from factories import MadeRespondent, MadeReview, Persona
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from test_respond import QUESTIONNAIRE
from werkzeug.security import check_password_hash

from survey.cli import main
from survey.extensions import db
from survey.models import (
    ActionComment,
    ActionItem,
    Answer,
    Client,
    Organisation,
    Respondent,
    Review,
    ShareLink,
    User,
)

NEW_PASSWORD = "a brand new password"
#: Every required answer of the small respond-test questionnaire (client side).
ALL_REQUIRED = {
    "knows-priorities": 4,
    "last-contacts": ["Adding value"],
    "recommend": 8,
    "main-channel": "Email",
    "renew": "Yes, renew",
}


def _plan_item(app: Flask, review: MadeReview, title: str) -> None:
    with app.app_context():
        item = ActionItem(review_id=review.id, source="vendor", title=title, owner="joint")
        db.session.add(item)
        db.session.flush()
        db.session.add(ActionComment(item_id=item.id, text="Agreed on the call", via_link=True))
        db.session.commit()


def _count(model: type) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


# --- reset-password ---------------------------------------------------------------------------


def test_reset_password_asks_hidden_sets_it_and_ends_other_sessions(
    app: Flask,
    runner: FlaskCliRunner,
    vendor_client: FlaskClient,
    vendor_a: Persona,
) -> None:
    assert vendor_client.get("/").status_code == 200
    result = runner.invoke(
        main, ["reset-password", vendor_a.email.upper()], input=f"{NEW_PASSWORD}\n" * 2
    )
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    with app.app_context():
        user = db.session.get(User, vendor_a.id)
        assert user is not None and check_password_hash(user.password_hash, NEW_PASSWORD)
    assert vendor_client.get("/").status_code == 302  # the old session has ended
    response = vendor_client.post(
        "/login", data={"email": vendor_a.email, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_reset_password_refuses_unknown_email_and_short_password(
    runner: FlaskCliRunner, vendor_a: Persona
) -> None:
    unknown = runner.invoke(main, ["reset-password", "nobody@x.example", "--password", "x" * 20])
    assert unknown.exit_code != 0 and "No account" in unknown.output
    short = runner.invoke(main, ["reset-password", vendor_a.email, "--password", "short"])
    assert short.exit_code != 0 and "at least" in short.output


# --- export-org ---------------------------------------------------------------------------------


def test_export_org_writes_answers_and_plan_of_every_review(
    app: Flask,
    runner: FlaskCliRunner,
    tmp_path: Path,
    vendor_a: Persona,
    vendor_b: Persona,
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    first = make_review(
        vendor_a,
        client_name="Globex",
        questionnaire_path=QUESTIONNAIRE,
        names_to_other_side=True,
        anonymity_threshold=1,
    )
    second = make_review(vendor_a, client_name="Initrode")
    other = make_review(vendor_b, client_name="Umbrella")
    make_respondent(first, "client", name="Hiro", answers=ALL_REQUIRED, submit=True)
    _plan_item(app, first, "Quarterly review call")
    target = tmp_path / "acme.zip"
    result = runner.invoke(main, ["export-org", "Acme Analytics", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "2 reviews" in result.output
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        index = json.loads(archive.read("index.json"))
        answers = json.loads(archive.read(f"reviews/{first.public_id}/answers.json"))
        plan = json.loads(archive.read(f"reviews/{first.public_id}/plan.json"))
    assert {r["id"] for r in index["reviews"]} == {first.public_id, second.public_id}
    assert f"reviews/{second.public_id}/plan.json" in names
    assert not any(other.public_id in name for name in names)  # another organisation's
    assert "Hiro" in json.dumps(answers, ensure_ascii=False)  # the setting lets the vendor
    assert answers["includes"][0] == "Made for Acme Analytics."
    assert [i["title"] for i in plan["items"]] == ["Quarterly review call"]
    assert plan["items"][0]["comments"][0]["text"] == "Agreed on the call"


def test_export_org_keeps_the_confidentiality_the_vendor_is_held_to(
    app: Flask,
    runner: FlaskCliRunner,
    tmp_path: Path,
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    review = make_review(vendor_a, client_name="Globex", questionnaire_path=QUESTIONNAIRE)
    make_respondent(review, "client", name="Hiro", answers=ALL_REQUIRED, submit=True)
    target = tmp_path / "acme.zip"
    assert runner.invoke(main, ["export-org", "Acme Analytics", "-o", str(target)]).exit_code == 0
    with zipfile.ZipFile(target) as archive:
        answers = json.loads(archive.read(f"reviews/{review.public_id}/answers.json"))
    assert "Hiro" not in json.dumps(answers, ensure_ascii=False)  # one client person, below 3
    assert answers["client"]["respondents"] == []


def test_export_org_by_public_id_and_unknown_name(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, vendor_a: Persona
) -> None:
    with app.app_context():
        org = db.session.get(Organisation, vendor_a.organisation_id)
        assert org is not None
        public_id = org.public_id
    target = tmp_path / "by-id.zip"
    assert runner.invoke(main, ["export-org", public_id, "-o", str(target)]).exit_code == 0
    assert zipfile.ZipFile(target).namelist() == ["index.json"]
    missing = runner.invoke(main, ["export-org", "No Such Org", "-o", str(target)])
    assert missing.exit_code != 0 and "No organisation" in missing.output


# --- delete-review, delete-client -------------------------------------------------------------


def test_delete_review_asks_first_and_keeps_it_on_no(
    app: Flask,
    runner: FlaskCliRunner,
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
) -> None:
    review = make_review(vendor_a)
    result = runner.invoke(main, ["delete-review", review.public_id], input="n\n")
    assert result.exit_code != 0 and "for good?" in result.output
    with app.app_context():
        assert db.session.get(Review, review.id) is not None


def test_delete_review_removes_respondents_answers_links_and_plan(
    app: Flask,
    runner: FlaskCliRunner,
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    doomed = make_review(vendor_a, client_name="Globex", questionnaire_path=QUESTIONNAIRE)
    kept = make_review(vendor_a, client_name="Initrode", questionnaire_path=QUESTIONNAIRE)
    for review in (doomed, kept):
        make_respondent(review, "client", name="Hiro", answers={"recommend": 9})
        _plan_item(app, review, "Call")
    result = runner.invoke(main, ["delete-review", doomed.public_id], input="y\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(Review, doomed.id) is None
        assert db.session.get(Review, kept.id) is not None
        assert (_count(Respondent), _count(Answer), _count(ActionItem)) == (1, 1, 1)
        assert _count(ActionComment) == 1
        assert _count(ShareLink) == 3  # the kept review's links: two survey links, one results


def test_delete_client_with_yes_removes_its_reviews_only(
    app: Flask,
    runner: FlaskCliRunner,
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    first = make_review(vendor_a, client_name="Globex")
    again = make_review(vendor_a, client_name="Globex")  # a second round for the same client
    other = make_review(vendor_a, client_name="Initrode")
    make_respondent(first, "client", name="Hiro", answers={"recommend": 9})
    _plan_item(app, again, "Call")
    with app.app_context():
        row = db.session.get(Review, first.id)
        assert row is not None and row.client_id == db.session.get(Review, again.id).client_id  # type: ignore[union-attr]
        client_id = row.client.public_id
    result = runner.invoke(main, ["delete-client", client_id, "--yes"])
    assert result.exit_code == 0, result.output
    assert "2 reviews" in result.output
    with app.app_context():
        assert [r.id for r in db.session.scalars(sa.select(Review))] == [other.id]
        assert [c.name for c in db.session.scalars(sa.select(Client))] == ["Initrode"]
        assert (_count(Respondent), _count(ActionItem), _count(ActionComment)) == (0, 0, 0)


def test_an_id_that_starts_with_a_dash_is_read_as_the_id(
    app: Flask, runner: FlaskCliRunner, vendor_a: Persona, make_review: Callable[..., MadeReview]
) -> None:
    review = make_review(vendor_a)
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        row.public_id = "-fYq3_dash-first"
        row.client.public_id = "--yQ_two-dashes"
        db.session.commit()
    result = runner.invoke(main, ["delete-review", "-fYq3_dash-first", "--yes"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["delete-client", "--yes", "--yQ_two-dashes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _count(Review) == 0 and _count(Client) == 0


def test_delete_unknown_ids_say_so(runner: FlaskCliRunner) -> None:
    for command in ("delete-review", "delete-client"):
        result = runner.invoke(main, [command, "nope", "--yes"])
        assert result.exit_code != 0 and "has the id nope" in result.output
