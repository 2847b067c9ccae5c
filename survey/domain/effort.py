"""How much a party is asked, and how far one respondent got: the one count every page uses.

The respondent's welcome page, the vendor's link panels and invitation text, and the
respondents table all talk about "questions". They must agree, so they all count here:
a question hidden by ``show_if`` is a *follow-up* (asked only after some answers), and a
respondent's progress counts only the questions actually shown to them, with "not
applicable" (stored as ``None``) counting as answered, as the format says. Pure: no Flask.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from survey.domain.model import Party, Questionnaire
from survey.domain.scoring import shown_questions

SECONDS_PER_CLICK = 20  # a scale or choice question
SECONDS_PER_TEXT = 90


@dataclass(frozen=True)
class Effort:
    """What a party is asked: questions always shown, follow-ups that may appear, minutes."""

    questions: int
    follow_ups: int
    minutes: int


def effort(questionnaire: Questionnaire, party: Party) -> Effort:
    """The questions put to `party`, split into always-asked and follow-ups, and the time.

    The minutes count the always-asked questions only: a follow-up may never appear.
    """
    asked = [q for _, questions in questionnaire.sections_for(party) for q in questions]
    always = [q for q in asked if q.show_if is None]
    seconds = sum(SECONDS_PER_TEXT if q.kind == "text" else SECONDS_PER_CLICK for q in always)
    return Effort(len(always), len(asked) - len(always), max(1, math.ceil(seconds / 60)))


def progress(
    questionnaire: Questionnaire, party: Party, answers: Mapping[str, Any]
) -> tuple[int, int]:
    """(answered, shown) for one respondent's stored answers.

    `answers` maps question ids to stored values; a key present with ``None`` is a
    "not applicable" answer and counts as answered. Only questions shown to this
    respondent (``show_if`` applied) count, so someone who answered everything they were
    shown reads "n of n".
    """
    shown = shown_questions(questionnaire, party, dict(answers))
    return sum(1 for q in shown if q.id in answers), len(shown)
