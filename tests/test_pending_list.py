"""The suggestions to decide, as one compact list (issue 13 point 6, issue 15 point 2): no
form per item, one edit form on its own page, and the bulk "accept all suggested" and
"decline the rest"; the plan and the level come before them; "Priority" explained."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from test_results import example_people, make_scored

from survey.extensions import db
from survey.models import ActionItem, Review
from survey.results.data import Pending, build_comparison, pending_items


@pytest.fixture
def scored(app: Flask, vendor_a: Any, make_review: Any, make_respondent: Any) -> Any:
    return make_scored(app, vendor_a, make_review, make_respondent)


def _pending(app: Flask, scored: Any) -> list[Pending]:
    with app.app_context():
        review = db.session.get(Review, scored.id)
        assert review is not None
        return pending_items(review, build_comparison(review, "vendor").result)


def _items(app: Flask, scored: Any) -> dict[str, ActionItem]:
    with app.app_context():
        rows = db.session.scalars(sa.select(ActionItem).where(ActionItem.review_id == scored.id))
        return {row.source_key or row.public_id: row for row in rows}


def _results(vendor_client: FlaskClient, scored: Any) -> str:
    response = vendor_client.get(f"/reviews/{scored.public_id}/results")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_list_has_no_form_fields_per_suggestion(
    app: Flask, vendor_client: FlaskClient, scored: Any
) -> None:
    pending = _pending(app, scored)
    assert len(pending) >= 3
    page = _results(vendor_client, scored)
    listed = page[page.index('id="pending"') : page.index("</ol>", page.index('id="pending"'))]
    for p in pending:
        assert str(escape(p.title)) in listed
        edit = f"/reviews/{scored.public_id}/results/plan/pending/{p.key}/edit"
        assert f'href="{edit}"' in listed
    # no text box, select or date per item: only the decision buttons and the CSRF token
    assert not re.search(r"<(textarea|select)\b", listed)
    assert not re.search(r'<input(?![^>]*type="hidden")', listed)


def test_one_suggestion_is_edited_on_its_own_page_then_accepted(
    app: Flask, vendor_client: FlaskClient, scored: Any
) -> None:
    first = _pending(app, scored)[0]
    edit = f"/reviews/{scored.public_id}/results/plan/pending/{first.key}/edit"
    form = vendor_client.get(edit).get_data(as_text=True)
    prefix = "k-" + first.key.replace(":", "-")
    assert f'name="{prefix}-title"' in form and 'id="edit-pending"' in form
    response = vendor_client.post(
        edit,
        data={
            f"{prefix}-title": "Quarterly steering meeting",
            f"{prefix}-owner": "vendor",
            f"{prefix}-due_on": "2031-04-30",
        },
    )
    assert response.status_code == 302
    item = _items(app, scored)[first.key]
    assert (item.title, item.owner, item.status) == (
        "Quarterly steering meeting",
        "vendor",
        "planned",
    )
    assert str(item.due_on) == "2031-04-30"
    # decided: the edit page now sends the vendor back with a message, nothing made twice
    again = vendor_client.post(edit, data={f"{prefix}-title": "Again", f"{prefix}-owner": "joint"})
    assert again.status_code == 302
    assert len([i for i in _items(app, scored).values() if i.source_key == first.key]) == 1


def test_an_edit_with_no_title_shows_the_form_again_and_saves_nothing(
    app: Flask, vendor_client: FlaskClient, scored: Any
) -> None:
    first = _pending(app, scored)[0]
    edit = f"/reviews/{scored.public_id}/results/plan/pending/{first.key}/edit"
    prefix = "k-" + first.key.replace(":", "-")
    response = vendor_client.post(edit, data={f"{prefix}-title": "", f"{prefix}-owner": "vendor"})
    assert response.status_code == 200
    assert "error" in response.get_data(as_text=True)
    assert first.key not in _items(app, scored)


def test_accept_all_suggested_takes_suggestions_only_and_records_once(
    app: Flask, vendor_client: FlaskClient, scored: Any
) -> None:
    pending = _pending(app, scored)
    suggested = {p.key for p in pending if p.source == "suggested"}
    proposals = {p.key for p in pending if p.source != "suggested"}
    assert suggested and proposals
    url = f"/reviews/{scored.public_id}/results/plan/accept-suggested"
    assert vendor_client.post(url).status_code == 302
    assert vendor_client.post(url).status_code == 302  # a double submit changes nothing more
    items = _items(app, scored)
    assert {k for k, i in items.items() if i.status == "planned"} == suggested
    assert not proposals & items.keys()
    assert {p.key for p in _pending(app, scored)} == proposals
    page = _results(vendor_client, scored)
    assert "accept-suggested" not in page  # nothing left to accept in bulk: no button


def test_decline_the_rest_declines_what_is_left(
    app: Flask, vendor_client: FlaskClient, scored: Any
) -> None:
    pending = _pending(app, scored)
    kept = pending[0]
    vendor_client.post(
        f"/reviews/{scored.public_id}/results/plan/pending/{kept.key}", data={"decision": "accept"}
    )
    url = f"/reviews/{scored.public_id}/results/plan/decline-rest"
    assert vendor_client.post(url).status_code == 302
    items = _items(app, scored)
    assert items[kept.key].status == "planned"
    assert {k for k, i in items.items() if i.status == "declined"} == {p.key for p in pending[1:]}
    assert _pending(app, scored) == []
    assert 'id="pending"' not in _results(vendor_client, scored)


def test_the_level_and_the_plan_come_before_the_suggestions_and_the_tables(
    vendor_client: FlaskClient, scored: Any
) -> None:
    page = _results(vendor_client, scored)
    order = ['id="levels"', 'id="items-title"', 'id="pending"', 'id="dimensions"']
    at = [page.index(marker) for marker in order]
    assert at == sorted(at)


def test_priority_is_explained_where_it_is_shown(vendor_client: FlaskClient, scored: Any) -> None:
    page = _results(vendor_client, scored)
    table = page.index('id="dimension-table"')
    explained = page.index('data-key="priority-explained"')
    assert explained < table
    words = page[explained : page.index("</p>", explained)]
    assert "importance × (100 − score) ÷ 100" in words
    assert "counts as 100" in words
    hint = page[page.index('id="pending"') :]
    assert 'href="#dimensions">priority</a>' in hint


def _a_client_of_the_example() -> dict[str, Any]:
    """The answers of the example's first client respondent, to submit again with changes."""
    return next(answers for party, _, answers in example_people() if party == "client")


def test_a_long_list_shows_its_first_rows_and_the_rest_on_request(
    app: Flask, vendor_client: FlaskClient, scored: Any, make_respondent: Any
) -> None:
    """Hundreds of written answers make hundreds of proposals: the page lists the first
    ones, says how many more there are, and lists them all on request."""
    from survey.results.views import PENDING_SHOWN

    review = scored
    client_answers = _a_client_of_the_example()
    for n in range(PENDING_SHOWN):
        proposal = {**client_answers, "stop": f"Stop sending report number {n}"}
        make_respondent(review, "client", answers=proposal, submit=True)
    pending = _pending(app, scored=review)
    assert len(pending) > PENDING_SHOWN + 5
    page = _results(vendor_client, review)
    assert page.count('class="pending-item ') == PENDING_SHOWN
    assert f"To decide: {len(pending)} suggestions" in page
    assert f"Show all {len(pending)} to decide" in page
    assert f"Decline the rest ({len(pending)})" in page
    everything = vendor_client.get(f"/reviews/{review.public_id}/results?pending=all")
    listed = everything.get_data(as_text=True)
    assert listed.count('class="pending-item ') == len(pending)
    assert "Show all" not in listed


def _clients_quotes(html: str) -> str:
    """The client side's list of quotes of the first written-answers block in `html`."""
    side = html[html.index("verbatim-side verbatim-client") :]
    return side[: side.index("</ul>")]


def test_written_answers_are_folded_and_all_served_on_request(
    app: Flask, vendor_client: FlaskClient, scored: Any, make_respondent: Any
) -> None:
    from survey.results.views import VERBATIMS_SHOWN

    review = scored
    client_answers = _a_client_of_the_example()
    for n in range(VERBATIMS_SHOWN + 2):
        said = {**client_answers, "recommend": 3, "what-would-change": f"Reason number {n:02d}"}
        make_respondent(review, "client", answers=said, submit=True)
    page = _results(vendor_client, review)
    block = page[page.index('id="verbatim-what-would-change"') :]
    block = (
        block[: block.index('<div class="verbatim" ')]
        if '<div class="verbatim" ' in block
        else block
    )
    assert _clients_quotes(block).count("<li><q>") == VERBATIMS_SHOWN
    already = sum(
        1 for party, _, a in example_people() if party == "client" and a.get("what-would-change")
    )
    total = VERBATIMS_SHOWN + 2 + already
    assert f"All {total} answers from Globex</a> ({total - VERBATIMS_SHOWN} more)" in block
    everything = vendor_client.get(f"/reviews/{review.public_id}/results?answers=all")
    whole = everything.get_data(as_text=True)
    whole = whole[whole.index('id="verbatim-what-would-change"') :]
    assert _clients_quotes(whole).count("<li><q>") == total
    assert 'href="?answers=all#verbatim-what-would-change"' not in whole
