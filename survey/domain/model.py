"""The questionnaire model: typed, immutable pydantic classes for format v1.1.

This module is pure (no Flask, no SQLAlchemy). It checks the shape of each piece
(types, ranges, unknown keys); rules that need the whole file (references between
pieces, ordering) live in :mod:`survey.domain.validate`, and reading YAML with line
numbers lives in :mod:`survey.domain.loader`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

Party = Literal["vendor", "client"]
PARTIES: tuple[Party, Party] = ("vendor", "client")
Owner = Literal["vendor", "client", "joint"]
PartySelector = Literal["vendor", "client", "either", "both"]
Quadrant = Literal["concentrate_here", "keep_it_up", "low_priority", "possible_overkill"]
Status = Literal["blind_spot", "hidden_strength", "aligned"]
CountsAs = Literal["performance", "importance", "nps"]
MEAN = "mean"
#: The raw answers of an NPS question: 9 and 10 promote, 0 to 6 detract (rule 7).
NPS_RANGE = (0, 10)

SLUG = r"^[a-z0-9-]+$"
Slug = Annotated[str, Field(pattern=SLUG)]
PLACEHOLDERS = frozenset({"vendor", "client"})


Loc = tuple[str | int, ...]


class FieldError(ValueError):
    """A check on a whole piece that blames one of its keys, so the loader can point there.

    Pydantic keeps the raised exception in the error's ``ctx["error"]``; the loader appends
    `where` (a key, or a path of keys and list positions) to the piece's location. A path
    ending in ``"[key]"`` points at that key rather than at its value.
    """

    def __init__(self, where: str | Loc, message: str) -> None:
        super().__init__(message)
        self.where: Loc = (where,) if isinstance(where, str) else where


class Strict(BaseModel):
    """Base for every piece: unknown keys are errors, values never change after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, str_min_length=1)


class PartyInfo(Strict):
    label: str
    intro: str | None = None


class Parties(Strict):
    vendor: PartyInfo
    client: PartyInfo

    def label(self, party: Party) -> str:
        """The name this questionnaire gives the party ("Supplier", "Buyer" ...)."""
        return getattr(self, party).label  # type: ignore[no-any-return]


class Scale(Strict):
    """Either labelled `choices` (valued 1..N) or an integer `range` [lo, hi]."""

    choices: list[str] | None = None
    range: tuple[int, int] | None = None
    anchors: dict[int, str] | None = None
    not_applicable: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Scale:
        if self.choices is None and self.range is None:
            raise ValueError("a scale needs 'choices' or 'range'")
        if self.choices is not None and self.range is not None:
            raise FieldError("range", "a scale has 'choices' or 'range', not both")
        if self.choices is not None:
            self._check_choices(self.choices)
        if self.range is not None:
            self._check_range(*self.range)
        if self.not_applicable is not None and self.not_applicable in (self.choices or []):
            raise FieldError("not_applicable", "'not_applicable' must differ from every choice")
        return self

    def _check_choices(self, choices: list[str]) -> None:
        if not 2 <= len(choices) <= 11:
            raise FieldError("choices", f"a scale needs 2 to 11 choices, not {len(choices)}")
        for index, label in enumerate(choices):
            if label in choices[:index]:
                raise FieldError(("choices", index), f"'{label}' is listed twice")
        if self.anchors:
            raise FieldError("anchors", "'anchors' go with 'range', not with 'choices'")

    def _check_range(self, lo: int, hi: int) -> None:
        if lo >= hi:
            raise FieldError("range", f"a range goes from low to high: [{lo}, {hi}] does not")
        if hi - lo + 1 > 11:
            raise FieldError("range", f"a range has 2 to 11 points; [{lo}, {hi}] has {hi - lo + 1}")
        for point in self.anchors or {}:
            if not lo <= point <= hi:
                raise FieldError(
                    ("anchors", point, "[key]"), f"anchor {point} is outside the range [{lo}, {hi}]"
                )

    @property
    def lo(self) -> int:
        return 1 if self.choices is not None else self.range[0]  # type: ignore[index]

    @property
    def hi(self) -> int:
        return len(self.choices) if self.choices is not None else self.range[1]  # type: ignore[index]

    def values(self) -> list[int]:
        """Every raw value the scale admits, lowest first."""
        return list(range(self.lo, self.hi + 1))

    def label_for(self, value: int) -> str:
        """The label shown for a raw value ("Agree" for 4, "10" or its anchor for 10)."""
        if self.choices is not None:
            return self.choices[value - 1]
        anchor = (self.anchors or {}).get(value)
        return f"{value} – {anchor}" if anchor else str(value)

    def value_for(self, label: str) -> int | None:
        """The raw value of a choice label, or None when the label is not one."""
        if self.choices is not None and label in self.choices:
            return self.choices.index(label) + 1
        return None

    def normalise(self, value: int) -> float:
        """Map a raw value onto 0–100: 100·(v − lo)/(hi − lo)."""
        return 100.0 * (value - self.lo) / (self.hi - self.lo)


class Dimension(Strict):
    """What scores roll up into; `rates: client` rates the client as a customer (v1.1)."""

    id: Slug
    title: str
    about: str | None = None
    weight: float = Field(default=1, gt=0)
    rates: Party = "vendor"

    @property
    def served(self) -> Party:
        """The party served by what the dimension rates: its importance and score rank it."""
        return "vendor" if self.rates == "client" else "client"


def _cut_value(value: Any) -> Any:
    """A quadrant cut is a score on 0–100 or the word `mean` (data-centred cross-hairs)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        shown = str(value).lower() if isinstance(value, bool) else "a list or a mapping"
        raise ValueError(f"must be a number from 0 to 100 or '{MEAN}', not {shown}")
    if isinstance(value, str):
        if value != MEAN:
            raise ValueError(
                f"must be a number from 0 to 100 or '{MEAN}', not '{value}'"
                + did_you_mean(value, [MEAN])
            )
        return value
    if not 0 <= value <= 100:
        raise ValueError(f"must be between 0 and 100 or '{MEAN}', not {value:g}")
    return float(value)


Cut = float | Literal["mean"]


class QuadrantCut(Strict):
    """Where the importance-performance quadrant is cut (v1.1); 50 and 50 by default."""

    importance: Cut = 50.0
    performance: Cut = 50.0

    @field_validator("importance", "performance", mode="before")
    @classmethod
    def _number_or_mean(cls, value: Any) -> Any:
        return _cut_value(value)


class Choice(Strict):
    label: str
    score: float | None = Field(default=None, ge=0, le=100)


TESTS = ("equals", "in", "at_least", "at_most")


def _answer_value(value: Any) -> Any:
    """An answer to compare with: a whole number (a raw scale value) or a label."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("must be a number (a scale value) or a text (a choice label)")
    return value


def _one_test(data: Any, allowed: Iterable[str]) -> Any:
    """Exactly one of `equals`, `in`, `at_least`, `at_most`; the value types checked early."""
    if not isinstance(data, dict):
        return data
    present = [key for key in data if key in TESTS]
    if not present:
        for key in data:
            if key not in allowed:
                raise FieldError(
                    (key, "[key]"), f"unknown key '{key}'" + did_you_mean(str(key), allowed)
                )
        raise ValueError("needs one of 'equals', 'in', 'at_least', 'at_most'")
    if len(present) > 1:
        raise FieldError(
            (present[1], "[key]"), f"takes only one of {', '.join(repr(k) for k in present)}"
        )
    key = present[0]
    if key == "in":
        if not isinstance(data[key], list) or not data[key]:
            raise FieldError(key, "'in' must be a list of at least one value, like [1, 2]")
        for index, item in enumerate(data[key]):
            try:
                _answer_value(item)
            except ValueError as err:
                raise FieldError((key, index), f"each value in 'in' {err}") from None
    elif key == "equals":
        try:
            _answer_value(data[key])
        except ValueError as err:
            raise FieldError(key, f"'equals' {err}") from None
    return data


class ShowIf(Strict):
    """Show a question only when an earlier answer of the same respondent matches."""

    question: str
    equals: int | str | None = None
    in_: list[int | str] | None = Field(default=None, alias="in")
    at_least: int | None = None
    at_most: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_test(cls, data: Any) -> Any:
        return _one_test(data, ("question", *TESTS))

    def tests(self) -> list[tuple[str, int | str | list[int | str]]]:
        """The test as (key, value) pairs, e.g. ``[("in", ["Firefighting"])]``."""
        values = {"equals": self.equals, "in": self.in_}
        values |= {"at_least": self.at_least, "at_most": self.at_most}
        return [(key, value) for key, value in values.items() if value is not None]


Ask = str | dict[Party, str]


class Question(Strict):
    id: Slug
    kind: Literal["scale", "choice", "text"]
    ask: Ask
    scale: str | None = None
    choices: list[Choice] | None = None
    multiple: bool = False
    dimension: str | None = None
    reverse: bool = False
    weight: float = Field(default=1, gt=0)
    counts_as: CountsAs = "performance"
    label: str | None = None
    required: bool | None = None
    max_length: int = Field(default=2000, gt=0)
    proposes: Literal["action"] | None = None
    proposal_owner: Literal["vendor", "client", "joint"] = "joint"
    show_if: ShowIf | None = None
    help: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_kind(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kind" not in data and "scale" in data:
            return {**data, "kind": "scale"}
        return data

    @field_validator("choices", mode="before")
    @classmethod
    def _plain_labels(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"label": c} if isinstance(c, str) else c for c in value]
        return value

    @field_validator("ask", mode="before")
    @classmethod
    def _ask_shape(cls, ask: Any) -> Any:
        if isinstance(ask, dict):
            if not ask:
                raise ValueError("'ask' needs a text for at least one party")
            for key in ask:
                if key not in PARTIES:
                    raise FieldError(
                        (key, "[key]"),
                        f"'ask' has texts for 'vendor' and 'client' only, not '{key}'"
                        + did_you_mean(str(key), PARTIES),
                    )
        elif not isinstance(ask, str):
            raise ValueError(
                "'ask' must be a text, or a text for each party under vendor: and client:"
            )
        return ask

    @field_validator("ask")
    @classmethod
    def _known_placeholders(cls, ask: Ask) -> Ask:
        texts = [((), ask)] if isinstance(ask, str) else [((p,), t) for p, t in ask.items()]
        for where, text in texts:
            for name in placeholders(text):
                if name not in PLACEHOLDERS:
                    raise FieldError(
                        where,
                        f"unknown placeholder {{{name}}} in 'ask': only {{vendor}} and {{client}}"
                        " are replaced" + did_you_mean(name, sorted(PLACEHOLDERS)),
                    )
        return ask

    @field_validator("label")
    @classmethod
    def _label_placeholders(cls, label: str | None) -> str | None:
        for name in placeholders(label or ""):
            if name not in PLACEHOLDERS:
                raise ValueError(
                    f"unknown placeholder {{{name}}} in 'label': only {{vendor}} and {{client}}"
                    " are replaced" + did_you_mean(name, sorted(PLACEHOLDERS))
                )
        return label

    @model_validator(mode="after")
    def _fits_kind(self) -> Question:
        if self.kind == "scale" and self.scale is None:
            raise ValueError("a scale question needs 'scale'")
        if self.kind != "scale" and self.scale is not None:
            raise FieldError(("scale", "[key]"), f"'scale' does not go with kind {self.kind}")
        if self.kind == "choice":
            self._check_choices(self.choices or [])
        elif self.choices is not None or self.multiple:
            key = "choices" if self.choices is not None else "multiple"
            raise FieldError((key, "[key]"), f"'{key}' goes with kind choice, not {self.kind}")
        for key in ("dimension", "reverse", "weight", "counts_as"):
            if self.kind == "text" and key in self.model_fields_set:
                raise FieldError((key, "[key]"), f"'{key}' does not go with a text question")
        if self.reverse and self.kind != "scale":
            raise FieldError(("reverse", "[key]"), "'reverse' goes with scale questions")
        if self.counts_as == "nps":
            self._check_nps()
        for key in ("proposes", "max_length"):
            if self.kind != "text" and key in self.model_fields_set:
                raise FieldError((key, "[key]"), f"'{key}' goes with text questions")
        # An additive v1 extension: who owns the plan proposals this question's answers make.
        if "proposal_owner" in self.model_fields_set and self.proposes != "action":
            raise FieldError(
                ("proposal_owner", "[key]"), "'proposal_owner' goes with 'proposes: action'"
            )
        return self

    def _check_nps(self) -> None:
        """An NPS question is a 0–10 scale question outside every dimension (rule 7).

        Its range is checked with the scales, in :mod:`survey.domain.validate`.
        """
        if self.kind != "scale":
            raise FieldError("counts_as", "'counts_as: nps' goes with scale questions")
        if self.dimension is not None:
            raise FieldError(
                ("dimension", "[key]"),
                "a 'counts_as: nps' question has no 'dimension': a net promoter score counts"
                " towards no dimension and no level",
            )
        if self.reverse:
            raise FieldError(
                ("reverse", "[key]"),
                "'reverse' does not go with 'counts_as: nps': the score counts raw answers",
            )

    def _check_choices(self, choices: list[Choice]) -> None:
        if not choices:
            raise ValueError("a choice question needs 'choices'")
        labels = [c.label for c in choices]
        for index, label in enumerate(labels):
            if label in labels[:index]:
                raise FieldError(("choices", index), f"'{label}' is listed twice")
        for index, choice in enumerate(choices):
            if self.dimension and choice.score is None:
                raise FieldError(
                    ("choices", index),
                    "every choice needs a score when the question has a dimension;"
                    f" '{choice.label}' has none",
                )

    @property
    def is_required(self) -> bool:
        """Required unless said otherwise: scale and choice yes, text no."""
        if self.required is not None:
            return self.required
        return self.kind != "text"

    @property
    def is_scored(self) -> bool:
        """Whether the answer is normalised to 0–100 (scale, or choice with scores)."""
        if self.kind == "scale":
            return True
        return self.kind == "choice" and all(c.score is not None for c in self.choices or [])

    @property
    def is_nps(self) -> bool:
        """A net promoter question: reported in `nps`, never in `questions` or a dimension."""
        return self.counts_as == "nps"

    def quoted(self, party: Party, vendor: str, client: str) -> str:
        """How reports quote the question to a reader: its `label`, else the party's `ask`."""
        if self.label is not None:
            return fill_names(self.label, vendor=vendor, client=client)
        asked = self.asked_of()
        return self.text_for(party if party in asked else asked[0], vendor, client)

    def asked_of(self) -> tuple[Party, ...]:
        """The parties this question is put to, judged from `ask` alone."""
        if isinstance(self.ask, str):
            return PARTIES
        return tuple(p for p in PARTIES if p in self.ask)

    def text_for(self, party: Party, vendor: str, client: str) -> str:
        """The question as `party` reads it, with both organisations' names filled in."""
        template = self.ask if isinstance(self.ask, str) else self.ask[party]
        return fill_names(template, vendor=vendor, client=client)


class Section(Strict):
    id: Slug
    title: str
    intro: str | None = None
    only: Party | None = None
    questions: list[Question] = Field(min_length=1)


class Level(Strict):
    id: Slug
    title: str
    meaning: str | None = None
    requires: dict[str, float] = Field(default_factory=dict)


# --- action conditions -------------------------------------------------------------------
#
# Each condition class says what it is about: the key that tells it apart in a file
# (``KEY``), which judge of the scoring engine evaluates it (``JUDGED_AS``), and the
# dimension or level it names, with the key that names it (for messages and validation).
# Adding a condition is one class here (listed in CONDITION_CLASSES and the Condition
# union), its judge if it needs a new kind, and its validation.


class ConditionPart(Strict):
    """What every condition answers about itself."""

    #: The key that tells this form apart in a file ("blind_spot", "level" ...).
    KEY: ClassVar[str]
    #: The engine's judge for it: "dimension", "status", "quadrant", "level", "question",
    #: or "combination" for all / any / not.
    JUDGED_AS: ClassVar[str]

    def named_dimension(self) -> tuple[str, str] | None:
        """(key, dimension id) when the condition is about one dimension, else None."""
        return None

    def named_level(self) -> tuple[str, str] | None:
        """(key, level id) when the condition is about a level, else None."""
        return None


class DimensionBelow(ConditionPart):
    KEY: ClassVar[str] = "dimension"
    JUDGED_AS: ClassVar[str] = "dimension"
    dimension: str
    below: float
    party: PartySelector = "client"

    def named_dimension(self) -> tuple[str, str]:
        return "dimension", self.dimension


class DimensionAtLeast(ConditionPart):
    KEY: ClassVar[str] = "dimension"
    JUDGED_AS: ClassVar[str] = "dimension"
    dimension: str
    at_least: float
    party: PartySelector = "client"

    def named_dimension(self) -> tuple[str, str]:
        return "dimension", self.dimension


class StatusCondition(ConditionPart):
    """A dimension's status is the one the class tests (rule 4)."""

    JUDGED_AS: ClassVar[str] = "status"
    #: The status the condition holds for.
    STATUS: ClassVar[Status]

    def named_dimension(self) -> tuple[str, str]:
        return self.KEY, getattr(self, self.KEY)


class BlindSpot(StatusCondition):
    KEY: ClassVar[str] = "blind_spot"
    STATUS: ClassVar[Status] = "blind_spot"
    blind_spot: str


class HiddenStrength(StatusCondition):
    KEY: ClassVar[str] = "hidden_strength"
    STATUS: ClassVar[Status] = "hidden_strength"
    hidden_strength: str


class Aligned(StatusCondition):
    KEY: ClassVar[str] = "aligned"
    STATUS: ClassVar[Status] = "aligned"
    aligned: str


class QuadrantIs(ConditionPart):
    KEY: ClassVar[str] = "quadrant"
    JUDGED_AS: ClassVar[str] = "quadrant"
    quadrant: str
    is_: Quadrant = Field(alias="is")

    def named_dimension(self) -> tuple[str, str]:
        return "quadrant", self.quadrant


class LevelIs(ConditionPart):
    KEY: ClassVar[str] = "level"
    JUDGED_AS: ClassVar[str] = "level"
    level: str

    def named_level(self) -> tuple[str, str]:
        return "level", self.level


class LevelBelow(ConditionPart):
    KEY: ClassVar[str] = "level_below"
    JUDGED_AS: ClassVar[str] = "level"
    level_below: str

    def named_level(self) -> tuple[str, str]:
        return "level_below", self.level_below


class QuestionAnswered(ConditionPart):
    KEY: ClassVar[str] = "question"
    JUDGED_AS: ClassVar[str] = "question"
    question: str
    party: Party = "client"
    equals: int | str | None = None
    in_: list[int | str] | None = Field(default=None, alias="in")
    at_least: int | None = None
    at_most: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_test(cls, data: Any) -> Any:
        return _one_test(data, ("question", "party", *TESTS))

    def tests(self) -> list[tuple[str, int | str | list[int | str]]]:
        """The test as (key, value) pairs, e.g. ``[("at_most", 2)]``."""
        values = {"equals": self.equals, "in": self.in_}
        values |= {"at_least": self.at_least, "at_most": self.at_most}
        return [(key, value) for key, value in values.items() if value is not None]


class AllOf(ConditionPart):
    KEY: ClassVar[str] = "all"
    JUDGED_AS: ClassVar[str] = "combination"
    all: list[Condition] = Field(min_length=1)


class AnyOf(ConditionPart):
    KEY: ClassVar[str] = "any"
    JUDGED_AS: ClassVar[str] = "combination"
    any: list[Condition] = Field(min_length=1)


class NotCond(ConditionPart):
    KEY: ClassVar[str] = "not"
    JUDGED_AS: ClassVar[str] = "combination"
    not_: Condition = Field(alias="not")


#: Every condition class, the combinations first: the order their keys are looked for.
CONDITION_CLASSES: tuple[type[ConditionPart], ...] = (
    AllOf,
    AnyOf,
    NotCond,
    BlindSpot,
    HiddenStrength,
    Aligned,
    QuadrantIs,
    LevelIs,
    LevelBelow,
    QuestionAnswered,
    DimensionBelow,
    DimensionAtLeast,
)

#: The key that tells each condition form apart, checked in this order. The two
#: ``dimension`` forms share their key and are told apart by ``below`` / ``at_least``.
CONDITION_FORMS: dict[str, type[ConditionPart]] = {
    cls.KEY: cls for cls in CONDITION_CLASSES if cls.KEY != "dimension"
}


def _condition_form(data: Any) -> str:
    """Pick the condition class from its distinguishing key (used as a pydantic discriminator)."""
    if isinstance(data, BaseModel):
        return type(data).__name__
    if not isinstance(data, dict):
        return "invalid"
    for key, form in CONDITION_FORMS.items():
        if key in data:
            return form.__name__
    if "dimension" in data:
        return (
            "DimensionAtLeast" if "at_least" in data and "below" not in data else "DimensionBelow"
        )
    return "invalid"


Condition = Annotated[
    Annotated[DimensionBelow, Tag("DimensionBelow")]
    | Annotated[DimensionAtLeast, Tag("DimensionAtLeast")]
    | Annotated[BlindSpot, Tag("BlindSpot")]
    | Annotated[HiddenStrength, Tag("HiddenStrength")]
    | Annotated[Aligned, Tag("Aligned")]
    | Annotated[QuadrantIs, Tag("QuadrantIs")]
    | Annotated[LevelIs, Tag("LevelIs")]
    | Annotated[LevelBelow, Tag("LevelBelow")]
    | Annotated[QuestionAnswered, Tag("QuestionAnswered")]
    | Annotated[AllOf, Tag("AllOf")]
    | Annotated[AnyOf, Tag("AnyOf")]
    | Annotated[NotCond, Tag("NotCond")],
    Discriminator(_condition_form),
]


class Action(Strict):
    id: Slug
    title: str
    detail: str | None = None
    owner: Owner = "joint"
    when: Condition


# --- warnings over time (Rapport's additive key, seed 003) ----------------------------------

#: The fall in points that makes a relevance drop when the file gives none (issue 13).
RELEVANCE_DROP_POINTS = 10.0


class RelevanceDrop(Strict):
    """Warn when `dimension` falls by `points` or more since the last review while the
    mean of the `trust` dimensions holds or rises, both on `party`'s scores (seed 003)."""

    dimension: str
    points: float = Field(default=RELEVANCE_DROP_POINTS, gt=0, le=100)
    trust: list[str] = Field(min_length=1)
    party: Party = "client"
    advice: str | None = None


class NextCurve(Strict):
    """Prompt to start the next S-curve once the agreed level is `level` or higher."""

    level: str
    advice: str | None = None


class Warnings(Strict):
    """The warnings a questionnaire turns on; none when the file has no `warnings` key."""

    relevance_drop: RelevanceDrop | None = None
    next_curve: NextCurve | None = None


class Questionnaire(Strict):
    id: Slug
    version: int = Field(gt=0)
    title: str
    summary: str | None = None
    parties: Parties
    scales: dict[str, Scale] = Field(default_factory=dict)
    dimensions: list[Dimension] = Field(min_length=1)
    gap_threshold: float = Field(default=20, gt=0, le=100)
    quadrant_cut: QuadrantCut = Field(default_factory=QuadrantCut)
    sections: list[Section] = Field(min_length=1)
    levels: list[Level] = Field(min_length=1)
    actions: list[Action] = Field(default_factory=list)
    warnings: Warnings = Field(default_factory=Warnings)

    def questions(self) -> Iterator[Question]:
        """Every question in file order."""
        for section in self.sections:
            yield from section.questions

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError when there is none)."""
        for question in self.questions():
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with this id (KeyError when there is none)."""
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    def scale_of(self, question: Question) -> Scale:
        """The scale a scale question uses."""
        assert question.scale is not None
        return self.scales[question.scale]

    def asked_of(self, section: Section, question: Question) -> tuple[Party, ...]:
        """Parties a question is put to: its `ask`, narrowed by its section's `only`."""
        parties = question.asked_of()
        return tuple(p for p in parties if section.only in (None, p))

    def sections_for(self, party: Party) -> list[tuple[Section, list[Question]]]:
        """The survey pages one party sees: sections with their questions for that party."""
        pages = []
        for section in self.sections:
            mine = [q for q in section.questions if party in self.asked_of(section, q)]
            if mine:
                pages.append((section, mine))
        return pages

    def parties_asked(self, question_id: str) -> tuple[Party, ...]:
        """Parties a question (by id) is put to, its section's `only` included."""
        for section in self.sections:
            for question in section.questions:
                if question.id == question_id:
                    return self.asked_of(section, question)
        raise KeyError(question_id)


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotCond.model_rebuild()
Action.model_rebuild()


_BRACES = re.compile(r"\{([^{}]*)\}")


def placeholders(text: str) -> list[str]:
    """Names inside `{...}` in a question text, e.g. ``["vendor"]`` for "Does {vendor} ...?".

    A lone brace is plain text; every `{...}` pair counts, so `{Vendor}` or `{}` is caught.
    """
    return _BRACES.findall(text)


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for the closest option to a misspelt name, else ""."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


_PLACEHOLDER = re.compile(r"\{(vendor|client)\}")


def fill_names(template: str, *, vendor: str, client: str) -> str:
    """Replace `{vendor}` and `{client}` by the organisations' names, leaving other text alone."""
    names = {"vendor": vendor, "client": client}
    return _PLACEHOLDER.sub(lambda m: names[m.group(1)], template)
