"""`survey demo`: a demo account with a review of Globex answered and submitted by both sides,
its agreed plan, and the review before it.

Idempotent: running it again finds the account and the reviews instead of duplicating
them, and prints the same five lines: the login, the review URL, the two shared survey links
and the client's results link. The demo review is shared with the client (the staged reveal's
last step), so the client's results link shows the comparison and the plan.

So that every section of the results and the report has content, the demo also holds the
previous review of Globex (started :data:`PREVIOUS_DAYS_AGO` days earlier, answered a step
lower everywhere but in business relevance, which Globex then rated a step higher: seed 003's
carbon-paper warning), closed, with a plan of which the open items were carried over into
the demo review (the carry-over of :mod:`survey.workspace.operations`).
Answers come from `questionnaires/examples/acme-globex.yaml` when it fits the flagship
questionnaire, otherwise they are generated (deterministically) from the questionnaire.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import current_app, url_for
from flask.cli import with_appcontext
from werkzeug.security import check_password_hash

from survey.auth.operations import create_account, find_user_by_email, hash_password
from survey.domain.answers import AnswersError, parse_answers
from survey.domain.model import PARTIES, Party, Questionnaire
from survey.extensions import db
from survey.links import (
    current_in_slot,
    link_is_showable,
    link_token,
    reissue_link,
    shared_link_url,
)
from survey.models import Review, User
from survey.questionnaires import catalogue, questionnaire_for
from survey.workspace.operations import (
    carry_over_plan,
    reopen_review,
    set_client_value,
    start_review,
)

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "rapport-demo"
DEMO_NAME = "Demo User"
VENDOR = "Acme Analytics"
CLIENT = "Globex"
QUESTIONNAIRE = "vendor-value-review"
EXAMPLE = Path("examples") / "acme-globex.yaml"
WANTED: dict[Party, int] = {"vendor": 2, "client": 3}

#: (name, role, answers) for one demo respondent.
Person = tuple[str | None, str | None, dict[str, Any]]


def demo_user() -> User:
    """The demo account, created on first use; its password is reset to the printed one."""
    user = find_user_by_email(DEMO_EMAIL)
    if user is None:
        return create_account(VENDOR, DEMO_NAME, DEMO_EMAIL, DEMO_PASSWORD)
    if not check_password_hash(user.password_hash, DEMO_PASSWORD):
        user.password_hash = hash_password(DEMO_PASSWORD)
        db.session.commit()
    return user


def _split_name(label: str | None) -> tuple[str | None, str | None]:
    """'Dana (account director)' -> ('Dana', 'account director')."""
    if not label:
        return None, None
    match = re.fullmatch(r"\s*(.*?)\s*\((.*)\)\s*", label)
    return (match.group(1), match.group(2)) if match else (label, None)


def example_people(questionnaire: Questionnaire) -> dict[Party, list[Person]]:
    """Respondents from the example answers file, or none when it is missing or unfit."""
    path = Path(current_app.config["SURVEY_QUESTIONNAIRES"]) / EXAMPLE
    try:
        parsed = parse_answers(path.read_text(encoding="utf-8"), str(path), questionnaire)
    except (OSError, AnswersError):
        return {"vendor": [], "client": []}
    return {
        party: [(*_split_name(r.name), dict(r.answers)) for r in parsed.respondents(party)]
        for party in PARTIES
    }


GENERATED_TEXT = {
    "vendor": "Spend more time with their operations team, not only with purchasing.",
    "client": "Bring us ideas before we ask, and tell us early when something slips.",
}


def generated_answers(
    questionnaire: Questionnaire, party: Party, seed: int, required_only: bool = False
) -> dict[str, Any]:
    """Plausible answers to every question asked of a party (hidden ones are dropped later)."""
    rng = random.Random(seed)
    answers: dict[str, Any] = {}
    for _, questions in questionnaire.sections_for(party):
        for question in questions:
            if required_only and not question.is_required:
                continue
            if question.kind == "scale":
                values = questionnaire.scale_of(question).values()
                answers[question.id] = rng.choice(values[len(values) // 3 :])
            elif question.kind == "choice":
                labels = [c.label for c in question.choices or []]
                answers[question.id] = (
                    [rng.choice(labels)] if question.multiple else rng.choice(labels)
                )
            else:
                answers[question.id] = GENERATED_TEXT[party][: question.max_length]
    return answers


def demo_people(questionnaire: Questionnaire) -> dict[Party, list[Person]]:
    """Two vendor and three client respondents: the example file's, topped up if short.

    An example respondent who skipped a required question gets a generated answer for it,
    so every demo response can be submitted.
    """
    people = example_people(questionnaire)
    for party in PARTIES:
        mine: list[Person] = []
        for number, (name, role, answers) in enumerate(people[party][: WANTED[party]]):
            filler = generated_answers(questionnaire, party, seed=number, required_only=True)
            mine.append((name, role, {**filler, **answers}))
        for number in range(len(mine), WANTED[party]):
            mine.append((None, None, generated_answers(questionnaire, party, seed=number)))
        people[party] = mine
    return people


#: Globex's yearly value to Acme (seed 004's lifetime value), for the portfolio's value at risk.
DEMO_YEARLY_VALUE = 240_000
#: How long before the demo review the previous one started.
PREVIOUS_DAYS_AGO = 182
#: The dimension Globex rated higher last time (the one seed 003 warns about).
RISING_BEFORE = "relevance"


def previous_answers(
    questionnaire: Questionnaire, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    """Last time's answers: every scale answer a step lower, except the client's business
    relevance, a step higher (a reversed question's raw answer moves the other way)."""
    before = dict(answers)
    for question in questionnaire.questions():
        if question.kind != "scale" or not isinstance(answers.get(question.id), int):
            continue
        step = 1 if party == "client" and question.dimension == RISING_BEFORE else -1
        step = -step if question.reverse else step
        values = questionnaire.scale_of(question).values()
        at = values.index(answers[question.id]) if answers[question.id] in values else 0
        before[question.id] = values[min(max(at + step, 0), len(values) - 1)]
    return before


def find_demo_review(user: User) -> Review | None:
    """The demo review of the flagship questionnaire for Globex, if it exists."""
    return db.session.scalar(
        sa.select(Review)
        .where(
            Review.organisation_id == user.organisation_id,
            Review.questionnaire_id == QUESTIONNAIRE,
            Review.client_name == CLIENT,
        )
        .order_by(Review.id)
    )


def start_demo_review(user: User) -> Review:
    """Start the demo review of the flagship questionnaire."""
    loaded = catalogue().get(QUESTIONNAIRE)
    if loaded is None:
        raise click.ClickException(f"the flagship questionnaire {QUESTIONNAIRE!r} is not loaded")
    review, _ = start_review(user.organisation, user, loaded.questionnaire, loaded.source, CLIENT)
    return review


def complete_demo_review(review: Review, earlier: bool = False) -> None:
    """Have demo respondents answer and submit until each party has its wanted number.

    Counting submitted respondents (rather than only creating them with the review) makes
    a re-run finish a demo that an earlier run left half done, without duplicating any.
    `earlier`: the previous review's answers (see :func:`previous_answers`).
    """
    from survey.respond.operations import save_answers, start_response, submit_response

    questionnaire = questionnaire_for(review)
    people = demo_people(questionnaire)
    if earlier:
        people = {
            party: [(n, r, previous_answers(questionnaire, party, a)) for n, r, a in people[party]]
            for party in PARTIES
        }
    for party in PARTIES:
        done = sum(1 for r in review.respondents_of(party) if r.is_submitted)
        link = review.current_link(party)
        for name, role, answers in people[party][done:]:
            if not review.is_open:
                reopen_review(review)
            assert link is not None
            respondent, _ = start_response(link, name, role)
            save_answers(respondent, questionnaire, answers)
            submit_response(respondent, questionnaire)


def find_previous_review(review: Review) -> Review | None:
    """The demo's previous review: another review of the same client and questionnaire."""
    return next((r for r in review.client.reviews if r.id != review.id), None)


#: The demo review's answers are due this many days from the day the demo is loaded.
DEMO_DUE_IN_DAYS = 14
#: The previous review's plan: (suggestion rank, owner, due days after it started, status).
PREVIOUS_PLAN = (
    (0, "vendor", 60, "done"),
    (1, "joint", 90, "in_progress"),
    (2, "client", 120, "planned"),
)
#: The demo review's own plan, besides what was carried over: (rank, owner, due in days).
CURRENT_PLAN = ((0, "vendor", 30), (1, "joint", 45), (2, "client", 60))
#: The next review after the demo review, in days from today.
NEXT_REVIEW_IN = 182


def _agree(review: Review, plan: tuple[tuple[int, str, int, str], ...], start: date) -> None:
    """Accept suggestions as the plan: owner, due date (days after `start`) and status."""
    from survey.results.data import pending_items
    from survey.results.operations import Actor, accept_action, update_action
    from survey.reveal import review_result

    actor = Actor(user=review.created_by)
    pending = pending_items(review, review_result(review))
    for rank, owner, days, status in plan:
        if rank >= len(pending):
            continue
        due = start + timedelta(days=days)
        item = accept_action(review, pending[rank], actor, {"owner": owner, "due_on": due})
        if status != item.status:
            update_action(item, actor, {"status": status})


def make_previous_review(user: User, review: Review) -> Review:
    """The review before the demo review: answered, planned, closed, its plan carried over."""
    from survey.results.operations import Actor, set_next_review

    previous = start_demo_review(user)
    started = datetime.now(UTC) - timedelta(days=PREVIOUS_DAYS_AGO)
    previous.created_at = started
    db.session.commit()
    complete_demo_review(previous, earlier=True)
    _agree(previous, PREVIOUS_PLAN, started.date())
    set_next_review(previous, Actor(user=user), date.today() - timedelta(days=7))
    carry_over_plan(previous, review, user)
    # The earlier review's next-review date is a week overdue (the portfolio shows it);
    # the review now collecting answers asks for them by a day still to come.
    review.due_on = review.due_on or date.today() + timedelta(days=DEMO_DUE_IN_DAYS)
    previous.status = "closed"
    db.session.commit()
    return previous


def plan_demo_review(review: Review) -> None:
    """The demo review's agreed plan and next review date, once (an empty plan gets them)."""
    from survey.results.operations import Actor, set_next_review

    if any(item.carried_from_on is None for item in _plan(review)):
        return
    today = date.today()
    _agree(
        review, tuple((rank, owner, days, "planned") for rank, owner, days in CURRENT_PLAN), today
    )
    set_next_review(review, Actor(user=review.created_by), today + timedelta(days=NEXT_REVIEW_IN))


def _plan(review: Review) -> list[Any]:
    from survey.results.data import plan_items

    return plan_items(review)


#: Where `make run` serves the app, for the printed links when nothing else is set.
DEFAULT_BASE = "http://127.0.0.1:5000"


def live_link_url(review: Review, slot: str, base_url: str) -> str:
    """The slot's link (vendor, client, results), reissued first if revoked or unshowable."""
    link = current_in_slot(review, slot)
    if link is None or not link.is_active or not link_is_showable(link):
        url = shared_link_url(reissue_link(review, slot), base_url)
    else:
        url = shared_link_url(link_token(link), base_url)
    return f"{url}/results" if slot == "results" else url


def share_demo_review(review: Review) -> None:
    """Share the demo's results with the client, unless someone stopped sharing them."""
    from survey.results.operations import Actor, share_results

    if review.shared_at is None and review.unshared_at is None:
        share_results(review, Actor(user=review.created_by))


@click.command("demo")
@click.option(
    "--base-url",
    default=None,
    help="Where the app is reached, for the printed links "
    "[default: SURVEY_BASE_URL, else http://127.0.0.1:5000].",
)
@with_appcontext
def demo_command(base_url: str | None) -> None:
    """Create (once) a demo account and a fully answered review; print how to open them."""
    if current_app.config.get("SURVEY_PRODUCTION"):
        raise click.ClickException(
            "survey demo does not run when SURVEY_ENV=production: it makes an account "
            "whose password is printed here and written in the source"
        )
    base_url = (base_url or current_app.config.get("SURVEY_BASE_URL") or DEFAULT_BASE).rstrip("/")
    user = demo_user()
    review = find_demo_review(user) or start_demo_review(user)
    if find_previous_review(review) is None:
        make_previous_review(user, review)
    if review.client.yearly_value is None:
        set_client_value(review.client, DEMO_YEARLY_VALUE)
    complete_demo_review(review)
    plan_demo_review(review)
    share_demo_review(review)
    with current_app.test_request_context():
        login_path = url_for("auth.login")
        review_path = url_for("workspace.review", public_id=review.public_id)
    click.echo(f"Log in at {base_url}{login_path} as {DEMO_EMAIL} with password {DEMO_PASSWORD}")
    click.echo(f"Review: {base_url}{review_path}")
    click.echo(f"Vendor link: {live_link_url(review, 'vendor', base_url)}")
    click.echo(f"Client link: {live_link_url(review, 'client', base_url)}")
    click.echo(f"Client results link: {live_link_url(review, 'results', base_url)}")
