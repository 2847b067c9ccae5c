"""Queue a mail with the change that causes it; deliver what is due, once.

:func:`queue_mail` only adds a row to the session of the write operation it is called in:
the mail exists if and only if that change is committed, and sending it never slows or
fails the person's request. After the commit the worker is nudged (see
:mod:`survey.tasks`); a minute's sweep catches any nudge that was lost.

:func:`deliver_due` is what the worker runs. Each mail is claimed with a conditional
update (a lease of :data:`LEASE`), so of several workers exactly one takes it; the claim
is committed before the slow SMTP exchange, which holds no lock. A failure puts the mail
back with a growing delay; after :data:`MAX_ATTEMPTS` it is marked failed and kept for
the operator. A worker killed mid-send leaves a lease that runs out, and the mail is
tried again: at least once, and once in every case where the server answered.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey.database import write_operation
from survey.extensions import db
from survey.mail.transport import Transport, build_message, transport_for
from survey.models import OutboxMail, utcnow

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=6)
BATCH = 50
#: Set on the session by queue_mail, read after the commit to nudge the worker.
NUDGE = "survey_mail_nudge"

log = logging.getLogger(__name__)
_BLANKS = re.compile(r"\s+")


def queue_mail(
    recipient: str,
    subject: str,
    template: str,
    context: Mapping[str, Any],
    *,
    event_key: str | None = None,
    headers: Mapping[str, str] | None = None,
    review_id: int | None = None,
) -> OutboxMail | None:
    """Add a mail to the outbox of the current write operation; None if the event had one.

    `template` names ``templates/mail/<template>.txt`` and ``.html``; both are rendered
    now, with `context`, so the mail says what was true when the change was made.
    """
    if event_key is not None and _event_has_mail(event_key):
        return None
    mail = OutboxMail(
        event_key=event_key,
        recipient=recipient,
        subject=_BLANKS.sub(" ", subject).strip()[:300],
        text_body=render_template(f"mail/{template}.txt", **context),
        html_body=render_template(f"mail/{template}.html", **context),
        headers=dict(headers) if headers else None,
        review_id=review_id,
    )
    try:
        with db.session.begin_nested():  # a concurrent twin wins the unique key: no error
            db.session.add(mail)
    except IntegrityError:
        return None
    db.session.info[NUDGE] = True
    return mail


def _event_has_mail(event_key: str) -> bool:
    found = db.session.scalar(sa.select(OutboxMail.id).where(OutboxMail.event_key == event_key))
    return found is not None


@event.listens_for(Session, "after_commit")
def _nudge_after_commit(session: Session) -> None:
    """Wake the worker once a transaction that queued mail is committed."""
    if session.info.pop(NUDGE, False):
        from survey.tasks import nudge_worker

        nudge_worker()


@event.listens_for(Session, "after_rollback")
def _no_nudge_after_rollback(session: Session) -> None:
    session.info.pop(NUDGE, None)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the n-th failed attempt: doubling from 30 s, at most 6 h.

    >>> [int(retry_delay(n).total_seconds()) for n in (1, 2, 3)]
    [30, 60, 120]
    >>> retry_delay(20) == LONGEST_RETRY
    True
    """
    delay: timedelta = FIRST_RETRY * 2 ** (attempts - 1)
    return min(delay, LONGEST_RETRY)


@dataclass
class Delivery:
    """What one pass of the worker did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


def deliver_due(transport: Transport | None = None, worker: str | None = None) -> Delivery:
    """Send every mail that is due now, each claimed first so no other worker sends it."""
    transport = transport or transport_for(current_app.config)
    worker = worker or f"worker-{secrets.token_hex(4)}"
    sender = current_app.config["SURVEY_MAIL_FROM"]
    delivery = Delivery()
    for mail_id in _due_ids():
        mail = _claim(mail_id, worker)
        if mail is None:
            continue  # another worker has it
        try:
            transport.send(build_message(mail, sender))
        except Exception as error:  # any failure of the server or the network
            if _record_failure(mail, error):
                delivery.failed += 1
            else:
                delivery.retried += 1
        else:
            _record_sent(mail)
            delivery.sent += 1
    return delivery


def _due_ids() -> list[int]:
    now = utcnow()
    query = (
        sa.select(OutboxMail.id)
        .where(OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None))
        .where(OutboxMail.next_attempt_at <= now)
        .where(sa.or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(BATCH)
    )
    return list(db.session.scalars(query))  # each claim then starts on the latest state


@write_operation
def _claim(mail_id: int, worker: str) -> OutboxMail | None:
    """Take a lease on one mail, if nobody else holds one; the mail, or None."""
    now = utcnow()
    claimed = db.session.execute(
        sa.update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None))
        .where(OutboxMail.failed_at.is_(None))
        .where(sa.or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))
        .values(claimed_until=now + LEASE, claimed_by=worker)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return db.session.get(OutboxMail, mail_id, populate_existing=True)


@write_operation
def _record_sent(mail: OutboxMail) -> None:
    """Mark the mail sent and drop its bodies (they hold personal links)."""
    mail.sent_at = utcnow()
    mail.claimed_until = None
    mail.text_body = None
    mail.html_body = None
    mail.last_error = None


@write_operation
def _record_failure(mail: OutboxMail, error: Exception) -> bool:
    """Put the mail back for later, or give up after the last attempt; True if given up."""
    mail.attempts += 1
    mail.claimed_until = None
    mail.last_error = f"{type(error).__name__}: {error}"[:500]
    given_up = mail.attempts >= MAX_ATTEMPTS
    if given_up:
        mail.failed_at = utcnow()
    else:
        mail.next_attempt_at = utcnow() + retry_delay(mail.attempts)
    log.warning(
        "mail %s to the outbox's recipient not sent (attempt %d%s): %s",
        mail.id,
        mail.attempts,
        ", giving up" if given_up else "",
        type(error).__name__,
    )
    return given_up
