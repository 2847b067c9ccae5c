"""How questions appear on a survey page and are read back from a posted page.

One small class per question kind (the web counterpart of :mod:`survey.domain.kinds`):
it lists the options to render and turns posted form data into the raw answer that
:func:`survey.respond.operations.save_answers` takes. The canonical checks stay in the
domain kinds, so the web, the CLI and the scoring agree on what an answer is.

Each rendered question carries a fingerprint of the answer it showed (``_was-<id>``). A
posted question whose value still matches its fingerprint was not touched in that tab
and is not written, so a stale tab cannot overwrite what another tab saved since; a
question missing from the post (another page, or hidden) is never touched at all.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

from werkzeug.datastructures import MultiDict

from survey.domain.kinds import AnswerError, whole_number
from survey.domain.model import Party, Question, Questionnaire, Section
from survey.domain.scoring import shown_questions
from survey.models import Respondent, Review
from survey.respond.operations import CLEAR, canonical_answer

NA_VALUE = "na"


@dataclass(frozen=True)
class Option:
    """One radio button or checkbox."""

    value: str
    label: str
    checked: bool
    not_applicable: bool = False


def fingerprint(state: Any) -> str:
    """A short digest of a stored answer (or "absent"), compared when the page comes back."""
    if state is CLEAR:
        return "absent"
    encoded = json.dumps(state, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


class WebField:
    """Base of the per-kind web fields."""

    kind: ClassVar[str]
    invalid: ClassVar[str] = "Choose one of the options shown."

    def options(self, questionnaire: Questionnaire, question: Question, state: Any) -> list[Option]:
        """The options to render, with the current answer checked."""
        return []

    def read(
        self, questionnaire: Questionnaire, question: Question, form: MultiDict[str, str]
    ) -> tuple[Any, str | None]:
        """The raw answer posted for `question` (None = no answer), and a notice if any."""
        raise NotImplementedError


class ScaleField(WebField):
    """A radio group: one button per point, plus the scale's not-applicable option."""

    kind = "scale"

    def options(self, questionnaire: Questionnaire, question: Question, state: Any) -> list[Option]:
        scale = questionnaire.scale_of(question)
        options = [Option(str(v), scale.label_for(v), state == v) for v in scale.values()]
        if scale.not_applicable:
            options.append(Option(NA_VALUE, scale.not_applicable, state is None, True))
        return options

    def read(
        self, questionnaire: Questionnaire, question: Question, form: MultiDict[str, str]
    ) -> tuple[Any, str | None]:
        posted = (form.get(question.id) or "").strip()
        if not posted:
            return None, None
        scale = questionnaire.scale_of(question)
        if posted == NA_VALUE:
            if scale.not_applicable is None:
                raise AnswerError("this scale has no not-applicable option")
            return scale.not_applicable, None
        number = whole_number(posted)
        if number is None:
            raise AnswerError(f"{posted[:40]!r} is not a point of the scale")
        return number, None


class ChoiceField(WebField):
    """Radios for one choice, checkboxes for a multiple choice; values are the labels."""

    kind = "choice"

    def options(self, questionnaire: Questionnaire, question: Question, state: Any) -> list[Option]:
        chosen = [] if state is CLEAR or state is None else state
        chosen = [chosen] if isinstance(chosen, str) else chosen
        return [Option(c.label, c.label, c.label in chosen) for c in question.choices or []]

    def read(
        self, questionnaire: Questionnaire, question: Question, form: MultiDict[str, str]
    ) -> tuple[Any, str | None]:
        if question.multiple:
            return form.getlist(question.id), None
        return form.get(question.id) or None, None


class TextField(WebField):
    """A text box; text over `max_length` is cut there, with a notice saying so."""

    kind = "text"
    #: Up to this many characters the answer is a word or a phrase: a one-line input.
    #: A five-row text area would invite an essay the limit then cuts off.
    SINGLE_LINE_MAX: ClassVar[int] = 80

    @classmethod
    def single_line(cls, question: Question) -> bool:
        """Whether the answer gets a one-line input rather than a text area."""
        return question.max_length <= cls.SINGLE_LINE_MAX

    def read(
        self, questionnaire: Questionnaire, question: Question, form: MultiDict[str, str]
    ) -> tuple[Any, str | None]:
        text = (form.get(question.id) or "").replace("\r\n", "\n").strip()
        limit = question.max_length
        if len(text) <= limit:
            return text, None
        notice = (
            f"Your answer was {len(text)} characters long; answers are limited to {limit}, "
            f"so we kept the first {limit}. Please check the end of it."
        )
        return text[:limit].rstrip(), notice


FIELDS: dict[str, WebField] = {f.kind: f for f in (ScaleField(), ChoiceField(), TextField())}


def field_of(question: Question) -> WebField:
    """The web field for a question's kind."""
    return FIELDS[question.kind]


# --- a respondent's way through the questionnaire ----------------------------------------


@dataclass
class Journey:
    """A respondent, their questionnaire and its pages (one per section for their party)."""

    respondent: Respondent
    token: str
    questionnaire: Questionnaire

    @property
    def review(self) -> Review:
        return self.respondent.review

    @property
    def party(self) -> Party:
        return self.respondent.party

    @property
    def pages(self) -> list[tuple[Section, list[Question]]]:
        return self.questionnaire.sections_for(self.party)

    def page(self, number: int) -> tuple[Section, list[Question]] | None:
        """The 1-based page, or None when there is no such page."""
        pages = self.pages
        return pages[number - 1] if 1 <= number <= len(pages) else None

    def page_of(self, question_id: str) -> int:
        """The page number a question is on."""
        for number, (_, questions) in enumerate(self.pages, start=1):
            if any(q.id == question_id for q in questions):
                return number
        raise KeyError(question_id)

    def text_of(self, question: Question) -> str:
        """The question in the party's wording with both organisations' names filled in."""
        return question.text_for(self.party, self.review.vendor_name, self.review.client_name)

    def shown_ids(self, answers: dict[str, Any]) -> set[str]:
        """Ids of the questions shown given these answers (show_if applied)."""
        return {q.id for q in shown_questions(self.questionnaire, self.party, answers)}

    def first_open_page(self, answers: dict[str, Any]) -> int | None:
        """The first page with a shown question not answered yet; None when all are."""
        shown = self.shown_ids(answers)
        for number, (_, questions) in enumerate(self.pages, start=1):
            if any(q.id in shown and q.id not in answers for q in questions):
                return number
        return None


# --- reading a posted page ---------------------------------------------------------------


@dataclass
class Reading:
    """What a posted page says: answers to write, values to show again, messages."""

    changes: dict[str, Any] = field(default_factory=dict)
    posted: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    notices: dict[str, str] = field(default_factory=dict)


def read_page(
    questionnaire: Questionnaire, questions: list[Question], form: MultiDict[str, str]
) -> Reading:
    """Read the page's questions from a post; only those present in it, only if changed."""
    reading = Reading()
    for question in questions:
        was = form.get(f"_was-{question.id}")
        if was is None and question.id not in form:
            continue  # not on the posted page (hidden there, or another page)
        try:
            raw, notice = field_of(question).read(questionnaire, question, form)
            state = canonical_answer(questionnaire, question, raw)
        except AnswerError:
            reading.errors[question.id] = field_of(question).invalid
            continue
        reading.posted[question.id] = state
        if notice:
            reading.notices[question.id] = notice
        if was == fingerprint(state) or (was is None and state is CLEAR):
            continue  # untouched in this tab: keep whatever is stored now
        reading.changes[question.id] = None if state is CLEAR else raw
    return reading


# --- what a template needs to draw a question --------------------------------------------


@dataclass
class QuestionView:
    """One question ready to render."""

    question: Question
    text: str
    options: list[Option]
    text_value: str
    hidden: bool
    show_if: dict[str, Any] | None
    was: str
    error: str | None = None
    notice: str | None = None

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def dom_id(self) -> str:
        return f"q-{self.question.id}"

    @property
    def single_line(self) -> bool:
        """A short text answer: drawn as ``<input type="text">``, not a text area."""
        return self.kind == "text" and TextField.single_line(self.question)

    @property
    def input_id(self) -> str:
        """The element an error summary links to (the first radio, or the text area)."""
        return f"{self.dom_id}-0" if self.options else f"{self.dom_id}-input"

    @property
    def described_by(self) -> str:
        ids = []
        if self.question.multiple:
            ids.append(f"{self.dom_id}-multiple")
        if self.question.help:
            ids.append(f"{self.dom_id}-help")
        if self.error:
            ids.append(f"{self.dom_id}-error")
        if self.notice:
            ids.append(f"{self.dom_id}-notice")
        if self.kind == "text":
            ids.append(f"{self.dom_id}-count")
        return " ".join(ids)


def show_if_data(questionnaire: Questionnaire, question: Question) -> dict[str, Any] | None:
    """The show_if test as the page script needs it: values as the inputs carry them."""
    test = question.show_if
    if test is None:
        return None
    controller = questionnaire.question(test.question)
    if test.at_least is not None:
        return {"question": test.question, "test": "at_least", "values": [str(test.at_least)]}
    if test.at_most is not None:
        return {"question": test.question, "test": "at_most", "values": [str(test.at_most)]}
    values = [test.equals] if test.equals is not None else list(test.in_ or [])
    if controller.kind == "scale":
        scale = questionnaire.scale_of(controller)
        values = [scale.value_for(v) or v if isinstance(v, str) else v for v in values]
    return {"question": test.question, "test": "in", "values": [str(v) for v in values]}


def question_views(
    journey: Journey,
    questions: list[Question],
    stored: dict[str, Any],
    shown_state: dict[str, Any],
    reading: Reading | None = None,
) -> list[QuestionView]:
    """The page's questions to render.

    `stored` gives the fingerprints (what the database holds now); `shown_state` the
    answers to show (stored ones, overlaid with posted ones when a post comes back).
    A question hidden by show_if is left out, unless its controlling question is on the
    same page: then it is rendered hidden, for the page script to reveal live (only such
    questions carry the live test; the others were decided on earlier pages).
    """
    reading = reading or Reading()
    shown = journey.shown_ids({k: v for k, v in shown_state.items() if v is not CLEAR})
    on_page = {q.id for q in questions}
    views = []
    for question in questions:
        hidden = question.id not in shown
        if hidden and (question.show_if is None or question.show_if.question not in on_page):
            continue
        state = shown_state.get(question.id, CLEAR)
        controller_here = question.show_if is not None and question.show_if.question in on_page
        live_test = show_if_data(journey.questionnaire, question) if controller_here else None
        views.append(
            QuestionView(
                question=question,
                text=journey.text_of(question),
                options=field_of(question).options(journey.questionnaire, question, state),
                text_value=state if isinstance(state, str) and question.kind == "text" else "",
                hidden=hidden,
                show_if=live_test,
                was=fingerprint(stored.get(question.id, CLEAR)),
                error=reading.errors.get(question.id),
                notice=reading.notices.get(question.id),
            )
        )
    return views


def summary(journey: Journey, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page with its shown questions and answers, for the review and thank-you pages."""
    from survey.domain.kinds import kind_of

    shown = journey.shown_ids(answers)
    pages = []
    for number, (section, questions) in enumerate(journey.pages, start=1):
        rows = []
        for question in questions:
            if question.id not in shown:
                continue
            if question.id not in answers:
                answer = None
            elif answers[question.id] is None:
                answer = journey.questionnaire.scale_of(question).not_applicable or "No answer"
            else:
                answer = kind_of(question).summarise(
                    journey.questionnaire, question, answers[question.id]
                )
            rows.append({"question": question, "text": journey.text_of(question), "answer": answer})
        pages.append({"number": number, "section": section, "rows": rows})
    return pages
