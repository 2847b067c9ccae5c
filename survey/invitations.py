"""Named invitees of a review: their invitation mail, their personal link, and reminders.

A vendor lists, for either side, the people it wants answers from. Each gets an e-mail
with a personal link (see :class:`~survey.models.Invitee`); the shared link keeps working
for anyone not on the list. Reminders go to those who have not submitted: when the vendor
presses "remind", and automatically before the due date and on it where the review asks
for that (:func:`send_due_reminders`, run by the worker every hour). Each mail is one
event with its own key, so a reminder reaches a person at most once a day, however many
clicks or workers raise it. Every reminder carries a ``List-Unsubscribe`` header whose
signed link stops reminders for that review (RFC 8058 one-click, and a page with a button).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from survey.database import write_operation
from survey.dates import long_date
from survey.domain.effort import effort
from survey.domain.model import PARTIES, Party
from survey.domain.response_rate import ResponseRate, response_rate
from survey.emails import normalise_email
from survey.extensions import db
from survey.mail.outbox import queue_mail
from survey.models import (
    STAKES,
    Invitee,
    OutboxMail,
    Review,
    User,
    hash_token,
    new_public_id,
    new_salt,
    utcnow,
)
from survey.questionnaires import questionnaire_for

log = logging.getLogger(__name__)

#: The most people one review may invite per side: a review, not a mailing list.
MAX_INVITEES_PER_SIDE = 200
#: Automatic reminders may start this many days before the due date at most.
REMIND_DAYS_CHOICES = (1, 2, 3, 5, 7, 14)
#: Where mail really leaves (SURVEY_MAIL_URL set), a new review reminds this many days
#: before its due date, and on it; in development (mails become files) it does not.
DEFAULT_REMIND_DAYS = 3
_STOP_SALT = "rapport-stop-reminders"


class InviteeRefused(ValueError):
    """An invitation that cannot be made or undone; the message says why, for the page."""


def personal_token(invitee: Invitee) -> str:
    """The invitee's raw personal token, derived again from the secret key and its salt."""
    return invitee.token(current_app.config["SECRET_KEY"])


def personal_url(invitee: Invitee) -> str:
    """The link in the invitee's mails: their own way into the survey."""
    return url_for("respond.invited", token=personal_token(invitee), _external=True)


def find_invitee(raw: str) -> Invitee | None:
    """The invitee a raw personal token belongs to (None when none, or removed)."""
    if not 0 < len(raw) <= 64:
        return None
    invitee: Invitee | None = db.session.scalar(
        sa.select(Invitee).where(Invitee.token_hash == hash_token(raw))
    )
    return invitee


# --- invite and remove -----------------------------------------------------------------------


@write_operation
def add_invitee(
    review: Review, party: Party, name: str, email: str, stake: str, sender: User
) -> Invitee:
    """Invite one person to answer for `party`, and queue their invitation mail.

    Refused while collection is closed, for an address already invited to this review
    (either side: one person answers once), and beyond :data:`MAX_INVITEES_PER_SIDE`.
    """
    if party not in PARTIES or stake not in STAKES:
        raise InviteeRefused("Choose a side and a role from the lists.")
    if not review.is_open:
        raise InviteeRefused("Collection is closed: reopen it to invite people.")
    address = normalise_email(email)
    if _invited(review, address):
        raise InviteeRefused(f"{address} is already invited to this review.")
    if sum(1 for i in review.invitees if i.party == party) >= MAX_INVITEES_PER_SIDE:
        raise InviteeRefused(f"A side can have at most {MAX_INVITEES_PER_SIDE} invitees.")
    invitee = Invitee(
        public_id=new_public_id(),
        review_id=review.id,
        party=party,
        name=" ".join(name.split())[:200],
        email=address,
        stake=stake,
        salt=new_salt(),
    )
    invitee.token_hash = hash_token(personal_token(invitee))
    try:
        with db.session.begin_nested():  # the same address invited in another tab, just now
            db.session.add(invitee)
    except IntegrityError:
        raise InviteeRefused(f"{address} is already invited to this review.") from None
    _queue_invitation(invitee, sender)
    return invitee


def _invited(review: Review, address: str) -> bool:
    return (
        db.session.scalar(
            sa.select(Invitee.id).where(Invitee.review_id == review.id, Invitee.email == address)
        )
        is not None
    )


@write_operation
def remove_invitee(invitee: Invitee) -> None:
    """Take someone off the list before they start; their invitation mail, if still
    waiting, is not sent. Once they have started, their answers belong to the review."""
    if invitee.respondent_id is not None:
        raise InviteeRefused(
            f"{invitee.name} has started answering, so they stay on the list with their answers."
        )
    db.session.execute(
        sa.delete(OutboxMail).where(
            OutboxMail.event_key == _invitation_key(invitee), OutboxMail.sent_at.is_(None)
        )
    )
    db.session.delete(invitee)


def _invitation_key(invitee: Invitee) -> str:
    return f"invitation:{invitee.public_id}"


#: What a preview shows instead of a person's links: the vendor never sees them, so it
#: cannot open someone's survey as them.
PREVIEW_LINK = "[their personal link]"
PREVIEW_STOP_LINK = "[a link to stop reminders]"


def _mail_context(invitee: Invitee, sender_name: str, preview: bool = False) -> dict[str, Any]:
    """What every mail to an invitee says: who asks, what, how long, by when, the link."""
    review = invitee.review
    questionnaire = questionnaire_for(review)
    return {
        "invitee": invitee,
        "review": review,
        "title": questionnaire.title,
        "org_name": review.org_names[invitee.party],
        "minutes": effort(questionnaire, invitee.party).minutes,
        "due": long_date(review.due_on) if review.due_on else None,
        "link": PREVIEW_LINK if preview else personal_url(invitee),
        "sender": sender_name,
    }


def invitation_subject(review: Review, party: Party) -> str:
    """The subject of an invitation to one side: the mailed one and the copyable one."""
    if party == "vendor":
        return f"How do we look to {review.client_name}? Your view, please"
    return f"How could {review.vendor_name} be a more valued vendor?"


def invitation_opening(review: Review, party: Party, shared_link: bool) -> str:
    """Why the review asks; a `shared_link` invitation adds that colleagues may use it too."""
    if party == "vendor":
        return (
            f"We are reviewing our relationship with {review.client_name}. They answer the "
            "same questions from their side; comparing both shows where we agree and where "
            "we see things differently."
        )
    opening = (
        f"We at {review.vendor_name} would like to know how we could be a more valued "
        f"vendor to {review.client_name}, and how we could work better together. Please be "
        "candid: we will listen, ask only clarifying questions, and come back with proposals."
    )
    if shared_link:
        opening += f" Colleagues at {review.client_name} can answer through the same link."
    return opening


def sign_off(name: str, review: Review) -> str:
    """How a mail or an invitation text is signed: the person, and the vendor."""
    return f"{name}, {review.vendor_name}"


def _queue_invitation(invitee: Invitee, sender: User) -> None:
    review = invitee.review
    context = _mail_context(invitee, sign_off(sender.name, review))
    context["opening"] = invitation_opening(review, invitee.party, shared_link=False)
    queue_mail(
        invitee.email,
        invitation_subject(review, invitee.party),
        "invitation",
        context,
        event_key=_invitation_key(invitee),
        review_id=review.id,
    )


# --- reminders -------------------------------------------------------------------------------


def reminder_recipients(review: Review) -> list[Invitee]:
    """Who a reminder would reach now: invitees not submitted who did not stop reminders."""
    if not review.is_open:
        return []
    return [i for i in review.invitees if not i.has_submitted and i.reminders_stopped_at is None]


def reminder_subject(review: Review) -> str:
    due = f": answers due {long_date(review.due_on)}" if review.due_on else ""
    return f"Reminder — {review.vendor_name} and {review.client_name}{due}"


def reminder_mail(
    invitee: Invitee, sender_name: str, preview: bool = False
) -> tuple[str, dict[str, Any]]:
    """The reminder's subject and template context; a `preview` leaves the links out."""
    context = _mail_context(invitee, sender_name, preview)
    context["started"] = invitee.has_started
    context["stop_link"] = PREVIEW_STOP_LINK if preview else stop_url(invitee)
    return reminder_subject(invitee.review), context


def unsubscribe_headers(invitee: Invitee) -> Mapping[str, str]:
    """RFC 2369 and RFC 8058: the mail client's own "unsubscribe" stops the reminders."""
    return {
        "List-Unsubscribe": f"<{stop_url(invitee)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@write_operation
def send_reminders(review: Review, sender_name: str, on: date | None = None) -> int:
    """Queue a reminder to each of :func:`reminder_recipients`; how many were queued.

    The event is (invitee, day): a second press, or the automatic run, the same day queues
    nothing more for someone already reminded that day.
    """
    day = on or utcnow().date()
    queued = 0
    for invitee in reminder_recipients(review):
        subject, context = reminder_mail(invitee, sender_name)
        mail = queue_mail(
            invitee.email,
            subject,
            "reminder",
            context,
            event_key=f"reminder:{invitee.public_id}:{day.isoformat()}",
            headers=unsubscribe_headers(invitee),
            review_id=review.id,
        )
        if mail is not None:
            queued += 1
    return queued


def reminder_days(review: Review) -> list[date]:
    """The days automatic reminders go out: `remind_days_before` the due date, and on it."""
    if review.due_on is None or review.remind_days_before is None:
        return []
    return [review.due_on - timedelta(days=review.remind_days_before), review.due_on]


def send_due_reminders(today: date | None = None) -> int:
    """The worker's hourly run: remind where today is one of a review's reminder days.

    Links in mails need the public address (SURVEY_BASE_URL) outside a request; without it
    nothing is sent and the log says why.
    """
    day = today or utcnow().date()
    if not current_app.config.get("SERVER_NAME"):
        log.warning("automatic reminders need SURVEY_BASE_URL; none sent")
        return 0
    reviews = db.session.scalars(
        sa.select(Review).where(
            Review.status == "open",
            Review.remind_days_before.is_not(None),
            Review.due_on.is_not(None),
        )
    ).all()
    queued = 0
    for review in reviews:
        if day in reminder_days(review):
            sender = review.created_by.name if review.created_by else review.vendor_name
            queued += send_reminders(review, sign_off(sender, review), day)
    return queued


def default_remind_days() -> int | None:
    """A new review's automatic reminders: on where mail is sent for real, else off."""
    return DEFAULT_REMIND_DAYS if current_app.config.get("SURVEY_MAIL_URL") else None


@write_operation
def set_reminder_schedule(review: Review, days_before: int | None) -> None:
    """Turn automatic reminders on (`days_before` the due date, and on it) or off (None)."""
    if days_before is not None and days_before not in REMIND_DAYS_CHOICES:
        raise InviteeRefused("Choose how many days before the due date from the list.")
    review.remind_days_before = days_before


# --- stopping reminders ----------------------------------------------------------------------


def _stop_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_STOP_SALT)


def stop_token(invitee: Invitee) -> str:
    """The signed token of :func:`stop_url`: the invitee's public id, nothing more."""
    return str(_stop_serializer().dumps(invitee.public_id))


def stop_url(invitee: Invitee) -> str:
    """A signed link that stops reminders for this invitee (it opens nothing else)."""
    return url_for("respond.stop_reminders", token=stop_token(invitee), _external=True)


def invitee_for_stop(token: str) -> Invitee | None:
    """The invitee a stop link names, if the signature holds and they are still invited."""
    try:
        public_id = _stop_serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(public_id, str):
        return None
    invitee: Invitee | None = db.session.scalar(
        sa.select(Invitee).where(Invitee.public_id == public_id)
    )
    return invitee


@write_operation
def stop_reminders(invitee: Invitee) -> None:
    """No more reminders to this invitee for this review (again: nothing changes)."""
    if invitee.reminders_stopped_at is None:
        invitee.reminders_stopped_at = utcnow()


# --- counts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SideInvitees:
    """One side's invitees as the review page and the report show them."""

    party: Party
    invitees: list[Invitee]
    rate: ResponseRate


def side_invitees(review: Review) -> dict[Party, SideInvitees]:
    """Each side's invitees and response rate; shared-link respondents counted apart."""
    invited_ids = {i.respondent_id for i in review.invitees if i.respondent_id is not None}
    sides = {}
    for party in PARTIES:
        mine = [i for i in review.invitees if i.party == party]
        shared = [
            r for r in review.respondents_of(party) if r.id not in invited_ids and r.is_submitted
        ]
        rate = response_rate(((i.has_started, i.has_submitted) for i in mine), len(shared))
        sides[party] = SideInvitees(party, mine, rate)
    return sides
