"""What the engine reads: each respondent's answers, by party."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from survey.domain.model import (
    Party,
)


@dataclass(frozen=True)
class Respondent:
    """One submitted respondent's canonical answers (see :mod:`survey.domain.kinds`)."""

    party: Party
    answers: dict[str, Any]
    name: str | None = None


@dataclass(frozen=True)
class ReviewAnswers:
    """Everything scored for one review: both organisations and their submitted respondents."""

    vendor_org: str
    client_org: str
    vendor: list[Respondent] = field(default_factory=list)
    client: list[Respondent] = field(default_factory=list)

    def respondents(self, party: Party) -> list[Respondent]:
        """The respondents of one party, in order."""
        return self.vendor if party == "vendor" else self.client

    def org(self, party: Party) -> str:
        """The organisation's name for one party."""
        return self.vendor_org if party == "vendor" else self.client_org
