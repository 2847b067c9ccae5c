"""Named write operations for accounts; each commits at its boundary.

Emails are stored lower-cased and trimmed so that "Dana@Acme.com " and "dana@acme.com"
are one account. Passwords are hashed with Werkzeug's default (scrypt); the test suite
sets `SURVEY_PASSWORD_HASH` to a cheap method so that hundreds of logins stay fast.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from survey.database import write_operation
from survey.emails import normalise_email
from survey.extensions import db
from survey.models import Invitation, Organisation, User, hash_token, new_token, utcnow

INVITATION_LIFETIME = timedelta(days=14)

#: A real hash to compare against when no account matches, so a login attempt takes the
#: same time whether or not the email exists.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A write that would break a rule about accounts (e.g. an email already taken)."""


def hash_password(password: str) -> str:
    """The stored form of a password (scrypt unless `SURVEY_PASSWORD_HASH` says otherwise)."""
    method = current_app.config.get("SURVEY_PASSWORD_HASH", "scrypt")
    return generate_password_hash(password, method=method)


def find_user_by_email(email: str) -> User | None:
    """The account with this email, whatever its case."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def _new_user(organisation: Organisation, email: str, name: str, password_hash: str) -> User:
    if find_user_by_email(email) is not None:
        raise AccountError("An account with this email already exists.")
    user = User(
        organisation=organisation,
        email=normalise_email(email),
        name=name.strip(),
        password_hash=password_hash,
    )
    db.session.add(user)
    return user


def create_account(organisation_name: str, name: str, email: str, password: str) -> User:
    """Create a vendor organisation with its first user.

    The password is hashed (a deliberately slow step) before the write lock is taken.
    """
    return _create_account(organisation_name, name, email, hash_password(password))


@write_operation
def _create_account(organisation_name: str, name: str, email: str, password_hash: str) -> User:
    organisation = Organisation(name=organisation_name.strip())
    db.session.add(organisation)
    user = _new_user(organisation, email, name, password_hash)
    db.session.commit()
    return user


def add_user(organisation: Organisation, name: str, email: str, password: str) -> User:
    """Add a user to an existing organisation (the password hashed before the write)."""
    return _add_user(organisation, name, email, hash_password(password))


@write_operation
def _add_user(organisation: Organisation, name: str, email: str, password_hash: str) -> User:
    user = _new_user(organisation, email, name, password_hash)
    db.session.commit()
    return user


def sign_up(organisation_name: str, name: str, email: str, password: str) -> User | None:
    """Create the organisation and its first user, or nothing when the email has an account.

    The caller answers both the same way, and the work is the same (a password hashed),
    so signing up tells nobody whether an address is known.
    """
    if find_user_by_email(email) is not None:
        hash_password(password)
        return None
    return create_account(organisation_name, name, email, password)


@write_operation
def end_sessions(user: User) -> None:
    """End every session of this user, on every device (cookies copied before included)."""
    user.session_version += 1
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; every older session ends."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("That is not your current password.")
    _store_password(user, hash_password(new))


@write_operation
def _store_password(user: User, password_hash: str) -> None:
    """Keep a new password hash (made before the write lock) and end every session."""
    user.password_hash = password_hash
    end_sessions(user)


def authenticate(email: str, password: str) -> User | None:
    """The user whose email and password match, else None."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


@write_operation
def invite_colleague(inviter: User, email: str) -> tuple[Invitation, str]:
    """Record an invitation into the inviter's organisation; the raw token is returned once.

    Refused only for an address already in the inviter's own team (the Team page lists it
    anyway): whether an address has an account elsewhere is nobody's business here.
    """
    member = find_user_by_email(email)
    if member is not None and member.organisation_id == inviter.organisation_id:
        raise AccountError(f"{member.email} is already in your team.")
    token = new_token()
    invitation = Invitation(
        organisation_id=inviter.organisation_id,
        email=normalise_email(email),
        token_hash=hash_token(token),
        invited_by_id=inviter.id,
        expires_at=utcnow() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """The invitation a raw token opens, if it is still usable."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    return invitation if invitation is not None and invitation.is_usable() else None


def accept_invitation(invitation: Invitation, name: str, password: str) -> User | None:
    """Create the invited colleague's account in the inviting organisation.

    Nothing is made when the address already has an account (in any organisation); the
    invitation is used up all the same and the caller answers as for a new account. The
    password is hashed either way, before the write, so both take the same time.
    """
    return _accept_invitation(invitation, name, hash_password(password))


@write_operation
def _accept_invitation(invitation: Invitation, name: str, password_hash: str) -> User | None:
    invitation.accepted_at = utcnow()
    if find_user_by_email(invitation.email) is not None:
        db.session.commit()
        return None
    user = _new_user(invitation.organisation, invitation.email, name, password_hash)
    db.session.commit()
    return user


def set_password(user: User, new: str) -> None:
    """Set a new password without the current one (an operator's reset); every session ends."""
    _store_password(user, hash_password(new))
