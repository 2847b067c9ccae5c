"""The relationship level each side reaches, and the agreed one."""

from __future__ import annotations

from collections.abc import Sequence

from survey.domain.model import (
    PARTIES,
    Party,
    Questionnaire,
)
from survey.domain.scoring.results import (
    DimensionResult,
    Levels,
    MissingRequirement,
    NextLevel,
    PartyPair,
)


def _party_scores(
    dims: Sequence[DimensionResult], overall: PartyPair, party: Party
) -> dict[str, float | None]:
    """What `requires` keys name: each dimension's score and `overall`."""
    scores = {d.id: d.score(party) for d in dims}
    scores["overall"] = overall.of(party)
    return scores


def _meets(score: float | None, needed: float) -> bool:
    return score is not None and score >= needed


def _level_index(questionnaire: Questionnaire, scores: dict[str, float | None]) -> int:
    """Highest level whose requirements, and those of every level below, hold."""
    reached = 0
    for index, level in enumerate(questionnaire.levels):
        if not all(_meets(scores.get(key), needed) for key, needed in level.requires.items()):
            break
        reached = index
    return reached


def _levels(questionnaire: Questionnaire, scores: dict[Party, dict[str, float | None]]) -> Levels:
    index = {p: _level_index(questionnaire, scores[p]) for p in PARTIES}
    agreed = min(index.values())
    levels = questionnaire.levels
    following = None
    if agreed + 1 < len(levels):
        upper = levels[agreed + 1]
        missing = tuple(
            MissingRequirement(key, party, scores[party].get(key), needed)
            for key, needed in upper.requires.items()
            for party in PARTIES
            if not _meets(scores[party].get(key), needed)
        )
        following = NextLevel(upper.id, upper.title, missing)
    return Levels(
        vendor=levels[index["vendor"]].id,
        client=levels[index["client"]].id,
        agreed=levels[agreed].id,
        next=following,
    )
