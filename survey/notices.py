"""Notices by e-mail: the account team hears when results are ready and when the client
writes; the client's invitees hear when the results are shared with them.

Each is queued in the same write operation as the change that causes it (see
:mod:`survey.mail.outbox`), under an event key, so it is sent once however many times the
change is repeated. Notices name what happened and link to the page; they never carry
anyone's written words, which stay behind the login or the client's results link.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, has_request_context, url_for

from survey.links import live_link_token
from survey.mail.outbox import queue_mail
from survey.models import Review, User
from survey.questionnaires import questionnaire_for
from survey.reveal import results_ready

log = logging.getLogger(__name__)


def _link(endpoint: str, **values: Any) -> str | None:
    """An absolute link for a mail; None outside a request when no public address is set
    (a command run without SURVEY_BASE_URL), so the change goes on without its notice."""
    if not has_request_context() and not current_app.config.get("SERVER_NAME"):
        log.info("no notice mailed for %s: SURVEY_BASE_URL is not set", endpoint)
        return None
    return url_for(endpoint, _external=True, **values)


def _owner(review: Review) -> User | None:
    """Who hears about a review: its owner, while still in the team."""
    owner = review.created_by
    return owner if owner is not None and owner.removed_at is None else None


def notify_results_ready(review: Review) -> None:
    """Tell the review's owner that both sides now have enough answers (once per review).

    Called with the submission that may open the results; the caller checks that they
    were not open before it, so a later submission never says "ready" again.
    """
    owner = _owner(review)
    if owner is None or not results_ready(review):
        return
    link = _link("results.page", public_id=review.public_id)
    if link is None:
        return
    queue_mail(
        owner.email,
        f"Results are ready: {review.client_name}",
        "results_ready",
        {
            "review": review,
            "owner": owner,
            "title": questionnaire_for(review).title,
            "link": link,
        },
        event_key=f"results-ready:{review.public_id}",
        review_id=review.id,
    )


def notify_results_shared(review: Review) -> None:
    """Tell each of the client's invitees that the results are theirs to see (once each).

    Sent only while the client's results link opens: the mail carries that link.
    """
    token = live_link_token(review, "client", "results")
    link = token and _link("shared_results.shared_page", token=token)
    if not link:
        return
    title = questionnaire_for(review).title
    for invitee in review.invitees:
        if invitee.party != "client":
            continue
        queue_mail(
            invitee.email,
            f"{review.vendor_name} shared the results of your review",
            "results_shared",
            {"review": review, "invitee": invitee, "title": title, "link": link},
            event_key=f"results-shared:{invitee.public_id}",
            review_id=review.id,
        )


def notify_client_said(review: Review, what: str, event_key: str) -> None:
    """Tell the review's owner the client commented or proposed an action (once per event)."""
    owner = _owner(review)
    link = _link("results.page", public_id=review.public_id)
    if owner is None or link is None:
        return
    queue_mail(
        owner.email,
        f"{review.client_name} {what}",
        "client_said",
        {
            "review": review,
            "owner": owner,
            "what": what,
            "link": link,
        },
        event_key=event_key,
        review_id=review.id,
    )
