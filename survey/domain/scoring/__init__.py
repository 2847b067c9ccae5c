"""The scoring engine: answers in, scores, gaps, levels, actions and proposals out.

Pure (no Flask, no SQLAlchemy): the web app, the `survey score` command and the PDF all
call :func:`score`. Every rule here is format v1.1's ("Scoring", "Levels", "Actions"; the
authors' guide is docs/questionnaire-format.md); numbers stay unrounded on the result
objects and are rounded to one decimal only by ``to_dict()``.

A worked example. Scale `agreement` has 5 choices, so raw 4 normalises to
100·(4 − 1)/(5 − 1) = 75 and raw 2 to 25. If two client respondents answer 4 and 2 on
the only performance question of `listening`, the client's listening score is 50; if the
vendor's is 75, the gap is 75 − 50 = 25, at least the default threshold 20: a blind spot.
With no importance question answered by the client, importance counts as 100 and the
priority is 100 × (100 − 50) / 100 = 50; the quadrant is `null` (importance not rated).
"""

from __future__ import annotations

from survey.domain.scoring.actions import condition_dimensions
from survey.domain.scoring.engine import respondent_label, score
from survey.domain.scoring.inputs import Respondent, ReviewAnswers
from survey.domain.scoring.results import (
    NO_SPREADS,
    SPLIT_POINTS,
    Cut,
    DimensionResult,
    Levels,
    MissingRequirement,
    NextLevel,
    NpsResult,
    PartyPair,
    Proposal,
    QuestionResult,
    ReviewResult,
    Spread,
    Spreads,
    SuggestedAction,
)
from survey.domain.scoring.scores import PerRespondent, net_promoter_score
from survey.domain.scoring.visibility import shown_questions, visible_answers

__all__ = [
    "Cut",
    "DimensionResult",
    "Levels",
    "MissingRequirement",
    "NO_SPREADS",
    "NextLevel",
    "NpsResult",
    "PartyPair",
    "PerRespondent",
    "Proposal",
    "QuestionResult",
    "Respondent",
    "ReviewAnswers",
    "ReviewResult",
    "SPLIT_POINTS",
    "Spread",
    "Spreads",
    "SuggestedAction",
    "condition_dimensions",
    "net_promoter_score",
    "respondent_label",
    "score",
    "shown_questions",
    "visible_answers",
]
