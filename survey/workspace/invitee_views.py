"""The review page's people: invite by e-mail, take someone off, remind, schedule reminders.

Registered on the workspace blueprint (every page needs a logged-in vendor user, and every
lookup is scoped to the user's organisation: another organisation's review or invitee is
a 404). The work itself is in :mod:`survey.invitations`; mails go through the outbox.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from survey import invitations
from survey.access import review_in_my_organisation
from survey.domain.model import PARTIES
from survey.extensions import limiter
from survey.models import Invitee, Review
from survey.workspace.forms import ConfirmForm, InviteeForm, ReminderScheduleForm
from survey.workspace.views import _confirmed, _render_review, bp

#: Invitations a user may send a minute: a team's list, not a mailing campaign.
INVITE_LIMIT = "30 per minute"


def _back_to_people(review: Review, party: str) -> ResponseReturnValue:
    """Back to the side's list, with the message shown there rather than out of view."""
    return redirect(
        url_for(
            "workspace.review",
            public_id=review.public_id,
            at="invitees",
            _anchor=f"invitees-{party}",
        )
    )


def _sender(review: Review) -> str:
    """How mails sent from the page sign off: the user, and the vendor's name."""
    return invitations.sign_off(current_user.name, review)


@bp.route("/reviews/<public_id>/invitees/<party>", methods=["POST"])
@limiter.limit(INVITE_LIMIT)
def add_invitee(public_id: str, party: str) -> ResponseReturnValue:
    """Invite one person to a side by e-mail; they get a personal link."""
    review = review_in_my_organisation(public_id)
    if party not in PARTIES:
        abort(404)
    form = InviteeForm(prefix=party)
    if not form.validate_on_submit():
        return _render_review(review, invitee_forms={party: form}), 400
    try:
        invitee = invitations.add_invitee(
            review,
            party,
            form.name.data or "",
            form.email.data or "",
            form.stake.data or "other",
            current_user._get_current_object(),
        )
    except invitations.InviteeRefused as refused:
        form.email.errors = [*form.email.errors, str(refused)]
        return _render_review(review, invitee_forms={party: form}), 409
    flash(f"Invitation sent to {invitee.name} ({invitee.email}).", "success")
    return _back_to_people(review, party)


def _my_invitee(review: Review, invitee_id: str) -> Invitee:
    """The review's invitee with this public id, else 404."""
    for invitee in review.invitees:
        if invitee.public_id == invitee_id:
            return invitee
    abort(404)


@bp.route("/reviews/<public_id>/invitees/<invitee_id>/remove", methods=["POST"])
def remove_invitee(public_id: str, invitee_id: str) -> ResponseReturnValue:
    """Take someone off the list before they start (their link stops working)."""
    review = review_in_my_organisation(public_id)
    invitee = _my_invitee(review, invitee_id)
    _confirmed()
    party, name = invitee.party, invitee.name
    try:
        invitations.remove_invitee(invitee)
    except invitations.InviteeRefused as refused:
        flash(str(refused), "error")
    else:
        flash(f"{name} is off the list; their personal link no longer opens the survey.", "info")
    return _back_to_people(review, party)


@bp.route("/reviews/<public_id>/reminders", methods=["GET", "POST"])
@limiter.limit(INVITE_LIMIT, methods=["POST"])
def remind(public_id: str) -> ResponseReturnValue:
    """Remind those who have not submitted; the GET shows who, and the mail, first."""
    review = review_in_my_organisation(public_id)
    recipients = invitations.reminder_recipients(review)
    if not recipients:
        flash("Nobody to remind: every invitee has submitted or stopped reminders.", "info")
        return _back_to_people(review, "vendor")
    form = ConfirmForm()
    if form.validate_on_submit():
        queued = invitations.send_reminders(review, _sender(review))
        if queued:
            flash(f"Reminder sent to {queued} {'person' if queued == 1 else 'people'}.", "success")
        else:
            flash("Everyone on the list was already reminded today.", "info")
        return _back_to_people(review, "vendor")
    subject, context = invitations.reminder_mail(recipients[0], _sender(review), preview=True)
    return render_template(
        "workspace/remind.html",
        review=review,
        recipients=recipients,
        subject=subject,
        preview=render_template("mail/reminder.txt", **context),
        form=form,
    )


@bp.route("/reviews/<public_id>/reminders/schedule", methods=["POST"])
def set_reminder_schedule(public_id: str) -> ResponseReturnValue:
    """Turn automatic reminders on or off for this review."""
    review = review_in_my_organisation(public_id)
    form = ReminderScheduleForm(prefix="schedule")
    if not form.validate_on_submit():
        abort(400)
    days = form.chosen()
    invitations.set_reminder_schedule(review, days)
    if days is None:
        flash("Automatic reminders are off.", "info")
    elif review.due_on is None:
        flash("Automatic reminders are on; set a due date for them to go out.", "warning")
    else:
        flash(f"Automatic reminders go out {days} days before the due date, and on it.", "success")
    return _back_to_people(review, "vendor")
