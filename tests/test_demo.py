"""`survey demo` and `survey create-user`: the commands that make accounts and demo data."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from werkzeug.security import check_password_hash

from survey.cli import main
from survey.extensions import db
from survey.models import Organisation, Respondent, Review, ShareLink, User, hash_token

LINES = [
    r"Log in at http://127\.0\.0\.1:5000/login as demo@example\.com with password (\S+)",
    r"Review: http://127\.0\.0\.1:5000/reviews/([\w-]+)",
    r"Vendor link: http://127\.0\.0\.1:5000/r/([\w-]+)",
    r"Client link: http://127\.0\.0\.1:5000/r/([\w-]+)",
    r"Client results link: http://127\.0\.0\.1:5000/r/([\w-]+)/results",
]


def _demo(runner: FlaskCliRunner, *args: str) -> list[str]:
    result = runner.invoke(main, ["demo", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count(model.id)))
        for model in (Organisation, User, Review, ShareLink, Respondent)
    )


def test_demo_prints_login_review_and_three_links(app: Flask, runner: FlaskCliRunner) -> None:
    lines = _demo(runner)
    assert len(lines) == 5
    found = [re.fullmatch(pattern, line) for pattern, line in zip(LINES, lines, strict=True)]
    assert all(found), lines
    password, review_id, vendor_token, client_token, results = (m.group(1) for m in found if m)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "demo@example.com"))
        assert user is not None and check_password_hash(user.password_hash, password)
        assert user.organisation.name == "Acme Analytics"
        review = db.session.scalar(sa.select(Review).where(Review.public_id == review_id))
        assert review is not None
        assert (review.questionnaire_id, review.client_name) == ("vendor-value-review", "Globex")
        for party, token in (("vendor", vendor_token), ("client", client_token)):
            link = review.current_link(party)
            assert link is not None and link.token_hash == hash_token(token)
        link = review.current_link("client", "results")
        assert link is not None and link.token_hash == hash_token(results)


def test_demo_review_is_shared_so_the_client_link_shows_the_plan(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """`make run` shows the whole journey: the demo review's results are shared."""
    lines = _demo(runner)
    results_path = lines[4].removeprefix("Client results link: http://127.0.0.1:5000")
    page = app.test_client().get(results_path)
    assert page.status_code == 200
    assert "Joint action plan" in page.get_data(as_text=True)


def test_demo_respondents_answered_and_submitted(app: Flask, runner: FlaskCliRunner) -> None:
    _demo(runner)
    with app.app_context():
        review = db.session.scalar(sa.select(Review).order_by(Review.id))  # the demo review
        assert review is not None
        vendor, client = review.respondents_of("vendor"), review.respondents_of("client")
        assert (len(vendor), len(client)) == (2, 3)
        assert all(r.is_submitted for r in vendor + client)
        assert all(len(r.answers) >= 20 for r in vendor + client)
        # The example file's people, when it is there: "Sam (support lead)" first (the file
        # lists each side in the order the engine takes it, see reveal.unlinkable).
        assert vendor[0].name == "Sam" and vendor[0].role == "support lead"


def test_demo_is_idempotent(app: Flask, runner: FlaskCliRunner) -> None:
    first = _demo(runner)
    with app.app_context():
        before = _counts()
    assert _demo(runner) == first
    with app.app_context():
        # two reviews (the demo review and the one before it), each with its three links
        # (vendor, client, results) and its 2 + 3 respondents
        assert _counts() == before == (1, 1, 2, 6, 10)


def test_demo_ships_a_previous_review_and_an_agreed_plan(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """Every section of the results and the report has content (issue 13 point 5)."""
    from survey import since
    from survey.results.data import plan_items

    lines = _demo(runner)
    review_id = lines[1].rsplit("/", 1)[1]
    with app.app_context():
        review = db.session.scalar(sa.select(Review).where(Review.public_id == review_id))
        assert review is not None
        previous = since.previous_review(review)
        assert previous is not None and previous.status == "closed"
        assert previous.created_at.date() < review.created_at.date()
        items = plan_items(review)
        carried = [i for i in items if i.carried_from_on is not None]
        own = [i for i in items if i.carried_from_on is None]
        assert len(carried) == 2  # the previous plan's item marked done stays behind
        assert all(i.carried_from_on == previous.created_at.date() for i in carried)
        assert len(own) == 3 and all(i.due_on and i.owner for i in own)
        assert review.next_review_on is not None and review.next_review_on > date.today()
        found = since.since_last_review(review)
        assert found is not None and found.comparison.dimensions
        codes = {w.code for w in since.warnings_for(review)}
        assert "relevance_drop" in codes  # Globex rated relevance higher last time
        assert review.client.yearly_value == 240_000  # so the portfolio has a value at risk


def test_demo_recovers_a_revoked_link_and_takes_a_base_url(
    app: Flask, client: Any, runner: FlaskCliRunner
) -> None:
    first = _demo(runner)
    with app.app_context():
        review = db.session.scalar(sa.select(Review).order_by(Review.id))  # the demo review
        assert review is not None
        from survey.links import revoke_link

        revoke_link(review, "client")
    lines = _demo(runner, "--base-url", "https://rapport.example/")
    assert lines[1] == first[1].replace("http://127.0.0.1:5000", "https://rapport.example")
    assert lines[2] == first[2].replace("http://127.0.0.1:5000", "https://rapport.example")
    assert lines[3].startswith("Client link: https://rapport.example/r/")
    assert lines[3].rsplit("/", 1)[1] != first[3].rsplit("/", 1)[1]


def test_demo_login_works_in_the_browser_flow(
    app: Flask, client: Any, runner: FlaskCliRunner
) -> None:
    lines = _demo(runner)
    password = re.fullmatch(LINES[0], lines[0]).group(1)  # type: ignore[union-attr]
    response = client.post("/login", data={"email": "demo@example.com", "password": password})
    assert response.status_code == 302
    review_path = lines[1].removeprefix("Review: http://127.0.0.1:5000")
    page = client.get(review_path).get_data(as_text=True)
    assert "2 submitted, 0 in progress" in page and "3 submitted, 0 in progress" in page


def test_create_user_makes_an_organisation_then_joins_it(
    app: Flask, runner: FlaskCliRunner
) -> None:
    args = ["create-user", "--organisation", "Acme Analytics", "--password", "a long password"]
    first = runner.invoke(main, [*args, "--email", "Dana@Acme.example", "--name", "Dana"])
    assert first.exit_code == 0, first.output
    assert "new organisation Acme Analytics" in first.output
    second = runner.invoke(main, [*args, "--email", "sam@acme.example", "--name", "Sam"])
    assert "existing organisation Acme Analytics" in second.output
    with app.app_context():
        users = list(db.session.scalars(sa.select(User).order_by(User.id)))
        assert [u.email for u in users] == ["dana@acme.example", "sam@acme.example"]
        assert users[0].organisation_id == users[1].organisation_id
        assert check_password_hash(users[0].password_hash, "a long password")


def test_create_user_prompts_for_the_password(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        main,
        ["create-user", "--email", "dana@acme.example", "--name", "Dana", "--organisation", "Acme"],
        input="typed password\ntyped password\n",
    )
    assert result.exit_code == 0, result.output
    assert "typed password" not in result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert user is not None and check_password_hash(user.password_hash, "typed password")


def test_create_user_refuses_short_password_and_taken_email(
    app: Flask, runner: FlaskCliRunner
) -> None:
    base = ["create-user", "--email", "dana@acme.example", "--name", "Dana", "--organisation", "A"]
    short = runner.invoke(main, [*base, "--password", "short"])
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    assert runner.invoke(main, [*base, "--password", "long enough now"]).exit_code == 0
    taken = runner.invoke(main, [*base, "--password", "long enough now"])
    assert taken.exit_code == 1 and "already exists" in taken.output


def test_demo_export_scores_exactly_as_the_readme_worked_example(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """The README's worked example is the demo review: its JSON export, scored, prints it."""
    from pathlib import Path

    from survey.domain.answers import parse_answers
    from survey.domain.report import render_text
    from survey.domain.scoring import score
    from survey.questionnaires import questionnaire_for
    from survey.results.exports import export_json

    _demo(runner)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    match = re.search(
        r"<!-- worked-example: survey score questionnaires/vendor-value-review\.yaml "
        r"questionnaires/examples/acme-globex\.yaml -->\n```text\n\$ [^\n]*\n(.*?)```",
        readme,
        re.S,
    )
    assert match, "the README's worked example is not the demo review any more"
    with app.app_context():
        review = db.session.scalar(sa.select(Review).order_by(Review.id))  # the demo review
        assert review is not None
        questionnaire = questionnaire_for(review)
        answers = parse_answers(export_json(review, "vendor"), "export.json", questionnaire)
        printed = render_text(score(questionnaire, answers), questionnaire, answers)

    # The export shows the vendor only what confidentiality lets it see, so proposals may
    # say "someone at Globex" where the file names "Hiro (head of operations)", and their
    # lines wrap differently; every number, reason and other word is the same.
    def words(text: str) -> str:
        flat = " ".join(text.split())
        return re.sub(r"- (Vendor|Client), .*?, on '", r"- \1, on '", flat)

    assert words(printed) == words(match.group(1))


def test_the_demo_review_asks_for_answers_by_a_day_still_to_come(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """Its mails and welcome pages say "answer by …": never a day already past."""
    from datetime import date

    _demo(runner)
    with app.app_context():
        review = db.session.scalar(sa.select(Review).order_by(Review.id))  # the demo review
        assert review is not None and review.is_open
        assert review.due_on is not None and review.due_on > date.today()
