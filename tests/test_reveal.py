"""The staged reveal and the client's own results link (issue 11, points 2 and 3).

Results open to the vendor once each side has the review's minimum of submitted
respondents; the vendor prepares (responses to the client's proposals) and shares; the
client sees what is shared through a results link of its own, and is told when it is
being prepared, by whom, and when sharing stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from factories import MadeReview, Persona
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from test_results import example_people, make_scored

from survey import links
from survey.extensions import db
from survey.models import ActionItem, Review
from survey.reveal import missing_parties, results_ready, reveal_state

FLAGSHIP = "vendor-value-review"


@pytest.fixture
def prepared(
    app: Flask, vendor_a: Persona, make_review: Callable[..., Any], make_respondent: Any
) -> MadeReview:
    """Both sides submitted, not shared yet: open to the vendor only."""
    return make_scored(app, vendor_a, make_review, make_respondent, shared=False)  # type: ignore[no-any-return]


@pytest.fixture
def vendor(vendor_client: FlaskClient) -> FlaskClient:
    """A test client logged in as vendor A."""
    return vendor_client


def _state(app: Flask, review: MadeReview) -> str:
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        return reveal_state(row)


def _text(client: FlaskClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


# --- point 2: staged reveal -----------------------------------------------------------------


def test_results_open_to_the_vendor_first_then_to_the_client_once_shared(
    app: Flask, vendor: FlaskClient, prepared: MadeReview
) -> None:
    results = f"/r/{prepared.results_token}/results"
    visitor = app.test_client()
    assert _state(app, prepared) == "preparing"
    assert "dimension-table" in _text(vendor, f"/reviews/{prepared.public_id}/results")
    waiting = _text(visitor, results)
    assert "dimension-table" not in waiting
    assert "being prepared by Dana Vendor at Acme Analytics" in waiting
    assert visitor.get(f"{results}/report.pdf").status_code == 404
    assert visitor.post(f"{results}/propose", data={"propose-title": "x"}).status_code == 404

    page = _text(vendor, f"/reviews/{prepared.public_id}/results")
    assert "Share with Globex" in page
    response = vendor.post(f"/reviews/{prepared.public_id}/results/share")
    assert response.status_code == 302 and response.location.endswith("#sharing")
    assert _state(app, prepared) == "shared"
    assert "dimension-table" in _text(visitor, results)
    assert "Stop sharing with Globex" in _text(vendor, f"/reviews/{prepared.public_id}/results")

    vendor.post(f"/reviews/{prepared.public_id}/results/unshare")
    assert _state(app, prepared) == "withdrawn"
    stopped = _text(visitor, results)
    assert "not shared at the moment" in stopped and "dimension-table" not in stopped
    assert "stopped sharing" in stopped

    vendor.post(f"/reviews/{prepared.public_id}/results/share")  # and again
    assert "dimension-table" in _text(visitor, results)
    with app.app_context():
        row = db.session.get(Review, prepared.id)
        assert row is not None and row.shared_at is not None and row.unshared_at is not None


def test_sharing_before_the_results_exist_is_not_found(
    app: Flask,
    vendor: FlaskClient,
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
) -> None:
    review = make_review(vendor_a)
    assert vendor.post(f"/reviews/{review.public_id}/results/share").status_code == 404
    assert _state(app, review) == "collecting"


def test_minimum_of_respondents_per_side_holds_the_results(
    app: Flask, vendor: FlaskClient, make_respondent: Callable[..., Any]
) -> None:
    form = _text(vendor, "/reviews/new")
    assert '<option selected value="1">1 submitted respondent</option>' in form
    assert 'value="5">5 submitted respondents</option>' in form
    response = vendor.post(
        "/reviews/new",
        data={"questionnaire": FLAGSHIP, "client_name": "Globex", "min_respondents": "3"},
    )
    assert response.status_code == 302
    public_id = response.location.rsplit("/", 1)[1]
    assert "<strong>3 submitted respondents</strong>" in _text(vendor, response.location)
    with app.app_context():
        row = db.session.scalar(sa.select(Review).where(Review.public_id == public_id))
        assert row is not None and row.min_respondents == 3
        made = MadeReview(row.id, public_id, row.client_name, {})
    for party, name, answers in example_people():  # 2 at the vendor's, 3 at the client's
        make_respondent(made, party, name=name, answers=answers, submit=True)
    with app.app_context():
        row = db.session.get(Review, made.id)
        assert row is not None
        assert missing_parties(row) == ["vendor"]
    waiting = _text(vendor, f"/reviews/{public_id}/results")
    assert "at least 3 people" in waiting and "fewer than 3 have submitted" in waiting
    vendor_answers = next(a for p, _, a in example_people() if p == "vendor")
    make_respondent(made, "vendor", name="Second", answers=vendor_answers, submit=True)
    with app.app_context():
        assert results_ready(db.session.get(Review, made.id))  # type: ignore[arg-type]


@pytest.mark.parametrize("minimum", ["0", "6", "two"])
def test_new_review_refuses_a_minimum_outside_one_to_five(
    app: Flask, vendor: FlaskClient, minimum: str
) -> None:
    response = vendor.post(
        "/reviews/new",
        data={"questionnaire": FLAGSHIP, "client_name": "Globex", "min_respondents": minimum},
    )
    assert response.status_code == 200  # the form again, with its error
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0


def test_vendor_response_is_shown_beside_what_the_client_said(
    app: Flask, vendor: FlaskClient, prepared: MadeReview
) -> None:
    base = f"/reviews/{prepared.public_id}/results"
    vendor.post(f"{base}/share")
    visitor = app.test_client()
    results = f"/r/{prepared.results_token}/results"
    visitor.post(f"{results}/propose", data={"propose-title": "Meet every month"})
    vendor.post(f"{base}/unshare")  # prepare the answer out of sight
    with app.app_context():
        item = db.session.scalar(sa.select(ActionItem).where(ActionItem.proposed_by == "client"))
        assert item is not None and item.client_said == "Meet every month"
        item_id = item.public_id
    vendor.post(
        f"{base}/plan/{item_id}/edit",
        data={"title": "Monthly steering meeting", "owner": "joint", "status": "planned"},
    )
    response = vendor.post(
        f"{base}/plan/{item_id}/response", data={f"r-{item_id}-response": "Yes, from May."}
    )
    assert response.status_code == 302
    page = _text(vendor, base)
    assert "Globex said" in page and "Our response" in page and "Yes, from May." in page
    vendor.post(f"{base}/share")
    shown = _text(visitor, results)
    mine = shown.split(f'id="item-{item_id}"', 1)[1].split("</li>", 1)[0]
    assert "You said" in mine and "Meet every month" in mine  # its own words, kept
    assert "We propose" in mine and "Yes, from May." in mine
    assert "Monthly steering meeting" in mine


def test_a_response_only_answers_a_client_proposal(
    app: Flask, vendor: FlaskClient, prepared: MadeReview
) -> None:
    base = f"/reviews/{prepared.public_id}/results"
    add = vendor.post(
        f"{base}/plan/add",
        data={"new-title": "Ours", "new-owner": "vendor", "new-status": "planned"},
    )
    assert add.status_code == 302
    with app.app_context():
        item = db.session.scalar(sa.select(ActionItem).where(ActionItem.source == "custom"))
        assert item is not None
    response = vendor.post(f"{base}/plan/{item.public_id}/response", data={})
    assert response.status_code == 404


def test_answer_proposals_from_the_client_keep_its_words(
    app: Flask, vendor: FlaskClient, prepared: MadeReview
) -> None:
    """A proposal written in the client's answers, accepted with new words, keeps the old."""
    from survey.domain.scoring import score
    from survey.questionnaires import questionnaire_for
    from survey.results.data import pending_items
    from survey.reveal import review_answers_for

    with app.app_context():
        row = db.session.get(Review, prepared.id)
        assert row is not None
        result = score(questionnaire_for(row), review_answers_for(row))
        target = next(p for p in pending_items(row, result) if p.proposed_by == "client")
    prefix = "k-" + target.key.replace(":", "-")
    vendor.post(
        f"/reviews/{prepared.public_id}/results/plan/pending/{target.key}",
        data={f"{prefix}-title": "Our wording", f"{prefix}-owner": "joint", "decision": "accept"},
    )
    with app.app_context():
        item = db.session.scalar(sa.select(ActionItem).where(ActionItem.source_key == target.key))
        assert item is not None and item.title == "Our wording"
        assert item.client_said == target.said


# --- point 3: a results link of its own ---------------------------------------------------------


def test_results_link_is_its_own(
    app: Flask, vendor: FlaskClient, prepared: MadeReview, share_results: Callable[..., None]
) -> None:
    share_results(prepared)
    visitor = app.test_client()
    results = f"/r/{prepared.results_token}/results"
    assert visitor.get(f"/r/{prepared.client_token}/results").status_code == 404  # survey link
    assert visitor.get(f"/r/{prepared.results_token}").status_code == 404  # opens no survey
    vendor.post(f"/reviews/{prepared.public_id}/links/client/reissue")
    vendor.post(f"/reviews/{prepared.public_id}/links/client/revoke")
    assert "dimension-table" in _text(visitor, results)  # survey link changes leave it be

    vendor.post(f"/reviews/{prepared.public_id}/links/results/reissue")
    replaced = visitor.get(results)
    assert replaced.status_code == 410 and "This link was replaced" in replaced.text
    with app.app_context():
        row = db.session.get(Review, prepared.id)
        assert row is not None
        link = row.current_link("client", "results")
        assert link is not None
        new = links.link_token(link)
    assert new in _text(vendor, f"/reviews/{prepared.public_id}")
    assert "dimension-table" in _text(visitor, f"/r/{new}/results")
    vendor.post(f"/reviews/{prepared.public_id}/links/results/revoke")
    withdrawn = visitor.get(f"/r/{new}/results/report.pdf")
    assert withdrawn.status_code == 410 and "This link was withdrawn" in withdrawn.text
    assert visitor.get(f"/r/{prepared.vendor_token}").status_code == 200  # survey unaffected
    unknown = visitor.get("/r/no-such-token-at-all/results")
    assert unknown.status_code == 404 and "does not open the results" in unknown.text


def test_results_link_expires_on_its_own_day(
    app: Flask, vendor: FlaskClient, prepared: MadeReview
) -> None:
    from datetime import UTC, datetime, timedelta

    day = (datetime.now(UTC).date() + timedelta(days=2)).isoformat()
    response = vendor.post(
        f"/reviews/{prepared.public_id}/links/results/expiry", data={"results-expires_on": day}
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(Review, prepared.id)
        assert row is not None
        assert row.current_link("client", "results").expires_at is not None  # type: ignore[union-attr]
        assert row.current_link("client").expires_at is None  # type: ignore[union-attr]
        row.current_link("client", "results").expires_at = datetime.now(UTC)  # type: ignore[union-attr]
        db.session.commit()
    gone = app.test_client().get(f"/r/{prepared.results_token}/results")
    assert gone.status_code == 410 and "This link has expired" in gone.text


def test_review_page_shows_the_results_link_with_a_copy_button_and_the_rule(
    vendor: FlaskClient, prepared: MadeReview
) -> None:
    page = _text(vendor, f"/reviews/{prepared.public_id}")
    url = f"http://localhost/r/{prepared.results_token}/results"
    assert f'id="results-link" value="{url}" readonly' in page
    assert 'data-copy-target="results-link" hidden' in page  # the script only enhances
    assert "<strong>1 submitted respondent</strong>" in page
    assert "open to you only, being prepared" in page


@pytest.mark.parametrize(
    ("slot", "change", "stops", "keeps"),
    [
        ("client", "revoke", "stops opening the survey", "Globex's results link"),
        ("client", "reissue", "stops opening the survey", "Globex's results link"),
        ("results", "revoke", "stops opening the results page", "Both survey links"),
        ("results", "reissue", "A new results link takes its place", "Both survey links"),
        ("vendor", "revoke", "stops opening the survey", "your results page"),
    ],
)
def test_confirmation_says_exactly_what_stops_working(
    vendor: FlaskClient, prepared: MadeReview, slot: str, change: str, stops: str, keeps: str
) -> None:
    page = _text(vendor, f"/reviews/{prepared.public_id}/links/{slot}/{change}")
    stopping, keeping = page.split('id="keeps-title"', 1)
    assert "What stops working" in stopping and stops in stopping
    assert keeps in keeping
    assert str(escape("told the link was")) in stopping  # the 410 page, said in advance


def test_the_client_page_says_the_vendor_answered_only_once_it_has(
    app: Flask, vendor: FlaskClient, prepared: MadeReview
) -> None:
    base = f"/reviews/{prepared.public_id}/results"
    vendor.post(f"{base}/share")
    visitor = app.test_client()
    results = f"/r/{prepared.results_token}/results"
    assert "has answered what you proposed" not in _text(visitor, results)
    visitor.post(f"{results}/propose", data={"propose-title": "Meet every month"})
    assert "has answered what you proposed" not in _text(visitor, results)
    with app.app_context():
        item = db.session.scalar(sa.select(ActionItem).where(ActionItem.proposed_by == "client"))
        assert item is not None
        item_id = item.public_id
    vendor.post(f"{base}/plan/{item_id}/response", data={f"r-{item_id}-response": "Yes."})
    assert "Acme Analytics has answered what you proposed" in _text(visitor, results)


# --- issue 14, point 1: the one result of a review ------------------------------------------


@pytest.fixture
def result_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The public ids of the reviews :func:`survey.reveal.review_result` was asked for."""
    from survey import reveal

    calls: list[str] = []
    real = reveal.review_result

    def spy(review: Review) -> Any:
        calls.append(review.public_id)
        return real(review)

    monkeypatch.setattr(reveal, "review_result", spy)
    return calls


def test_every_page_the_pdf_and_the_portfolio_take_the_one_review_result(
    app: Flask,
    vendor: FlaskClient,
    prepared: MadeReview,
    result_calls: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from survey.models import Client
    from survey.results import views

    printed: list[str] = []

    def fake_pdf(html: str, *args: Any, **kwargs: Any) -> bytes:
        printed.append(html)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(views, "render_pdf", fake_pdf)
    vendor.post(f"/reviews/{prepared.public_id}/results/share")
    with app.app_context():
        client_id = db.session.scalars(sa.select(Client.public_id)).one()
    results = f"/reviews/{prepared.public_id}/results"
    link = f"/r/{prepared.results_token}/results"
    visitor = app.test_client()
    for who, path in [
        (vendor, results),
        (vendor, f"{results}/report.pdf"),
        (visitor, link),
        (visitor, f"{link}/report.pdf"),
        (vendor, "/"),
        (vendor, f"/clients/{client_id}"),
    ]:
        result_calls.clear()
        response = who.get(path)
        assert response.status_code == 200, path
        assert prepared.public_id in result_calls, path
    assert len(printed) == 2 and all("<html" in html for html in printed)


# --- the one result, kept while nothing it depends on changes (issue 15, point 2) -----------


@pytest.fixture
def engine_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the engine's runs on a review's answers."""
    from survey import reveal

    runs: list[int] = []
    real = reveal.score

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(reveal, "score", counted)
    return runs


def _result(app: Flask, review: MadeReview) -> Any:
    from survey import reveal

    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        return reveal.review_result(row)


def test_an_unchanged_review_is_scored_once(
    app: Flask,
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., Any],
    engine_runs: list[int],
) -> None:
    review = make_scored(app, vendor_a, make_review, make_respondent)
    first = _result(app, review)
    client = app.test_client()
    assert client.get(f"/r/{review.results_token}/results").status_code == 200
    assert _result(app, review) == first
    assert len(engine_runs) == 1


def test_a_new_submission_or_a_corrected_answer_is_scored_again(
    app: Flask,
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., Any],
    engine_runs: list[int],
) -> None:
    from survey.models import Answer

    review = make_scored(app, vendor_a, make_review, make_respondent)
    before = _result(app, review)
    client_answers = next(a for party, _, a in example_people() if party == "client")
    make_respondent(review, "client", answers={**client_answers, "recommend": 0}, submit=True)
    after = _result(app, review)
    assert len(engine_runs) == 2
    assert after.nps != before.nps
    with app.app_context():  # an answer corrected by hand in the database
        answer = db.session.scalars(sa.select(Answer).where(Answer.question_id == "recommend"))
        row = next(iter(answer))
        row.value = 10 if row.value != 10 else 9
        db.session.commit()
    assert _result(app, review) != after
    assert len(engine_runs) == 3
