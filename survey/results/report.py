"""The report an executive reads (issue 13 point 5): what the PDF and the results page show
first, in the same order, from the same objects.

- :func:`headline_for`: the headline's sentences (:mod:`survey.domain.headline`) from the
  comparison's engine result and since last review (:mod:`survey.since`).
- :func:`method_for`: the method box: who answered and the response rate per side, what the
  scores and the gap threshold mean, where the quadrant is cut, and the "indicative" caution.
- :func:`first_actions`: the plan's first three agreed actions.

Only sides' combined scores and counts of people appear here, never one person's answers, so
the disclosure rules (:mod:`survey.disclosure`) need nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.domain.headline import Sentence, headline
from survey.domain.model import PARTIES, Party
from survey.domain.report import INDICATIVE_BELOW
from survey.domain.response_rate import ResponseRate
from survey.invitations import side_invitees
from survey.models import ActionItem, Review
from survey.results.data import Comparison
from survey.since import SinceLastReview


def headline_for(comparison: Comparison, since: SinceLastReview | None) -> tuple[Sentence, ...]:
    """The headline of a review for the side reading it (`since` made for that side)."""
    return headline(
        comparison.questionnaire,
        comparison.result,
        comparison.review.org_names,
        since.comparison if since is not None else None,
        since.previous_words if since is not None else None,
    )


def first_actions(items: list[ActionItem], count: int = 3) -> list[ActionItem]:
    """The first `count` agreed actions still to do (plan order: in progress, then by date)."""
    return [item for item in items if item.is_open and item.status != "proposed"][:count]


@dataclass(frozen=True)
class SideMethod:
    """Who answered on one side."""

    party: Party
    organisation: str
    label: str
    submitted: int
    started: int
    indicative: bool
    invited: ResponseRate | None = None  # the response rate of those invited by name

    @property
    def rate(self) -> int | None:
        """Submitted as a whole percentage of those who started answering (None if nobody)."""
        return round(100 * self.submitted / self.started) if self.started else None

    @property
    def words(self) -> str:
        """ "3 of 4 people who started answering submitted (75%)"."""
        people = "person" if self.started == 1 else "people"
        if not self.started:
            return "nobody started answering"
        words = (
            f"{self.submitted} of {self.started} {people} who started answering"
            f" submitted ({self.rate}%)"
        )
        if self.invited is not None and self.invited.invited:
            words += f"; {self.invited.words}"  # the review page's words, the same figure
        return words


@dataclass(frozen=True)
class Method:
    """The method box's facts."""

    sides: tuple[SideMethod, ...]
    gap_threshold: float
    quadrant_cut: tuple[float, float]
    anonymity_threshold: int
    cautions: tuple[str, ...]

    @property
    def indicative_below(self) -> int:
        return INDICATIVE_BELOW


def method_for(review: Review, comparison: Comparison) -> Method:
    """The method box of a review as `comparison` shows it."""
    invited = side_invitees(review)
    sides = tuple(
        SideMethod(
            party,
            review.org_names[party],
            comparison.labels[party],
            comparison.submitted[party],
            len(review.respondents_of(party)),
            comparison.indicative[party],
            invited[party].rate,
        )
        for party in PARTIES
    )
    return Method(
        sides=sides,
        gap_threshold=comparison.questionnaire.gap_threshold,
        quadrant_cut=comparison.quadrant_cut,
        anonymity_threshold=review.anonymity_threshold,
        cautions=tuple(sentence for _party, sentence in comparison.indicative_notes()),
    )
