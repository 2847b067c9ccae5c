"""Question kinds: one small class per `kind`, so no `if kind == ...` chains elsewhere.

Each kind knows four things about an answer to one of its questions:

- ``coerce``: turn what a person or a file gave (an int, a label, form text ...) into the
  *canonical* answer, or raise :class:`AnswerError` saying why it does not fit;
- ``normalise``: the canonical answer on the 0–100 score range (``None`` when unscored);
- ``matches``: whether it passes a ``show_if`` / action ``question`` test;
- ``summarise``: a short text to show the answer to a reader.

Canonical answers (what the scoring engine and the database keep):

=========  ===============================================================
scale      ``int`` raw value (1..N for choices scales, lo..hi for ranges)
choice     ``str`` label, or ``list[str]`` labels when ``multiple``
text       ``str`` stripped of surrounding blanks
(any)      ``None`` for no answer (and for the scale's ``not_applicable``)
=========  ===============================================================

The web app reuses :meth:`QuestionKind.coerce` for form data and
:meth:`QuestionKind.matches` for ``show_if``. Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

from survey.domain.model import Question, Questionnaire, Scale


class AnswerError(ValueError):
    """An answer does not fit its question; the message says why, for a person to read."""


class AnswerTest(Protocol):
    """What `show_if` and an action's `question` condition have in common: one test set."""

    @property
    def equals(self) -> int | str | None: ...

    @property
    def in_(self) -> list[int | str] | None: ...

    @property
    def at_least(self) -> int | None: ...

    @property
    def at_most(self) -> int | None: ...


def did_you_mean(word: str, options: Sequence[str]) -> str:
    """`` (did you mean 'Agree'?)`` for the nearest option, or an empty string."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    if not close:
        lowered = {o.lower(): o for o in options}
        close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    return f" (did you mean {close[0]!r}?)" if close else ""


def _is_number(raw: Any) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


#: The longest whole number a person or a file may write for a scale point.
MAX_DIGITS = 9
_WHOLE_NUMBER = re.compile(rf"-?[0-9]{{1,{MAX_DIGITS}}}")


def whole_number(text: str) -> int | None:
    """The whole number `text` spells in ASCII digits (one leading minus at most), else None.

    Strict on purpose: ``str.isdigit`` also accepts ``²`` and ``①``, which ``int`` refuses,
    and a number of thousands of digits costs time to convert; neither is a scale point.

    >>> [whole_number(t) for t in ("4", "-2", "007", "²", "①", "--1", "4.0", "", "1" * 10)]
    [4, -2, 7, None, None, None, None, None, None]
    """
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else None


def _shown(raw: Any, limit: int = 40) -> str:
    """A misfit answer as a message quotes it: cut short, and a huge number only named."""
    if isinstance(raw, int) and abs(raw) >= 10**limit:
        return "a number that long"
    text = str(raw) if isinstance(raw, int) else repr(raw)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


class QuestionKind:
    """Base of the kinds; subclasses override what differs."""

    name: ClassVar[str]

    def coerce(self, questionnaire: Questionnaire, question: Question, raw: Any) -> Any:
        """The canonical answer for `raw`, or AnswerError when it does not fit."""
        raise NotImplementedError

    def normalise(
        self, questionnaire: Questionnaire, question: Question, canonical: Any
    ) -> float | None:
        """The answer on 0–100 (reverse applied); None when missing or unscored."""
        return None

    def matches(
        self, questionnaire: Questionnaire, question: Question, canonical: Any, test: AnswerTest
    ) -> bool:
        """Whether the answer passes `test` (equals / in / at_least / at_most).

        No answer never passes: the contract counts unanswered as "not shown".
        """
        if canonical is None:
            return False
        if test.equals is not None:
            return bool(canonical == test.equals)
        if test.in_ is not None:
            return canonical in test.in_
        return False

    def summarise(self, questionnaire: Questionnaire, question: Question, canonical: Any) -> str:
        """The answer as a reader should see it ("Agree", "Firefighting, An escalation")."""
        return "No answer" if canonical is None else str(canonical)


class ScaleKind(QuestionKind):
    """A point on a labelled (choices) or numbered (range) scale; canonical: the raw int."""

    name = "scale"

    def coerce(self, questionnaire: Questionnaire, question: Question, raw: Any) -> int | None:
        scale = questionnaire.scale_of(question)
        if raw is None or (scale.not_applicable is not None and raw == scale.not_applicable):
            return None
        if isinstance(raw, str):
            return self._from_text(scale, question, raw.strip())
        if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
            raw = int(raw)  # 4.0 is 4; no float() of a huge int, which overflows
        if _is_number(raw) and not isinstance(raw, float):
            return self._in_range(scale, question, raw)
        raise AnswerError(f"{_shown(raw)} is not a point of scale {question.scale!r}")

    def _from_text(self, scale: Scale, question: Question, text: str) -> int | None:
        if scale.not_applicable is not None and text == scale.not_applicable:
            return None
        value = scale.value_for(text)
        if value is not None:
            return value
        number = whole_number(text)
        if number is not None:
            return self._in_range(scale, question, number)
        options = list(scale.choices or []) + (
            [scale.not_applicable] if scale.not_applicable else []
        )
        if scale.choices is None:
            raise AnswerError(
                f"{_shown(text)} is not a point of scale {question.scale!r} "
                f"(a whole number from {scale.lo} to {scale.hi})"
            )
        raise AnswerError(
            f"{_shown(text)} is not a choice of scale {question.scale!r}"
            f"{did_you_mean(text, options)}"
        )

    def _in_range(self, scale: Scale, question: Question, value: int) -> int:
        if not scale.lo <= value <= scale.hi:
            raise AnswerError(
                f"{_shown(value)} is outside scale {question.scale!r} ({scale.lo} to {scale.hi})"
            )
        return value

    def normalise(
        self, questionnaire: Questionnaire, question: Question, canonical: Any
    ) -> float | None:
        if canonical is None:
            return None
        score = questionnaire.scale_of(question).normalise(int(canonical))
        return 100.0 - score if question.reverse else score

    def matches(
        self, questionnaire: Questionnaire, question: Question, canonical: Any, test: AnswerTest
    ) -> bool:
        """Compare raw values; a label in `equals`/`in` stands for its raw value."""
        if canonical is None:
            return False
        scale = questionnaire.scale_of(question)
        if test.equals is not None:
            return bool(canonical == self._raw(scale, test.equals))
        if test.in_ is not None:
            return canonical in [self._raw(scale, item) for item in test.in_]
        if test.at_least is not None:
            return bool(canonical >= test.at_least)
        if test.at_most is not None:
            return bool(canonical <= test.at_most)
        return False

    @staticmethod
    def _raw(scale: Scale, item: int | str) -> int | str:
        if isinstance(item, str):
            value = scale.value_for(item)
            return item if value is None else value
        return item

    def summarise(self, questionnaire: Questionnaire, question: Question, canonical: Any) -> str:
        if canonical is None:
            return "No answer"
        return questionnaire.scale_of(question).label_for(int(canonical))


class ChoiceKind(QuestionKind):
    """Pick one label, or several when `multiple`; canonical: the label or list of labels."""

    name = "choice"

    def coerce(
        self, questionnaire: Questionnaire, question: Question, raw: Any
    ) -> str | list[str] | None:
        if raw is None:
            return None
        if question.multiple:
            items = [raw] if isinstance(raw, str) else raw
            if not isinstance(items, list):
                raise AnswerError(f"expects a list of choices, not {raw!r}")
            labels = [self._label(question, item) for item in items]
            unique = [label for i, label in enumerate(labels) if label not in labels[:i]]
            return unique or None
        if isinstance(raw, list):
            raise AnswerError("takes one choice, not a list")
        return self._label(question, raw)

    @staticmethod
    def _label(question: Question, item: Any) -> str:
        labels = [c.label for c in question.choices or []]
        if isinstance(item, str) and item.strip() in labels:
            return item.strip()
        word = str(item)
        raise AnswerError(f"{_shown(word)} is not one of its choices{did_you_mean(word, labels)}")

    def normalise(
        self, questionnaire: Questionnaire, question: Question, canonical: Any
    ) -> float | None:
        """The chosen choice's score; with several chosen, the mean of their scores."""
        if canonical is None or not question.is_scored:
            return None
        chosen = [canonical] if isinstance(canonical, str) else list(canonical)
        scores = {c.label: c.score for c in question.choices or []}
        values = [float(scores[label] or 0.0) for label in chosen]
        return sum(values) / len(values) if values else None

    def matches(
        self, questionnaire: Questionnaire, question: Question, canonical: Any, test: AnswerTest
    ) -> bool:
        """Single: label equality. Multiple: `equals` when chosen, `in` when any chosen is."""
        if canonical is None:
            return False
        chosen = [canonical] if isinstance(canonical, str) else list(canonical)
        if test.equals is not None:
            return test.equals in chosen
        if test.in_ is not None:
            return any(label in test.in_ for label in chosen)
        return False

    def summarise(self, questionnaire: Questionnaire, question: Question, canonical: Any) -> str:
        if canonical is None:
            return "No answer"
        return canonical if isinstance(canonical, str) else ", ".join(canonical)


class TextKind(QuestionKind):
    """Free text up to `max_length` characters; canonical: the stripped text."""

    name = "text"

    def coerce(self, questionnaire: Questionnaire, question: Question, raw: Any) -> str | None:
        if raw is None:
            return None
        if _is_number(raw):
            raw = str(raw)
        if not isinstance(raw, str):
            raise AnswerError(f"expects text, not {raw!r} (put the answer in quotes)")
        text = raw.strip()
        if len(text) > question.max_length:
            raise AnswerError(
                f"is {len(text)} characters long, over its max_length of {question.max_length}"
            )
        return text or None


KINDS: dict[str, QuestionKind] = {
    kind.name: kind for kind in (ScaleKind(), ChoiceKind(), TextKind())
}


def kind_of(question: Question) -> QuestionKind:
    """The kind object that handles this question's answers."""
    return KINDS[question.kind]
