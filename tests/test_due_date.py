"""The due date shown to respondents (issue 11, point 5): on both sides' welcome pages, on
every survey page ("Answers due by …") and in the thank-you text, in one date format."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

from flask import Flask

from survey.dates import long_date
from survey.extensions import db
from survey.models import Review
from survey.questionnaires import questionnaire_for

DUE = date(2031, 1, 17)


def _words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_long_date_reads_as_a_sentence() -> None:
    assert long_date(DUE) == "Friday 17 January 2031"
    assert long_date(date(2031, 2, 3)) == "Monday 3 February 2031"  # no leading zero


def test_due_date_on_both_welcome_pages_every_page_and_the_thanks(
    app: Flask, vendor_a: Any, make_review: Any, make_respondent: Any
) -> None:
    review = make_review(vendor_a, due_on=DUE)
    browser = app.test_client()
    for token in (review.vendor_token, review.client_token):  # the survey links
        page = _words(browser.get(f"/r/{token}").get_data(as_text=True))
        assert "Answers are due by Friday 17 January 2031." in page
    person = make_respondent(review, "client")
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        pages = len(questionnaire_for(row).sections_for("client"))
    resume = f"/r/resume/{person.resume_token}"
    for number in range(1, pages + 1):
        page = _words(browser.get(f"{resume}/page/{number}").get_data(as_text=True))
        assert "Answers due by Friday 17 January 2031" in page, number
    assert "Answers due by Friday 17 January 2031" in _words(
        browser.get(f"{resume}/review").get_data(as_text=True)
    )


def test_thank_you_text_says_when_everyone_is_due(
    app: Flask, vendor_a: Any, make_review: Any, make_respondent: Any
) -> None:
    from test_results import example_people

    review = make_review(vendor_a, due_on=DUE)
    party, _, answers = next(p for p in example_people() if p[0] == "client")
    person = make_respondent(review, party, answers=answers, submit=True)
    page = _words(
        app.test_client().get(f"/r/resume/{person.resume_token}/done").get_data(as_text=True)
    )
    assert (
        "Everyone's answers are due by Friday 17 January 2031; then Acme Analytics and Globex"
        in page
    )


def test_no_due_date_no_sentence(app: Flask, vendor_a: Any, make_review: Any) -> None:
    review = make_review(vendor_a)
    page = app.test_client().get(f"/r/{review.client_token}").get_data(as_text=True)
    assert "data-due" not in page and "due by" not in page
