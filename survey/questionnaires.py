"""Where the web app gets questionnaires: the loaded catalogue, and a review's pinned copy.

A review stores the full text of the questionnaire it started with; results are always
computed from that copy, so later edits of a file never change old results.
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app

from survey.domain.loader import LoadedQuestionnaire, load_text
from survey.domain.model import Questionnaire
from survey.models import Review


def catalogue() -> dict[str, LoadedQuestionnaire]:
    """The questionnaires loaded from the folder at start, by id."""
    return current_app.extensions["questionnaires"]  # type: ignore[no-any-return]


@lru_cache(maxsize=64)
def _parse_pinned(source: str, name: str) -> Questionnaire:
    return load_text(source, name)


def questionnaire_for(review: Review) -> Questionnaire:
    """The questionnaire pinned to a review (parsed once per distinct text)."""
    name = f"{review.questionnaire_id} v{review.questionnaire_version} (pinned)"
    return _parse_pinned(review.questionnaire_source, name)
