"""Password recovery by e-mail: a signed, time-limited, single-use reset link.

The token is signed with the app's secret (itsdangerous, which Flask already uses for its
sessions) and carries the account's public id and a fingerprint of its current password
hash. Setting a new password changes that hash, so a link works once; it also stops
working after :data:`RESET_LIFETIME`. Asking for a link answers the same for a known and
an unknown address, and sends at most one mail per account per :data:`RESET_SPACING`
(the event key), however often the form is posted.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from survey.auth.operations import find_user_by_email, set_password
from survey.database import write_operation
from survey.extensions import db
from survey.mail.outbox import queue_mail
from survey.models import User, utcnow

RESET_LIFETIME = timedelta(hours=1)
RESET_SPACING = timedelta(minutes=10)
_SALT = "rapport-password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    """A reset token for this user's current password."""
    return str(_serializer().dumps({"u": user.public_id, "p": _fingerprint(user)}))


def user_for_reset(token: str) -> User | None:
    """The user a reset token opens, if it is recent and the password is unchanged since."""
    try:
        data = _serializer().loads(token, max_age=int(RESET_LIFETIME.total_seconds()))
    except BadSignature:  # a forged, altered or expired token
        return None
    if not isinstance(data, dict):
        return None
    user: User | None = db.session.scalar(sa.select(User).where(User.public_id == data.get("u")))
    if user is None or user.is_removed or data.get("p") != _fingerprint(user):
        return None
    return user


@write_operation
def request_reset(email: str) -> None:
    """Queue a reset mail if the address has a live account; do nothing visible otherwise.

    A removed user gets none: a new password would not let them log in.
    """
    user = find_user_by_email(email)
    if user is None or user.is_removed:
        return
    spacing = int(RESET_SPACING.total_seconds())
    bucket = int(utcnow().timestamp()) // spacing
    link = url_for("auth.reset_password", token=reset_token(user), _external=True)
    queue_mail(
        user.email,
        "Reset your Rapport password",
        "password_reset",
        {"user": user, "link": link, "minutes": int(RESET_LIFETIME.total_seconds() // 60)},
        event_key=f"password-reset:{user.public_id}:{bucket}",
    )


def reset_password(user: User, new: str) -> None:
    """Set the new password (hashed before the write); the link and every session end."""
    set_password(user, new)
