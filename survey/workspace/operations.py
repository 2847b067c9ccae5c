"""Named write operations of the workspace; each commits at its boundary.

A review pins the questionnaire's full source text, id and version, and the names of both
organisations as they were when it started, so later edits never change old results.
Its links are issued, revoked and replaced through :mod:`survey.links`.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from survey.disclosure import Confidentiality
from survey.domain.model import Questionnaire
from survey.extensions import db
from survey.links import issue_link
from survey.models import (
    LINK_SLOTS,
    Client,
    Organisation,
    Review,
    ShareLink,
    User,
    client_name_key,
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
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(review)
    tokens = {slot: issue_link(review, slot)[1] for slot in LINK_SLOTS}
    db.session.commit()
    return review, tokens


def close_review(review: Review) -> None:
    """Stop collecting answers: links then say the review is closed."""
    review.status = "closed"
    db.session.commit()


def reopen_review(review: Review) -> None:
    """Collect answers again."""
    review.status = "open"
    db.session.commit()


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


def set_confidentiality(review: Review, setting: Confidentiality) -> None:
    """Change who sees what, only while nobody has started answering (else SettingLocked)."""
    if confidentiality_locked(review):
        raise SettingLocked("someone has answered under the current setting")
    review.names_to_other_side = setting.names_to_other_side
    review.anonymity_threshold = setting.anonymity_threshold
    db.session.commit()


def _delete_review_rows(review: Review) -> None:
    """Delete a review and everything that hangs off it (answers, links, plan), uncommitted."""
    from survey.models import ActionComment, ActionEvent, ActionItem, Respondent

    item_ids = sa.select(ActionItem.id).where(ActionItem.review_id == review.id)
    db.session.execute(sa.delete(ActionComment).where(ActionComment.item_id.in_(item_ids)))
    db.session.execute(sa.delete(ActionEvent).where(ActionEvent.review_id == review.id))
    db.session.execute(sa.delete(ActionItem).where(ActionItem.review_id == review.id))
    for respondent in db.session.scalars(
        sa.select(Respondent).where(Respondent.review_id == review.id)
    ):
        db.session.delete(respondent)  # its answers go with it (cascade)
    db.session.flush()
    db.session.execute(sa.delete(ShareLink).where(ShareLink.review_id == review.id))
    db.session.delete(review)


def delete_review(review: Review) -> None:
    """Delete a review for good: its respondents, answers, shared links and action plan."""
    _delete_review_rows(review)
    db.session.commit()


def delete_client(client: Client) -> int:
    """Delete a client with all its reviews (as :func:`delete_review`); how many reviews went."""
    reviews = list(db.session.scalars(sa.select(Review).where(Review.client_id == client.id)))
    for review in reviews:
        _delete_review_rows(review)
    db.session.flush()
    db.session.delete(client)
    db.session.commit()
    return len(reviews)
