"""Action rules: which conditions hold, why in words, and what ranks them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from survey.domain.kinds import kind_of
from survey.domain.model import (
    PARTIES,
    AllOf,
    AnyOf,
    Condition,
    DimensionAtLeast,
    DimensionBelow,
    LevelBelow,
    LevelIs,
    NotCond,
    Party,
    PartySelector,
    QuadrantIs,
    Question,
    QuestionAnswered,
    Questionnaire,
    StatusCondition,
)
from survey.domain.scoring.results import DimensionResult, SuggestedAction, _num, _r
from survey.domain.vocabulary import quadrant_words


@dataclass(frozen=True)
class _Verdict:
    """Whether a condition holds, a sentence saying what the numbers are, and what ranks it.

    `ranked_by` holds the dimensions whose priority an action takes when this condition
    holds (v1.1): the named dimension of a simple condition that held; every part of an
    `all`; the parts of an `any` that held; everything named inside a `not` that held.
    """

    held: bool
    because: str
    ranked_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Facts:
    """What conditions are judged on."""

    questionnaire: Questionnaire
    dimensions: dict[str, DimensionResult]
    agreed_index: int
    answers: dict[Party, list[dict[str, Any]]]
    orgs: dict[Party, str]
    #: Parties whose reasons speak of the side as a whole, never of one respondent or how
    #: many (too few people answered for them to stay apart: see survey.disclosure).
    side_worded: frozenset[Party] = frozenset()

    def org(self, party: Party) -> str:
        """The organisation's name, as every reason names a party."""
        return self.orgs[party]

    def title(self, dimension: str) -> str:
        return self.dimensions[dimension].title

    def who(self, party: Party, dimension: str) -> str:
        """ "Globex (2 respondents)": the party and how many stand behind its score
        ("Globex" alone for a side-worded party)."""
        if party in self.side_worded:
            return self.org(party)
        count = self.dimensions[dimension].spreads.of(party).n
        return f"{self.org(party)} ({_people(count)})"


def _people(count: int) -> str:
    return f"{count} respondent" + ("" if count == 1 else "s")


def _score_fact(facts: _Facts, party: Party, dimension: str, below: bool, n: float) -> _Verdict:
    """One party's score against one threshold: "Globex (2 respondents) scores Communicating
    42.0, under 60"."""
    score = facts.dimensions[dimension].score(party)
    title = facts.title(dimension)
    if score is None:
        return _Verdict(False, f"{facts.org(party)} has no score for {title}")
    held = score < n if below else score >= n
    relation = ("under" if held else "not under") if below else ("at least" if held else "under")
    return _Verdict(
        held, f"{facts.who(party, dimension)} scores {title} {score:.1f}, {relation} {_num(n)}"
    )


def _selected(verdicts: list[_Verdict], selector: PartySelector) -> _Verdict:
    """Combine per-party verdicts: `either` needs one to hold, `both` needs both."""
    need_all = selector == "both"
    held = all(v.held for v in verdicts) if need_all else any(v.held for v in verdicts)
    if held:
        shown = [v for v in verdicts if v.held]
    else:
        shown = [v for v in verdicts if not v.held]
    return _Verdict(held, " and ".join(v.because for v in shown))


def _dimension_condition(facts: _Facts, cond: DimensionBelow | DimensionAtLeast) -> _Verdict:
    below = isinstance(cond, DimensionBelow)
    n = cond.below if isinstance(cond, DimensionBelow) else cond.at_least
    parties: tuple[Party, ...] = PARTIES if cond.party in ("either", "both") else (cond.party,)  # type: ignore[assignment]
    verdicts = [_score_fact(facts, p, cond.dimension, below, n) for p in parties]
    return verdicts[0] if len(verdicts) == 1 else _selected(verdicts, cond.party)


def _status_words(facts: _Facts, result: DimensionResult) -> str:
    """The status in a reader's words, saying who rates whom higher."""
    rated = result.rates
    other: Party = "client" if rated == "vendor" else "vendor"
    if result.status == "blind_spot":
        return f"a blind spot: {facts.org(rated)} rates itself higher than {facts.org(other)} does"
    if result.status == "hidden_strength":
        return (
            f"a hidden strength: {facts.org(other)} rates {facts.org(rated)} higher than"
            f" {facts.org(rated)} does"
        )
    return "aligned"


def _status_condition(facts: _Facts, cond: StatusCondition) -> _Verdict:
    wanted, (_, dimension) = cond.STATUS, cond.named_dimension()
    result = facts.dimensions[dimension]
    if result.gap is None or result.vendor is None or result.client is None:
        missing = " and ".join(facts.org(p) for p in PARTIES if result.score(p) is None)
        return _Verdict(False, f"{result.title} cannot be compared: {missing} has no score")
    return _Verdict(
        result.status == wanted,
        f"{facts.who('vendor', dimension)} scores {result.title} {result.vendor:.1f} "
        f"and {facts.who('client', dimension)} {result.client:.1f}, "
        f"a gap of {_r(result.gap):.1f} ({_status_words(facts, result)})",
    )


def _cut_words(value: float | None, is_mean: bool) -> str:
    shown = f"{_r(value)}" if value is not None else "none"
    return f"{shown} (the mean)" if is_mean else f"{_num(value or 0.0)}"


def _quadrant_condition(facts: _Facts, cond: QuadrantIs) -> _Verdict:
    result = facts.dimensions[cond.quadrant]
    served = result.served
    if result.quadrant is None:
        return _Verdict(
            False,
            f"{result.title} has no quadrant: {facts.org(served)} has not rated both its "
            "importance and its performance",
        )
    cut = result.cut
    cuts = (
        f"{_cut_words(cut.importance, cut.importance_is_mean)} and "
        f"{_cut_words(cut.performance, cut.performance_is_mean)}"
    )
    return _Verdict(
        result.quadrant == cond.is_,
        f"{facts.who(served, cond.quadrant)} rates the importance of {result.title} "
        f"{result.importance.of(served):.1f} and scores it {result.score(served):.1f}, "
        f"against cuts of {cuts} ({quadrant_words(result.quadrant).lower()})",
    )


def _level_condition(facts: _Facts, cond: LevelIs | LevelBelow) -> _Verdict:
    levels = facts.questionnaire.levels
    agreed = levels[facts.agreed_index].title
    ids = [level.id for level in levels]
    if isinstance(cond, LevelIs):
        target = ids.index(cond.level)
        held = facts.agreed_index == target
        text = "is" if held else "is not"
        return _Verdict(held, f"the agreed level {text} {levels[target].title}")
    target = ids.index(cond.level_below)
    held = facts.agreed_index < target
    text = "is below" if held else "is not below"
    return _Verdict(held, f"the agreed level, {agreed}, {text} {levels[target].title}")


def _listed(items: Sequence[str]) -> str:
    """ "A", "A or B", "A, B or C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _answer_words(questionnaire: Questionnaire, question: Question, cond: QuestionAnswered) -> str:
    """The test in answer labels: "Disagree or lower", "9 or higher", "No or Not sure"."""
    if question.kind != "scale":
        values = [cond.equals] if cond.equals is not None else list(cond.in_ or [])
        return _listed([str(v) for v in values])
    scale = questionnaire.scale_of(question)

    def label(value: int | str) -> str:
        raw = scale.value_for(value) if isinstance(value, str) else value
        return scale.label_for(raw) if isinstance(raw, int) else str(value)

    if cond.at_least is not None:
        shown = label(cond.at_least)
        return shown if cond.at_least >= scale.hi else f"{shown} or higher"
    if cond.at_most is not None:
        shown = label(cond.at_most)
        return shown if cond.at_most <= scale.lo else f"{shown} or lower"
    values = [cond.equals] if cond.equals is not None else list(cond.in_ or [])
    return _listed([label(v) for v in values if v is not None])


def _question_condition(facts: _Facts, cond: QuestionAnswered) -> _Verdict:
    """How many of the party's respondents answered so: "2 of 3 Globex respondents answered
    Disagree or lower to 'knowing our 12-month plans'" (never the question's id)."""
    qn = facts.questionnaire
    question = qn.question(cond.question)
    kind = kind_of(question)
    given = [a[question.id] for a in facts.answers[cond.party] if a.get(question.id) is not None]
    matching = sum(1 for answer in given if kind.matches(qn, question, answer, cond))
    org = facts.org(cond.party)
    quoted = question.quoted(cond.party, facts.org("vendor"), facts.org("client"))
    words = _answer_words(qn, question, cond)
    if cond.party in facts.side_worded:
        return _side_answer(org, quoted, words, given, matching)
    if not given:
        return _Verdict(False, f"no {org} respondent answered '{quoted}'")
    if len(given) == 1:
        did = "answered" if matching else "did not answer"
        return _Verdict(bool(matching), f"the one {org} respondent {did} {words} to '{quoted}'")
    count = f"{matching}" if matching else "none"
    return _Verdict(
        matching > 0,
        f"{count} of {len(given)} {org} respondents answered {words} to '{quoted}'",
    )


def _side_answer(org: str, quoted: str, words: str, given: list[Any], matching: int) -> _Verdict:
    """The same test in words about the side, never about one person or a count:
    "Globex's answers to 'knowing our plans' include Disagree or lower"."""
    if not given:
        return _Verdict(False, f"{org} gave no answer to '{quoted}'")
    if matching:
        return _Verdict(True, f"{org}'s answers to '{quoted}' include {words}")
    return _Verdict(False, f"{org}'s answers to '{quoted}' do not include {words}")


def _judge(facts: _Facts, cond: Condition) -> _Verdict:
    """Evaluate one condition (recursively for all / any / not)."""
    if isinstance(cond, AllOf | AnyOf):
        parts = [
            _judge(facts, part) for part in (cond.all if isinstance(cond, AllOf) else cond.any)
        ]
        held_parts = [p for p in parts if p.held]
        failed = [p for p in parts if not p.held]
        if isinstance(cond, AllOf):
            if failed:
                return _Verdict(False, "; ".join(p.because for p in failed))
            return _Verdict(True, " and ".join(p.because for p in parts), _ranks(parts))
        if held_parts:
            return _Verdict(True, "; ".join(p.because for p in held_parts), _ranks(held_parts))
        return _Verdict(False, " and ".join(p.because for p in parts))
    if isinstance(cond, NotCond):
        inner = _judge(facts, cond.not_)
        named = tuple(condition_dimensions(cond.not_)) if not inner.held else ()
        return _Verdict(not inner.held, inner.because, named)
    verdict = _JUDGES[cond.JUDGED_AS](facts, cond)
    name = _named_dimension(cond)
    if verdict.held and name is not None:
        return _Verdict(True, verdict.because, (name,))
    return verdict


def _ranks(parts: Iterable[_Verdict]) -> tuple[str, ...]:
    """The dimensions that rank a combination: those of its parts, repeats left out."""
    return tuple(dict.fromkeys(name for part in parts for name in part.ranked_by))


#: The judge for each kind a condition class says it is (its ``JUDGED_AS``); all / any /
#: not are judged by :func:`_judge` itself.
_JUDGES: dict[str, Callable[[_Facts, Any], _Verdict]] = {
    "dimension": _dimension_condition,
    "status": _status_condition,
    "quadrant": _quadrant_condition,
    "level": _level_condition,
    "question": _question_condition,
}


def condition_dimensions(cond: Condition) -> list[str]:
    """Dimension ids a condition names, in the order written (repeats kept out)."""
    found: list[str] = []
    stack: list[Condition] = [cond]
    while stack:
        current = stack.pop(0)
        if isinstance(current, AllOf):
            stack = list(current.all) + stack
            continue
        if isinstance(current, AnyOf):
            stack = list(current.any) + stack
            continue
        if isinstance(current, NotCond):
            stack.insert(0, current.not_)
            continue
        name = _named_dimension(current)
        if name is not None and name not in found:
            found.append(name)
    return found


def _named_dimension(cond: Condition) -> str | None:
    named = cond.named_dimension()
    return named[1] if named else None


def _actions(facts: _Facts) -> tuple[SuggestedAction, ...]:
    """Actions whose condition holds, by priority (highest first), then file order.

    An action's priority is the highest among the dimensions ranking its condition, those
    of the parts that held (v1.1): an `any` that fired on a Value hidden strength does not
    borrow the priority of a Business relevance part that did not hold.
    """
    suggested = []
    for action in facts.questionnaire.actions:
        verdict = _judge(facts, action.when)
        if not verdict.held:
            continue
        priorities = [
            p for d in verdict.ranked_by if (p := facts.dimensions[d].priority) is not None
        ]
        suggested.append(
            SuggestedAction(
                id=action.id,
                owner=action.owner,
                title=action.title,
                detail=action.detail,
                because=verdict.because,
                priority=max(priorities) if priorities else None,
            )
        )
    ranked = sorted(
        enumerate(suggested),
        key=lambda pair: (pair[1].priority is None, -(pair[1].priority or 0.0), pair[0]),
    )
    return tuple(action for _, action in ranked)
