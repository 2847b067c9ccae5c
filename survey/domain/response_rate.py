"""How many of the people invited to one side have answered: the response rate.

Only named invitees have a denominator: a shared link reaches an unknown number of people,
so those who came by it are counted apart (`by_shared_link`) and never inflate the rate.

Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ResponseRate:
    """One side's invited, started and submitted counts.

    >>> rate = ResponseRate(invited=3, started=2, submitted=1, by_shared_link=2)
    >>> rate.percent, rate.words
    (33, '1 of 3 invited submitted (33%)')
    >>> ResponseRate(0, 0, 0, 0).percent is None
    True
    """

    invited: int
    started: int  # invitees who started (submitted included)
    submitted: int  # invitees who submitted
    by_shared_link: int  # people who submitted through the shared link, not invited

    @property
    def percent(self) -> int | None:
        """Submitted invitees as a whole percentage of those invited; None with no invitees."""
        if self.invited == 0:
            return None
        return round(100 * self.submitted / self.invited)

    @property
    def in_progress(self) -> int:
        return self.started - self.submitted

    @property
    def not_started(self) -> int:
        return self.invited - self.started

    @property
    def words(self) -> str:
        """The rate in a sentence; the same on the review page and in the report."""
        if self.invited == 0:
            return "nobody invited by name"
        return f"{self.submitted} of {self.invited} invited submitted ({self.percent}%)"


def response_rate(invitees: Iterable[tuple[bool, bool]], shared_submitted: int) -> ResponseRate:
    """The rate from each invitee's (started, submitted), and the shared link's submissions.

    >>> response_rate([(True, True), (True, False), (False, False)], 4).words
    '1 of 3 invited submitted (33%)'
    """
    states = list(invitees)
    return ResponseRate(
        invited=len(states),
        started=sum(1 for started, _ in states if started),
        submitted=sum(1 for started, submitted in states if started and submitted),
        by_shared_link=shared_submitted,
    )
