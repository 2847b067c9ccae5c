"""Whole-file rules of the questionnaire format: ids, references, order, who is asked what.

The model (:mod:`survey.domain.model`) checks each piece on its own; the rules here need
the whole questionnaire. Each rule yields ``(path, message)``: the path leads to the value
to blame (``("sections", 0, "questions", 2, "scale")``), or to a key when it ends in
``"[key]"``; the loader turns paths into lines and columns. Messages name the piece and,
for a misspelt reference, the nearest valid name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from survey.domain.model import (
    NPS_RANGE,
    AllOf,
    AnyOf,
    Condition,
    DimensionAtLeast,
    DimensionBelow,
    Loc,
    NotCond,
    Party,
    Question,
    QuestionAnswered,
    Questionnaire,
    Section,
    ShowIf,
    did_you_mean,
)

KEY = "[key]"
Found = tuple[Loc, str]
Rule = Callable[[Questionnaire], Iterator[Found]]


def validate(questionnaire: Questionnaire) -> list[Found]:
    """Every whole-file problem as (path, message); empty when the file is sound."""
    return [found for rule in RULES for found in rule(questionnaire)]


def _located(q: Questionnaire) -> Iterator[tuple[int, int, Section, Question]]:
    """Each question with its section index, its index there, and its section."""
    for s, section in enumerate(q.sections):
        for i, question in enumerate(section.questions):
            yield s, i, section, question


def _question_lead(section: Section, question: Question) -> str:
    return f"section '{section.id}', question '{question.id}'"


def _party_list(parties: tuple[Party, ...] | list[Party]) -> str:
    return " and the ".join(parties)


# --- ids -----------------------------------------------------------------------------------


def unique_ids(q: Questionnaire) -> Iterator[Found]:
    """Dimension, section, question, level and action ids are each unique in the file."""
    groups: list[tuple[str, list[tuple[Loc, str]]]] = [
        ("dimension", [(("dimensions", i), d.id) for i, d in enumerate(q.dimensions)]),
        ("section", [(("sections", i), s.id) for i, s in enumerate(q.sections)]),
        ("question", [(("sections", s, "questions", i), qu.id) for s, i, _, qu in _located(q)]),
        ("level", [(("levels", i), lv.id) for i, lv in enumerate(q.levels)]),
        ("action", [(("actions", i), a.id) for i, a in enumerate(q.actions)]),
    ]
    for what, items in groups:
        first: dict[str, int] = {}
        for number, (path, ident) in enumerate(items, start=1):
            if ident in first:
                yield (
                    (*path, "id"),
                    f"{what} id '{ident}' is used twice (also by {what} no. {first[ident]})",
                )
            else:
                first[ident] = number


def reserved_dimension(q: Questionnaire) -> Iterator[Found]:
    """`overall` names the overall score in level requirements, so no dimension may take it."""
    for i, dimension in enumerate(q.dimensions):
        if dimension.id == "overall":
            yield (
                ("dimensions", i, "id"),
                "dimension id 'overall' is reserved for the overall score; choose another id",
            )


# --- questions -------------------------------------------------------------------------------


def question_references(q: Questionnaire) -> Iterator[Found]:
    """A question's dimension and scale exist."""
    dimensions = [d.id for d in q.dimensions]
    for s, i, section, question in _located(q):
        path: Loc = ("sections", s, "questions", i)
        lead = _question_lead(section, question)
        if question.dimension is not None and question.dimension not in dimensions:
            yield (
                (*path, "dimension"),
                f"{lead}: unknown dimension '{question.dimension}'"
                + did_you_mean(question.dimension, dimensions),
            )
        if question.scale is not None and question.scale not in q.scales:
            yield (
                (*path, "scale"),
                f"{lead}: unknown scale '{question.scale}'"
                + did_you_mean(question.scale, q.scales),
            )


def importance_needs_dimension(q: Questionnaire) -> Iterator[Found]:
    """An importance question rates how much a dimension matters, so it names one."""
    for s, i, section, question in _located(q):
        if question.counts_as == "importance" and question.dimension is None:
            yield (
                ("sections", s, "questions", i, "counts_as"),
                f"{_question_lead(section, question)}: 'counts_as: importance' needs a"
                " 'dimension' (the one whose importance it rates)",
            )


def nps_needs_a_0_to_10_range(q: Questionnaire) -> Iterator[Found]:
    """A net promoter score counts 9–10 and 0–6 answers, so its scale is `range: [0, 10]`."""
    for s, i, section, question in _located(q):
        if not question.is_nps or question.scale not in q.scales:
            continue  # an unknown scale is reported on its own
        scale = q.scale_of(question)
        if scale.range != NPS_RANGE:
            shown = "labelled choices" if scale.range is None else f"range {list(scale.range)}"
            yield (
                ("sections", s, "questions", i, "scale"),
                f"{_question_lead(section, question)}: 'counts_as: nps' needs a scale with"
                f" 'range: [0, 10]'; scale '{question.scale}' has {shown}",
            )


def asked_of_somebody(q: Questionnaire) -> Iterator[Found]:
    """A section's `only` and a question's `ask` must leave at least one party."""
    for s, i, section, question in _located(q):
        if not q.asked_of(section, question):
            named = _party_list(question.asked_of())
            yield (
                ("sections", s, "questions", i, "ask"),
                f"{_question_lead(section, question)}: asked of nobody: the section is only for"
                f" the {section.only}, but 'ask' has a text for the {named} only",
            )


def dimensions_scored(q: Questionnaire) -> Iterator[Found]:
    """Each dimension has a performance question scoring it, else its score is always empty.

    Skipped while a scored question names an unknown dimension: that misspelling (reported
    by :func:`question_references`) is most likely why a dimension looks unscored, and a
    knock-on message printed above the real typo sends the author to the wrong line.
    Once the typo is fixed, a dimension that is really unscored is reported.
    """
    known = {d.id for d in q.dimensions}
    scored = {
        question.dimension
        for question in q.questions()
        if question.is_scored and question.counts_as == "performance"
    }
    if any(name is not None and name not in known for name in scored):
        return
    for i, dimension in enumerate(q.dimensions):
        if dimension.id not in scored:
            yield (
                ("dimensions", i, "id"),
                f"dimension '{dimension.id}' has no scored question (scale, or choice with"
                " scores) that counts towards it, so its score would always be empty",
            )


# --- show_if and question conditions --------------------------------------------------------


def _value_problems(
    q: Questionnaire, target: Question, test: ShowIf | QuestionAnswered, path: Loc, lead: str
) -> Iterator[Found]:
    """The values of a test fit the question they test (raw scale values, choice labels)."""
    if target.kind == "text":
        yield (
            (*path, "question"),
            f"{lead}: question '{target.id}' is a text question; only scale and choice answers"
            " can be tested",
        )
        return
    for key, value in test.tests():
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in values:
            where: Loc = (*path, key) if index is None else (*path, key, index)
            message = _misfit(q, target, key, item)
            if message:
                yield where, f"{lead}: {message}"


def _misfit(q: Questionnaire, target: Question, key: str, value: int | str) -> str | None:
    """Why a value cannot be an answer to `target`, or None when it can."""
    if target.kind == "choice":
        labels = [c.label for c in target.choices or []]
        if key in ("at_least", "at_most"):
            return f"'{key}' goes with scale questions; '{target.id}' is a choice question"
        if value not in labels:
            return f"'{value}' is not a choice of question '{target.id}'" + did_you_mean(
                str(value), labels
            )
        return None
    if target.scale not in q.scales:
        return None  # the unknown scale is reported on its own
    scale = q.scale_of(target)
    if isinstance(value, str):
        raw = scale.value_for(value)
        if raw is not None:
            return f"use the raw value {raw} for '{value}' (scale values are numbers)"
        return (
            f"'{value}' is not a value of scale '{target.scale}':"
            f" use a number from {scale.lo} to {scale.hi}"
        )
    if not scale.lo <= value <= scale.hi:
        return f"{value} is outside scale '{target.scale}' ({scale.lo} to {scale.hi})"
    return None


def show_if_rules(q: Questionnaire) -> Iterator[Found]:
    """show_if names an earlier question asked of every party this one is asked of."""
    order = {question.id: n for n, question in enumerate(q.questions())}
    ids = list(order)
    for number, (s, i, section, question) in enumerate(_located(q)):
        test = question.show_if
        if test is None:
            continue
        path: Loc = ("sections", s, "questions", i, "show_if")
        lead = f"{_question_lead(section, question)}, show_if"
        if test.question not in order:
            yield (
                (*path, "question"),
                f"{lead}: unknown question '{test.question}'" + did_you_mean(test.question, ids),
            )
            continue
        if order[test.question] >= number:
            where = "is this question" if test.question == question.id else "comes later"
            yield (
                (*path, "question"),
                f"{lead}: question '{test.question}' {where}; it must come earlier",
            )
            continue
        asked = q.parties_asked(test.question)
        missing = [p for p in q.asked_of(section, question) if p not in asked]
        if missing:
            yield (
                (*path, "question"),
                f"{lead}: question '{test.question}' is not asked of the {_party_list(missing)},"
                " who is asked this one",
            )
            continue
        yield from _value_problems(q, q.question(test.question), test, path, lead)


# --- levels --------------------------------------------------------------------------------


def level_rules(q: Questionnaire) -> Iterator[Found]:
    """First level free; others require something; keys are dimensions or overall, 0..100."""
    names = [d.id for d in q.dimensions] + ["overall"]
    for i, level in enumerate(q.levels):
        path: Loc = ("levels", i)
        lead = f"level '{level.id}'"
        if i == 0 and level.requires:
            yield (*path, "requires", KEY), f"{lead} is the first level, so it has no 'requires'"
        if i > 0 and not level.requires:
            yield (
                (*path, "id"),
                f"{lead} needs 'requires': every level above the first needs at least one",
            )
        for key, value in level.requires.items():
            if key not in names:
                yield (
                    (*path, "requires", key, KEY),
                    f"{lead}: unknown dimension '{key}' in 'requires'" + did_you_mean(key, names),
                )
            if not 0 <= value <= 100:
                yield (
                    (*path, "requires", key),
                    f"{lead}: '{key}' must be between 0 and 100, not {value:g}",
                )


# --- actions -------------------------------------------------------------------------------


class _ConditionChecker:
    """Check one action's condition tree against the questionnaire."""

    def __init__(self, q: Questionnaire, lead: str) -> None:
        self.q = q
        self.lead = lead
        self.dimensions = [d.id for d in q.dimensions]
        self.levels = [lv.id for lv in q.levels]

    def check(self, cond: Condition, path: Loc) -> Iterator[Found]:
        if isinstance(cond, AllOf | AnyOf):
            items = cond.all if isinstance(cond, AllOf) else cond.any
            key = "all" if isinstance(cond, AllOf) else "any"
            for i, item in enumerate(items):
                yield from self.check(item, (*path, key, i))
        elif isinstance(cond, NotCond):
            yield from self.check(cond.not_, (*path, "not"))
        elif isinstance(cond, QuestionAnswered):
            yield from self._question(cond, path)
        else:
            yield from self._simple(cond, path)

    def _simple(self, cond: Condition, path: Loc) -> Iterator[Found]:
        """The dimension or level a condition names exists; a score threshold is a score."""
        if (named := cond.named_dimension()) is not None:
            yield from self._dimension(*named, path)
        if (level := cond.named_level()) is not None:
            key, name = level
            if name not in self.levels:
                yield (
                    (*path, key),
                    f"{self.lead}: unknown level '{name}'" + did_you_mean(name, self.levels),
                )
        if isinstance(cond, DimensionBelow | DimensionAtLeast):
            key = "below" if isinstance(cond, DimensionBelow) else "at_least"
            value = cond.below if isinstance(cond, DimensionBelow) else cond.at_least
            if not 0 <= value <= 100:
                yield (*path, key), f"{self.lead}: '{key}' must be between 0 and 100, not {value:g}"

    def _dimension(self, key: str, name: str, path: Loc) -> Iterator[Found]:
        if name not in self.dimensions:
            yield (
                (*path, key),
                f"{self.lead}: unknown dimension '{name}'" + did_you_mean(name, self.dimensions),
            )

    def _question(self, cond: QuestionAnswered, path: Loc) -> Iterator[Found]:
        ids = [question.id for question in self.q.questions()]
        if cond.question not in ids:
            yield (
                (*path, "question"),
                f"{self.lead}: unknown question '{cond.question}'"
                + did_you_mean(cond.question, ids),
            )
            return
        if cond.party not in self.q.parties_asked(cond.question):
            named = "party" in cond.model_fields_set
            default = "" if named else " (the party is client unless 'party' says otherwise)"
            yield (
                (*path, "party" if named else "question"),
                f"{self.lead}: question '{cond.question}' is not asked of the"
                f" {cond.party}{default}",
            )
            return
        yield from _value_problems(self.q, self.q.question(cond.question), cond, path, self.lead)


def action_rules(q: Questionnaire) -> Iterator[Found]:
    """Action conditions name existing dimensions, levels and questions, with fitting values."""
    for i, action in enumerate(q.actions):
        checker = _ConditionChecker(q, f"action '{action.id}'")
        yield from checker.check(action.when, ("actions", i, "when"))


# --- warnings (Rapport's additive key) -----------------------------------------------------


def warning_rules(q: Questionnaire) -> Iterator[Found]:
    """Warnings name existing dimensions (or `overall` for trust) and an existing level."""
    dimensions = [d.id for d in q.dimensions]
    drop = q.warnings.relevance_drop
    if drop is not None:
        path: Loc = ("warnings", "relevance_drop")
        lead = "warning 'relevance_drop'"
        if drop.dimension not in dimensions:
            yield (
                (*path, "dimension"),
                f"{lead}: unknown dimension '{drop.dimension}'"
                + did_you_mean(drop.dimension, dimensions),
            )
        for i, name in enumerate(drop.trust):
            if name not in [*dimensions, "overall"]:
                yield (
                    (*path, "trust", i),
                    f"{lead}: unknown dimension '{name}' in 'trust'"
                    + did_you_mean(name, [*dimensions, "overall"]),
                )
    curve = q.warnings.next_curve
    levels = [lv.id for lv in q.levels]
    if curve is not None and curve.level not in levels:
        yield (
            ("warnings", "next_curve", "level"),
            f"warning 'next_curve': unknown level '{curve.level}'"
            + did_you_mean(curve.level, levels),
        )


RULES: list[Rule] = [
    unique_ids,
    reserved_dimension,
    question_references,
    importance_needs_dimension,
    nps_needs_a_0_to_10_range,
    asked_of_somebody,
    dimensions_scored,
    show_if_rules,
    level_rules,
    action_rules,
    warning_rules,
]
