"""Route tests of the respondent journey: shared link, pages, review, submit, safety nets."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from factories import MadeRespondent, MadeReview, Persona
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from survey import links
from survey.extensions import db
from survey.links import TokenRedactingFilter, redact
from survey.models import Answer, Respondent, Review, ShareLink, hash_token, utcnow
from survey.questionnaires import questionnaire_for
from survey.respond import operations as ops

QUESTIONNAIRE = Path(__file__).parent / "data" / "respond" / "respond-test.yaml"
PRIVACY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}


# --- helpers -------------------------------------------------------------------------------


@pytest.fixture
def review(vendor_a: Persona, make_review: Callable[..., MadeReview]) -> MadeReview:
    """Vendor A's review of Globex on the small respond-test questionnaire."""
    return make_review(vendor_a, questionnaire_path=QUESTIONNAIRE)


def start(client: FlaskClient, shared: str, **form: str) -> str:
    """Start a response through the shared link; the raw resume token."""
    response = client.post(f"/r/{shared}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/r/resume/([^/]+)/page/1$", response.location)
    assert match, response.location
    return match.group(1)


def page(rt: str, number: int) -> str:
    return f"/r/resume/{rt}/page/{number}"


def stored(app: Flask, rt: str) -> dict[str, Any]:
    """The answers stored for a resume token."""
    with app.app_context():
        respondent = respondent_of(rt)
        return ops.answers_of(respondent)


def respondent_of(rt: str) -> Respondent:
    respondent = db.session.scalar(
        sa.select(Respondent).where(Respondent.resume_token_hash == hash_token(rt))
    )
    assert respondent is not None
    return respondent


def fingerprints(html: str) -> dict[str, str]:
    """The `_was-*` fields a page would post (hidden questions' ones are disabled)."""
    found = re.findall(r'<input type="hidden" name="(_was-[^"]+)" value="([^"]+)"[^>]*>', html)
    disabled = re.findall(
        r'<input type="hidden" name="(_was-[^"]+)" value="[^"]+" [^>]*disabled', html
    )
    return {name: value for name, value in found if name not in disabled}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def answer_all_required(client: FlaskClient, rt: str) -> None:
    client.post(page(rt, 1), data={"knows-priorities": "4", "last-contacts": "Adding value"})
    client.post(page(rt, 2), data={"recommend": "8", "main-channel": "Email"})
    client.post(page(rt, 3), data={"renew": "Yes, renew"})


# --- welcome and start ---------------------------------------------------------------------


def test_welcome_shows_party_intro_question_count_and_minutes(
    client: FlaskClient, review: MadeReview
) -> None:
    body = text(client.get(f"/r/{review.client_token}"))
    assert "Buyer · Globex" in body
    assert "Tell us how Acme Analytics serves you." in body
    assert "6 questions, and up to 2 follow-ups" in body
    assert "About 4 minutes" in body  # 4 clicks x 20 s + 2 texts x 90 s = 260 s
    vendor = text(client.get(f"/r/{review.vendor_token}"))
    assert "Supplier · Acme Analytics" in vendor
    assert "Tell us how you see the work with Globex." in vendor
    assert "4 questions, and up to 1 follow-up " in vendor
    assert "About 2 minutes" in vendor


def test_start_creates_respondent_with_hashed_token_and_cookie(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    response = client.post(f"/r/{review.client_token}", data={"name": "Hiro", "role": "COO"})
    assert response.status_code == 302
    rt = response.location.split("/")[3]
    cookie = response.headers["Set-Cookie"]
    assert f"={rt};" in cookie
    for attribute in ("HttpOnly", "SameSite=Lax", "Path=/r", "Max-Age="):
        assert attribute in cookie
    with app.app_context():
        respondent = respondent_of(rt)
        assert (respondent.party, respondent.name, respondent.role) == ("client", "Hiro", "COO")
        assert respondent.resume_token_hash == hash_token(rt) != rt


def test_shared_link_with_cookie_resumes(client: FlaskClient, review: MadeReview) -> None:
    rt = start(client, review.client_token)
    response = client.get(f"/r/{review.client_token}")
    assert response.status_code == 302
    assert response.location.endswith(f"/r/resume/{rt}")
    other = client.get(f"/r/{review.vendor_token}")  # the other party's link: no resume
    assert other.status_code == 200


def test_resume_lands_on_first_page_with_an_open_question(
    client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    client.post(page(rt, 1), data={"knows-priorities": "4", "last-contacts": "Adding value"})
    assert client.get(f"/r/resume/{rt}").location.endswith(page(rt, 2))
    answer_all_required(client, rt)
    client.post(page(rt, 3), data={"more-valued": "More visits"})
    assert client.get(f"/r/resume/{rt}").location.endswith(f"/r/resume/{rt}/review")


# --- pages ---------------------------------------------------------------------------------


def test_page_shows_progress_and_party_wording_with_names(
    client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    body = text(client.get(page(rt, 2)))
    assert "Section 2 of 3" in body and '<progress max="3" value="2"' in body
    body = text(client.get(page(rt, 1)))
    assert '<legend class="question-text">Acme Analytics knows what matters most to us.' in body
    assert 'aria-describedby="q-knows-priorities-help"' in body
    assert "Keep this link to come back" in body and f"/r/resume/{rt}" in body
    vt = start(client, review.vendor_token)
    vendor_body = text(client.get(page(vt, 1)))
    assert "We know what matters most to Globex." in vendor_body
    assert client.get(page(vt, 3)).status_code == 404  # the buyer-only section is not theirs


def test_next_and_back_save_and_keep_answers(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    response = client.post(
        page(rt, 1), data={"nav": "next", "knows-priorities": "4", "last-contacts": "Adding value"}
    )
    assert response.location.endswith(page(rt, 2))
    response = client.post(page(rt, 2), data={"nav": "back", "recommend": "9"})
    assert response.location.endswith(page(rt, 1))
    body = text(client.get(page(rt, 1)))
    assert re.search(r'value="4"\s+checked', body)
    assert re.search(r'value="Adding value"\s+checked', body)
    assert 'value="9"' in text(client.get(page(rt, 2)))
    assert stored(app, rt) == {
        "knows-priorities": 4,
        "last-contacts": ["Adding value"],
        "recommend": 9,
    }
    last = client.post(page(rt, 3), data={"nav": "next", "renew": "No"})
    assert last.location.endswith(f"/r/resume/{rt}/review")


def test_a_page_view_loads_respondent_review_and_answers_in_three_queries(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    """Issue 15, point 3: no lazy load per question, whatever the page."""
    rt = start(client, review.client_token)
    answer_all_required(client, rt)
    selects: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            for url in (page(rt, 1), page(rt, 2), page(rt, 3), f"/r/resume/{rt}/review"):
                selects.clear()
                assert client.get(url).status_code == 200
                assert len(selects) <= 3, (url, selects)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)


def test_a_page_of_answers_is_written_in_one_statement(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    """Issue 15, point 3: one upsert per page post, a first save and a change alike."""
    rt = start(client, review.client_token)
    written: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if re.match(r"\s*(INSERT|UPDATE|DELETE)\b[^(]*\banswer\b", statement, re.I):
            written.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            data = {"knows-priorities": "4", "last-contacts": "Adding value"}
            client.post(page(rt, 1), data=data)
            assert len(written) == 1 and written[0].lstrip().upper().startswith("INSERT")
            written.clear()
            client.post(page(rt, 1), data={**data, "knows-priorities": "2"})
            assert len(written) == 1 and "ON CONFLICT" in written[0].upper()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
    assert stored(app, rt) == {"knows-priorities": 2, "last-contacts": ["Adding value"]}


def test_not_applicable_is_kept_and_counts_as_answered(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    client.post(page(rt, 1), data={"knows-priorities": "na", "last-contacts": "Firefighting"})
    answers = stored(app, rt)
    assert answers["knows-priorities"] is None
    assert re.search(r'value="na"\s+checked', text(client.get(page(rt, 1))))
    with app.app_context():
        questionnaire = questionnaire_for(db.session.get(Review, review.id))
        missing = ops.missing_required(questionnaire, "client", answers)
    assert "knows-priorities" not in [q.id for q in missing]


def test_range_scale_has_no_not_applicable_option(client: FlaskClient, review: MadeReview) -> None:
    rt = start(client, review.client_token)
    body = text(client.get(page(rt, 2)))
    assert "0 – Not at all likely" in body and "10 – Extremely likely" in body
    assert 'name="recommend" value="na"' not in body
    response = client.post(page(rt, 2), data={"recommend": "na"})
    assert response.status_code == 422


def test_multiple_choice_saves_a_list_and_unticking_all_clears_it(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    client.post(page(rt, 1), data={"last-contacts": ["Adding value", "An escalation"]})
    assert stored(app, rt)["last-contacts"] == ["Adding value", "An escalation"]
    was = fingerprints(text(client.get(page(rt, 1))))
    client.post(page(rt, 1), data={**was})  # every box unticked
    assert "last-contacts" not in stored(app, rt)


def test_show_if_is_applied_on_the_server(client: FlaskClient, review: MadeReview) -> None:
    rt = start(client, review.client_token)
    # Controller on another page: the follow-up is not rendered at all until it applies.
    assert "q-missed" not in text(client.get(page(rt, 3)))
    client.post(page(rt, 1), data={"knows-priorities": "1"})
    body = text(client.get(page(rt, 3)))
    assert 'id="q-missed"' in body and "What does Acme Analytics miss" in body
    assert "data-show-if" not in body.split('id="q-missed"')[1].split(">")[0]
    # Controller on the same page: rendered hidden, inputs disabled, with the live test.
    body = text(client.get(page(rt, 1)))
    wrapper = body.split('id="q-firefight-cause"')[1].split("</div>")[0]
    assert " hidden>" in wrapper and "disabled" in wrapper
    assert 'data-show-if=\'{"question": "last-contacts"' in body


def test_follow_up_revealed_without_script_brings_the_page_back(
    client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    was = fingerprints(text(client.get(page(rt, 1))))
    assert "_was-firefight-cause" not in was  # hidden: disabled, so not posted
    response = client.post(
        page(rt, 1), data={**was, "knows-priorities": "3", "last-contacts": "Firefighting"}
    )
    assert response.location.endswith(page(rt, 1))
    body = text(client.get(page(rt, 1)))
    assert "opened a follow-up question" in body
    assert " hidden>" not in body.split('id="q-firefight-cause"')[1].split("</div>")[0]


def test_answer_hidden_by_a_later_change_is_discarded(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    client.post(page(rt, 1), data={"knows-priorities": "1"})
    client.post(page(rt, 3), data={"missed": "Our quarterly targets"})
    assert stored(app, rt)["missed"] == "Our quarterly targets"
    client.post(page(rt, 1), data={"knows-priorities": "4"})
    assert "missed" not in stored(app, rt)
    assert "no longer applies" in text(client.get(page(rt, 2)))


def test_hidden_question_is_never_required(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    answer_all_required(client, rt)  # knows-priorities 4: "missed" (required) stays hidden
    response = client.post(f"/r/resume/{rt}/review")
    assert response.location.endswith(f"/r/resume/{rt}/done")
    rt2 = start(client, review.client_token)
    answer_all_required(client, rt2)
    client.post(page(rt2, 1), data={"knows-priorities": "2"})  # now "missed" is shown
    response = client.post(f"/r/resume/{rt2}/review")
    assert response.status_code == 422
    assert f'href="/r/resume/{rt2}/page/3?next=review#q-missed"' in text(response)


def test_next_does_not_block_but_names_open_required_questions(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    response = client.post(page(rt, 1), data={"nav": "next", "knows-priorities": "4"})
    assert response.location.endswith(page(rt, 2))
    body = text(client.get(page(rt, 2)))
    assert "1 required question in “Listening” still open" in body


def test_submit_with_missing_answers_shows_summary_linked_to_pages(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    client.post(page(rt, 1), data={"knows-priorities": "4"})
    response = client.post(f"/r/resume/{rt}/review")
    assert response.status_code == 422
    body = text(response)
    assert "Some required questions are not answered yet" in body
    for number, qid in ((1, "last-contacts"), (2, "recommend"), (2, "main-channel"), (3, "renew")):
        assert f'href="/r/resume/{rt}/page/{number}?next=review#q-{qid}"' in body
    assert 'q-more-valued"' not in body.split("</ul>")[0]  # optional text: not listed
    with app.app_context():
        assert respondent_of(rt).submitted_at is None


def test_invalid_value_gets_a_message_next_to_the_field(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    response = client.post(page(rt, 2), data={"main-channel": "Carrier pigeon", "recommend": "7"})
    assert response.status_code == 422
    body = text(response)
    assert 'id="q-main-channel-error"' in body and "Choose one of the options shown." in body
    assert 'aria-invalid="true"' in body
    assert 'href="#q-main-channel-0"' in body  # the error summary links to the field
    assert stored(app, rt) == {"recommend": 7}  # the valid answer was still saved


def test_text_over_max_length_is_cut_with_a_message(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    long_text = "Visit us every single month please"  # 34 characters, the limit is 20
    response = client.post(page(rt, 3), data={"more-valued": long_text, "nav": "next"})
    assert response.status_code == 200
    body = text(response)
    assert "we kept the first 20" in body and 'id="q-more-valued-notice"' in body
    assert stored(app, rt)["more-valued"] == long_text[:20].rstrip()
    assert 'maxlength="20"' in body and "Up to 20 characters." in body


def test_review_page_lists_answers_with_change_links(
    client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    answer_all_required(client, rt)
    client.post(page(rt, 3), data={"more-valued": "Visit more"})
    body = text(client.get(f"/r/resume/{rt}/review"))
    for answer in ("Agree", "Adding value", "8", "Email", "Yes, renew", "Visit more"):
        assert f'<span class="answer-text">{answer}</span>' in body
    assert f'href="/r/resume/{rt}/page/2?next=review#q-recommend"' in body
    assert "Submit my answers" in body


# --- submit and after ----------------------------------------------------------------------


def test_submit_shows_thanks_and_response_becomes_read_only(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    answer_all_required(client, rt)
    response = client.post(f"/r/resume/{rt}/review")
    assert response.location.endswith(f"/r/resume/{rt}/done")
    body = text(client.get(f"/r/resume/{rt}/done"))
    assert "Thank you" in body and '<span class="answer-text">Agree</span>' in body
    assert "Change<" not in body
    assert client.get(page(rt, 1)).location.endswith(f"/r/resume/{rt}/done")
    refused = client.post(page(rt, 1), data={"knows-priorities": "1"})
    assert refused.status_code == 409 and "can no longer be changed" in text(refused)
    autosave = client.post(f"/r/resume/{rt}/autosave", data={"_page": "1"})
    assert autosave.status_code == 409
    assert stored(app, rt)["knows-priorities"] == 4


def test_double_submit_records_once(app: Flask, client: FlaskClient, review: MadeReview) -> None:
    rt = start(client, review.client_token)
    answer_all_required(client, rt)
    first = client.post(f"/r/resume/{rt}/review")
    with app.app_context():
        submitted_at = respondent_of(rt).submitted_at
    second = client.post(f"/r/resume/{rt}/review")
    assert first.location == second.location
    with app.app_context():
        respondent = respondent_of(rt)
        assert respondent.submitted_at == submitted_at
        assert ops.submit_response(respondent) is False


def test_closed_review_says_so_and_keeps_answers(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    client.post(page(rt, 1), data={"knows-priorities": "4"})
    with app.app_context():
        db.session.get(Review, review.id).status = "closed"
        db.session.commit()
    for response in (
        client.get(page(rt, 1)),
        client.post(page(rt, 1), data={"knows-priorities": "1"}),
        client.get(f"/r/{review.vendor_token}"),
    ):
        assert response.status_code == 403
        assert "This survey is closed" in text(response)
    assert "answers you gave so far are kept" in text(client.get(page(rt, 1)))
    assert stored(app, rt) == {"knows-priorities": 4}


def _change_link(app: Flask, review: MadeReview, party: str, **values: Any) -> None:
    with app.app_context():
        link = db.session.scalar(
            sa.select(ShareLink).where(ShareLink.token_hash == hash_token(review.tokens[party]))
        )
        for name, value in values.items():
            setattr(link, name, value)
        db.session.commit()


def test_revoked_link_is_410_with_a_message(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    _change_link(app, review, "client", revoked_at=utcnow())
    response = client.get(f"/r/{review.client_token}")
    assert response.status_code == 410
    assert "This link was withdrawn" in text(response)
    assert client.post(f"/r/{review.client_token}").status_code == 410
    unknown = client.get("/r/not-a-real-token")
    assert unknown.status_code == 404 and "This link does not open a survey" in text(unknown)
    assert client.get("/r/resume/not-a-real-token/page/1").status_code == 404


def test_expired_link_is_410(app: Flask, client: FlaskClient, review: MadeReview) -> None:
    _change_link(app, review, "client", expires_at=utcnow() - timedelta(minutes=1))
    response = client.get(f"/r/{review.client_token}")
    assert response.status_code == 410 and "This link has expired" in text(response)
    _change_link(app, review, "vendor", expires_at=utcnow() + timedelta(days=1))
    assert client.get(f"/r/{review.vendor_token}").status_code == 200


def test_capability_pages_send_privacy_headers(client: FlaskClient, review: MadeReview) -> None:
    rt = start(client, review.client_token)
    answer_all_required(client, rt)
    responses = [
        client.get(f"/r/{review.vendor_token}"),
        client.get(page(rt, 1)),
        client.get(f"/r/resume/{rt}/review"),
        client.post(f"/r/resume/{rt}/autosave", data={"_page": "1"}),
        client.get("/r/unknown-token"),
    ]
    for response in responses:
        for name, value in PRIVACY_HEADERS.items():
            assert response.headers.get(name) == value, (response.request.path, name)


def test_tokens_are_redacted_from_request_logs() -> None:
    line = '127.0.0.1 - - "GET /r/resume/AbCdEfGhIjKlMnOp/page/2 HTTP/1.1" 200'
    assert redact(line) == '127.0.0.1 - - "GET /r/resume/AbCd…/page/2 HTTP/1.1" 200'
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '"%s" %s',
        ("GET /r/SecretToken123 HTTP/1.1", 200),
        None,
    )
    TokenRedactingFilter().filter(record)
    assert "SecretToken123" not in record.getMessage()
    assert any(isinstance(f, TokenRedactingFilter) for f in logging.getLogger("werkzeug").filters)


# --- nothing is lost -----------------------------------------------------------------------


def test_expired_csrf_keeps_answers(app: Flask, client: FlaskClient, review: MadeReview) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    welcome = text(client.get(f"/r/{review.client_token}"))
    response = client.post(f"/r/{review.client_token}", data={"csrf_token": csrf_of(welcome)})
    rt = response.location.split("/")[3]
    was = fingerprints(text(client.get(page(rt, 1))))
    posted = {**was, "knows-priorities": "2", "last-contacts": ["Firefighting"], "nav": "next"}
    response = client.post(page(rt, 1), data={**posted, "csrf_token": "expired-token"})
    assert response.status_code == 400
    body = text(response)
    assert "Your session had expired; we kept your answers — press Save again." in body
    assert re.search(r'value="2"\s+checked', body)
    assert re.search(r'value="Firefighting"\s+checked', body)
    assert stored(app, rt) == {}
    response = client.post(page(rt, 1), data={**posted, "csrf_token": csrf_of(body)})
    assert response.status_code == 302
    assert stored(app, rt) == {"knows-priorities": 2, "last-contacts": ["Firefighting"]}


def test_form_posts_without_csrf_token_are_refused(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(page(rt, 1), data={"knows-priorities": "5"})
    assert response.status_code == 400
    response = client.post(f"/r/resume/{rt}/review")
    assert response.status_code == 400 and "press Submit again" in text(response)
    assert stored(app, rt) == {}
    response = client.post(f"/r/{review.vendor_token}", data={"name": "Dana", "csrf_token": "x"})
    assert response.status_code == 400 and "press Start again" in text(response)
    assert 'value="Dana"' in text(response)  # the name typed is kept
    assert "Set-Cookie" not in response.headers or "rapport_resume" not in str(response.headers)


def test_two_tabs_do_not_wipe_each_other(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    tab_a = fingerprints(text(client.get(page(rt, 1))))
    tab_b = fingerprints(text(client.get(page(rt, 2))))
    client.post(
        page(rt, 1), data={**tab_a, "knows-priorities": "4", "last-contacts": "Adding value"}
    )
    client.post(page(rt, 2), data={**tab_b, "recommend": "7", "main-channel": "Phone"})
    assert stored(app, rt) == {
        "knows-priorities": 4,
        "last-contacts": ["Adding value"],
        "recommend": 7,
        "main-channel": "Phone",
    }
    # Tab A keeps an old copy of page 1 open; tab B changes page 1, then A posts its copy
    # with only the multiple choice changed.
    stale_a = fingerprints(text(client.get(page(rt, 1))))
    fresh_b = fingerprints(text(client.get(page(rt, 1))))
    client.post(
        page(rt, 1), data={**fresh_b, "knows-priorities": "2", "last-contacts": "Adding value"}
    )
    client.post(
        page(rt, 1),
        data={
            **stale_a,
            "knows-priorities": "4",
            "last-contacts": ["Adding value", "Firefighting"],
        },
    )
    answers = stored(app, rt)
    assert answers["knows-priorities"] == 2  # B's change survives A's stale copy
    assert answers["last-contacts"] == ["Adding value", "Firefighting"]
    assert answers["recommend"] == 7 and answers["main-channel"] == "Phone"
    # A stale, empty text area does not blank text typed in another tab.
    stale_page3 = fingerprints(text(client.get(page(rt, 3))))
    client.post(page(rt, 3), data={"more-valued": "Visit more"})
    client.post(page(rt, 3), data={**stale_page3, "more-valued": "", "renew": "No"})
    assert stored(app, rt)["more-valued"] == "Visit more"
    assert stored(app, rt)["renew"] == "No"


def test_autosave_saves_and_returns_fresh_fingerprints(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    was = fingerprints(text(client.get(page(rt, 3))))
    response = client.post(
        f"/r/resume/{rt}/autosave", data={**was, "_page": "3", "more-valued": "Call first"}
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "saved"
    assert data["was"]["more-valued"] != was["_was-more-valued"]
    assert stored(app, rt) == {"more-valued": "Call first"}
    # Changing back to the first value saves too (the page took the new fingerprint).
    again = client.post(
        f"/r/resume/{rt}/autosave",
        data={"_was-more-valued": data["was"]["more-valued"], "_page": "3", "more-valued": ""},
    )
    assert again.get_json()["status"] == "saved"
    assert stored(app, rt) == {}
    bad_page = client.post(f"/r/resume/{rt}/autosave", data={"_page": "9"})
    assert bad_page.status_code == 400


def test_autosave_with_expired_csrf_token_gets_a_fresh_one(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    rt = start(client, review.client_token)
    app.config["WTF_CSRF_ENABLED"] = True
    data = {"_page": "3", "more-valued": "Call first"}
    response = client.post(f"/r/resume/{rt}/autosave", data=data, headers={"X-CSRFToken": "stale"})
    assert response.status_code == 400
    fresh = response.get_json()["csrf_token"]
    retry = client.post(f"/r/resume/{rt}/autosave", data=data, headers={"X-CSRFToken": fresh})
    assert retry.get_json()["status"] == "saved"
    assert stored(app, rt) == {"more-valued": "Call first"}


# --- operations ----------------------------------------------------------------------------


def test_save_answers_ignores_questions_not_asked_and_refuses_when_locked(
    app: Flask, client: FlaskClient, review: MadeReview
) -> None:
    vt = start(client, review.vendor_token)
    with app.app_context():
        respondent = respondent_of(vt)
        questionnaire = questionnaire_for(respondent.review)
        ops.save_answers(respondent, questionnaire, {"renew": "No", "recommend": 5})
        assert ops.answers_of(respondent) == {"recommend": 5}
        with pytest.raises(ops.AnswerError):
            ops.save_answers(respondent, questionnaire, {"recommend": 11})
        ops.save_answers(respondent, questionnaire, {"recommend": 6})
        rows = db.session.scalars(sa.select(Answer).where(Answer.respondent_id == respondent.id))
        assert [(r.question_id, r.value) for r in rows] == [("recommend", 6)]  # updated in place
        respondent.review.status = "closed"
        db.session.commit()
        with pytest.raises(ops.ResponseLocked):
            ops.save_answers(respondent, questionnaire, {"recommend": 7})


# --- the way to the results, "Change" and the widgets (from the new-user trial) ---------------

DOOR = "See the results and the joint plan"
ROOT = Path(__file__).resolve().parent.parent

VENDOR_ANSWERS = {
    "knows-priorities": 4,
    "last-contacts": ["Adding value"],
    "recommend": 8,
    "main-channel": "Email",
}
CLIENT_ANSWERS = {**VENDOR_ANSWERS, "renew": "Yes, renew"}


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
