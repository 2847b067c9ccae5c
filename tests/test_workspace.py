"""The vendor workspace: portfolio, starting reviews, shared links, collection, scoping."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from factories import MadeRespondent, MadeReview, Persona
from flask import Flask
from flask.testing import FlaskClient
from test_respond import CLIENT_ANSWERS, QUESTIONNAIRE

from survey import links
from survey.extensions import db
from survey.models import Client, Review, ShareLink, as_utc, hash_token

FLAGSHIP = "vendor-value-review"


@pytest.fixture
def acme(vendor_client: FlaskClient, vendor_a: Any) -> Any:
    """Vendor A, logged in on `client`."""
    return vendor_a


def _page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _resolves(app: Flask, token: str) -> bool:
    """Whether the respond journey's own lookup accepts a shared-link token."""
    from werkzeug.exceptions import HTTPException

    from survey.links import find_shared_link

    with app.test_request_context():
        try:
            find_shared_link(token)
        except HTTPException:
            return False
        return True


# --- portfolio ---------------------------------------------------------------------------


def test_empty_portfolio_invites_a_first_review(client: FlaskClient, acme: Any) -> None:
    page = _page(client, "/")
    assert "No reviews yet" in page
    assert 'href="/reviews/new"' in page


def test_portfolio_lists_clients_with_their_reviews(
    client: FlaskClient, acme: Any, make_review: Callable, make_respondent: Callable
) -> None:
    first = make_review(acme, client_name="Globex")
    make_review(acme, client_name="Globex")
    make_review(acme, client_name="Initrode")
    make_respondent(first, "client")
    page = _page(client, "/")
    # the portfolio table: one row per client, the latest review's date linked
    assert page.count('<tr data-client="') == 2
    assert page.index("Globex") < page.index("Initrode")
    latest = re.findall(r'<td data-key="last"><a href="/reviews/([^"]+)">', page)
    assert len(latest) == 2 and first.public_id not in latest  # Globex's latest is the second
    # the one client respondent has not submitted: the review waits on both sides
    assert "waiting on Acme Analytics and Globex" in page


def test_portfolio_shows_only_own_organisation(
    client: FlaskClient, acme: Any, vendor_b: Any, make_review: Callable
) -> None:
    make_review(vendor_b, client_name="Secret Client")
    assert "Secret Client" not in _page(client, "/")


# --- starting a review -------------------------------------------------------------------


def test_new_review_page_offers_the_catalogue(client: FlaskClient, acme: Any) -> None:
    page = _page(client, "/reviews/new")
    # the flagship is preselected (not the quarterly pulse, which sorts first by title)
    assert f'<option selected value="{FLAGSHIP}">Vendor value review (version 2)</option>' in page
    assert '<option value="quarterly-pulse">' in page
    assert 'list="known-clients"' in page


def test_start_review_stores_pinned_questionnaire_and_two_links(
    app: Flask, client: FlaskClient, acme: Any
) -> None:
    due = date.today() + timedelta(days=14)
    response = client.post(
        "/reviews/new",
        data={"questionnaire": FLAGSHIP, "client_name": "  Globex  ", "due_on": due.isoformat()},
    )
    assert response.status_code == 302
    public_id = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        review = db.session.scalar(sa.select(Review).where(Review.public_id == public_id))
        assert review is not None
        source = (app.config["SURVEY_QUESTIONNAIRES"] / f"{FLAGSHIP}.yaml").read_text("utf-8")
        assert review.questionnaire_source == source
        assert (review.questionnaire_id, review.questionnaire_version) == (FLAGSHIP, 2)
        assert (review.vendor_name, review.client_name) == ("Acme Analytics", "Globex")
        assert review.due_on == due
        assert review.status == "open"
        assert sorted((link.party, link.purpose) for link in review.links) == [
            ("client", "results"),
            ("client", "survey"),
            ("vendor", "survey"),
        ]
        assert not re.fullmatch(r"\d+", review.public_id)


def test_existing_client_is_reused_whatever_the_case(
    app: Flask, client: FlaskClient, acme: Any
) -> None:
    for name in ("Globex", "globex ", "GLOBEX"):
        client.post("/reviews/new", data={"questionnaire": FLAGSHIP, "client_name": name})
    with app.app_context():
        clients = list(db.session.scalars(sa.select(Client)))
        assert [c.name for c in clients] == ["Globex"]
        assert len(clients[0].reviews) == 3


def test_start_review_validation_messages(app: Flask, client: FlaskClient, acme: Any) -> None:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    page = client.post(
        "/reviews/new", data={"questionnaire": "", "client_name": "", "due_on": yesterday}
    ).get_data(as_text=True)
    assert "Choose a questionnaire." in page
    assert "Enter the client&#39;s name." in page
    assert "Choose today or a later date." in page
    assert 'href="#client_name"' in page
    page = client.post(
        "/reviews/new", data={"questionnaire": "no-such-thing", "client_name": "Globex"}
    ).get_data(as_text=True)
    assert "Not a valid choice." in page
    page = client.post(
        "/reviews/new",
        data={"questionnaire": FLAGSHIP, "client_name": "Globex", "due_on": "31/31/2020"},
    ).get_data(as_text=True)
    assert "Not a valid date value." in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0


# --- the review page ---------------------------------------------------------------------


def test_review_page_shows_both_links_and_invitations(
    client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme, due_on=date.today() + timedelta(days=7))
    page = _page(client, f"/reviews/{review.public_id}")
    for party in ("vendor", "client"):
        url = f"http://localhost/r/{review.tokens[party]}"
        assert f'id="link-{party}" value="{url}" readonly' in page
        assert f'data-copy-target="link-{party}" hidden' in page
        assert quote(url, safe="") in page  # inside the mailto body
    mailtos = re.findall(r'href="(mailto:[^"]+)"', page)
    assert len(mailtos) == 2
    assert mailtos[1].startswith(
        "mailto:?subject=How%20could%20Acme%20Analytics%20be%20a%20more%20valued%20vendor%3F&amp;body="
    )
    assert "%0D%0A" in mailtos[0] and " " not in mailtos[0]
    assert "Please answer by" in page


def test_links_are_derived_not_stored(app: Flask, acme: Any, make_review: Callable) -> None:
    review = make_review(acme)
    with app.app_context():
        links = list(db.session.scalars(sa.select(ShareLink)))
        for link in links:
            token = review.tokens["results" if link.purpose == "results" else link.party]
            assert link.token_hash == hash_token(token)
            assert token not in (link.salt, link.token_hash)
            assert link.token(app.config["SECRET_KEY"]) == token
            assert link.token("another key") != token


def test_review_page_lists_respondents(
    client: FlaskClient, acme: Any, make_review: Callable, make_respondent: Callable
) -> None:
    review = make_review(acme, names_to_other_side=True)  # else the client's are counts only
    make_respondent(review, "vendor", name="Dana", role="Account director")
    make_respondent(
        review, "client", name="Hiro", answers={"knows-priorities": 4, "honest-dialogue": "Agree"}
    )
    page = _page(client, f"/reviews/{review.public_id}")
    rows = re.findall(r"<tr>\s*<td>(Vendor|Client)</td>(.*?)</tr>", page, re.S)
    assert [party for party, _ in rows] == ["Vendor", "Client"]
    assert "Dana" in rows[0][1] and "Account director" in rows[0][1]
    assert "in progress" in rows[1][1]
    assert re.search(r"<td>2 <span class=\"muted\">of \d+</span></td>", rows[1][1])


def test_submitted_respondent_shows_submission_time(
    client: FlaskClient, acme: Any, make_review: Callable, make_respondent: Callable, app: Flask
) -> None:
    review = make_review(acme)
    with app.app_context():
        from survey.commands.demo import generated_answers
        from survey.questionnaires import questionnaire_for

        row = db.session.get(Review, review.id)
        answers = generated_answers(questionnaire_for(row), "client", seed=1)
    make_respondent(review, "client", name="Maria", answers=answers, submit=True)
    page = _page(client, f"/reviews/{review.public_id}")
    assert "1 submitted, 0 in progress" in page
    assert "in progress</span>" not in page


def test_revoke_makes_the_old_link_stop_working(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    assert _resolves(app, review.client_token)
    response = client.post(f"/reviews/{review.public_id}/links/client/revoke")
    assert response.status_code == 302
    assert not _resolves(app, review.client_token)
    assert _resolves(app, review.vendor_token)
    page = _page(client, f"/reviews/{review.public_id}")
    assert review.client_token not in page
    assert "This link was revoked" in page
    gone = client.get(f"/r/{review.client_token}")
    assert gone.status_code == 410
    assert "This link was withdrawn" in gone.get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "heading", "button"),
    [
        ("revoke", "Revoke the client link?", "Revoke link"),
        ("reissue", "Replace the client link?", "Replace with a new link"),
    ],
)
def test_link_changes_ask_first_and_change_nothing_until_confirmed(
    app: Flask,
    client: FlaskClient,
    acme: Any,
    make_review: Callable,
    change: str,
    heading: str,
    button: str,
) -> None:
    review = make_review(acme)
    review_page = _page(client, f"/reviews/{review.public_id}")
    url = f"/reviews/{review.public_id}/links/client/{change}"
    assert f'href="{url}"' in review_page  # the review page only links to the question
    confirm = _page(client, url)
    assert heading in confirm and f">{button}</button>" in confirm
    assert _resolves(app, review.client_token)  # asking changed nothing
    client.post(url)
    assert not _resolves(app, review.client_token)
    if change == "revoke":  # no live link left: asking again goes back to the review
        assert client.get(url).status_code == 302


def test_reissue_gives_a_new_link_and_kills_the_old(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    client.post(f"/reviews/{review.public_id}/links/vendor/reissue")
    assert not _resolves(app, review.vendor_token)
    page = _page(client, f"/reviews/{review.public_id}")
    new = re.search(r'id="link-vendor" value="http://localhost/r/([^"]+)"', page)
    assert new is not None
    assert new.group(1) != review.vendor_token
    assert _resolves(app, new.group(1))
    assert review.client_token in page  # the other party's link is untouched


def test_reissue_after_revoke(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    client.post(f"/reviews/{review.public_id}/links/client/revoke")
    client.post(f"/reviews/{review.public_id}/links/client/reissue")
    with app.app_context():
        links = list(
            db.session.scalars(
                sa.select(ShareLink).where(
                    ShareLink.party == "client", ShareLink.purpose == "survey"
                )
            )
        )
        assert [link.revoked_at is None for link in links] == [False, True]


def test_close_and_reopen_collection(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    client.post(f"/reviews/{review.public_id}/close")
    page = _page(client, f"/reviews/{review.public_id}")
    assert "Reopen collection" in page
    with app.app_context():
        assert db.session.get(Review, review.id).status == "closed"
    client.post(f"/reviews/{review.public_id}/reopen")
    assert "Close collection" in _page(client, f"/reviews/{review.public_id}")
    with app.app_context():
        assert db.session.get(Review, review.id).status == "open"


def test_set_and_clear_the_due_date(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    due = date.today() + timedelta(days=10)
    client.post(f"/reviews/{review.public_id}/due", data={"due_on": due.isoformat()})
    with app.app_context():
        assert db.session.get(Review, review.id).due_on == due
    assert f'value="{due.isoformat()}"' in _page(client, f"/reviews/{review.public_id}")
    client.post(f"/reviews/{review.public_id}/due", data={"due_on": ""})
    with app.app_context():
        assert db.session.get(Review, review.id).due_on is None


def test_due_date_in_the_past_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    response = client.post(f"/reviews/{review.public_id}/due", data={"due_on": "2001-01-01"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="due_on-error"' in page and "Choose today or a later date." in page
    with app.app_context():
        assert db.session.get(Review, review.id).due_on is None


def test_unknown_party_is_not_found(client: FlaskClient, acme: Any, make_review: Callable) -> None:
    review = make_review(acme)
    assert client.post(f"/reviews/{review.public_id}/links/auditor/reissue").status_code == 404


def test_key_rotation_offers_a_new_link(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    app.config["SECRET_KEY"] = "rotated"
    login_again = client  # the session cookie was signed with the old key
    login_again.post("/login", data={"email": acme.email, "password": acme.password})
    page = _page(login_again, f"/reviews/{review.public_id}")
    assert "cannot be shown any more" in page
    assert review.vendor_token not in page
    assert _resolves(app, review.vendor_token)  # the old link itself still works


# --- organisation scoping ----------------------------------------------------------------


@pytest.mark.parametrize(
    "method,suffix",
    [
        ("get", ""),
        ("post", "/close"),
        ("post", "/reopen"),
        ("post", "/due"),
        ("post", "/links/vendor/revoke"),
        ("post", "/links/client/reissue"),
    ],
)
def test_another_organisation_gets_not_found(
    app: Flask,
    client: FlaskClient,
    vendor_a: Any,
    vendor_b: Any,
    login: Callable,
    make_review: Callable,
    method: str,
    suffix: str,
) -> None:
    review = make_review(vendor_a)
    login(client, vendor_b)
    response = getattr(client, method)(f"/reviews/{review.public_id}{suffix}")
    assert response.status_code == 404
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row.status == "open"
        assert all(link.revoked_at is None for link in row.links)
        assert len(row.links) == 3
    assert _resolves(app, review.vendor_token) and _resolves(app, review.client_token)


def test_colleague_in_same_organisation_sees_the_review(
    client: FlaskClient, vendor_a: Any, make_user: Callable, login: Callable, make_review: Callable
) -> None:
    review = make_review(vendor_a)
    login(client, make_user("Acme Analytics"))
    assert client.get(f"/reviews/{review.public_id}").status_code == 200


def test_unknown_review_is_not_found(client: FlaskClient, acme: Any) -> None:
    assert client.get("/reviews/nope").status_code == 404


# --- pages, headers, markup --------------------------------------------------------------


def test_security_headers_on_every_response(client: FlaskClient, acme: Any) -> None:
    for path in ("/", "/login", "/nope", "/static/css/app.css"):
        with client.get(path) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "'unsafe-inline'" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_error_pages_use_the_layout(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and 'class="skip-link"' in page


def test_server_error_page_hides_the_traceback(app: Flask, client: FlaskClient) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    assert "secret detail" not in page


def test_pages_have_no_inline_script_or_style(
    client: FlaskClient, acme: Any, make_review: Callable, make_respondent: Callable
) -> None:
    review = make_review(acme)
    make_respondent(review, "client", name="Hiro")
    pages = ["/", "/reviews/new", f"/reviews/{review.public_id}", "/team", "/nope"]
    client.post("/reviews/new", data={})  # an error state too
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"\sstyle=", html), path
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def test_form_macros_wire_labels_hints_and_errors(app: Flask) -> None:
    from flask import render_template_string
    from flask_wtf import FlaskForm
    from wtforms import BooleanField, RadioField, StringField
    from wtforms.fields.choices import SelectChoice
    from wtforms.validators import DataRequired

    class Sample(FlaskForm):
        colour = RadioField(
            "Colour",
            choices=[SelectChoice("r", "Red"), SelectChoice("g", "Green")],
            description="Pick",
        )
        agree = BooleanField("I agree")
        name = StringField("Name", validators=[DataRequired("Enter a name.")])

    template = (
        '{% import "macros/forms.html" as forms %}{{ forms.error_summary(form) }}'
        "{{ forms.field(form.colour) }}{{ forms.field(form.agree) }}{{ forms.field(form.name) }}"
    )
    with app.test_request_context(method="POST", data={"name": ""}):
        form = Sample(meta={"csrf": False})
        form.validate()
        html = render_template_string(template, form=form)
    assert '<fieldset class="field field-radios' in html and "<legend>Colour</legend>" in html
    assert 'aria-describedby="colour-hint' in html
    assert '<input id="agree" name="agree" type="checkbox"' in html
    assert '<a href="#name">Enter a name.</a>' in html
    assert 'aria-describedby="name-error"' in html and 'aria-invalid="true"' in html


# --- link expiry -------------------------------------------------------------------------


def _expiry_url(review: Any, party: str = "client") -> str:
    return f"/reviews/{review.public_id}/links/{party}/expiry"


def _stored_expiry(app: Flask, review: Any, party: str = "client") -> datetime | None:
    """The `expires_at` of the party's current link, timezone-aware."""
    with app.app_context():
        link = db.session.get(Review, review.id).current_link(party)
        return as_utc(link.expires_at)


def _panel_html(page: str, party: str) -> str:
    """The part of the review page that belongs to one party's link panel."""
    found = re.search(
        rf'<section class="panel link-panel" aria-labelledby="link-{party}-title">'
        r"(.*?)</section>",
        page,
        re.S,
    )
    assert found is not None, party
    return found.group(1)


def test_link_expiry_is_shown_on_the_page_and_in_the_invitation(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    last_day = datetime.now(UTC).date() + timedelta(days=5)
    response = client.post(_expiry_url(review), data={"client-expires_on": last_day.isoformat()})
    assert response.status_code == 302
    assert _stored_expiry(app, review) == datetime.combine(
        last_day + timedelta(days=1), time.min, UTC
    )
    page = client.get(response.location).get_data(as_text=True)
    assert f"works until the end of {last_day:%-d %B %Y} (UTC)" in page  # the flash
    client_panel, vendor_panel = _panel_html(page, "client"), _panel_html(page, "vendor")
    assert f"Works until {last_day:%-d %B %Y}" in client_panel
    bounds = 'max="2199-12-31" min="2000-01-01"'  # every date field is bounded (issue 16)
    assert (
        f'id="client-expires_on" {bounds} name="client-expires_on" type="date" value="{last_day}"'
        in client_panel
    )
    assert f"This link works until the end of {last_day:%A %-d %B %Y} (UTC)." in client_panel
    assert "No expiry" in vendor_panel and "This link works until" not in vendor_panel
    assert "Replacing the link gives a new one with no expiry" in client_panel
    assert client.get(f"/r/{review.client_token}").status_code == 200


def test_link_works_through_its_last_day_then_answers_gone(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    today = datetime.now(UTC).date()
    client.post(_expiry_url(review), data={"client-expires_on": today.isoformat()})
    assert _stored_expiry(app, review) > datetime.now(UTC)
    assert client.get(f"/r/{review.client_token}").status_code == 200
    with app.app_context():
        link = db.session.get(Review, review.id).current_link("client")
        link.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    gone = client.get(f"/r/{review.client_token}")
    assert gone.status_code == 410
    assert "This link has expired" in gone.get_data(as_text=True)
    assert client.get(f"/r/{review.results_token}/results").status_code == 200  # its own link
    assert client.get(f"/r/{review.vendor_token}").status_code == 200  # no expiry there
    panel = _panel_html(_page(client, f"/reviews/{review.public_id}"), "client")
    assert "Expired: this link stopped working" in panel


def test_clearing_the_expiry_opens_the_link_again(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    with app.app_context():
        link = db.session.get(Review, review.id).current_link("client")
        link.expires_at = datetime.now(UTC) - timedelta(days=1)
        db.session.commit()
    assert client.get(f"/r/{review.client_token}").status_code == 410
    response = client.post(_expiry_url(review), data={"client-expires_on": ""})
    assert response.status_code == 302
    assert _stored_expiry(app, review) is None
    page = client.get(response.location).get_data(as_text=True)
    assert "The client link no longer expires." in page
    assert "No expiry" in _panel_html(page, "client")
    assert client.get(f"/r/{review.client_token}").status_code == 200


def test_expiry_in_the_past_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    response = client.post(
        _expiry_url(review, "vendor"), data={"vendor-expires_on": yesterday.isoformat()}
    )
    assert response.status_code == 400
    panel = _panel_html(response.get_data(as_text=True), "vendor")
    assert 'id="vendor-expires_on-error"' in panel and "Choose today or a later date." in panel
    assert 'aria-invalid="true"' in panel
    assert _stored_expiry(app, review, "vendor") is None


def test_reissued_link_starts_without_expiry(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    last_day = datetime.now(UTC).date() + timedelta(days=3)
    client.post(_expiry_url(review), data={"client-expires_on": last_day.isoformat()})
    client.post(f"/reviews/{review.public_id}/links/client/reissue")
    assert _stored_expiry(app, review) is None
    assert "No expiry" in _panel_html(_page(client, f"/reviews/{review.public_id}"), "client")


def test_expiry_of_a_revoked_link_is_not_set(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    client.post(f"/reviews/{review.public_id}/links/client/revoke")
    day = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    response = client.post(_expiry_url(review), data={"client-expires_on": day})
    assert response.status_code == 302
    assert "issue a new one first" in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        links = db.session.scalars(sa.select(ShareLink).where(ShareLink.party == "client"))
        assert [link.expires_at for link in links] == [None, None]  # survey, results


def test_expiry_of_another_organisations_link_is_not_found(
    app: Flask,
    client: FlaskClient,
    vendor_a: Any,
    vendor_b: Any,
    login: Callable,
    make_review: Callable,
) -> None:
    review = make_review(vendor_a)
    login(client, vendor_b)
    day = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    response = client.post(_expiry_url(review), data={"client-expires_on": day})
    assert response.status_code == 404
    assert _stored_expiry(app, review) is None


def test_setting_expiry_needs_the_csrf_token(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable
) -> None:
    review = make_review(acme)
    app.config["WTF_CSRF_ENABLED"] = True
    day = (datetime.now(UTC).date() + timedelta(days=3)).isoformat()
    for forged in ({}, {"client-csrf_token": "forged"}):
        response = client.post(_expiry_url(review), data={"client-expires_on": day, **forged})
        assert response.status_code == 400, forged
        assert _stored_expiry(app, review) is None
    page = _page(client, f"/reviews/{review.public_id}")
    token = re.search(r'name="client-csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    response = client.post(
        _expiry_url(review), data={"client-expires_on": day, "client-csrf_token": token.group(1)}
    )
    assert response.status_code == 302
    assert _stored_expiry(app, review) is not None


# --- the review page for a small questionnaire (from the new-user trial) ---------------------


@pytest.fixture
def review(vendor_a: Persona, make_review: Callable[..., MadeReview]) -> MadeReview:
    """Vendor A's review of Globex on the small respond-test questionnaire, names shown to
    the other side (the respondents table names the client's people)."""
    return make_review(vendor_a, questionnaire_path=QUESTIONNAIRE, names_to_other_side=True)


def _text(client: FlaskClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


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
