"""Exports of a review's submitted answers: the answers file (JSON) and a CSV for spreadsheets.

The JSON is the answers-file shape of the questionnaire format, and JSON is valid YAML, so
``survey score QUESTIONNAIRE export.json`` reproduces the numbers on the results page,
whatever the names and answers hold: characters a YAML reader refuses (controls, DEL, C1,
U+FFFE …) are written as ``\\uXXXX`` escapes (see :func:`survey.domain.answers.answers_json`).
The CSV is opened in spreadsheets, where a cell starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return may run as a formula: such cells get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import sqlalchemy as sa

from survey.domain.answers import answers_json
from survey.domain.kinds import kind_of
from survey.domain.model import Questionnaire
from survey.extensions import db
from survey.models import Answer, Review
from survey.questionnaires import questionnaire_for
from survey.results.data import review_answers_for
from survey.reveal import submitted_respondents

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = [
    "party",
    "organisation",
    "respondent",
    "role",
    "submitted_at",
    "question_id",
    "question",
    "answer",
    "answer_label",
]


def neutralise(cell: Any) -> Any:
    """A text cell that a spreadsheet could read as a formula, made inert with a leading '.

    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("Fine"), neutralise(4)
    ('Fine', 4)
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def export_json(review: Review) -> str:
    """The answers document of the submitted respondents, as JSON (valid YAML)."""
    return answers_json(review_answers_for(review), questionnaire_for(review))


def _label(questionnaire: Questionnaire, question_id: str, value: Any) -> str:
    """The answer as a reader sees it ("Agree" for 4), via the question kind."""
    try:
        question = questionnaire.question(question_id)
    except KeyError:
        return ""
    return str(kind_of(question).summarise(questionnaire, question, value))


def _answer_cell(value: Any) -> Any:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


def export_csv(review: Review) -> str:
    """Every submitted answer, one row each, with formulas neutralised in every cell."""
    questionnaire = questionnaire_for(review)
    order = {q.id: i for i, q in enumerate(questionnaire.questions())}
    people = submitted_respondents(review)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for person in people:
        answers = db.session.scalars(sa.select(Answer).where(Answer.respondent_id == person.id))
        org = review.vendor_name if person.party == "vendor" else review.client_name
        for answer in sorted(answers, key=lambda a: order.get(a.question_id, len(order))):
            if answer.value is None:
                continue
            text = _question_text(questionnaire, answer.question_id, person.party, review)
            row = [
                person.party,
                org,
                person.name or "",
                person.role or "",
                person.submitted_at.isoformat() if person.submitted_at else "",
                answer.question_id,
                text,
                _answer_cell(answer.value),
                _label(questionnaire, answer.question_id, answer.value),
            ]
            writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


def _question_text(
    questionnaire: Questionnaire, question_id: str, party: str, review: Review
) -> str:
    try:
        question = questionnaire.question(question_id)
    except KeyError:
        return ""
    if party not in questionnaire.parties_asked(question_id):
        return ""
    return question.text_for(party, review.vendor_name, review.client_name)  # type: ignore[arg-type]
