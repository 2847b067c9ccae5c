"""Named comments (issue 11, point 4): what the client writes through its link carries the
name the person gives, remembered for the next one, and "someone at {client}" without
one; never "client link". The name goes through the XSS corpus like every other field."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from test_hostile_input import assert_inert
from test_results import make_scored
from xss_payloads import PAYLOADS

from survey.extensions import db
from survey.models import ActionComment, ActionItem, Review, User
from survey.results import operations
from survey.results.operations import Actor


def _words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _item(app: Flask, vendor_a: Any, review: Any) -> str:
    with app.app_context():
        row = db.session.get(Review, review.id)
        dana = Actor(db.session.get(User, vendor_a.id))
        return operations.add_action(row, dana, {"title": "Benchmark report"}).public_id  # type: ignore[arg-type]


def test_a_comment_and_a_proposal_carry_the_name_given_and_it_is_remembered(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Any,
    make_respondent: Any,
) -> None:
    review = make_scored(app, vendor_a, make_review, make_respondent)
    item_id = _item(app, vendor_a, review)
    shared = app.test_client()
    base = f"/r/{review.results_token}/results"
    posted = shared.post(
        f"{base}/plan/{item_id}/comment",
        data={f"c-{item_id}-text": "Make it monthly", f"c-{item_id}-author_name": "  Hiro  K "},
    )
    assert posted.status_code == 302
    page = shared.get(base).get_data(as_text=True)
    assert 'value="Hiro K"' in page  # remembered: the next comment or proposal is signed too
    shared.post(f"{base}/propose", data={"propose-title": "Invite us", "propose-author_name": ""})
    vendor_page = _words(
        vendor_client.get(f"/reviews/{review.public_id}/results").get_data(as_text=True)
    )
    assert "Make it monthly Hiro K," in vendor_page
    assert "Hiro K commented" in vendor_page
    assert "Proposed by the client (someone at Globex)" in vendor_page
    assert "someone at Globex proposed the action: Invite us" in vendor_page
    assert "client link" not in vendor_page
    with app.app_context():
        comment = db.session.scalar(sa.select(ActionComment))
        proposal = db.session.scalar(sa.select(ActionItem).where(ActionItem.title == "Invite us"))
        assert comment is not None and comment.author_name == "Hiro K"
        assert proposal is not None and proposal.author_name is None
    # the empty name was remembered too: the box is empty again
    assert 'value="Hiro K"' not in shared.get(base).get_data(as_text=True)


def test_a_name_too_long_is_refused_and_the_comment_kept_out(
    app: Flask, vendor_a: Any, make_review: Any, make_respondent: Any
) -> None:
    review = make_scored(app, vendor_a, make_review, make_respondent)
    item_id = _item(app, vendor_a, review)
    shared = app.test_client()
    shared.post(
        f"/r/{review.results_token}/results/plan/{item_id}/comment",
        data={f"c-{item_id}-text": "Hello", f"c-{item_id}-author_name": "x" * 201},
    )
    with app.app_context():
        assert db.session.scalar(sa.select(ActionComment)) is None


def test_hostile_names_stay_text_on_both_sides(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Any,
    make_respondent: Any,
) -> None:
    review = make_scored(app, vendor_a, make_review, make_respondent)
    item_id = _item(app, vendor_a, review)
    shared = app.test_client()
    base = f"/r/{review.results_token}/results"
    names = [p[:200] for p in PAYLOADS if "<" in p][:6]
    for name in names:
        shared.post(
            f"{base}/plan/{item_id}/comment",
            data={f"c-{item_id}-text": "Signed", f"c-{item_id}-author_name": name},
        )
    pages = {
        "client": shared.get(base).get_data(as_text=True),
        "vendor": vendor_client.get(f"/reviews/{review.public_id}/results").get_data(as_text=True),
    }
    for where, html in pages.items():
        assert_inert(html, f"{where} results with hostile commenter names")
        for name in names:
            assert " ".join(name.split()) in _words(html), where  # shown, as text
