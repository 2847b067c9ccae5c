"""Which questions a respondent is shown (show_if), and the answers that count."""

from __future__ import annotations

from typing import Any

from survey.domain.kinds import kind_of
from survey.domain.model import (
    Party,
    Question,
    Questionnaire,
)


def _visibility(
    questionnaire: Questionnaire, party: Party, answers: dict[str, Any]
) -> tuple[list[Question], dict[str, Any]]:
    """Walk the party's questions in file order: the ones shown, and the answers that count.

    Each `show_if` is judged on the answers already found visible above it, so an answer
    hidden by an earlier change cannot keep a later question shown.
    """
    by_id = {q.id: q for q in questionnaire.questions()}
    shown: list[Question] = []
    visible: dict[str, Any] = {}
    for section in questionnaire.sections:
        for question in section.questions:
            if party not in questionnaire.asked_of(section, question):
                continue
            test = question.show_if
            if test is not None:
                earlier = by_id[test.question]
                answer = visible.get(test.question)
                if not kind_of(earlier).matches(questionnaire, earlier, answer, test):
                    continue
            shown.append(question)
            if answers.get(question.id) is not None:
                visible[question.id] = answers[question.id]
    return shown, visible


def shown_questions(
    questionnaire: Questionnaire, party: Party, answers: dict[str, Any]
) -> list[Question]:
    """The questions a respondent of `party` sees, given their answers so far (show_if)."""
    return _visibility(questionnaire, party, answers)[0]


def visible_answers(
    questionnaire: Questionnaire, party: Party, answers: dict[str, Any]
) -> dict[str, Any]:
    """The answers that count: those to questions asked of `party` and shown to it.

    Answers to hidden questions are stale (the respondent changed an earlier answer) and
    are dropped, as are answers to questions not asked of that party and `None` answers.
    """
    return _visibility(questionnaire, party, answers)[1]
