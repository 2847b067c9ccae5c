"""What tests hold of the database: frozen snapshots (ids, names, raw tokens), never ORM
objects bound to a closed session. The fixtures that make them live in conftest.py; test
modules import these types from here, never from conftest."""

from __future__ import annotations

from dataclasses import dataclass

from survey.models import User

PASSWORD = "correct horse battery"
FLAGSHIP = "vendor-value-review"


@dataclass(frozen=True)
class Persona:
    """A vendor user as tests need it: who, of which organisation, and how to log in."""

    id: int
    public_id: str
    email: str
    password: str
    name: str
    organisation_id: int
    organisation: str


@dataclass(frozen=True)
class MadeReview:
    """A started review: its ids and the raw tokens of its links (vendor, client, results)."""

    id: int
    public_id: str
    client_name: str
    tokens: dict[str, str]

    @property
    def vendor_token(self) -> str:
        return self.tokens["vendor"]

    @property
    def client_token(self) -> str:
        return self.tokens["client"]

    @property
    def results_token(self) -> str:
        """The client's results link (its own, apart from the survey links)."""
        return self.tokens["results"]


@dataclass(frozen=True)
class MadeRespondent:
    """A respondent started through a shared link, with the raw resume token."""

    id: int
    public_id: str
    party: str
    resume_token: str


def persona_of(user: User) -> Persona:
    """The snapshot of a user made with the tests' password."""
    return Persona(
        id=user.id,
        public_id=user.public_id,
        email=user.email,
        password=PASSWORD,
        name=user.name,
        organisation_id=user.organisation_id,
        organisation=user.organisation.name,
    )
