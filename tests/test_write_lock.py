"""No request holds the SQLite write lock longer than its writes (issue 15, point 1).

A vendor's PDF or results page is held *inside* its slow part (the render, the scoring) for
as long as the test likes, in another thread. Meanwhile a respondent of another review
starts and saves a page. Before reads stopped taking the write lock, the respondent waited
for the busy timeout and got "database is locked"; now the save finishes while the slow
request is still held, so its time does not depend on the other request's at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from factories import MadeReview, Persona
from flask import Flask
from flask.testing import FlaskClient
from test_respond import QUESTIONNAIRE, page, start, stored
from test_results import make_scored

import survey.database
from survey import reveal
from survey.extensions import db
from survey.results import views as results_views

#: How long the respondent may wait for the lock here: far less than production's 15 s, so
#: that a regression fails in seconds ("database is locked") instead of hanging.
SHORT_BUSY_TIMEOUT_MS = 2_000
#: How long a held request may stay held before the test gives up on it.
HOLD_LIMIT_S = 30


class Held:
    """A slow step that waits, once entered, until the test lets it go."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.released = threading.Event()

    def hold(self) -> None:
        self.entered.set()
        assert self.released.wait(HOLD_LIMIT_S), "the test never released the held request"


@pytest.fixture
def sqlite_with_short_timeout(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the single-writer lock is SQLite's")
        monkeypatch.setattr(survey.database, "BUSY_TIMEOUT_MS", SHORT_BUSY_TIMEOUT_MS)
        db.engine.dispose()  # new connections take the short timeout


@pytest.fixture
def scored(app: Flask, vendor_a: Persona, make_review: Any, make_respondent: Any) -> MadeReview:
    review: MadeReview = make_scored(app, vendor_a, make_review, make_respondent)
    return review


@pytest.fixture
def other_review(vendor_a: Persona, make_review: Callable[..., MadeReview]) -> MadeReview:
    return make_review(vendor_a, client_name="Initrode", questionnaire_path=QUESTIONNAIRE)


def _in_a_thread(call: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # reported by the test, not lost in the thread
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def _respondent_starts_and_saves_a_page(app: Flask, review: MadeReview) -> None:
    """A respondent of another review: the welcome form, then page 1 saved and stored."""
    respondent = app.test_client()
    rt = start(respondent, review.client_token)
    saved = respondent.post(page(rt, 1), data={"knows-priorities": "4"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert stored(app, rt)["knows-priorities"] == 4


def _while_held(
    app: Flask, held: Held, slow_request: Callable[[], Any], other_review: MadeReview
) -> Any:
    """Run `slow_request` until it is held, let a respondent answer, then release it."""
    thread, outcome = _in_a_thread(slow_request)
    try:
        assert held.entered.wait(HOLD_LIMIT_S), outcome
        _respondent_starts_and_saves_a_page(app, other_review)
        assert thread.is_alive(), "the slow request must still be held while the other saves"
    finally:
        held.released.set()
        thread.join(HOLD_LIMIT_S)
    [response] = outcome
    if isinstance(response, BaseException):
        raise response
    return response


@pytest.mark.usefixtures("sqlite_with_short_timeout")
def test_a_respondent_saves_while_a_pdf_renders(
    app: Flask,
    vendor_client: FlaskClient,
    scored: MadeReview,
    other_review: MadeReview,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = Held()

    def slow_render(*_args: Any, **_kwargs: Any) -> bytes:
        held.hold()
        return b"%PDF-1.7 held"

    monkeypatch.setattr(results_views, "render_pdf", slow_render)
    response = _while_held(
        app,
        held,
        lambda: vendor_client.get(f"/reviews/{scored.public_id}/results/report.pdf"),
        other_review,
    )
    assert response.status_code == 200 and response.data == b"%PDF-1.7 held"


@pytest.mark.usefixtures("sqlite_with_short_timeout")
def test_a_respondent_saves_while_results_are_scored(
    app: Flask,
    vendor_client: FlaskClient,
    scored: MadeReview,
    other_review: MadeReview,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = Held()
    score_for_real = reveal.review_result

    def slow_result(review: Any) -> Any:
        held.hold()
        return score_for_real(review)

    monkeypatch.setattr(reveal, "review_result", slow_result)
    response = _while_held(
        app,
        held,
        lambda: vendor_client.get(f"/reviews/{scored.public_id}/results"),
        other_review,
    )
    assert response.status_code == 200 and "Globex" in response.get_data(as_text=True)
