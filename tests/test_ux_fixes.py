"""Fixes from the new-user trial: the way to the results, "Change" returning to the check
page, answer counts, the new-review form, closing with confirmation, short text inputs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from factories import MadeRespondent, MadeReview, Persona
from flask import Flask
from flask.testing import FlaskClient

from survey import links
from survey.extensions import db
from survey.models import Review, utcnow

QUESTIONNAIRE = Path(__file__).parent / "data" / "respond" / "respond-test.yaml"
ROOT = Path(__file__).resolve().parent.parent
DOOR = "See the results and the joint plan"

VENDOR_ANSWERS = {
    "knows-priorities": 4,
    "last-contacts": ["Adding value"],
    "recommend": 8,
    "main-channel": "Email",
}
CLIENT_ANSWERS = {**VENDOR_ANSWERS, "renew": "Yes, renew"}


@pytest.fixture
def review(vendor_a: Persona, make_review: Callable[..., MadeReview]) -> MadeReview:
    """Vendor A's review of Globex on the small respond-test questionnaire, names shown to
    the other side (the respondents table names the client's people)."""
    return make_review(vendor_a, questionnaire_path=QUESTIONNAIRE, names_to_other_side=True)


def _text(client: FlaskClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


def _door_href(html: str) -> str | None:
    """The href of the "See the results and the joint plan" link, if the page has one."""
    match = re.search(rf'<a class="button" href="([^"]+)">{DOOR}</a>', html)
    return match.group(1) if match else None


def _both_submitted(
    make_respondent: Callable[..., MadeRespondent], review: MadeReview
) -> tuple[MadeRespondent, MadeRespondent]:
    vendor = make_respondent(review, "vendor", answers=VENDOR_ANSWERS, submit=True)
    client = make_respondent(review, "client", answers=CLIENT_ANSWERS, submit=True)
    return vendor, client


def _set(app: Flask, review: MadeReview, **values: Any) -> None:
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


# --- 1. the way to the results ----------------------------------------------------------------


def test_client_welcome_links_to_results_once_both_sides_submitted(
    app: Flask,
    client: FlaskClient,
    review: MadeReview,
    make_respondent: Callable[..., MadeRespondent],
    share_results: Callable[[MadeReview], None],
) -> None:
    welcome = f"/r/{review.client_token}"
    assert _door_href(_text(client, welcome)) is None  # nobody has submitted yet
    _both_submitted(make_respondent, review)
    html = _text(client, welcome)
    assert _door_href(html) == f"/r/{review.results_token}/results"  # its own results link
    assert "being prepared by Dana Vendor at Acme Analytics" in html  # not shared yet
    share_results(review)
    assert "The results are ready" in _text(client, welcome)
    assert _text(client, f"/r/{review.results_token}/results").count("Globex") > 0
    with app.test_request_context():
        links.revoke_link(db.session.get(Review, review.id), "results")
    assert _door_href(_text(client, welcome)) is None  # the vendor revoked the results link


def test_client_thanks_page_links_to_the_results_of_the_link_they_came_by(
    app: Flask,
    client: FlaskClient,
    review: MadeReview,
    make_respondent: Callable[..., MadeRespondent],
    share_results: Callable[[MadeReview], None],
) -> None:
    _, submitted = _both_submitted(make_respondent, review)
    done = f"/r/resume/{submitted.resume_token}/done"
    share_results(review)
    html = _text(client, done)
    assert "The results are ready" in html
    assert _door_href(html) == f"/r/{review.results_token}/results"
    # a revoked link opens nothing, so no door is offered
    with app.test_request_context():
        links.revoke_link(db.session.get(Review, review.id), "client")
    assert _door_href(_text(client, done)) is None


def test_a_replaced_link_gives_its_respondents_nothing_of_the_new_one(
    app: Flask,
    client: FlaskClient,
    review: MadeReview,
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    """The revocation rule: who came by a replaced link keeps only their own resume link."""
    _, submitted = _both_submitted(make_respondent, review)
    late = make_respondent(review, "client")  # started through the old link, not submitted
    with app.test_request_context():
        new_token = links.reissue_link(db.session.get(Review, review.id), "client")
    done = _text(client, f"/r/resume/{submitted.resume_token}/done")
    assert "<h1>Thank you</h1>" in done
    assert _door_href(done) is None
    _set(app, review, status="closed")
    closed = _text(client, f"/r/resume/{late.resume_token}/page/1", status=403)
    for html in (done, closed):
        assert new_token not in html
        assert review.client_token not in html
    # whoever comes by the new link is offered its results
    _set(app, review, status="open")
    newcomer = make_respondent(review, "client", answers=CLIENT_ANSWERS, submit=True)
    fresh = _text(client, f"/r/resume/{newcomer.resume_token}/done")
    assert _door_href(fresh) == f"/r/{review.results_token}/results"  # unchanged by replacing


def test_client_thanks_before_the_other_side_says_results_come_later(
    client: FlaskClient, review: MadeReview, make_respondent: Callable[..., MadeRespondent]
) -> None:
    submitted = make_respondent(review, "client", answers=CLIENT_ANSWERS, submit=True)
    html = _text(client, f"/r/resume/{submitted.resume_token}/done")
    assert "The results are ready" not in html
    assert "once both sides have answered and Dana Vendor at Acme Analytics has prepared" in html
    assert _door_href(html) == f"/r/{review.results_token}/results"


def test_vendor_respondent_gets_the_vendor_results_page_not_the_client_link(
    client: FlaskClient, review: MadeReview, make_respondent: Callable[..., MadeRespondent]
) -> None:
    vendor, _ = _both_submitted(make_respondent, review)
    html = _text(client, f"/r/resume/{vendor.resume_token}/done")
    assert _door_href(html) == f"/reviews/{review.public_id}/results"
    assert review.client_token not in html
    assert "you log in to see it" in html
    assert client.get(f"/reviews/{review.public_id}/results").status_code == 302  # login


def test_closed_page_links_to_the_results(
    app: Flask,
    client: FlaskClient,
    review: MadeReview,
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    _both_submitted(make_respondent, review)
    late = make_respondent(review, "client")  # started, never submitted
    _set(app, review, status="closed")
    by_link = _text(client, f"/r/{review.client_token}", status=403)
    assert "This survey is closed" in by_link
    assert _door_href(by_link) == f"/r/{review.results_token}/results"
    by_resume = _text(client, f"/r/resume/{late.resume_token}/page/1", status=403)
    assert _door_href(by_resume) == f"/r/{review.results_token}/results"
    with app.test_request_context():
        links.revoke_link(db.session.get(Review, review.id), "results")
    assert _door_href(_text(client, f"/r/{review.client_token}", status=403)) is None


def test_vendor_review_page_shows_the_client_results_url(
    app: Flask,
    vendor_client: FlaskClient,
    review: MadeReview,
) -> None:
    url = f"http://localhost/r/{review.results_token}/results"
    html = _text(vendor_client, f"/reviews/{review.public_id}")
    assert f'id="results-link" value="{url}" readonly' in html
    assert 'data-copy-target="results-link" hidden' in html
    with app.test_request_context():
        links.revoke_link(db.session.get(Review, review.id), "results")
    html = _text(vendor_client, f"/reviews/{review.public_id}")
    assert 'id="results-link" value' not in html and "The results link was revoked" in html


# --- 2. "Change" brings the respondent back to the check page ---------------------------------


def _started(make_respondent: Callable[..., MadeRespondent], review: MadeReview) -> str:
    return make_respondent(review, "client", answers=CLIENT_ANSWERS).resume_token


def test_change_links_carry_next_review(
    client: FlaskClient, review: MadeReview, make_respondent: Callable[..., MadeRespondent]
) -> None:
    rt = _started(make_respondent, review)
    html = _text(client, f"/r/resume/{rt}/review")
    assert f'href="/r/resume/{rt}/page/2?next=review#q-recommend"' in html
    page = _text(client, f"/r/resume/{rt}/page/2?next=review")
    assert '<input type="hidden" name="next" value="review">' in page
    assert "Save and go back to check your answers" in page
    assert 'name="next"' not in _text(client, f"/r/resume/{rt}/page/2")


def test_saving_a_changed_answer_returns_to_the_check_page(
    app: Flask,
    client: FlaskClient,
    review: MadeReview,
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    rt = _started(make_respondent, review)
    response = client.post(
        f"/r/resume/{rt}/page/1", data={"recommend": "3", "nav": "next", "next": "review"}
    )
    assert response.location == f"/r/resume/{rt}/review"
    # without it, or with anything else, the journey goes on to the next page
    for extra in ({}, {"next": "https://evil.example/"}, {"next": "done"}):
        response = client.post(f"/r/resume/{rt}/page/1", data={"nav": "next", **extra})
        assert response.location == f"/r/resume/{rt}/page/2", extra


def test_follow_up_opened_on_the_page_keeps_the_way_back(
    client: FlaskClient, review: MadeReview, make_respondent: Callable[..., MadeRespondent]
) -> None:
    rt = _started(make_respondent, review)
    response = client.post(
        f"/r/resume/{rt}/page/1",
        data={"last-contacts": "Firefighting", "nav": "next", "next": "review"},
    )
    assert response.location == f"/r/resume/{rt}/page/1?next=review"


def test_page_with_errors_keeps_the_way_back_to_the_check_page(
    client: FlaskClient, review: MadeReview, make_respondent: Callable[..., MadeRespondent]
) -> None:
    rt = _started(make_respondent, review)
    response = client.post(
        f"/r/resume/{rt}/page/2",
        data={"main-channel": "Carrier pigeon", "nav": "next", "next": "review"},
    )
    assert response.status_code == 422
    assert '<input type="hidden" name="next" value="review">' in response.get_data(as_text=True)


def test_missing_answer_links_return_to_the_check_page(
    client: FlaskClient, review: MadeReview, make_respondent: Callable[..., MadeRespondent]
) -> None:
    rt = make_respondent(review, "client", answers={"knows-priorities": 4}).resume_token
    response = client.post(f"/r/resume/{rt}/review")
    assert response.status_code == 422
    assert f'href="/r/resume/{rt}/page/2?next=review#q-recommend"' in response.get_data(
        as_text=True
    )


# --- 3. answer counts ---------------------------------------------------------------------------


def _answers_cell(html: str, name: str) -> str:
    match = re.search(
        rf"<td>{name}</td>.*?<td>(\d+) <span class=\"muted\">of (\d+)</span>", html, re.S
    )
    assert match, name
    return f"{match.group(1)} of {match.group(2)}"


def test_not_applicable_counts_and_hidden_follow_ups_do_not(
    vendor_client: FlaskClient,
    review: MadeReview,
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    everything = {**CLIENT_ANSWERS, "knows-priorities": "Don't know", "more-valued": "More"}
    make_respondent(review, "client", name="Hiro", answers=everything, submit=True)
    follow_up = {**everything, "last-contacts": ["Firefighting"], "firefight-cause": "Outage"}
    make_respondent(review, "client", name="Kei", answers=follow_up)
    make_respondent(review, "client", name="Ren", answers={"recommend": 8})
    html = _text(vendor_client, f"/reviews/{review.public_id}")
    # 6 always-asked questions; "Don't know" is an answer; the hidden follow-ups are not asked
    assert _answers_cell(html, "Hiro") == "6 of 6"
    assert _answers_cell(html, "Kei") == "7 of 7"  # the firefighting follow-up appeared
    assert _answers_cell(html, "Ren") == "1 of 6"


def test_vendor_panel_and_welcome_page_give_the_same_question_count(
    vendor_client: FlaskClient,
    review: MadeReview,
) -> None:
    assert "6 questions, and up to 2 follow-ups" in _text(
        vendor_client, f"/r/{review.client_token}"
    )
    assert "4 questions, and up to 1 follow-up " in _text(
        vendor_client, f"/r/{review.vendor_token}"
    )
    html = _text(vendor_client, f"/reviews/{review.public_id}")
    assert "6 questions, and up to 2 follow-ups, about 4 minutes" in html
    assert "4 questions, and up to 1 follow-up, about 2 minutes" in html


# --- 4. starting and closing a review -----------------------------------------------------------


def test_new_review_form_describes_each_questionnaire(vendor_client: FlaskClient) -> None:
    html = _text(vendor_client, "/reviews/new")
    assert '<option selected value="vendor-value-review">' in html
    assert '<option selected value="quarterly-pulse">' not in html
    pulse = re.search(r'<li id="about-quarterly-pulse">(.*?)</li>', html, re.S)
    flagship = re.search(r'<li id="about-vendor-value-review">(.*?)</li>', html, re.S)
    assert pulse and flagship
    assert re.search(r"\d+ questions for your team", pulse.group(1))
    assert '<p class="hint">' in flagship.group(1)  # its summary
    # repeating a review still preselects that review's questionnaire
    repeat = _text(vendor_client, "/reviews/new?questionnaire=quarterly-pulse")
    assert '<option selected value="quarterly-pulse">' in repeat


def test_close_collection_asks_first(
    app: Flask,
    vendor_client: FlaskClient,
    review: MadeReview,
) -> None:
    close = f"/reviews/{review.public_id}/close"
    assert f'href="{close}"' in _text(vendor_client, f"/reviews/{review.public_id}")
    html = _text(vendor_client, close)
    assert "Close collection?" in html
    assert "Respondents can't change answers" in html
    assert re.search(
        rf'<form class="inline-form" method="post" action="{close}">\s*'
        r'<input type="hidden" name="csrf_token"',
        html,
    )
    with app.app_context():
        assert db.session.get(Review, review.id).status == "open"  # a GET changes nothing
    assert vendor_client.post(close).status_code == 302
    with app.app_context():
        assert db.session.get(Review, review.id).status == "closed"
    assert vendor_client.get(close).location == f"/reviews/{review.public_id}"  # nothing to confirm


def test_close_still_needs_csrf(
    app: Flask, vendor_a: Persona, make_review: Callable[..., MadeReview], login: Callable
) -> None:
    review = make_review(vendor_a, questionnaire_path=QUESTIONNAIRE)
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    login(client, vendor_a)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        html = _text(client, f"/reviews/{review.public_id}/close")
        assert client.post(f"/reviews/{review.public_id}/close").status_code == 400
        token = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert token
        response = client.post(
            f"/reviews/{review.public_id}/close", data={"csrf_token": token.group(1)}
        )
        assert response.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        assert db.session.get(Review, review.id).status == "closed"


# --- 5 and 6. question widgets and the welcome form ---------------------------------------------


def test_short_text_is_a_one_line_input_long_text_a_text_area(
    client: FlaskClient, review: MadeReview, make_respondent: Callable[..., MadeRespondent]
) -> None:
    rt = make_respondent(review, "client", answers={"knows-priorities": 2}).resume_token
    html = _text(client, f"/r/resume/{rt}/page/3")
    # more-valued: max_length 20 -> one line; missed: the default 2000 -> a text area
    assert re.search(
        r'<input type="text" id="q-more-valued-input" name="more-valued" value="" maxlength="20"',
        html,
    )
    assert '<textarea id="q-missed-input" name="missed" rows="5"' in html
    assert 'id="q-more-valued-input" name="more-valued" rows' not in html


def test_short_text_answer_is_shown_again_in_its_input(
    client: FlaskClient, review: MadeReview, make_respondent: Callable[..., MadeRespondent]
) -> None:
    rt = make_respondent(review, "client", answers={"more-valued": 'Say "hi"'}).resume_token
    html = _text(client, f"/r/resume/{rt}/page/3")
    assert 'name="more-valued" value="Say &#34;hi&#34;"' in html


def test_multiple_choice_instruction_appears_once(
    client: FlaskClient,
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    flagship = make_review(vendor_a)  # its last-contacts is a multiple choice
    rt = make_respondent(flagship, "client").resume_token
    pages = [client.get(f"/r/resume/{rt}/page/{n}").get_data(as_text=True) for n in (1, 2, 3)]
    html = next(p for p in pages if 'data-question="last-contacts"' in p)
    assert html.count("Choose all that apply.") == 1
    assert "Choose every option that applies." not in html
    assert 'aria-describedby="q-last-contacts-multiple"' in html


def test_welcome_form_fields_are_spaced() -> None:
    css = (ROOT / "static" / "css" / "respond.css").read_text()
    assert re.search(r"\.start-form > \* \+ \* \{ margin-top: [1-9]", css)


def test_expired_link_gives_no_results_door(
    app: Flask,
    client: FlaskClient,
    review: MadeReview,
    make_respondent: Callable[..., MadeRespondent],
) -> None:
    _, submitted = _both_submitted(make_respondent, review)
    with app.app_context():
        row = db.session.get(Review, review.id)
        link = row.current_link("client")
        link.expires_at = utcnow()
        db.session.commit()
    assert _door_href(_text(client, f"/r/resume/{submitted.resume_token}/done")) is None
