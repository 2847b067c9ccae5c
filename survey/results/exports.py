"""Exports of a review's submitted answers: the answers file (JSON) and a CSV for spreadsheets.

The JSON is the answers-file shape of the questionnaire format, and JSON is valid YAML, so
``survey score QUESTIONNAIRE export.json`` reproduces the numbers on the results page,
whatever the names and answers hold: characters a YAML reader refuses (controls, DEL, C1,
U+FFFE …) are written as ``\\uXXXX`` escapes (see :func:`survey.domain.answers.answers_json`).
Both are made for one side (`audience`) and follow the review's confidentiality setting
through :func:`survey.reveal.disclosure_for`: the other side's names and roles only
when the setting says so, the other side's answers one by one only from the anonymity
threshold on. Each says what it includes: the JSON under ``includes``, the CSV in its
first line (see :func:`survey.disclosure.export_key`).

The CSV is opened in spreadsheets, where a cell starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return may run as a formula: such cells get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

import sqlalchemy as sa

from survey.disclosure import Disclosure, export_key
from survey.domain.answers import answers_json
from survey.domain.kinds import kind_of
from survey.domain.model import PARTIES, Party, Questionnaire
from survey.domain.scoring import Respondent, ReviewAnswers
from survey.extensions import db
from survey.models import Organisation, Review
from survey.models import Respondent as RespondentRow
from survey.questionnaires import questionnaire_for
from survey.reveal import disclosure_for, review_answers_for, submitted_answers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The CSV's first line, before the column names: what the file includes.
KEY_MARK = "# Includes: "
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


def _shared_people(
    review: Review, disclosure: Disclosure
) -> list[tuple[RespondentRow, dict[str, Any]]]:
    """The submitted people `disclosure.audience` may see one by one, with their answers,
    in the engine's order (survey.reveal.submitted_answers)."""
    return [
        (person, answers)
        for person, answers in submitted_answers(review)
        if disclosure.shows_people_of(person.party)
    ]


def export_json(review: Review, audience: Party) -> str:
    """The answers document of the submitted respondents `audience` may see, as JSON
    (valid YAML), with the key of what it includes."""
    disclosure = disclosure_for(review, audience)
    everyone = review_answers_for(review)
    people: dict[Party, list[Respondent]] = {}
    for party in PARTIES:
        if not disclosure.shows_people_of(party):
            people[party] = []
            continue
        names = disclosure.shows_names_of(party)
        people[party] = [  # in the engine's order (survey.reveal.unlinkable)
            Respondent(party, person.answers, person.name if names else None)
            for person in everyone.respondents(party)
        ]
    shared = ReviewAnswers(
        review.vendor_name, review.client_name, people["vendor"], people["client"]
    )
    includes = export_key(disclosure, review.org_names)
    return answers_json(shared, questionnaire_for(review), includes)


def _label(questionnaire: Questionnaire, question_id: str, value: Any) -> str:
    """The answer as a reader sees it ("Agree" for 4), via the question kind."""
    try:
        question = questionnaire.question(question_id)
    except KeyError:
        return ""
    return str(kind_of(question).summarise(questionnaire, question, value))


def _answer_cell(value: Any) -> Any:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


def export_csv(review: Review, audience: Party) -> str:
    """Every submitted answer `audience` may see, one row each, formulas neutralised in
    every cell; the first line says what the file includes."""
    questionnaire = questionnaire_for(review)
    order = {q.id: i for i, q in enumerate(questionnaire.questions())}
    disclosure = disclosure_for(review, audience)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(KEY_MARK + " ".join(export_key(disclosure, review.org_names)))])
    writer.writerow(CSV_HEADER)
    for person, answers in _shared_people(review, disclosure):
        named = disclosure.shows_names_of(person.party)
        org = review.vendor_name if person.party == "vendor" else review.client_name
        for question_id in sorted(answers, key=lambda q: order.get(q, len(order))):
            value = answers[question_id]
            text = _question_text(questionnaire, question_id, person.party, review)
            row = [
                person.party,
                org,
                person.name or "" if named else "",
                person.role or "" if named else "",
                person.submitted_at.isoformat() if person.submitted_at and named else "",
                question_id,
                text,
                _answer_cell(value),
                _label(questionnaire, question_id, value),
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
    return question.text_for(party, review.vendor_name, review.client_name)


def plan_json(review: Review) -> str:
    """The review's stored action plan as JSON: each item with its comments."""
    from survey.results.data import plan_items

    items = [
        {
            "id": item.public_id,
            "title": item.title,
            "detail": item.detail,
            "because": item.because,
            "owner": item.owner,
            "status": item.status,
            "due_on": item.due_on.isoformat() if item.due_on else None,
            "source": item.source,
            "proposed_by": item.proposed_by,
            "created_at": item.created_at.isoformat(),
            "updated_at": item.updated_at.isoformat(),
            "comments": [
                {"by": comment.who, "at": comment.at.isoformat(), "text": comment.text}
                for comment in item.comments
            ],
        }
        for item in plan_items(review)
    ]
    next_on = review.next_review_on.isoformat() if review.next_review_on else None
    return json.dumps({"next_review_on": next_on, "items": items}, indent=2, ensure_ascii=False)


def review_summary(review: Review) -> dict[str, Any]:
    """The line of an organisation archive's index that names one review."""
    return {
        "id": review.public_id,
        "client": review.client_name,
        "client_id": review.client.public_id,
        "questionnaire": review.questionnaire_id,
        "questionnaire_version": review.questionnaire_version,
        "status": review.status,
        "created_at": review.created_at.isoformat(),
        "answers": f"reviews/{review.public_id}/answers.json",
        "plan": f"reviews/{review.public_id}/plan.json",
    }


def export_organisation(organisation: Organisation) -> bytes:
    """A zip archive of every review of the organisation: answers file and plan as JSON.

    ``index.json`` lists the reviews; ``reviews/<id>/answers.json`` is the answers file
    as the vendor's Export button gives it (so it keeps the review's confidentiality
    setting towards the client's people) and ``reviews/<id>/plan.json`` the action plan.
    """
    reviews = db.session.scalars(
        sa.select(Review).where(Review.organisation_id == organisation.id).order_by(Review.id)
    ).all()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        index = {"organisation": organisation.name, "reviews": []}
        for review in reviews:
            archive.writestr(
                f"reviews/{review.public_id}/answers.json", export_json(review, "vendor")
            )
            archive.writestr(f"reviews/{review.public_id}/plan.json", plan_json(review))
            index["reviews"].append(review_summary(review))  # type: ignore[attr-defined]
        archive.writestr("index.json", json.dumps(index, indent=2, ensure_ascii=False))
    return buffer.getvalue()
