"""Named write operations for accounts; each commits at its boundary.

Emails are stored lower-cased and trimmed so that "Dana@Acme.com " and "dana@acme.com"
are one account. Passwords are hashed with Werkzeug's default (scrypt); the test suite
sets `SURVEY_PASSWORD_HASH` to a cheap method so that hundreds of logins stay fast.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from survey.database import write_operation
from survey.emails import normalise_email
from survey.extensions import db
from survey.mail.outbox import queue_mail
from survey.models import Invitation, Organisation, Role, User, hash_token, new_token, utcnow

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


def _new_user(
    organisation: Organisation, email: str, name: str, password_hash: str, role: Role
) -> User:
    if find_user_by_email(email) is not None:
        raise AccountError("An account with this email already exists.")
    user = User(
        organisation=organisation,
        email=normalise_email(email),
        name=name.strip(),
        password_hash=password_hash,
        role=role,
    )
    db.session.add(user)
    return user


def create_account(organisation_name: str, name: str, email: str, password: str) -> User:
    """Create a vendor organisation with its first user, its admin.

    The password is hashed (a deliberately slow step) before the write lock is taken.
    """
    return _create_account(organisation_name, name, email, hash_password(password))


@write_operation
def _create_account(organisation_name: str, name: str, email: str, password_hash: str) -> User:
    organisation = Organisation(name=organisation_name.strip())
    db.session.add(organisation)
    user = _new_user(organisation, email, name, password_hash, "admin")
    db.session.commit()
    return user


def add_user(
    organisation: Organisation, name: str, email: str, password: str, role: Role = "member"
) -> User:
    """Add a user to an existing organisation (the password hashed before the write)."""
    return _add_user(organisation, name, email, hash_password(password), role)


@write_operation
def _add_user(
    organisation: Organisation, name: str, email: str, password_hash: str, role: Role
) -> User:
    user = _new_user(organisation, email, name, password_hash, role)
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
    """The user whose email and password match, else None (always None for a removed user).

    The password is checked for a removed user too, so the answer takes the same time.
    """
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    matches = check_password_hash(user.password_hash, password)
    return user if matches and not user.is_removed else None


@write_operation
def invite_colleague(inviter: User, email: str) -> tuple[Invitation, str]:
    """Record an invitation into the inviter's organisation and mail the colleague its link.

    The mail is queued in the same transaction (it exists if and only if the invitation
    does); the raw token is returned once, for the Team page to show, and only its hash is
    kept. Refused only for an address already in the inviter's own team (the Team page
    lists it anyway): whether an address has an account elsewhere is nobody's business.
    """
    _require_admin(inviter)
    member = find_user_by_email(email)
    if member is not None and member.organisation_id == inviter.organisation_id:
        if not member.is_removed:
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
    db.session.flush()  # the public id names the mail's event
    _queue_invitation_mail(invitation, inviter, token)
    db.session.commit()
    return invitation, token


def _queue_invitation_mail(invitation: Invitation, inviter: User, token: str) -> None:
    """One mail per invitation (its event key), with the link that opens it."""
    queue_mail(
        invitation.email,
        f"{inviter.name} invites you to join {inviter.organisation.name} on Rapport",
        "colleague_invitation",
        {
            "inviter": inviter,
            "organisation": inviter.organisation,
            "link": url_for("auth.accept_invitation", token=token, _external=True),
            "days": INVITATION_LIFETIME.days,
        },
        event_key=f"colleague-invitation:{invitation.public_id}",
    )


def find_invitation(token: str) -> Invitation | None:
    """The invitation a raw token opens, if it is still usable (not used, withdrawn or old)."""
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    return invitation if invitation is not None and invitation.is_usable() else None


def accept_invitation(invitation: Invitation, name: str, password: str) -> User | None:
    """Create the invited colleague's account in the inviting organisation, as a member.

    Nothing is made when the address already has an account (in any organisation); the
    invitation is used up all the same and the caller answers as for a new account. The
    one exception is a colleague once removed from this same organisation: they come back
    as a member, with the name and password chosen now. The password is hashed either
    way, before the write, so every case takes the same time.
    """
    return _accept_invitation(invitation, name, hash_password(password))


@write_operation
def _accept_invitation(invitation: Invitation, name: str, password_hash: str) -> User | None:
    invitation.accepted_at = utcnow()
    existing = find_user_by_email(invitation.email)
    if (
        existing is not None
        and existing.is_removed
        and existing.organisation_id == invitation.organisation_id
    ):
        _rejoin(existing, name, password_hash)
        return existing
    if existing is not None:
        db.session.commit()
        return None
    user = _new_user(invitation.organisation, invitation.email, name, password_hash, "member")
    db.session.commit()
    return user


def _rejoin(user: User, name: str, password_hash: str) -> None:
    """A removed colleague invited back: a member again, with a fresh name and password."""
    user.removed_at = None
    user.role = "member"
    user.name = name.strip()
    user.password_hash = password_hash
    end_sessions(user)


def set_password(user: User, new: str) -> None:
    """Set a new password without the current one (an operator's reset); every session ends."""
    _store_password(user, hash_password(new))


# --- the team: who may manage it, and the rule that keeps an admin ---------------------------


class NotAllowed(PermissionError):
    """A member (not an admin) tried to manage the team."""


def _require_admin(user: User) -> None:
    if not user.is_admin or user.is_removed:
        raise NotAllowed("Only an admin of the organisation may manage its team.")


def members(organisation: Organisation) -> list[User]:
    """The organisation's users who have not been removed, by name."""
    query = (
        sa.select(User)
        .where(User.organisation_id == organisation.id, User.removed_at.is_(None))
        .order_by(User.name, User.email)
    )
    return list(db.session.scalars(query))


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    """The organisation's invitations that still open (not used, withdrawn or expired)."""
    query = (
        sa.select(Invitation)
        .where(
            Invitation.organisation_id == organisation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.created_at, Invitation.id)
    )
    return [invitation for invitation in db.session.scalars(query) if invitation.is_usable()]


def find_member(organisation: Organisation, public_id: str) -> User | None:
    """A user of this organisation (never another's) who has not been removed."""
    return db.session.scalar(
        sa.select(User).where(
            User.public_id == public_id,
            User.organisation_id == organisation.id,
            User.removed_at.is_(None),
        )
    )


def find_team_invitation(organisation: Organisation, public_id: str) -> Invitation | None:
    """An invitation of this organisation (never another's), whatever its state."""
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.public_id == public_id, Invitation.organisation_id == organisation.id
        )
    )


def _admins_left_without(user: User) -> int:
    """How many admins the organisation keeps if this user stops being one."""
    query = sa.select(sa.func.count(User.id)).where(
        User.organisation_id == user.organisation_id,
        User.role == "admin",
        User.removed_at.is_(None),
        User.id != user.id,
    )
    return db.session.scalar(query) or 0


def _keep_an_admin(user: User, doing: str) -> None:
    """Refuse to leave the organisation without an admin (counted under the write lock)."""
    if user.is_admin and _admins_left_without(user) == 0:
        raise AccountError(
            f"{user.name} is the only admin of {user.organisation.name}, so cannot be "
            f"{doing}. Make another member an admin first."
        )


@write_operation
def revoke_invitation(admin: User, invitation: Invitation) -> None:
    """Withdraw an invitation: its link opens nothing from now on."""
    _require_admin(admin)
    if not invitation.is_usable():
        raise AccountError(f"The invitation for {invitation.email} was no longer open.")
    invitation.revoked_at = utcnow()
    db.session.commit()


@write_operation
def remove_member(admin: User, member: User) -> None:
    """Remove a colleague: their login is refused and every session of theirs ends now.

    The row stays (reviews and the plan's history still name them); the last admin of an
    organisation cannot be removed.
    """
    _require_admin(admin)
    _keep_an_admin(member, "removed")
    member.removed_at = utcnow()
    end_sessions(member)


@write_operation
def change_role(admin: User, member: User, role: Role) -> None:
    """Make a member an admin, or an admin a member (never the organisation's last admin)."""
    _require_admin(admin)
    if role == "member":
        _keep_an_admin(member, "made a member")
    member.role = role
    db.session.commit()


@write_operation
def change_name(user: User, name: str) -> None:
    """The name colleagues (and, in reviews, clients) see for this user."""
    user.name = name.strip()
    db.session.commit()
