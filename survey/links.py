"""Capability links: shared survey links, the client's results link, personal resume links.

Every operation on them lives here, below the features that use them: issue, derive, find,
revoke, replace, expire, and the headers their pages carry. Each party gets one shared
survey link, and the client a results link of its own (the link "slots" of
:data:`~survey.models.LINK_SLOTS`); revoking marks one, reissuing adds a new row (the old
token then answers 410). Each slot's links are independent: replacing the client's survey
link leaves its results link working. A link may carry an expiry: the vendor picks a last
day, and the link works through the end of that day in UTC.

Both are bearer tokens in the URL, so whoever holds one may answer. Only their SHA-256
hashes are stored; pages reached by them are kept out of caches, search engines and
Referer headers, and the tokens are cut short before anything is written to a log.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from survey.database import write_operation
from survey.extensions import db
from survey.models import (
    LINK_SLOTS,
    Respondent,
    Review,
    ShareLink,
    as_utc,
    hash_token,
    new_salt,
    utcnow,
)

#: Sent with every page reached through a capability token.
LINK_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}
RESUME_COOKIE_MAX_AGE = 180 * 24 * 3600  # half a year: reviews run for weeks
MAX_TOKEN_LENGTH = 128
_TOKEN_IN_PATH = re.compile(
    r"(/r/(?:resume/|invited/|stop/)?|/invite/|/password/reset/)([A-Za-z0-9_-]{4})[A-Za-z0-9_.-]*"
)


def _plausible(raw: str) -> bool:
    return 0 < len(raw) <= MAX_TOKEN_LENGTH


def find_shared_link(raw: str, purpose: str = "survey") -> ShareLink:
    """The live link of this purpose for a raw token.

    404 when unknown or of another purpose (a survey link opens no results page, and the
    other way round); 410 when revoked, replaced or expired, with the reason as the error's
    description (see :data:`GONE_REASONS`), so the page can say which.
    """
    link: ShareLink | None = None
    if _plausible(raw):
        link = db.session.scalar(
            sa.select(ShareLink).where(ShareLink.token_hash == hash_token(raw))
        )
    if link is None or link.purpose != purpose:
        abort(404)
    if link.revoked_at is not None:
        abort(410, description="replaced" if link.is_replaced else "revoked")
    if link.has_expired():
        abort(410, description="expired")
    return link


#: Why a link answers 410, as the error's description: what its page then says.
GONE_REASONS = {
    "revoked": (
        "This link was withdrawn",
        "The organiser withdrew this link, so it no longer opens {what}. "
        "Ask the person who sent it if you still need it.",
    ),
    "replaced": (
        "This link was replaced",
        "The organiser replaced this link with a new one, so this one no longer opens {what}. "
        "Ask the person who sent it for the new link.",
    ),
    "expired": (
        "This link has expired",
        "The organiser set an end date for this link. Ask them for a new one if you still need it.",
    ),
}
UNKNOWN_LINK = (
    "This link does not open {what}",
    "It may have been mistyped. Ask the person who sent it for the link again.",
)


def link_error_page(error: HTTPException, what: str) -> ResponseReturnValue:
    """A clear page for an unknown (404) or a revoked, replaced or expired (410) link.

    `what` names what the link would open ("a survey", "the results").
    """
    code = error.code or 404
    if code == 410:
        title, detail = GONE_REASONS.get(str(error.description), GONE_REASONS["expired"])
    else:
        code, (title, detail) = 404, UNKNOWN_LINK
    return render_template(
        "respond/link_error.html", title=title.format(what=what), detail=detail.format(what=what)
    ), code


def find_respondent(raw: str) -> Respondent:
    """The respondent whose personal resume token this is (404 when none)."""
    respondent: Respondent | None = None
    if _plausible(raw):
        respondent = db.session.scalar(
            sa.select(Respondent)
            .where(Respondent.resume_token_hash == hash_token(raw))
            .options(joinedload(Respondent.review))  # every page needs both: one query
        )
    if respondent is None:
        abort(404)
    return respondent


def live_link_token(review: Review, party: str, purpose: str = "survey") -> str | None:
    """The raw token of the party's current link of this purpose while it opens, else None.

    For the vendor, who may always see and copy the live link. None when the link was
    revoked, has expired, or cannot be derived any more (the secret key changed).
    """
    return _token_while_live(review.current_link(party, purpose))


def came_by_token(respondent: Respondent) -> str | None:
    """The raw token of the shared link this respondent came by, while it still opens.

    The revocation rule: a respondent holds only a personal resume token, so the client's
    door to the results (its results link) is offered only to those who came by the
    client's live survey link. Once that link is revoked or replaced, those who came by it
    keep their own resume link and learn nothing else: neither the new survey link nor
    the results link.
    """
    return _token_while_live(respondent.link)


def _token_while_live(link: ShareLink | None) -> str | None:
    """The link's token derived again from its salt, or None when it no longer opens."""
    if link is None or link.revoked_at is not None or link.has_expired():
        return None
    return link_token(link) if link_is_showable(link) else None


def cookie_name(review: Review, party: str) -> str:
    """One resume cookie per review and party, so two reviews in one browser do not clash."""
    return f"rapport_resume_{review.public_id}_{party}"


def remember_resume_token(response: BaseResponse, link: ShareLink, token: str) -> None:
    """Keep the personal resume token in a cookie so the shared link resumes next time."""
    response.set_cookie(
        cookie_name(link.review, link.party),
        token,
        max_age=RESUME_COOKIE_MAX_AGE,
        path="/r",
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )


def remembered_respondent(link: ShareLink) -> tuple[Respondent, str] | None:
    """The respondent this browser started through this link's review and party, if any."""
    token = request.cookies.get(cookie_name(link.review, link.party), "")
    if not _plausible(token):
        return None
    respondent = db.session.scalar(
        sa.select(Respondent).where(Respondent.resume_token_hash == hash_token(token))
    )
    if respondent is None or respondent.review_id != link.review_id:
        return None
    if respondent.party != link.party:
        return None
    return respondent, token


def redact(text: str) -> str:
    """Cut capability tokens in URL paths to their first 4 characters.

    >>> redact("GET /r/resume/abcdefghijkl/page/2 HTTP/1.1")
    'GET /r/resume/abcd…/page/2 HTTP/1.1'
    """
    return _TOKEN_IN_PATH.sub(lambda m: f"{m.group(1)}{m.group(2)}…", text)


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class TokenRedactingFilter(logging.Filter):
    """A logging filter that redacts tokens in the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {k: _redact_value(v) for k, v in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact_value(v) for v in record.args)
        return True


#: Loggers that write request paths (development server, gunicorn, Flask's error log).
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "survey")


def install_log_redaction() -> None:
    """Attach the redacting filter to the request loggers (once per process)."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, TokenRedactingFilter) for f in logger.filters):
            logger.addFilter(TokenRedactingFilter())


# --- issuing, revoking, replacing and expiring (each commits, but issue_link) -------------


def link_token(link: ShareLink) -> str:
    """The raw token of a shared link, derived from its salt and the app's secret key."""
    return link.token(current_app.config["SECRET_KEY"])


def link_is_showable(link: ShareLink) -> bool:
    """Whether the derived token still matches the stored hash (False after a key rotation)."""
    return hash_token(link_token(link)) == link.token_hash


def shared_link_url(token: str, base_url: str | None = None) -> str:
    """The full URL of a shared link (the respond blueprint serves `/r/<token>`)."""
    base = (base_url or request.url_root).rstrip("/")
    return f"{base}/r/{token}"


def link_works_until(link: ShareLink) -> date | None:
    """The last day (UTC) a shared link opens, or None when it does not expire.

    `expires_at` is the first moment the link no longer opens, so the last day is the
    day of the moment just before it: an `expires_at` of 1 Feb 00:00 UTC gives 31 Jan.
    """
    expires = as_utc(link.expires_at)
    return None if expires is None else (expires - timedelta(microseconds=1)).date()


def issue_link(review: Review, slot: str) -> tuple[ShareLink, str]:
    """Add a new link in a slot (no commit); returns it with its raw token."""
    party, purpose = LINK_SLOTS[slot]
    link = ShareLink(review=review, party=party, purpose=purpose, salt=new_salt())
    token = link_token(link)
    link.token_hash = hash_token(token)
    db.session.add(link)
    return link, token


def current_in_slot(review: Review, slot: str) -> ShareLink | None:
    """The newest link of a slot (vendor, client, results), possibly revoked."""
    return review.current_link(*LINK_SLOTS[slot])


@write_operation
def revoke_link(review: Review, slot: str) -> None:
    """Stop the slot's current link from opening (it then answers 410)."""
    link = current_in_slot(review, slot)
    if link is not None and link.revoked_at is None:
        link.revoked_at = utcnow()
    db.session.commit()


@write_operation
def reissue_link(review: Review, slot: str) -> str:
    """Revoke the slot's current link (if still active) and issue a new one."""
    link = current_in_slot(review, slot)
    if link is not None and link.revoked_at is None:
        link.revoked_at = utcnow()
    _, token = issue_link(review, slot)
    db.session.commit()
    return token


@write_operation
def set_link_expiry(link: ShareLink, expires_on: date | None) -> None:
    """Let a shared link work through the end of `expires_on` (UTC), or for good when None.

    Stored as the first moment it stops working, midnight UTC after that day, which is
    what the link lookups compare with. A reissued link starts again without an expiry.
    """
    link.expires_at = None
    if expires_on is not None:
        link.expires_at = datetime.combine(expires_on + timedelta(days=1), time.min, UTC)
    db.session.commit()
