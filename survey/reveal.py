"""The reveal rule: who has submitted, what they answered, whether the results are open,
and to whom.

The results open in two stages. Once each side has at least the review's `min_respondents`
submitted respondents, they open to the vendor only, who prepares the plan and its
responses to the client's proposals. The client sees them once the vendor shares them
(`Review.shared_at`), and no longer once the vendor stops sharing (`Review.unshared_at`).

Both the respondent journey and the results pages ask this module, so the rule lives in
one place (a concept every feature needs lives below the features). So does the one result
of a review, :func:`review_result`: the results page, the client's page, the PDF, the plan,
"Since last review" and the portfolio all take their numbers and reasons from it (the
exports carry answers, not results).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any, Literal

import sqlalchemy as sa
from flask import current_app

from survey.disclosure import Disclosure
from survey.domain.model import PARTIES, Party
from survey.domain.scoring import Respondent as ScoredRespondent
from survey.domain.scoring import ReviewAnswers, ReviewResult, score
from survey.extensions import db
from survey.models import Answer, Respondent, Review
from survey.questionnaires import questionnaire_for

#: The choices of a review's minimum of submitted respondents per side.
MIN_RESPONDENT_CHOICES = (1, 2, 3, 4, 5)
DEFAULT_MIN_RESPONDENTS = 1

#: Where a review stands: still collecting, open to the vendor who prepares, shared with the
#: client, or no longer shared (the vendor stopped sharing).
RevealState = Literal["collecting", "preparing", "shared", "withdrawn"]
REVEAL_STATES: dict[str, str] = {
    "collecting": "collecting answers",
    "preparing": "open to you only, being prepared",
    "shared": "shared with the client",
    "withdrawn": "no longer shared with the client",
}


def submitted_respondents(review: Review, party: Party | None = None) -> list[Respondent]:
    """The review's submitted respondents (of one party, or all), in the order they started."""
    return [
        r
        for r in review.respondents
        if r.submitted_at is not None and (party is None or r.party == party)
    ]


def missing_parties(review: Review) -> list[Party]:
    """Sides with fewer submitted respondents than the review's minimum: nobody sees results.

    >>> missing_parties(Review(min_respondents=1, respondents=[]))
    ['vendor', 'client']
    """
    counts = submitted_counts(review)
    return [p for p in PARTIES if counts[p] < _minimum(review)]


def submitted_counts(review: Review) -> dict[Party, int]:
    """How many have submitted on each side, without loading the review's respondents.

    A welcome page or the portfolio only needs the counts: one grouped query, rather than
    every respondent of a review of hundreds. Where the respondents are loaded already
    (the results pages), or the review is not stored (a doctest), they are counted here.
    """
    if review.id is None or "respondents" not in sa.inspect(review).unloaded:
        return {p: len(submitted_respondents(review, p)) for p in PARTIES}
    rows = db.session.execute(
        sa.select(Respondent.party, sa.func.count())
        .where(Respondent.review_id == review.id, Respondent.submitted_at.is_not(None))
        .group_by(Respondent.party)
    )
    found = {party: int(count) for party, count in rows}
    return {p: found.get(p, 0) for p in PARTIES}


def results_ready(review: Review) -> bool:
    """Both sides have the minimum of submitted respondents: the results open to the vendor."""
    return not missing_parties(review)


def shared_with_client(review: Review) -> bool:
    """The results are ready and the vendor shares them with the client now."""
    return review.shared_at is not None and results_ready(review)


def reveal_state(review: Review) -> RevealState:
    """Where the review stands in the staged reveal (see :data:`REVEAL_STATES`)."""
    if not results_ready(review):
        return "collecting"
    if review.shared_at is not None:
        return "shared"
    return "withdrawn" if review.unshared_at is not None else "preparing"


def open_to(review: Review, audience: Party) -> bool:
    """Whether this side may see the comparison and the plan now."""
    return results_ready(review) if audience == "vendor" else shared_with_client(review)


def preparer(review: Review) -> str:
    """Who prepares the results, in the client's words: the review's owner and organisation.

    >>> preparer(Review(vendor_name="Acme"))
    'Acme'
    """
    owner = review.created_by
    return f"{owner.name} at {review.vendor_name}" if owner is not None else review.vendor_name


def _minimum(review: Review) -> int:
    return review.min_respondents or DEFAULT_MIN_RESPONDENTS


def answers_digest(answers: dict[str, Any]) -> str:
    """A digest of one person's answers: the same answers, the same place in a list."""
    canonical = json.dumps(answers, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def unlinkable(review: Review) -> bool:
    """Whether people are taken in an order of their answers rather than of their start.

    Where names are hidden from the other side: the vendor knows when the people it
    invited started (the review page shows who has), so a list in starting order (the
    proposals, the exports one by one) would tell who is who. Ordered by a digest of
    their answers instead, a list says nothing of when anyone answered.
    """
    return not review.names_to_other_side


def submitted_answers(
    review: Review, client_stake: str | None = None
) -> list[tuple[Respondent, dict[str, Any]]]:
    """Each submitted person with their answers (not applicable left out), in one query,
    side by side in the order every output lists them (see :func:`unlinkable`).

    With `client_stake`, only the client's people of that stake (decision makers, say)
    count on the client's side; the vendor's side stays whole.
    """
    rows = [
        r
        for r in submitted_respondents(review)
        if client_stake is None or r.party == "vendor" or r.stake == client_stake
    ]
    ids = [r.id for r in rows]
    values: dict[int, dict[str, Any]] = {i: {} for i in ids}
    if ids:
        for answer in db.session.scalars(sa.select(Answer).where(Answer.respondent_id.in_(ids))):
            if answer.value is not None:
                values[answer.respondent_id][answer.question_id] = answer.value
    people = [(row, values[row.id]) for row in rows]
    if unlinkable(review):
        people.sort(key=lambda pair: (PARTIES.index(pair[0].party), answers_digest(pair[1])))
    return people


def review_answers_for(review: Review, client_stake: str | None = None) -> ReviewAnswers:
    """The engine's input: both organisations and the canonical answers of submitted people
    (see :func:`submitted_answers` for the order and `client_stake`)."""
    people: dict[str, list[ScoredRespondent]] = {"vendor": [], "client": []}
    for row, values in submitted_answers(review, client_stake):
        people[row.party].append(ScoredRespondent(row.party, values, row.name))
    return ReviewAnswers(review.vendor_name, review.client_name, people["vendor"], people["client"])


def disclosure_for(review: Review, audience: Party) -> Disclosure:
    """What `audience` may see of each side's people in this review (survey.disclosure)."""
    return Disclosure(audience, review.confidentiality, submitted_counts(review))


#: How many review results each app keeps (a result is a few hundred small numbers).
RESULT_CACHE_SIZE = 128
_results_lock = threading.Lock()


def _results() -> OrderedDict[tuple[Any, ...], ReviewResult]:
    """This app's cache of results (each app, so each test's database, has its own)."""
    cache: OrderedDict[tuple[Any, ...], ReviewResult] = current_app.extensions.setdefault(
        "survey_review_results", OrderedDict()
    )
    return cache


def result_key(review: Review, side_worded: frozenset[Party]) -> tuple[Any, ...]:
    """What a review's result depends on: its pinned questionnaire, the names of the two
    organisations, who submitted (and when), and how the reasons are worded.

    A submitted response can no longer change, so the set of submissions stands for their
    answers: a new submission, or one removed, makes a new key. The latest change to their
    answers is in it too, so even an answer corrected in the database by hand is seen.
    """
    people = submitted_respondents(review)
    submitted = tuple(sorted((r.id, r.submitted_at) for r in people))
    changed = db.session.scalar(
        sa.select(sa.func.max(Answer.updated_at)).where(
            Answer.respondent_id.in_([r.id for r in people])
        )
    )
    source = hashlib.sha256(review.questionnaire_source.encode()).hexdigest()
    names = (review.vendor_name, review.client_name)
    return (review.id, source, names, submitted, changed, tuple(sorted(side_worded)))


def review_result(review: Review) -> ReviewResult:
    """The engine's result of a review: the one every page, the PDF and the portfolio show.

    The engine on the submitted answers (:func:`review_answers_for`), with the reasons
    worded as the confidentiality setting wants (the same for both audiences), so a stored
    reason and a shown one never differ. Call only when the results are ready.

    Kept per app (so per worker) by :func:`result_key`: the page, the PDF and the portfolio
    asking again about an unchanged review do not load and score its answers again.
    """
    side_worded = disclosure_for(review, "vendor").side_worded()
    key = result_key(review, side_worded)
    cache = _results()
    with _results_lock:
        kept = cache.get(key)
        if kept is not None:
            cache.move_to_end(key)
            return kept
    result = score(questionnaire_for(review), review_answers_for(review), side_worded)
    with _results_lock:
        cache[key] = result
        while len(cache) > RESULT_CACHE_SIZE:
            cache.popitem(last=False)
    return result


def client_stake_counts(review: Review) -> dict[str | None, int]:
    """Submitted client respondents per stake (None: came by the shared link)."""
    counts: dict[str | None, int] = {}
    for respondent in submitted_respondents(review, "client"):
        counts[respondent.stake] = counts.get(respondent.stake, 0) + 1
    return counts


def stake_result(review: Review, stake: str) -> ReviewResult:
    """The engine's result with only the client's people of one stake on the client side.

    A reading aid beside the review's one result, never instead of it: the plan, the PDF
    and the portfolio stay on :func:`review_result`. Reasons are worded for the side as a
    whole, since a stake is a smaller group than the side.
    """
    return score(
        questionnaire_for(review),
        review_answers_for(review, client_stake=stake),
        frozenset(PARTIES),
    )
