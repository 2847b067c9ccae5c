"""Since last review, seed 003's warnings and the per-dimension trends, from the database.

A concept the results page, the PDF, the client page and the portfolio all need, so it
lives below the features (like :mod:`survey.reveal`). The numbers are the engine's
(:func:`survey.reveal.review_result`, the one result every page shows), the
comparison is :func:`survey.domain.change.compare` and the warnings are
:func:`survey.domain.warnings.review_warnings`: nothing is recomputed here.

The previous review of a review is the latest review of the same client, with the same
questionnaire id, started before it, whose results are open to the audience: for the
vendor, results ready (:func:`survey.reveal.results_ready`); for the client, also shared
with it (:func:`survey.reveal.shared_with_client`), so a client never sees numbers of a
review the vendor did not share. Every number here is a side's combined score, never one
person's, so :mod:`survey.disclosure` needs nothing more of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from survey import reveal
from survey.domain.change import Comparison, compare
from survey.domain.charts import Chart
from survey.domain.model import Party, Questionnaire
from survey.domain.scoring import ReviewResult
from survey.domain.trend_charts import DimensionPoint, dimension_trend
from survey.domain.warnings import ReviewWarning, review_warnings
from survey.models import Client, Review, carried_words
from survey.questionnaires import questionnaire_for
from survey.reveal import open_to, results_ready


def _started(review: Review) -> date:
    return review.created_at.date()


def previous_review(review: Review, audience: Party = "vendor") -> Review | None:
    """The review `review` is compared with (see the module's rule), or None."""
    earlier = [
        other
        for other in review.client.reviews
        if other.id != review.id
        and other.questionnaire_id == review.questionnaire_id
        and (other.created_at, other.id) < (review.created_at, review.id)
        and open_to(other, audience)
    ]
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class SinceLastReview:
    """A review compared with its previous one: what the section "Since last review" shows."""

    previous_public_id: str
    previous_on: date
    comparison: Comparison
    questionnaire: Questionnaire
    names: dict[Party, str]
    nps_titles: dict[str, str]

    @property
    def previous_words(self) -> str:
        """ "the review of 3 March 2026"."""
        return carried_words(self.previous_on).removeprefix("from ")

    def dimension_title(self, dimension_id: str) -> str:
        return self.questionnaire.dimension(dimension_id).title


def _names(review: Review) -> dict[Party, str]:
    return {"vendor": review.vendor_name, "client": review.client_name}


def since_last_review(
    review: Review, audience: Party = "vendor", result: ReviewResult | None = None
) -> SinceLastReview | None:
    """The comparison with the previous review, or None when there is none.

    `result` is the review's own result when the caller has it already (saves scoring).
    """
    previous = previous_review(review, audience)
    if previous is None or not open_to(review, audience):
        return None
    questionnaire = questionnaire_for(review)
    found = compare(
        questionnaire_for(previous),
        reveal.review_result(previous),
        questionnaire,
        result or reveal.review_result(review),
    )
    if found is None:
        return None
    names = _names(review)
    nps_titles = {
        change.id: questionnaire.question(change.id).quoted(
            "client", names["vendor"], names["client"]
        )
        for change in found.nps
    }
    return SinceLastReview(
        previous.public_id, _started(previous), found, questionnaire, names, nps_titles
    )


def warnings_for(
    review: Review,
    audience: Party = "vendor",
    result: ReviewResult | None = None,
    since: SinceLastReview | None = None,
) -> tuple[ReviewWarning, ...]:
    """Seed 003's warnings for a review whose results are open to `audience`.

    Pass `result` and `since` when already made, so nothing is scored twice.
    """
    if not open_to(review, audience):
        return ()
    result = result or reveal.review_result(review)
    since = since or since_last_review(review, audience, result)
    comparison = since.comparison if since is not None else None
    return review_warnings(questionnaire_for(review), result, comparison, _names(review))


def latest_with_results(client: Client) -> Review | None:
    """The client's latest review whose results are ready, or None."""
    ready = [review for review in client.reviews if results_ready(review)]
    return ready[-1] if ready else None


def client_warnings(client: Client) -> tuple[ReviewWarning, ...]:
    """The warnings of the client's latest review with results (for the portfolio)."""
    latest = latest_with_results(client)
    return warnings_for(latest) if latest is not None else ()


def client_since(client: Client) -> SinceLastReview | None:
    """Since last review for the client's latest review with results (for the portfolio)."""
    latest = latest_with_results(client)
    return since_last_review(latest) if latest is not None else None


def _when(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def dimension_trends(
    client: Client,
    uid: str = "dimension-trend",
    *,
    until: Review | None = None,
    audience: Party = "vendor",
) -> list[Chart]:
    """One small chart per dimension over the client's reviews open to `audience`.

    The last review drawn is `until` (the review a PDF is about), else the latest with
    results. Only reviews of its questionnaire id are drawn, up to it; the dimensions are
    those of its questionnaire, and a review of another version without one of them shows
    "no score" there. Empty when there is no such review.
    """
    last = until if until is not None else latest_with_results(client)
    if last is None or not open_to(last, audience):
        return []
    reviews = [
        review
        for review in client.reviews
        if review.questionnaire_id == last.questionnaire_id
        and (review.created_at, review.id) <= (last.created_at, last.id)
        and open_to(review, audience)
    ]
    results = [
        (review, {d.id: d for d in reveal.review_result(review).dimensions}) for review in reviews
    ]
    labels = (last.vendor_name, last.client_name)
    charts = []
    for dimension in questionnaire_for(last).dimensions:
        points = [
            DimensionPoint(
                _when(_started(review)),
                scores[dimension.id].vendor if dimension.id in scores else None,
                scores[dimension.id].client if dimension.id in scores else None,
            )
            for review, scores in results
        ]
        charts.append(
            dimension_trend(dimension.title, points, labels=labels, uid=f"{uid}-{dimension.id}")
        )
    return charts
