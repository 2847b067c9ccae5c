"""Named write operations of the workspace; each commits at its boundary.

A review pins the questionnaire's full source text, id and version, and the names of both
organisations as they were when it started, so later edits never change old results.
Its links are issued, revoked and replaced through :mod:`survey.links`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from survey.database import write_operation
from survey.disclosure import Confidentiality
from survey.domain.model import Questionnaire
from survey.extensions import db
from survey.invitations import default_remind_days
from survey.links import issue_link
from survey.models import (
    LINK_SLOTS,
    ActionComment,
    ActionEvent,
    ActionItem,
    Client,
    Organisation,
    Review,
    ShareLink,
    User,
    carried_words,
    client_name_key,
    utcnow,
)


def find_or_create_client(organisation: Organisation, name: str) -> Client:
    """The organisation's client of this name (ignoring case in any script, and blanks)."""
    name = " ".join(name.split())
    client = db.session.scalar(
        sa.select(Client).where(
            Client.organisation_id == organisation.id,
            Client.name_key == client_name_key(name),
        )
    )
    if client is None:
        client = Client(organisation=organisation, name=name)
        db.session.add(client)
    return client


def _new_review(
    organisation: Organisation,
    created_by: User | None,
    questionnaire: Questionnaire,
    source: str,
    client_name: str,
    due_on: date | None,
    confidentiality: Confidentiality | None,
    min_respondents: int,
) -> tuple[Review, dict[str, str]]:
    """A review with its links, added to the session but not committed."""
    setting = confidentiality or Confidentiality()
    client = find_or_create_client(organisation, client_name)
    review = Review(
        organisation=organisation,
        client=client,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        questionnaire_source=source,
        vendor_name=organisation.name,
        client_name=client.name,
        status="open",
        due_on=due_on,
        min_respondents=min_respondents,
        names_to_other_side=setting.names_to_other_side,
        anonymity_threshold=setting.anonymity_threshold,
        remind_days_before=default_remind_days(),
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(review)
    tokens = {slot: issue_link(review, slot)[1] for slot in LINK_SLOTS}
    return review, tokens


@write_operation
def start_review(
    organisation: Organisation,
    created_by: User | None,
    questionnaire: Questionnaire,
    source: str,
    client_name: str,
    due_on: date | None = None,
    confidentiality: Confidentiality | None = None,
    min_respondents: int = 1,
) -> tuple[Review, dict[str, str]]:
    """Start a review of a client with a questionnaire; returns it with the raw tokens of its
    links by slot (vendor, client, results).

    `confidentiality` is who sees what (survey.disclosure); the defaults when None.
    """
    review, tokens = _new_review(
        organisation,
        created_by,
        questionnaire,
        source,
        client_name,
        due_on,
        confidentiality,
        min_respondents,
    )
    db.session.commit()
    return review, tokens


# --- repeating a review: carry-over -----------------------------------------------------------


@dataclass(frozen=True)
class Repeat:
    """How a review is repeated: carry its open plan items over, close it, or both."""

    previous: Review
    carry_over: bool = True
    close_previous: bool = True


def carried_due_date(previous: Review) -> date | None:
    """The due date a repeat starts with: the old review's next-review date, when set."""
    return previous.next_review_on


def items_to_carry(previous: Review) -> list[ActionItem]:
    """The previous review's plan items that are not done (nor declined) and not carried yet."""
    carried = sa.select(ActionItem.carried_from_id).where(ActionItem.carried_from_id.is_not(None))
    return list(
        db.session.scalars(
            sa.select(ActionItem)
            .where(
                ActionItem.review_id == previous.id,
                ActionItem.status.not_in(("done", "declined")),
                ActionItem.id.not_in(carried),
            )
            .order_by(ActionItem.id)
        )
    )


def _copy_item(old: ActionItem, review: Review, started_on: date) -> ActionItem:
    """A copy of an item for the new review, with its owner, status, dates and words."""
    fields = {
        name: getattr(old, name)
        for name in (
            "source",
            "source_key",
            "rule_id",
            "proposed_by",
            "title",
            "detail",
            "because",
            "owner",
            "due_on",
            "status",
            "created_by_id",
            "created_via_link",
            "author_name",
            "created_at",
            "updated_by_id",
            "updated_via_link",
            "updated_at",
            "client_said",
            "vendor_response",
        )
    }
    item = ActionItem(review=review, carried_from=old, carried_from_on=started_on, **fields)
    db.session.add(item)
    return item


def _copy_history(old: ActionItem, item: ActionItem, review: Review) -> None:
    """The old item's history and comments, as they were, under the new item."""
    for event in old.events:
        db.session.add(
            ActionEvent(
                review=review,
                item=item,
                user_id=event.user_id,
                via_link=event.via_link,
                author_name=event.author_name,
                what=event.what,
                at=event.at,
            )
        )
    for comment in old.comments:
        item.comments.append(
            ActionComment(
                user_id=comment.user_id,
                via_link=comment.via_link,
                author_name=comment.author_name,
                text=comment.text,
                at=comment.at,
            )
        )


def carry_over_plan(previous: Review, review: Review, by: User | None) -> list[ActionItem]:
    """Carry the previous review's open plan items into `review`, uncommitted.

    Each keeps its owner, status, due date, words, history and comments, is marked "from
    the review of <date>" (the day `previous` started), and gets one more history line
    saying so. An item already carried once is not carried again. Its `source_key` is
    kept, so the same suggestion is not offered a second time beside it.
    """
    started_on = previous.created_at.date()
    carried = []
    for old in items_to_carry(previous):
        item = _copy_item(old, review, started_on)
        _copy_history(old, item, review)
        db.session.add(
            ActionEvent(
                review=review,
                item=item,
                user_id=by.id if by else None,
                what=f"carried over {carried_words(started_on)}",
                at=utcnow(),
            )
        )
        carried.append(item)
    return carried


@write_operation
def repeat_review(
    repeat: Repeat,
    created_by: User | None,
    questionnaire: Questionnaire,
    source: str,
    due_on: date | None = None,
    confidentiality: Confidentiality | None = None,
    min_respondents: int = 1,
) -> tuple[Review, dict[str, str], list[ActionItem]]:
    """Start the next review of the same client, carrying over and closing as asked.

    Returns the review, its link tokens and the carried items; one commit for all of it.
    """
    previous = repeat.previous
    review, tokens = _new_review(
        previous.organisation,
        created_by,
        questionnaire,
        source,
        previous.client.name,
        due_on,
        confidentiality,
        min_respondents,
    )
    db.session.flush()
    carried = carry_over_plan(previous, review, created_by) if repeat.carry_over else []
    if repeat.close_previous:
        previous.status = "closed"
    db.session.commit()
    return review, tokens, carried


@write_operation
def close_review(review: Review) -> None:
    """Stop collecting answers: links then say the review is closed."""
    review.status = "closed"
    db.session.commit()


@write_operation
def reopen_review(review: Review) -> None:
    """Collect answers again."""
    review.status = "open"
    db.session.commit()


@write_operation
def set_due_date(review: Review, due_on: date | None) -> None:
    """Set or clear the date answers are due by."""
    review.due_on = due_on
    db.session.commit()


class SettingLocked(RuntimeError):
    """The confidentiality setting can no longer change: someone has started under it."""


def confidentiality_locked(review: Review) -> bool:
    """Whether anyone has started answering: they read the welcome page's promises and
    may have given their name under them, so the setting then holds for good."""
    return bool(review.respondents)


@write_operation
def set_confidentiality(review: Review, setting: Confidentiality) -> None:
    """Change who sees what, only while nobody has started answering (else SettingLocked)."""
    if confidentiality_locked(review):
        raise SettingLocked("someone has answered under the current setting")
    review.names_to_other_side = setting.names_to_other_side
    review.anonymity_threshold = setting.anonymity_threshold
    db.session.commit()


def _delete_review_rows(review: Review) -> None:
    """Delete a review and everything that hangs off it (answers, invitees, links, plan, mails),
    uncommitted."""
    from survey.models import Invitee, OutboxMail, Respondent

    item_ids = sa.select(ActionItem.id).where(ActionItem.review_id == review.id)
    # Items carried from this review into later ones keep their mark, not the link.
    db.session.execute(
        sa.update(ActionItem)
        .where(ActionItem.carried_from_id.in_(item_ids))
        .values(carried_from_id=None)
    )
    db.session.execute(sa.delete(ActionComment).where(ActionComment.item_id.in_(item_ids)))
    db.session.execute(sa.delete(ActionEvent).where(ActionEvent.review_id == review.id))
    db.session.execute(sa.delete(ActionItem).where(ActionItem.review_id == review.id))
    db.session.execute(sa.delete(Invitee).where(Invitee.review_id == review.id))
    for respondent in db.session.scalars(
        sa.select(Respondent).where(Respondent.review_id == review.id)
    ):
        db.session.delete(respondent)  # its answers go with it (cascade)
    db.session.flush()
    db.session.execute(sa.delete(ShareLink).where(ShareLink.review_id == review.id))
    # Its mails go too: a mail not yet sent about a deleted review must not leave.
    db.session.execute(sa.delete(OutboxMail).where(OutboxMail.review_id == review.id))
    db.session.delete(review)


@write_operation
def delete_review(review: Review) -> None:
    """Delete a review for good: its respondents, answers, shared links and action plan."""
    _delete_review_rows(review)
    db.session.commit()


@write_operation
def delete_client(client: Client) -> int:
    """Delete a client with all its reviews (as :func:`delete_review`); how many reviews went."""
    reviews = list(db.session.scalars(sa.select(Review).where(Review.client_id == client.id)))
    for review in reviews:
        _delete_review_rows(review)
    db.session.flush()
    db.session.delete(client)
    db.session.commit()
    return len(reviews)


@write_operation
def set_client_value(client: Client, yearly_value: int | None) -> None:
    """Record what the client is worth in a year (None clears it): the portfolio's value at risk."""
    client.yearly_value = yearly_value
    db.session.commit()
