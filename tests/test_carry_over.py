"""Carry-over (issue 13, point 1): repeating a review offers to close it, carries its plan
items that are not done with their owner, status and history, and takes its next-review
date as the new due date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from survey.extensions import db
from survey.models import ActionComment, ActionEvent, ActionItem, Review, User
from survey.results import operations as plan
from survey.workspace import operations

FLAGSHIP = "vendor-value-review"
NEXT = date.today() + timedelta(days=40)


@pytest.fixture
def old_review(app: Flask, vendor_client: FlaskClient, vendor_a: Any, make_review: Callable) -> Any:
    """A review of Globex with a plan: two open items with history, one done, one declined."""
    made = make_review(vendor_a)
    with app.app_context():
        review = db.session.get(Review, made.id)
        assert review is not None
        actor = plan.Actor(user=db.session.get(User, vendor_a.id))
        first = plan.add_action(
            review, actor, {"title": "Quarterly reviews", "owner": "client", "due_on": NEXT}
        )
        plan.update_action(first, actor, {"status": "in_progress"})
        plan.comment_on_action(first, plan.Actor.client_link("Gail"), "We will host the next one")
        plan.add_action(review, actor, {"title": "Learn the 12-month plan", "owner": "vendor"})
        done = plan.add_action(review, actor, {"title": "Fix the invoice"})
        plan.update_action(done, actor, {"status": "done"})
        declined = plan.add_action(review, actor, {"title": "Weekly calls"})
        plan.update_action(declined, actor, {"status": "declined"})
        plan.set_next_review(review, actor, NEXT)
    return made


def _repeat(client: FlaskClient, previous: str, **extra: str) -> str:
    data = {"questionnaire": FLAGSHIP, "client_name": "Globex", "previous": previous, **extra}
    response = client.post("/reviews/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def _review(public_id: str) -> Review:
    review = db.session.scalar(sa.select(Review).where(Review.public_id == public_id))
    assert review is not None
    return review


def _items(review: Review) -> list[ActionItem]:
    return list(
        db.session.scalars(
            sa.select(ActionItem).where(ActionItem.review_id == review.id).order_by(ActionItem.id)
        )
    )


def test_repeat_link_offers_to_close_and_carry_and_takes_the_next_review_date(
    app: Flask, client: FlaskClient, old_review: Any
) -> None:
    page = client.get(f"/reviews/{old_review.public_id}").get_data(as_text=True)
    link = f"previous={old_review.public_id}"
    assert link in page
    form = unescape(client.get(f"/reviews/new?previous={old_review.public_id}").get_data(True))
    assert "Repeating the review of" in form
    assert "2 plan items not done yet" in form
    assert "“Quarterly reviews”, “Learn the 12-month plan”." in form
    assert 'name="carry_over"' in form and 'name="close_previous"' in form
    assert f'value="{NEXT.isoformat()}"' in form  # the due date, prefilled
    assert 'value="Globex"' in form


def test_carried_items_keep_owner_status_due_date_and_history(
    app: Flask, client: FlaskClient, old_review: Any
) -> None:
    new_id = _repeat(
        client, old_review.public_id, carry_over="y", close_previous="y", due_on=NEXT.isoformat()
    )
    with app.app_context():
        old, new = db.session.get(Review, old_review.id), _review(new_id)
        assert old is not None
        assert old.status == "closed"
        assert new.due_on == NEXT == old.next_review_on
        carried = _items(new)
        assert [(i.title, i.owner, i.status, i.due_on) for i in carried] == [
            ("Quarterly reviews", "client", "in_progress", NEXT),
            ("Learn the 12-month plan", "vendor", "planned", None),
        ]
        started = old.created_at.date()
        assert {i.carried_from_on for i in carried} == {started}
        assert carried[0].carried_note == f"from the review of {started.day} {started:%B %Y}"
        history = [e.what for e in carried[0].events]
        assert history == [
            "added the action: Quarterly reviews",
            "status changed from planned to in progress",
            "commented",
            f"carried over from the review of {started.day} {started:%B %Y}",
        ]
        assert all(e.review_id == new.id for e in carried[0].events)
        comments = db.session.scalars(
            sa.select(ActionComment).where(ActionComment.item_id == carried[0].id)
        ).all()
        assert [(c.text, c.author_name, c.via_link) for c in comments] == [
            ("We will host the next one", "Gail", True)
        ]
        # the old plan is left as it was
        assert [i.status for i in _items(old)] == ["in_progress", "planned", "done", "declined"]


def test_results_page_and_pdf_mark_carried_items(
    app: Flask, client: FlaskClient, old_review: Any
) -> None:
    from survey.results.data import build_comparison
    from survey.results.views import _report_html

    new_id = _repeat(client, old_review.public_id, carry_over="y")
    with app.app_context():
        new = _review(new_id)
        note = _items(new)[0].carried_note
        assert note is not None and note.startswith("from the review of ")
        with app.test_request_context():
            html = _report_html(new, build_comparison(new, "vendor"))
    assert html.count(f"Carried over {note}") == 2
    macros = app.jinja_env.get_template("results/_macros.html").module
    with app.app_context():
        item = _items(_review(new_id))[0]
        body = str(macros.item_body(item, build_comparison(_review(new_id), "vendor")))
    assert f'data-key="carried">Carried over {note}</p>' in body


def test_items_are_carried_once_and_unchecked_means_neither(
    app: Flask, client: FlaskClient, old_review: Any
) -> None:
    untouched = _repeat(client, old_review.public_id)  # both boxes unchecked
    with app.app_context():
        assert _items(_review(untouched)) == []
        old = db.session.get(Review, old_review.id)
        assert old is not None and old.status == "open"
    _repeat(client, old_review.public_id, carry_over="y")
    again = _repeat(client, old_review.public_id, carry_over="y")
    with app.app_context():
        assert _items(_review(again)) == []


def test_another_client_name_carries_nothing(
    app: Flask, client: FlaskClient, old_review: Any
) -> None:
    data = {
        "questionnaire": FLAGSHIP,
        "client_name": "Initrode",
        "previous": old_review.public_id,
        "carry_over": "y",
        "close_previous": "y",
    }
    response = client.post("/reviews/new", data=data, follow_redirects=True)
    assert "Nothing was carried over" in response.get_data(as_text=True)
    with app.app_context():
        old = db.session.get(Review, old_review.id)
        assert old is not None and old.status == "open"
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(ActionItem)
                .where(ActionItem.carried_from_id.is_not(None))
            )
            == 0
        )


def test_another_organisations_review_is_not_repeated(
    app: Flask,
    client: FlaskClient,
    old_review: Any,
    vendor_b: Any,
    login: Callable,
) -> None:
    client.post("/logout")
    login(client, vendor_b)
    form = client.get(f"/reviews/new?previous={old_review.public_id}").get_data(as_text=True)
    assert "Repeating the review" not in form and "Globex" not in form
    data = {"questionnaire": FLAGSHIP, "client_name": "Globex", "previous": old_review.public_id}
    client.post("/reviews/new", data={**data, "carry_over": "y", "close_previous": "y"})
    with app.app_context():
        old = db.session.get(Review, old_review.id)
        assert old is not None and old.status == "open"
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(ActionItem)
                .where(ActionItem.carried_from_id.is_not(None))
            )
            == 0
        )


def test_deleting_the_old_review_keeps_the_carried_mark(
    app: Flask, client: FlaskClient, old_review: Any
) -> None:
    new_id = _repeat(client, old_review.public_id, carry_over="y")
    with app.app_context():
        old = db.session.get(Review, old_review.id)
        assert old is not None
        started = old.created_at.date()
        operations.delete_review(old)
        carried = _items(_review(new_id))
        assert [i.carried_from_id for i in carried] == [None, None]
        assert {i.carried_from_on for i in carried} == {started}
        assert (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(ActionEvent)
                .where(ActionEvent.review_id == old_review.id)
            )
            == 0
        )
