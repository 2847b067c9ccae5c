"""Typed SQLAlchemy 2 models.

Public ids in URLs are random strings (never the integer primary keys), and capability
tokens (shared links, resume links) are stored only as SHA-256 hashes: a leaked database
dump does not open anyone's survey.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import unicodedata
from datetime import UTC, date, datetime
from typing import Any, Literal, get_args

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from survey.disclosure import THRESHOLD_DEFAULT, Confidentiality, someone_at
from survey.domain.model import Party
from survey.extensions import db


def utcnow() -> datetime:
    """Timezone-aware now, used as a callable column default."""
    return datetime.now(UTC)


def new_public_id() -> str:
    """A random, URL-safe id (96 bits) for use in URLs instead of sequential keys."""
    return secrets.token_urlsafe(12)


def new_token() -> str:
    """A capability token of 192 bits from `secrets`; only its hash is stored."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """The stored form of a capability token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_salt() -> str:
    """A random per-link salt from which a shared link's token is derived (see ShareLink)."""
    return secrets.token_hex(16)


def derive_link_token(secret_key: str, salt: str) -> str:
    """The raw token of a shared link: urlsafe-base64(HMAC-SHA256(secret_key, salt)).

    >>> derive_link_token("k", "00") == derive_link_token("k", "00")
    True
    """
    digest = hmac.new(secret_key.encode(), salt.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def as_utc(moment: datetime | None) -> datetime | None:
    """The same moment, timezone-aware: SQLite hands back naive datetimes (stored as UTC)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


Timestamp = sa.DateTime(timezone=True)


class Organisation(db.Model):  # type: ignore[name-defined,misc]
    """A vendor organisation: its users, its client portfolio, its reviews."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")
    clients: Mapped[list[Client]] = relationship(
        back_populates="organisation", order_by="Client.name"
    )
    reviews: Mapped[list[Review]] = relationship(back_populates="organisation")


#: What a user may do in their organisation's team: an admin invites, withdraws
#: invitations, removes colleagues and changes roles; a member sees the team only.
#: Everything else (clients, reviews, results) is the same for both.
Role = Literal["admin", "member"]
ROLES: tuple[Role, ...] = get_args(Role)


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """A vendor staff account; everything it sees is scoped to its organisation.

    A removed user (`removed_at` set) keeps its row, so reviews and plan history still
    name who did what, but it cannot log in and its sessions have ended.
    """

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    #: Part of every session cookie of this user: raising it ends them all (logout, a new
    #: password, "log out everywhere"), copies made before included.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: New rows say their role (the first user of an organisation is its admin, an invited
    #: colleague a member); the server default made every user existing before roles an
    #: admin, so nobody lost what they could do.
    role: Mapped[Role] = mapped_column(sa.String(10), default="member", server_default="admin")
    removed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    @property
    def is_admin(self) -> bool:
        """Whether this user may manage the team (invite, withdraw, remove, change roles)."""
        return self.role == "admin"

    @property
    def is_removed(self) -> bool:
        """Whether an admin has removed this user from the organisation."""
        return self.removed_at is not None

    def get_id(self) -> str:
        """What the session holds: the public id (never the primary key) and the version.

        >>> User(public_id="u1", session_version=3).get_id()
        'u1.3'
        """
        return f"{self.public_id}.{self.session_version}"


class Invitation(db.Model):  # type: ignore[name-defined,misc]
    """An invitation for a colleague to join the organisation (token stored hashed)."""

    __tablename__ = "invitation"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: Names the invitation in the Team page's withdraw button (never the raw token).
    public_id: Mapped[str] = mapped_column(
        sa.String(32), unique=True, index=True, default=new_public_id
    )
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(Timestamp)
    accepted_at: Mapped[datetime | None] = mapped_column(Timestamp)
    #: When an admin withdrew it: the link opens nothing from then on.
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)

    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User] = relationship()

    def is_usable(self, now: datetime | None = None) -> bool:
        """Not yet accepted, not withdrawn and not expired."""
        now = now or utcnow()
        expires = as_utc(self.expires_at)
        open_ = self.accepted_at is None and self.revoked_at is None
        return open_ and (expires is None or expires > now)


def client_name_key(name: str) -> str:
    """The form under which two client names are one client: blanks collapsed, Unicode
    case folded (canonical caseless matching, NFD then casefold then NFC).

    Done in Python, not with the database's ``lower()``, which SQLite applies to ASCII only.

    >>> client_name_key("  Ärzte   AG ") == client_name_key("ÄRZTE AG") == "ärzte ag"
    True
    >>> client_name_key("Straße") == client_name_key("STRASSE")
    True
    """
    spaced = " ".join(name.split())
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", spaced).casefold())


#: A name of at most 200 characters folds to at most 600 (casefold triples at most).
CLIENT_NAME_KEY_LENGTH = 600


class Client(db.Model):  # type: ignore[name-defined,misc]
    """A client organisation in a vendor's portfolio; reviews repeat over time per client.

    `name_key` (:func:`client_name_key` of the name, kept in step by the model) is what
    makes a client unique in its organisation, so ``Ärzte AG`` and ``ÄRZTE AG`` are one.
    """

    __tablename__ = "client"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "name"),
        sa.UniqueConstraint("organisation_id", "name_key", name="uq_client_organisation_name_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    name_key: Mapped[str] = mapped_column(sa.String(CLIENT_NAME_KEY_LENGTH))
    #: What the client is worth to the vendor in a year (seed 004's lifetime value), in
    #: whole units of the vendor's currency; optional. Sums into the portfolio's value at risk.
    yearly_value: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="clients")
    reviews: Mapped[list[Review]] = relationship(
        back_populates="client", order_by="Review.created_at"
    )

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = client_name_key(name)
        return name


#: A review is open to answers until the vendor closes it (or repeats it, closing the old one).
ReviewStatus = Literal["open", "closed"]


class Review(db.Model):  # type: ignore[name-defined,misc]
    """One round of the two-sided review, pinned to the questionnaire text it started with."""

    __tablename__ = "review"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(sa.String(100))
    questionnaire_version: Mapped[int] = mapped_column()
    questionnaire_source: Mapped[str] = mapped_column(sa.Text)
    vendor_name: Mapped[str] = mapped_column(sa.String(200))
    client_name: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[ReviewStatus] = mapped_column(sa.String(10), default="open")
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    #: Submitted respondents each side needs before the results open (to the vendor first).
    min_respondents: Mapped[int] = mapped_column(default=1, server_default="1")
    #: When the vendor last shared the results with the client; None while not shared.
    shared_at: Mapped[datetime | None] = mapped_column(Timestamp)
    #: When the vendor last stopped sharing them (None if it never did).
    unshared_at: Mapped[datetime | None] = mapped_column(Timestamp)
    #: Confidentiality (see :mod:`survey.disclosure`), chosen at the start and locked once
    #: anyone has started answering: names to the other side, and the anonymity threshold.
    names_to_other_side: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    anonymity_threshold: Mapped[int] = mapped_column(
        default=THRESHOLD_DEFAULT, server_default=str(THRESHOLD_DEFAULT)
    )
    next_review_on: Mapped[date | None] = mapped_column(sa.Date)
    #: Remind invitees who have not submitted, automatically, this many days before the due
    #: date and on it; None: no automatic reminders (the default where mail is not set up).
    remind_days_before: Mapped[int | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="reviews")
    client: Mapped[Client] = relationship(back_populates="reviews")
    created_by: Mapped[User | None] = relationship()
    links: Mapped[list[ShareLink]] = relationship(back_populates="review", order_by="ShareLink.id")
    respondents: Mapped[list[Respondent]] = relationship(
        back_populates="review", order_by="Respondent.id"
    )
    invitees: Mapped[list[Invitee]] = relationship(back_populates="review", order_by="Invitee.id")

    @property
    def carried_note(self) -> str | None:
        """ "from the review of 3 March 2026" for a carried-over item, else None."""
        return None if self.carried_from_on is None else carried_words(self.carried_from_on)

    @property
    def is_open(self) -> bool:
        """Whether respondents may still start, change and submit answers."""
        return self.status == "open"

    def current_link(self, party: str, purpose: str = "survey") -> ShareLink | None:
        """The party's newest link of this purpose (possibly revoked), or None before any."""
        mine = [link for link in self.links if link.party == party and link.purpose == purpose]
        return mine[-1] if mine else None

    def respondents_of(self, party: str) -> list[Respondent]:
        """The party's respondents, in the order they started."""
        return [r for r in self.respondents if r.party == party]

    @property
    def confidentiality(self) -> Confidentiality:
        """The review's confidentiality setting as the disclosure policy takes it."""
        return Confidentiality(self.names_to_other_side, self.anonymity_threshold)

    @property
    def org_names(self) -> dict[Party, str]:
        """Each party's organisation name."""
        return {"vendor": self.vendor_name, "client": self.client_name}


#: What a capability link opens: a party's survey, or the client's results page.
LINK_PURPOSES = ("survey", "results")
#: A review's links by the name its page and URLs give them: (party, purpose).
LINK_SLOTS = {
    "vendor": ("vendor", "survey"),
    "client": ("client", "survey"),
    "results": ("client", "results"),
}


class ShareLink(db.Model):  # type: ignore[name-defined,misc]
    """A capability link of a review: one party's survey link, or the client's results link
    (`purpose`); revoking and reissuing makes a new row, so each purpose has its own history.

    Why a salt: the vendor must be able to see and copy a shared link on the review page
    at any time, not only once at creation, yet the database should not hold the token.
    So each link stores a random `salt`, the token is HMAC(SECRET_KEY, salt) (see
    :func:`derive_link_token`), and lookups go through `token_hash`. A database dump alone
    opens nothing; rotating SECRET_KEY changes every derived token, so after a rotation
    the review page offers to reissue the links (the old hashes still open the old links).
    """

    __tablename__ = "share_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id"), index=True)
    party: Mapped[Party] = mapped_column(sa.String(10))
    purpose: Mapped[str] = mapped_column(sa.String(10), default="survey", server_default="survey")
    salt: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_salt)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(Timestamp)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)

    review: Mapped[Review] = relationship(back_populates="links")

    @property
    def is_replaced(self) -> bool:
        """Whether a newer link of the same party and purpose took this one's place."""
        return self.review.current_link(self.party, self.purpose) is not self

    @property
    def is_active(self) -> bool:
        """Whether the link still opens the survey (it does even while the review is closed,
        so respondents can be told collection has ended)."""
        return self.revoked_at is None

    def has_expired(self, now: datetime | None = None) -> bool:
        """Whether the vendor's last day for this link has passed (it then answers 410)."""
        expires = as_utc(self.expires_at)
        return expires is not None and expires <= (now or utcnow())

    def token(self, secret_key: str) -> str:
        """The raw token, derived again from the salt (see the class docstring)."""
        return derive_link_token(secret_key, self.salt)


class Respondent(db.Model):  # type: ignore[name-defined,misc]
    """One person answering for a party, reached again through a personal resume link."""

    __tablename__ = "respondent"
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id"), index=True)
    party: Mapped[Party] = mapped_column(sa.String(10))
    #: The shared link this respondent came by: only while it is the party's live link does
    #: the respondent's own page point to that link's results (a replaced link gives nothing).
    link_id: Mapped[int | None] = mapped_column(sa.ForeignKey("share_link.id"), index=True)
    name: Mapped[str | None] = mapped_column(sa.String(200))
    role: Mapped[str | None] = mapped_column(sa.String(200))
    #: The part the person plays (:data:`Stake`), from their invitation; None when they came
    #: by the shared link. Results can be read for one stake at a time.
    stake: Mapped[str | None] = mapped_column(sa.String(20))
    resume_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(Timestamp)

    review: Mapped[Review] = relationship(back_populates="respondents")
    link: Mapped[ShareLink | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="respondent", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        """Whether the response is final (read-only from then on)."""
        return self.submitted_at is not None


#: The part an invited person plays in the relationship, as the vendor records it.
Stake = Literal["decision_maker", "influencer", "user", "other"]
STAKES: tuple[Stake, ...] = get_args(Stake)


def derive_personal_token(secret_key: str, salt: str) -> str:
    """An invitee's personal token: 128 bits of HMAC-SHA256(secret_key, salt), urlsafe.

    Derived (like a shared link's, see :class:`ShareLink`) so that every reminder can carry
    the same personal link, while the database holds only its hash.

    >>> len(derive_personal_token("k", "00"))
    22
    """
    message = f"invitee:{salt}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class Invitee(db.Model):  # type: ignore[name-defined,misc]
    """A person the vendor invited by name and e-mail to answer for one side.

    Their personal link opens the survey as them: its token is derived from `salt` (see
    :func:`derive_personal_token`) and looked up by `token_hash`. When they start, their
    respondent takes the same token as its resume token, so the link in the invitation
    mail goes on working as their personal link. Reminders go to those not yet submitted,
    unless they stopped them (`reminders_stopped_at`).
    """

    __tablename__ = "invitee"
    __table_args__ = (sa.UniqueConstraint("review_id", "email"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id"), index=True)
    party: Mapped[Party] = mapped_column(sa.String(10))
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254))
    stake: Mapped[Stake] = mapped_column(sa.String(20), default="other")
    salt: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_salt)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    respondent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("respondent.id"), unique=True)
    invited_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    reminders_stopped_at: Mapped[datetime | None] = mapped_column(Timestamp)

    review: Mapped[Review] = relationship(back_populates="invitees")
    respondent: Mapped[Respondent | None] = relationship()

    def token(self, secret_key: str) -> str:
        """The raw personal token, derived again from the salt."""
        return derive_personal_token(secret_key, self.salt)

    @property
    def has_started(self) -> bool:
        return self.respondent is not None

    @property
    def has_submitted(self) -> bool:
        return self.respondent is not None and self.respondent.is_submitted


class Answer(db.Model):  # type: ignore[name-defined,misc]
    """One answer of one respondent, updated in place while the response is a draft.

    `value` holds the canonical answer: the raw scale value (int), a choice label (str),
    a list of labels for a multiple choice, or the text; `None` for not applicable.
    """

    __tablename__ = "answer"
    __table_args__ = (sa.UniqueConstraint("respondent_id", "question_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(sa.ForeignKey("respondent.id"), index=True)
    question_id: Mapped[str] = mapped_column(sa.String(100))
    value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)

    respondent: Mapped[Respondent] = relationship(back_populates="answers")


# --- joint action plan (results feature) ---------------------------------------------------

#: Who carries out a plan item.
ActionOwner = Literal["vendor", "client", "joint"]
#: Where a plan item stands; "proposed" is a client proposal the vendor has not taken up.
ActionStatus = Literal["proposed", "planned", "in_progress", "done", "declined"]
#: Where a plan item came from: the engine, an answer or the client's link, or the vendor.
ActionSource = Literal["suggested", "proposal", "custom"]
ACTION_OWNERS: tuple[ActionOwner, ...] = get_args(ActionOwner)
ACTION_STATUSES: tuple[ActionStatus, ...] = get_args(ActionStatus)
#: The most a name given with a comment or proposal through the client's link holds.
AUTHOR_NAME_MAX = 200


def via_link_who(author_name: str | None, review: Review) -> str:
    """Who wrote through the client's link: the name they gave, else "someone at {client}"."""
    return author_name or someone_at(review.client_name)


def carried_words(started_on: date) -> str:
    """ "from the review of 3 March 2026": how the plan marks a carried-over item.

    >>> carried_words(date(2026, 3, 3))
    'from the review of 3 March 2026'
    """
    return f"from the review of {started_on.day} {started_on:%B %Y}"


class ActionItem(db.Model):  # type: ignore[name-defined,misc]
    """One line of a review's joint action plan.

    Engine suggestions and proposals from answers are not stored until the vendor accepts
    or declines them; `source_key` ties the stored line back to the suggestion it came from
    (``s:<rule id>``, ``p:<digest of party, question and text>``) so it is not offered twice.
    Who changed it last is a user, or the client's link (`updated_via_link`).
    """

    __tablename__ = "action_item"
    __table_args__ = (sa.UniqueConstraint("review_id", "source_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True, default=new_public_id)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id"), index=True)
    #: Where the item came from: "suggested" (the engine), "proposal" (an answer, or the
    #: client through its link) or "custom" (the vendor's own).
    source: Mapped[ActionSource] = mapped_column(sa.String(10))
    source_key: Mapped[str | None] = mapped_column(sa.String(80))
    rule_id: Mapped[str | None] = mapped_column(sa.String(100))
    proposed_by: Mapped[str | None] = mapped_column(sa.String(10))
    title: Mapped[str] = mapped_column(sa.String(300))
    detail: Mapped[str | None] = mapped_column(sa.Text)
    because: Mapped[str | None] = mapped_column(sa.Text)
    owner: Mapped[ActionOwner] = mapped_column(sa.String(10), default="joint")
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[ActionStatus] = mapped_column(sa.String(12), default="planned")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_via_link: Mapped[bool] = mapped_column(default=False)
    #: The name the person gave when proposing through the client's link (optional).
    author_name: Mapped[str | None] = mapped_column(sa.String(AUTHOR_NAME_MAX))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_via_link: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    #: A client proposal's own words, kept as written while the vendor edits the item.
    client_said: Mapped[str | None] = mapped_column(sa.Text)
    #: The vendor's response to a client proposal, shown beside it once results are shared.
    vendor_response: Mapped[str | None] = mapped_column(sa.Text)
    #: Carried over from an earlier review's plan when that review was repeated: the item
    #: it came from (None once that review is deleted) and the day that review started,
    #: kept so the plan can still say "from the review of <date>".
    carried_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("action_item.id"), index=True)
    carried_from_on: Mapped[date | None] = mapped_column(sa.Date)

    review: Mapped[Review] = relationship()
    carried_from: Mapped[ActionItem | None] = relationship(remote_side=[id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    comments: Mapped[list[ActionComment]] = relationship(
        back_populates="item", order_by="ActionComment.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[ActionEvent]] = relationship(
        back_populates="item", order_by="ActionEvent.id"
    )

    @property
    def proposer(self) -> str | None:
        """Who proposed it through the client's link (see via_link_who); None otherwise."""
        if self.source != "proposal" or not self.created_via_link:
            return None
        return via_link_who(self.author_name, self.review)

    @property
    def carried_note(self) -> str | None:
        """ "from the review of 3 March 2026" for a carried-over item, else None."""
        return None if self.carried_from_on is None else carried_words(self.carried_from_on)

    @property
    def is_open(self) -> bool:
        """Still to do: neither done nor declined."""
        return self.status not in ("done", "declined")


class ActionEvent(db.Model):  # type: ignore[name-defined,misc]
    """One recorded change to a plan (an item, or the review's next review date)."""

    __tablename__ = "action_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("action_item.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    via_link: Mapped[bool] = mapped_column(default=False)
    author_name: Mapped[str | None] = mapped_column(sa.String(AUTHOR_NAME_MAX))
    what: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    review: Mapped[Review] = relationship()
    item: Mapped[ActionItem | None] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()

    @property
    def who(self) -> str:
        """A user's name, or the name given through the client's link (see via_link_who)."""
        if self.via_link or self.user is None:
            return via_link_who(self.author_name, self.review)
        return self.user.name


class ActionComment(db.Model):  # type: ignore[name-defined,misc]
    """A comment on a plan item, by a vendor user or through the client's link."""

    __tablename__ = "action_comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("action_item.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    via_link: Mapped[bool] = mapped_column(default=False)
    author_name: Mapped[str | None] = mapped_column(sa.String(AUTHOR_NAME_MAX))
    text: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    item: Mapped[ActionItem] = relationship(back_populates="comments")
    user: Mapped[User | None] = relationship()

    @property
    def who(self) -> str:
        """A user's name, or the name given through the client's link (see via_link_who)."""
        if self.via_link or self.user is None:
            return via_link_who(self.author_name, self.item.review)
        return self.user.name


class OutboxMail(db.Model):  # type: ignore[name-defined,misc]
    """A mail to send, written in the same transaction as the change that causes it.

    A worker delivers it later (see :mod:`survey.mail.outbox`), so a failing mail server
    never fails the request, and a change rolled back never sends its mail. `event_key`
    names the event ("reminder:<invitee>:<date>"): unique, so one event queues one mail
    however many workers or clicks raise it. Once sent, the bodies are dropped: links
    with tokens in them are not kept in the database longer than needed.
    """

    __tablename__ = "outbox_mail"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text_body: Mapped[str | None] = mapped_column(sa.Text)
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    #: Extra headers, such as List-Unsubscribe on reminders.
    headers: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
    review_id: Mapped[int | None] = mapped_column(sa.ForeignKey("review.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, index=True)
    #: A worker's lease on the mail: another worker leaves it alone until then.
    claimed_until: Mapped[datetime | None] = mapped_column(Timestamp)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(80))
    sent_at: Mapped[datetime | None] = mapped_column(Timestamp)
    failed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))

    @property
    def status(self) -> Literal["sent", "failed", "waiting"]:
        """Sent, given up after every retry, or waiting for (another) attempt."""
        if self.sent_at is not None:
            return "sent"
        return "failed" if self.failed_at is not None else "waiting"
