"""Named writes of the respondent journey, each documented and committing at its boundary.

Answers are kept one row per respondent and question and updated in place, so a page
save touches only the questions it carries: two tabs of one respondent, each saving its
own page, never wipe each other's answers.

What a caller passes as an answer (the same forms as an answers file):

- a scale's raw value (``4``) or label (``"Agree"``); its ``not_applicable`` label records
  "not applicable" (stored as ``None``, which counts as answered);
- a choice label, or a list of labels for a multiple choice (an empty list clears it);
- text (blank text clears it);
- :data:`CLEAR`, or ``None``, removes the answer.
"""

from __future__ import annotations

from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from survey.database import write_operation
from survey.domain.kinds import AnswerError, kind_of
from survey.domain.model import Party, Question, Questionnaire
from survey.domain.scoring import shown_questions
from survey.extensions import db
from survey.models import Answer, Invitee, Respondent, ShareLink, hash_token, new_token, utcnow
from survey.notices import notify_results_ready
from survey.reveal import results_ready

__all__ = [
    "CLEAR",
    "AnswerError",
    "MissingAnswers",
    "ResponseLocked",
    "answers_of",
    "canonical_answer",
    "missing_required",
    "save_answers",
    "start_invited_response",
    "start_response",
    "submit_response",
]


class _Clear:
    """Marker type of :data:`CLEAR`."""

    def __repr__(self) -> str:
        return "CLEAR"


#: Stands for "no answer": saving it removes the question's row.
CLEAR: Final = _Clear()


class ResponseLocked(Exception):
    """The response can no longer change: it was submitted, or collection is closed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "submitted" or "closed"


class MissingAnswers(Exception):
    """A submit found required questions (shown to the respondent) without an answer."""

    def __init__(self, questions: list[Question]) -> None:
        super().__init__(", ".join(q.id for q in questions))
        self.questions = questions


def _ensure_open(respondent: Respondent) -> None:
    if respondent.is_submitted:
        raise ResponseLocked("submitted")
    if not respondent.review.is_open:
        raise ResponseLocked("closed")


def _clean(text: str | None, limit: int = 200) -> str | None:
    text = (text or "").strip()[:limit]
    return text or None


@write_operation
def start_response(link: ShareLink, name: str | None, role: str | None) -> tuple[Respondent, str]:
    """Create a respondent for the link's party; return it with its raw resume token.

    The token is returned once, here: only its hash is stored, so the caller must hand
    it to the person (resume link, cookie) now. Refused when collection is closed.
    """
    if not link.review.is_open:
        raise ResponseLocked("closed")
    token = new_token()
    respondent = Respondent(
        review=link.review,
        party=link.party,
        link_id=link.id,
        name=_clean(name),
        role=_clean(role),
        resume_token_hash=hash_token(token),
    )
    db.session.add(respondent)
    db.session.commit()
    return respondent, token


@write_operation
def start_invited_response(invitee: Invitee, name: str | None, role: str | None) -> Respondent:
    """Start the invitee's response, bound to them; a second start returns the first.

    The respondent's resume token is the invitee's personal token (its hash is copied), so
    the link in their mails resumes their answers. It points at the side's live shared
    link, as if they had come by it, so their pages offer the same door to the results.
    Refused when collection is closed.
    """
    review = invitee.review
    if not review.is_open:
        raise ResponseLocked("closed")
    if invitee.respondent is not None:  # a double submit, or another tab
        return invitee.respondent
    link = review.current_link(invitee.party)
    respondent = Respondent(
        review_id=review.id,
        party=invitee.party,
        link_id=link.id if link is not None and link.is_active else None,
        name=_clean(name),
        role=_clean(role),
        stake=invitee.stake,
        resume_token_hash=invitee.token_hash,
    )
    try:
        with db.session.begin_nested():  # the same start racing on another connection
            db.session.add(respondent)
    except IntegrityError:
        existing: Respondent | None = db.session.scalar(
            sa.select(Respondent).where(Respondent.resume_token_hash == invitee.token_hash)
        )
        if existing is None:
            raise
        return existing
    invitee.respondent = respondent
    return respondent


def canonical_answer(questionnaire: Questionnaire, question: Question, raw: Any) -> Any:
    """The canonical answer to store for `raw`, :data:`CLEAR` for none; AnswerError if unfit.

    >>> # scale with not_applicable "Don't know": 4 -> 4, "Agree" -> 4, "Don't know" -> None
    >>> # (stored: not applicable), None -> CLEAR; text "  " -> CLEAR; choice [] -> CLEAR
    """
    if raw is None or raw is CLEAR:
        return CLEAR
    canonical = kind_of(question).coerce(questionnaire, question, raw)
    if canonical is None and question.kind != "scale":
        return CLEAR
    return canonical


def answers_of(respondent: Respondent) -> dict[str, Any]:
    """The respondent's stored answers by question id (``None`` = not applicable)."""
    rows = db.session.scalars(
        sa.select(Answer)
        .where(Answer.respondent_id == respondent.id)
        .execution_options(populate_existing=True)  # saves are upserts past the ORM
    )
    return {row.question_id: row.value for row in rows}


def _questions_for(questionnaire: Questionnaire, party: Party) -> dict[str, Question]:
    return {q.id: q for _, questions in questionnaire.sections_for(party) for q in questions}


@write_operation
def save_answers(
    respondent: Respondent, questionnaire: Questionnaire, answers: dict[str, Any]
) -> list[str]:
    """Upsert the given answers in place; return ids of answers dropped as now hidden.

    Only questions in `answers` are touched (never those of other pages), and only
    questions asked of the respondent's party (others are ignored). Values are coerced
    to canonical form first (AnswerError, nothing written, when one does not fit). After
    the write, answers to questions that `show_if` now hides are discarded, as the
    format requires. Refused (ResponseLocked) once submitted or when collection is closed.
    """
    _ensure_open(respondent)
    asked = _questions_for(questionnaire, respondent.party)
    changes = {
        qid: canonical_answer(questionnaire, asked[qid], raw)
        for qid, raw in answers.items()
        if qid in asked
    }
    _write(respondent, changes)
    dropped = _drop_hidden(respondent, questionnaire)
    db.session.commit()
    return dropped


def _write(respondent: Respondent, changes: dict[str, Any]) -> None:
    """The page's answers in one upsert (and one delete for those cleared).

    ``INSERT … ON CONFLICT (respondent, question) DO UPDATE``: two tabs saving the same
    question at once both succeed, the later value kept, with no read first and no retry.
    """
    cleared = [qid for qid, value in changes.items() if value is CLEAR]
    now = utcnow()
    rows = [
        {"respondent_id": respondent.id, "question_id": qid, "value": value, "updated_at": now}
        for qid, value in changes.items()
        if value is not CLEAR
    ]
    if cleared:
        db.session.execute(
            sa.delete(Answer).where(
                Answer.respondent_id == respondent.id, Answer.question_id.in_(cleared)
            )
        )
    if rows:
        insert = _insert_for(db.session.get_bind().dialect.name)(Answer).values(rows)
        db.session.execute(
            insert.on_conflict_do_update(
                index_elements=[Answer.respondent_id, Answer.question_id],
                set_={"value": insert.excluded.value, "updated_at": insert.excluded.updated_at},
            )
        )


def _insert_for(dialect: str) -> Any:
    """The dialect's INSERT that knows ON CONFLICT (SQLite and PostgreSQL both do)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _drop_hidden(respondent: Respondent, questionnaire: Questionnaire) -> list[str]:
    rows = list(
        db.session.scalars(
            sa.select(Answer)
            .where(Answer.respondent_id == respondent.id)
            .execution_options(populate_existing=True)  # the upsert went past the ORM
        )
    )
    values = {row.question_id: row.value for row in rows}
    shown = {q.id for q in shown_questions(questionnaire, respondent.party, values)}
    dropped = [row for row in rows if row.question_id not in shown]
    for row in dropped:
        db.session.delete(row)
    db.session.flush()
    return [row.question_id for row in dropped]


def missing_required(
    questionnaire: Questionnaire, party: Party, answers: dict[str, Any]
) -> list[Question]:
    """Required questions shown to the party that have no answer (not applicable counts)."""
    return [
        q
        for q in shown_questions(questionnaire, party, answers)
        if q.is_required and q.id not in answers
    ]


@write_operation
def submit_response(respondent: Respondent, questionnaire: Questionnaire | None = None) -> bool:
    """Make the response final; True when this call recorded it, False if it already was.

    Idempotent: a double-clicked submit, or two tabs submitting, records one submission
    (the conditional UPDATE lets only the first through). Refused with MissingAnswers
    while a required shown question is open, and with ResponseLocked when collection is
    closed.
    """
    if respondent.is_submitted:
        return False
    _ensure_open(respondent)
    if questionnaire is None:
        from survey.questionnaires import questionnaire_for

        questionnaire = questionnaire_for(respondent.review)
    missing = missing_required(questionnaire, respondent.party, answers_of(respondent))
    if missing:
        raise MissingAnswers(missing)
    was_ready = results_ready(respondent.review)
    result = db.session.execute(
        sa.update(Respondent)
        .where(Respondent.id == respondent.id, Respondent.submitted_at.is_(None))
        .values(submitted_at=utcnow())
    )
    recorded = bool(result.rowcount == 1)  # type: ignore[attr-defined]
    db.session.refresh(respondent)
    if recorded and not was_ready:
        notify_results_ready(respondent.review)  # with the submission that opens them
    db.session.commit()
    return recorded
