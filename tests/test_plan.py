"""The joint action plan: suggestions accepted, edited, declined; the vendor's own actions;
client comments and proposals through its link; every change recorded with who and when."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from test_results import make_scored

from survey.extensions import db
from survey.models import ActionComment, ActionEvent, ActionItem, Review, User
from survey.results import operations
from survey.results.data import build_comparison, pending_items
from survey.results.operations import Actor, PlanError


@pytest.fixture
def scored(app: Flask, vendor_a: Any, make_review: Any, make_respondent: Any) -> Any:
    return make_scored(app, vendor_a, make_review, make_respondent)


def _review(scored: Any) -> Review:
    row = db.session.get(Review, scored.id)
    assert row is not None
    return row


def _items(app: Flask, scored: Any) -> list[ActionItem]:
    return list(db.session.scalars(sa.select(ActionItem).where(ActionItem.review_id == scored.id)))


def _comment_field(item_id: str) -> str:
    """The comment box's name, whatever characters the random item id ends in."""
    return f"c-{item_id}-text"


def test_operations_record_every_change_with_who_and_when(
    app: Flask, vendor_a: Any, scored: Any
) -> None:
    with app.app_context():
        review = _review(scored)
        dana = Actor(db.session.get(User, vendor_a.id))
        pending = pending_items(review, build_comparison(review, "vendor").result)
        suggestion = next(p for p in pending if p.source == "suggested")
        proposal = next(p for p in pending if p.source == "proposal")

        accepted = operations.accept_action(
            review, suggestion, dana, {"owner": "vendor", "due_on": date(2031, 3, 1)}
        )
        assert (accepted.status, accepted.owner, accepted.due_on) == (
            "planned",
            "vendor",
            date(2031, 3, 1),
        )
        assert accepted.because == suggestion.because and accepted.rule_id == suggestion.rule_id
        declined = operations.decline_action(review, proposal, dana)
        assert declined.status == "declined"
        # decided suggestions are not offered again
        keys = {p.key for p in pending_items(review, build_comparison(review, "vendor").result)}
        assert suggestion.key not in keys and proposal.key not in keys

        changes = operations.update_action(
            accepted, dana, {"status": "in_progress", "title": "New words"}
        )
        assert "status changed from planned to in progress" in changes
        own = operations.add_action(review, dana, {"title": "Quarterly review", "owner": "joint"})
        proposed = operations.propose_action(review, Actor.client_link(), "Visit us", "Monthly")
        assert (proposed.status, proposed.created_via_link, proposed.proposed_by) == (
            "proposed",
            True,
            "client",
        )
        operations.comment_on_action(own, Actor.client_link(), "Yes please")
        operations.set_next_review(review, dana, date(2031, 6, 1))
        assert review.next_review_on == date(2031, 6, 1)

        events = list(
            db.session.scalars(
                sa.select(ActionEvent)
                .where(ActionEvent.review_id == review.id)
                .order_by(ActionEvent.id)
            )
        )
        sharing, *events = events  # the fixture's review was shared first (staged reveal)
        assert sharing.what == "shared the results with Globex"
        whats = [(e.who, e.what) for e in events]
        assert whats[0][0] == "Dana Vendor" and whats[0][1].startswith("accepted the suggested")
        assert (
            "Dana Vendor",
            "status changed from planned to in progress; changed the title",
        ) in whats
        assert ("someone at Globex", "proposed the action: Visit us") in whats
        assert ("someone at Globex", "commented") in whats
        assert ("Dana Vendor", "next review date set to 1 June 2031") in whats
        assert all(e.at is not None for e in events)
        assert accepted.updated_by_id == vendor_a.id and not accepted.updated_via_link

        try:
            operations.update_action(own, dana, {"owner": "nobody"})
        except PlanError:
            pass
        else:
            raise AssertionError("an unknown owner must be refused")


def test_vendor_accepts_edits_and_declines_through_the_page(
    app: Flask, vendor_client: FlaskClient, scored: Any
) -> None:
    base = f"/reviews/{scored.public_id}/results"
    with app.app_context():
        review = _review(scored)
        pending = pending_items(review, build_comparison(review, "vendor").result)
    first, second = pending[0], pending[1]
    prefix = "k-" + first.key.replace(":", "-")
    response = vendor_client.post(
        f"{base}/plan/pending/{first.key}",
        data={
            "decision": "accept",
            f"{prefix}-title": "Edited title",
            f"{prefix}-owner": "client",
            f"{prefix}-due_on": "2031-01-15",
        },
    )
    assert response.status_code == 302
    vendor_client.post(f"{base}/plan/pending/{second.key}", data={"decision": "decline"})
    with app.app_context():
        items = {i.source_key: i for i in _items(app, scored)}
        assert items[first.key].title == "Edited title"
        assert items[first.key].owner == "client"
        assert items[first.key].due_on == date(2031, 1, 15)
        assert items[second.key].status == "declined"
        item_id = items[first.key].public_id

    response = vendor_client.post(
        f"{base}/plan/{item_id}/edit",
        data={
            "title": "Edited title",
            "detail": "",
            "owner": "joint",
            "due_on": "2031-02-01",
            "status": "done",
        },
    )
    assert response.status_code == 302
    vendor_client.post(
        f"{base}/plan/add",
        data={
            "new-title": "Our own",
            "new-owner": "vendor",
            "new-status": "planned",
            "new-due_on": "",
        },
    )
    vendor_client.post(f"{base}/next-review", data={"next_review_on": "2031-09-30"})
    page = vendor_client.get(base).get_data(as_text=True)
    assert "Our own" in page and "Edited title" in page
    assert "status changed from planned to done" in page  # history shown
    assert "due date changed from 15 January 2031 to 1 February 2031" in page
    assert "owner changed from client to both" in page
    history = page.split('id="plan-history"', 1)[1].split("</details>", 1)[0]
    assert "next review date set to 30 September 2031" in history
    assert "→" not in history and "2031-" not in history  # no raw values
    assert 'value="2031-09-30"' in page
    with app.app_context():
        assert _review(scored).next_review_on == date(2031, 9, 30)


def test_client_comments_and_proposes_through_its_link(
    app: Flask, vendor_client: FlaskClient, vendor_a: Any, scored: Any
) -> None:
    with app.app_context():
        review = _review(scored)
        dana = Actor(db.session.get(User, vendor_a.id))
        item = operations.add_action(review, dana, {"title": "Benchmark report"})
        item_id = item.public_id
    shared = FlaskClient(app)
    base = f"/r/{scored.results_token}/results"
    assert (
        shared.post(
            f"{base}/plan/{item_id}/comment", data={_comment_field(item_id): "Make it monthly"}
        ).status_code
        == 302
    )
    assert (
        shared.post(
            f"{base}/propose",
            data={"propose-title": "Invite us to planning day", "propose-detail": "In January"},
        ).status_code
        == 302
    )
    page = shared.get(base).get_data(as_text=True)
    assert "Make it monthly" in page and "someone at Globex" in page
    assert "Invite us to planning day" in page
    with app.app_context():
        comment = db.session.scalar(sa.select(ActionComment))
        assert comment is not None and comment.via_link and comment.user_id is None
        proposal = db.session.scalar(
            sa.select(ActionItem).where(ActionItem.title == "Invite us to planning day")
        )
        assert proposal is not None and proposal.status == "proposed"
        proposal_id = proposal.public_id

    # the vendor sees the client's proposal and accepts it
    page = vendor_client.get(f"/reviews/{scored.public_id}/results").get_data(as_text=True)
    assert "Invite us to planning day" in page and "Make it monthly" in page
    vendor_client.post(
        f"/reviews/{scored.public_id}/results/plan/{proposal_id}/decide",
        data={"decision": "accept"},
    )
    with app.app_context():
        accepted = db.session.scalar(
            sa.select(ActionItem).where(ActionItem.public_id == proposal_id)
        )
        assert accepted is not None and accepted.status == "planned"


def test_client_link_cannot_edit_or_touch_another_review(
    app: Flask, vendor_a: Any, scored: Any, make_review: Any
) -> None:
    other = make_review(vendor_a, client_name="Umbrella")
    with app.app_context():
        dana = Actor(db.session.get(User, vendor_a.id))
        item_id = operations.add_action(_review(scored), dana, {"title": "Mine"}).public_id
    shared = FlaskClient(app)
    # no edit route on the client side; another review's link cannot reach this item
    assert shared.post(
        f"/r/{scored.results_token}/results/plan/{item_id}/edit", data={"title": "x"}
    ).status_code in (404, 405)
    assert (
        shared.post(
            f"/r/{other.results_token}/results/plan/{item_id}/comment",
            data={_comment_field(item_id): "hi"},
        ).status_code
        == 404
    )


def test_proposals_name_their_question_and_take_the_questionnaires_owner(
    app: Flask, scored: Any
) -> None:
    with app.app_context():
        review = _review(scored)
        proposals = {
            (p.proposed_by, p.rule_id, p.respondent): p
            for p in pending_items(review, build_comparison(review, "vendor").result)
            if p.source == "proposal"
        }
    stop = next(p for (party, q, _), p in proposals.items() if party == "client" and q == "stop")
    assert stop.title == "Stop: Sending us long release notes nobody reads."
    assert stop.because is not None and stop.because.startswith(
        "In answer to: What is Acme Analytics doing that is not providing value and should stop?"
    )
    keep = next(
        p for (party, q, _), p in proposals.items() if party == "vendor" and q == "continue"
    )
    assert keep.title == "Keep doing: The weekly stand-up with the Globex analytics team."
    assert "In answer to: What is going well with Globex and should continue?" in (
        keep.because or ""
    )
    owners = {q: p.owner for (_, q, _), p in proposals.items()}
    assert owners == {
        "what-would-change": "vendor",
        "better-customer": "client",
        "continue": "joint",
        "stop": "joint",
        "start": "joint",
    }
    # "what would have to change" is the vendor's to do, and is not prefixed
    valued = next(p for (party, q, _), p in proposals.items() if q == "what-would-change")
    assert not valued.title.startswith(("Stop", "Start", "Keep"))


def test_proposal_titles_fit_the_plan_and_keep_the_verb_once() -> None:
    from survey.results.data import TITLE_MAX, proposal_title

    assert proposal_title("stop", "stop the calls") == ("stop the calls", None)
    assert proposal_title("start-soon", "A pilot") == ("Start: A pilot", None)
    assert proposal_title("continue", "Keep the calls") == ("Keep the calls", None)
    assert proposal_title("starter", "A pilot") == ("A pilot", None)
    long = "word " * 200
    title, detail = proposal_title("more-valued", long)
    assert len(title) <= TITLE_MAX and title.endswith("…") and detail == long


def test_confirmation_is_shown_next_to_the_changed_item(
    app: Flask, vendor_client: FlaskClient, scored: Any
) -> None:
    base = f"/reviews/{scored.public_id}/results"
    with app.app_context():
        review = _review(scored)
        first, second = pending_items(review, build_comparison(review, "vendor").result)[:2]
    prefix = "k-" + first.key.replace(":", "-")
    response = vendor_client.post(
        f"{base}/plan/pending/{first.key}",
        data={"decision": "accept", f"{prefix}-title": first.title, f"{prefix}-owner": "joint"},
    )
    with app.app_context():
        item = next(i for i in _items(app, scored) if i.source_key == first.key)
    location = response.headers["Location"]
    assert location.endswith(f"?at=item-{item.public_id}#item-{item.public_id}")
    page = vendor_client.get(location.split("#")[0]).get_data(as_text=True)
    head, plan = page.split('id="plan"', 1)
    assert "Added to the plan" not in head  # not at the top, thousands of pixels away
    mine = plan.split(f'id="item-{item.public_id}"', 1)[1].split("</li>", 1)[0]
    assert 'role="status"' in mine and f"Added to the plan: {escape(item.title)}" in mine

    response = vendor_client.post(f"{base}/plan/pending/{second.key}", data={"decision": "decline"})
    page = vendor_client.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)
    pending_part = page.split('id="pending"', 1)[1].split("</ol>", 1)[0]
    assert f"Declined: {escape(second.title)}" in pending_part

    # without a place, messages stay at the top as on every page
    vendor_client.post(f"{base}/next-review", data={"next_review_on": "2031-09-30"})
    page = vendor_client.get(base).get_data(as_text=True)
    assert page.index("Next review date saved.") < page.index('id="levels"')


def _plan_and_declined(page: str) -> tuple[str, str]:
    """The plan section up to the declined fold, and the fold itself (its tag onwards)."""
    section = page.split('id="plan"', 1)[1]
    plan, fold = section.split('id="declined"', 1)
    return plan, fold.split('id="add-action"', 1)[0].split('id="propose"', 1)[0]


def test_declined_actions_are_folded_away_below_the_plan(
    app: Flask, vendor_client: FlaskClient, vendor_a: Any, scored: Any
) -> None:
    with app.app_context():
        review = _review(scored)
        dana = Actor(db.session.get(User, vendor_a.id))
        first, second = pending_items(review, build_comparison(review, "vendor").result)[:2]
        operations.accept_action(review, first, dana)
        operations.decline_action(review, second, dana)
        proposal = operations.propose_action(
            review, Actor.client_link(), "Weekly status call", None
        )
        proposal_id = proposal.public_id
    base = f"/reviews/{scored.public_id}/results"

    page = vendor_client.get(base).get_data(as_text=True)
    plan, fold = _plan_and_declined(page)
    assert escape(first.title) in plan and escape(second.title) not in plan
    assert "Weekly status call" in plan  # a proposal still waits in the plan
    assert "<summary>Declined (1)</summary>" in fold and escape(second.title) in fold
    assert fold.startswith(">")  # folded: no `open` on the <details>

    # declining the client's proposal moves it into the fold, opened to show the message
    response = vendor_client.post(f"{base}/plan/{proposal_id}/decide", data={"decision": "decline"})
    page = vendor_client.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)
    plan, fold = _plan_and_declined(page)
    assert "Weekly status call" not in plan
    assert "<summary>Declined (2)</summary>" in fold and "Weekly status call" in fold
    assert fold.startswith(" open>")
    assert "Declined: Weekly status call" in fold

    # the client's page folds them away the same way
    shared = FlaskClient(app).get(f"/r/{scored.results_token}/results").get_data(as_text=True)
    plan, fold = _plan_and_declined(shared)
    assert escape(first.title) in plan and "Weekly status call" not in plan
    assert "<summary>Declined (2)</summary>" in fold and escape(second.title) in fold


@pytest.mark.parametrize("item_id", ["plain", "ends-with-dash-", "ends_with_underscore_"])
def test_comment_box_name_does_not_depend_on_the_ids_last_character(
    app: Flask, item_id: str
) -> None:
    from survey.results.forms import comment_form

    with app.test_request_context():
        assert comment_form(item_id).text.name == f"c-{item_id}-text"
