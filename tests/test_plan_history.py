"""The plan's history is in words (issue 13, point 6): every kind of change (a value set,
changed, cleared) reads as a sentence, with dates as people write them, never as raw
values ("none → 2027-01-10")."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from test_results import make_scored

from survey.extensions import db
from survey.models import ActionEvent, ActionItem, Review, User
from survey.results import operations
from survey.results.operations import Actor


@pytest.fixture
def scored(app: Flask, vendor_a: Any, make_review: Any, make_respondent: Any) -> Any:
    return make_scored(app, vendor_a, make_review, make_respondent)


def _history(review: Review, item: ActionItem | None = None) -> list[str]:
    query = sa.select(ActionEvent).where(ActionEvent.review_id == review.id)
    if item is not None:
        query = query.where(ActionEvent.item_id == item.id)
    return [e.what for e in db.session.scalars(query.order_by(ActionEvent.id))]


def _setup(scored: Any, vendor_a: Any) -> tuple[Review, Actor, ActionItem]:
    review = db.session.get(Review, scored.id)
    assert review is not None
    dana = Actor(db.session.get(User, vendor_a.id))
    item = operations.add_action(review, dana, {"title": "Quarterly reviews", "owner": "vendor"})
    return review, dana, item


def test_each_field_change_reads_as_a_sentence(app: Flask, vendor_a: Any, scored: Any) -> None:
    with app.app_context():
        review, dana, item = _setup(scored, vendor_a)
        steps = [
            ({"due_on": date(2027, 1, 10)}, "due date set to 10 January 2027"),
            (
                {"due_on": date(2027, 2, 1)},
                "due date changed from 10 January 2027 to 1 February 2027",
            ),
            ({"due_on": None}, "due date cleared (was 1 February 2027)"),
            ({"owner": "joint"}, "owner changed from vendor to both"),
            ({"owner": "client"}, "owner changed from both to client"),
            ({"status": "in_progress"}, "status changed from planned to in progress"),
            ({"detail": "Every quarter, on site"}, "added the detail"),
            ({"detail": "Every quarter"}, "changed the detail"),
            ({"detail": ""}, "removed the detail"),
            ({"title": "Quarterly visits"}, "changed the title"),
            (
                {"status": "done", "due_on": date(2027, 3, 31)},
                "status changed from in progress to done; due date set to 31 March 2027",
            ),
        ]
        for fields, sentence in steps:
            assert operations.update_action(item, dana, fields) == sentence.split("; ")
        assert _history(review, item) == [
            "added the action: Quarterly reviews",
            *(sentence for _, sentence in steps),
        ]


def test_a_proposal_accepted_then_declined_says_so_in_words(
    app: Flask, vendor_a: Any, scored: Any
) -> None:
    with app.app_context():
        review = db.session.get(Review, scored.id)
        assert review is not None
        dana = Actor(db.session.get(User, vendor_a.id))
        proposed = operations.propose_action(review, Actor.client_link(), "Visit us", None)
        operations.accept_action(review, proposed, dana, {"due_on": date(2027, 1, 10)})
        operations.decline_action(review, proposed, dana)
        assert _history(review, proposed) == [
            "proposed the action: Visit us",
            "accepted: status changed from proposed to planned; due date set to 10 January 2027",
            "status changed from planned to declined",
        ]


def test_next_review_date_set_changed_and_cleared(app: Flask, vendor_a: Any, scored: Any) -> None:
    with app.app_context():
        review = db.session.get(Review, scored.id)
        assert review is not None
        dana = Actor(db.session.get(User, vendor_a.id))
        for when in (date(2027, 1, 10), date(2027, 1, 10), date(2027, 12, 1), None):
            operations.set_next_review(review, dana, when)
        assert _history(review)[-3:] == [
            "next review date set to 10 January 2027",
            "next review date changed from 10 January 2027 to 1 December 2027",
            "next review date cleared (was 1 December 2027)",
        ]
