"""The whole: :func:`score`, from a questionnaire and answers to a :class:`ReviewResult`."""

from __future__ import annotations

from typing import Any

from survey.domain.model import (
    PARTIES,
    Party,
    Questionnaire,
)
from survey.domain.scoring.actions import _actions, _Facts
from survey.domain.scoring.inputs import Respondent, ReviewAnswers
from survey.domain.scoring.levels import _levels, _party_scores
from survey.domain.scoring.results import PartyPair, Proposal, ReviewResult
from survey.domain.scoring.scores import (
    _dimension_results,
    _nps_results,
    _overall,
    _question_results,
    _question_scores,
    _respondent_scores,
    _Scored,
)
from survey.domain.scoring.visibility import visible_answers


def respondent_label(respondent: Respondent, org: str) -> str:
    """How messages and proposals name a respondent: the name, else "someone at {org}"
    (the one wording for an unnamed person, as in :func:`survey.disclosure.someone_at`)."""
    return respondent.name or f"someone at {org}"


def _proposals(
    questionnaire: Questionnaire, review: ReviewAnswers, answers: dict[Party, list[dict[str, Any]]]
) -> tuple[Proposal, ...]:
    proposing = [q for q in questionnaire.questions() if q.proposes == "action"]
    found = []
    for party in PARTIES:
        for person, visible in zip(review.respondents(party), answers[party], strict=True):
            label = respondent_label(person, review.org(party))
            for question in proposing:
                text = visible.get(question.id)
                if text:
                    found.append(Proposal(party, question.id, text, label, person.name))
    return tuple(found)


def score(
    questionnaire: Questionnaire,
    review: ReviewAnswers,
    side_worded: frozenset[Party] = frozenset(),
) -> ReviewResult:
    """Score one review: pass only submitted respondents, with canonical answers.

    Reasons about a party in `side_worded` speak of the side, not of its respondents
    (the numbers are the same either way).
    """
    answers: dict[Party, list[dict[str, Any]]] = {
        p: [visible_answers(questionnaire, p, r.answers) for r in review.respondents(p)]
        for p in PARTIES
    }
    scored: dict[Party, _Scored] = {}
    for p in PARTIES:
        table = _respondent_scores(questionnaire, answers[p])
        scored[p] = _Scored(table, _question_scores(table), len(answers[p]))
    dims = _dimension_results(questionnaire, scored)
    overall = PartyPair(*(_overall(questionnaire, dims, p) for p in PARTIES))
    party_scores = {p: _party_scores(dims, overall, p) for p in PARTIES}
    levels = _levels(questionnaire, party_scores)
    level_ids = [level.id for level in questionnaire.levels]
    facts = _Facts(
        questionnaire=questionnaire,
        dimensions={d.id: d for d in dims},
        agreed_index=level_ids.index(levels.agreed),
        answers=answers,
        orgs={p: review.org(p) for p in PARTIES},
        side_worded=side_worded,
    )
    return ReviewResult(
        questionnaire_id=questionnaire.id,
        version=questionnaire.version,
        levels=levels,
        overall=overall,
        dimensions=dims,
        questions=_question_results(questionnaire, scored),
        actions=_actions(facts),
        proposals=_proposals(questionnaire, review, answers),
        nps=_nps_results(questionnaire, answers, scored),
        respondents={p: len(answers[p]) for p in PARTIES},
    )
