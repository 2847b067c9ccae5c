"""The scoring engine: answers in, scores, gaps, levels, actions and proposals out.

Pure (no Flask, no SQLAlchemy): the web app, the `survey score` command and the PDF all
call :func:`score`. Every rule here is the contract's (shared/questionnaire-format.md,
"Scoring", "Levels", "Actions"); numbers stay unrounded on the result objects and are
rounded to one decimal only by ``to_dict()``.

A worked example. Scale `agreement` has 5 choices, so raw 4 normalises to
100·(4 − 1)/(5 − 1) = 75 and raw 2 to 25. If two client respondents answer 4 and 2 on
the only performance question of `listening`, the client's listening score is 50; if the
vendor's is 75, the gap is 75 − 50 = 25, at least the default threshold 20: a blind spot.
With no importance question answered by the client, importance counts as 100 and the
priority is 100 × (100 − 50) / 100 = 50; the quadrant is `null` (importance not rated).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from survey.domain.kinds import kind_of
from survey.domain.model import (
    PARTIES,
    Aligned,
    AllOf,
    AnyOf,
    BlindSpot,
    Condition,
    DimensionAtLeast,
    DimensionBelow,
    HiddenStrength,
    LevelBelow,
    LevelIs,
    NotCond,
    Party,
    PartySelector,
    Quadrant,
    QuadrantIs,
    Question,
    QuestionAnswered,
    Questionnaire,
    Status,
)

# --- input -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Respondent:
    """One submitted respondent's canonical answers (see :mod:`survey.domain.kinds`)."""

    party: Party
    answers: dict[str, Any]
    name: str | None = None


@dataclass(frozen=True)
class ReviewAnswers:
    """Everything scored for one review: both organisations and their submitted respondents."""

    vendor_org: str
    client_org: str
    vendor: list[Respondent] = field(default_factory=list)
    client: list[Respondent] = field(default_factory=list)

    def respondents(self, party: Party) -> list[Respondent]:
        """The respondents of one party, in order."""
        return self.vendor if party == "vendor" else self.client

    def org(self, party: Party) -> str:
        """The organisation's name for one party."""
        return self.vendor_org if party == "vendor" else self.client_org


# --- output ------------------------------------------------------------------------------


def _r(value: float | None) -> float | None:
    """Round to one decimal for output (and never print -0.0)."""
    return None if value is None else round(value, 1) + 0.0


def _num(value: float) -> int | float:
    """A threshold as the file wrote it: 60 rather than 60.0."""
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class PartyPair:
    """One number per party (a score, an importance ...), None where not computable."""

    vendor: float | None
    client: float | None

    def of(self, party: Party) -> float | None:
        return self.vendor if party == "vendor" else self.client

    def to_dict(self) -> dict[str, float | None]:
        return {"vendor": _r(self.vendor), "client": _r(self.client)}


@dataclass(frozen=True)
class QuestionResult:
    id: str
    dimension: str | None
    counts_as: str
    vendor: float | None
    client: float | None
    gap: float | None
    status: Status | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "vendor": _r(self.vendor),
            "client": _r(self.client),
            "gap": _r(self.gap),
            "status": self.status,
        }


@dataclass(frozen=True)
class DimensionResult:
    id: str
    title: str
    vendor: float | None
    client: float | None
    gap: float | None
    status: Status | None
    importance: PartyPair
    priority: float | None
    quadrant: Quadrant | None

    def score(self, party: Party) -> float | None:
        return self.vendor if party == "vendor" else self.client

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "vendor": _r(self.vendor),
            "client": _r(self.client),
            "gap": _r(self.gap),
            "status": self.status,
            "importance": self.importance.to_dict(),
            "priority": _r(self.priority),
            "quadrant": self.quadrant,
        }


@dataclass(frozen=True)
class MissingRequirement:
    """A requirement of the next level that one party does not meet yet."""

    dimension: str
    party: Party
    score: float | None
    needed: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "party": self.party,
            "score": _r(self.score),
            "needed": _num(self.needed),
        }


@dataclass(frozen=True)
class NextLevel:
    id: str
    title: str
    missing: tuple[MissingRequirement, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "missing": [m.to_dict() for m in self.missing]}


@dataclass(frozen=True)
class Levels:
    vendor: str
    client: str
    agreed: str
    next: NextLevel | None

    def of(self, party: Party) -> str:
        return self.vendor if party == "vendor" else self.client

    def to_dict(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "client": self.client,
            "agreed": self.agreed,
            "next": None if self.next is None else self.next.to_dict(),
        }


@dataclass(frozen=True)
class SuggestedAction:
    id: str
    owner: str
    title: str
    detail: str | None
    because: str
    priority: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "owner": self.owner, "title": self.title, "because": self.because}


@dataclass(frozen=True)
class Proposal:
    """A `proposes: action` answer; `respondent` is the name, or "respondent N"."""

    party: Party
    question: str
    text: str
    respondent: str

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "question": self.question, "text": self.text}


@dataclass(frozen=True)
class ReviewResult:
    """Everything the results page, the PDF and `survey score` show, unrounded."""

    questionnaire_id: str
    version: int
    levels: Levels
    overall: PartyPair
    dimensions: tuple[DimensionResult, ...]
    questions: tuple[QuestionResult, ...]
    actions: tuple[SuggestedAction, ...]
    proposals: tuple[Proposal, ...]

    def dimension(self, dimension_id: str) -> DimensionResult:
        """The result for one dimension (KeyError when there is none)."""
        for result in self.dimensions:
            if result.id == dimension_id:
                return result
        raise KeyError(dimension_id)

    def to_dict(self) -> dict[str, Any]:
        """Exactly the contract's JSON, keys in its order, numbers rounded to one decimal."""
        return {
            "questionnaire": {"id": self.questionnaire_id, "version": self.version},
            "levels": self.levels.to_dict(),
            "overall": self.overall.to_dict(),
            "dimensions": [d.to_dict() for d in self.dimensions],
            "questions": [q.to_dict() for q in self.questions],
            "actions": [a.to_dict() for a in self.actions],
            "proposals": [p.to_dict() for p in self.proposals],
        }


# --- visibility --------------------------------------------------------------------------


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


# --- scores ------------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _weighted_mean(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """Weighted mean of (value, weight) pairs, values that are None left out."""
    kept = [(value, weight) for value, weight in pairs if value is not None]
    total = sum(weight for _, weight in kept)
    return sum(value * weight for value, weight in kept) / total if kept else None


def _question_scores(
    questionnaire: Questionnaire, answer_sets: list[dict[str, Any]]
) -> dict[str, float | None]:
    """Mean normalised score of each scored question over the respondents who answered it."""
    scores: dict[str, float | None] = {}
    for question in questionnaire.questions():
        if not question.is_scored:
            continue
        kind = kind_of(question)
        values = [kind.normalise(questionnaire, question, a.get(question.id)) for a in answer_sets]
        scores[question.id] = _mean([v for v in values if v is not None])
    return scores


def _dimension_score(
    questionnaire: Questionnaire, scores: dict[str, float | None], dimension: str, counts_as: str
) -> float | None:
    """Weighted mean of the dimension's question scores counting as performance or importance."""
    return _weighted_mean(
        (scores.get(q.id), q.weight)
        for q in questionnaire.questions()
        if q.dimension == dimension and q.counts_as == counts_as and q.is_scored
    )


def _status(gap: float | None, threshold: float) -> Status | None:
    if gap is None:
        return None
    if gap >= threshold:
        return "blind_spot"
    if gap <= -threshold:
        return "hidden_strength"
    return "aligned"


def _gap(vendor: float | None, client: float | None) -> float | None:
    return None if vendor is None or client is None else vendor - client


def _quadrant(importance: float | None, score: float | None) -> Quadrant | None:
    if importance is None or score is None:
        return None
    if importance >= 50:
        return "keep_it_up" if score >= 50 else "concentrate_here"
    return "possible_overkill" if score >= 50 else "low_priority"


def _priority(importance: float | None, score: float | None) -> float | None:
    """Client importance (100 when unrated) × (100 − client score) / 100."""
    if score is None:
        return None
    return (100.0 if importance is None else importance) * (100.0 - score) / 100.0


def _dimension_results(
    questionnaire: Questionnaire, scores: dict[Party, dict[str, float | None]]
) -> tuple[DimensionResult, ...]:
    results = []
    for dim in questionnaire.dimensions:
        perf = PartyPair(
            *(_dimension_score(questionnaire, scores[p], dim.id, "performance") for p in PARTIES)
        )
        imp = PartyPair(
            *(_dimension_score(questionnaire, scores[p], dim.id, "importance") for p in PARTIES)
        )
        gap = _gap(perf.vendor, perf.client)
        results.append(
            DimensionResult(
                id=dim.id,
                title=dim.title,
                vendor=perf.vendor,
                client=perf.client,
                gap=gap,
                status=_status(gap, questionnaire.gap_threshold),
                importance=imp,
                priority=_priority(imp.client, perf.client),
                quadrant=_quadrant(imp.client, perf.client),
            )
        )
    return tuple(results)


def _question_results(
    questionnaire: Questionnaire, scores: dict[Party, dict[str, float | None]]
) -> tuple[QuestionResult, ...]:
    results = []
    for question in questionnaire.questions():
        if not question.is_scored:
            continue
        vendor, client = scores["vendor"][question.id], scores["client"][question.id]
        gap = _gap(vendor, client)
        results.append(
            QuestionResult(
                id=question.id,
                dimension=question.dimension,
                counts_as=question.counts_as,
                vendor=vendor,
                client=client,
                gap=gap,
                status=_status(gap, questionnaire.gap_threshold),
            )
        )
    return tuple(results)


def _overall(
    questionnaire: Questionnaire, dims: Sequence[DimensionResult], party: Party
) -> float | None:
    weights = {d.id: d.weight for d in questionnaire.dimensions}
    return _weighted_mean((d.score(party), weights[d.id]) for d in dims)


# --- levels ------------------------------------------------------------------------------


def _party_scores(
    dims: Sequence[DimensionResult], overall: PartyPair, party: Party
) -> dict[str, float | None]:
    """What `requires` keys name: each dimension's score and `overall`."""
    scores = {d.id: d.score(party) for d in dims}
    scores["overall"] = overall.of(party)
    return scores


def _meets(score: float | None, needed: float) -> bool:
    return score is not None and score >= needed


def _level_index(questionnaire: Questionnaire, scores: dict[str, float | None]) -> int:
    """Highest level whose requirements, and those of every level below, hold."""
    reached = 0
    for index, level in enumerate(questionnaire.levels):
        if not all(_meets(scores.get(key), needed) for key, needed in level.requires.items()):
            break
        reached = index
    return reached


def _levels(questionnaire: Questionnaire, scores: dict[Party, dict[str, float | None]]) -> Levels:
    index = {p: _level_index(questionnaire, scores[p]) for p in PARTIES}
    agreed = min(index.values())
    levels = questionnaire.levels
    following = None
    if agreed + 1 < len(levels):
        upper = levels[agreed + 1]
        missing = tuple(
            MissingRequirement(key, party, scores[party].get(key), needed)
            for key, needed in upper.requires.items()
            for party in PARTIES
            if not _meets(scores[party].get(key), needed)
        )
        following = NextLevel(upper.id, upper.title, missing)
    return Levels(
        vendor=levels[index["vendor"]].id,
        client=levels[index["client"]].id,
        agreed=levels[agreed].id,
        next=following,
    )


# --- actions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Verdict:
    """Whether a condition holds, and a sentence saying what the numbers are."""

    held: bool
    because: str


@dataclass(frozen=True)
class _Facts:
    """What conditions are judged on."""

    questionnaire: Questionnaire
    dimensions: dict[str, DimensionResult]
    agreed_index: int
    answers: dict[Party, list[dict[str, Any]]]

    def party_name(self, party: Party) -> str:
        return self.questionnaire.parties.label(party).lower()

    def title(self, dimension: str) -> str:
        return self.dimensions[dimension].title


_STATUS_WORDS = {
    "blind_spot": "a blind spot",
    "hidden_strength": "a hidden strength",
    "aligned": "aligned",
}


def _score_fact(facts: _Facts, party: Party, dimension: str, below: bool, n: float) -> _Verdict:
    """One party's score against one threshold: "the client scores Communicating 42.0, under 60"."""
    score = facts.dimensions[dimension].score(party)
    who, title = facts.party_name(party), facts.title(dimension)
    if score is None:
        return _Verdict(False, f"the {who} has no score for {title}")
    held = score < n if below else score >= n
    relation = ("under" if held else "not under") if below else ("at least" if held else "under")
    return _Verdict(held, f"the {who} scores {title} {score:.1f}, {relation} {_num(n)}")


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


def _status_condition(facts: _Facts, cond: BlindSpot | HiddenStrength | Aligned) -> _Verdict:
    wanted: Status
    if isinstance(cond, BlindSpot):
        wanted, dimension = "blind_spot", cond.blind_spot
    elif isinstance(cond, HiddenStrength):
        wanted, dimension = "hidden_strength", cond.hidden_strength
    else:
        wanted, dimension = "aligned", cond.aligned
    result = facts.dimensions[dimension]
    if result.gap is None or result.vendor is None or result.client is None:
        missing = " and ".join(
            f"the {facts.party_name(p)}" for p in PARTIES if result.score(p) is None
        )
        return _Verdict(False, f"{result.title} cannot be compared: {missing} has no score")
    return _Verdict(
        result.status == wanted,
        f"the {facts.party_name('vendor')} scores {result.title} {result.vendor:.1f} "
        f"and the {facts.party_name('client')} {result.client:.1f}, "
        f"a gap of {_r(result.gap):.1f} ({_STATUS_WORDS[result.status or 'aligned']})",
    )


def _quadrant_condition(facts: _Facts, cond: QuadrantIs) -> _Verdict:
    result = facts.dimensions[cond.quadrant]
    client = facts.party_name("client")
    if result.quadrant is None:
        return _Verdict(
            False,
            f"{result.title} has no quadrant: the {client} has not rated both its "
            "importance and its performance",
        )
    return _Verdict(
        result.quadrant == cond.is_,
        f"the {client} rates the importance of {result.title} "
        f"{result.importance.client:.1f} and scores it {result.client:.1f} "
        f"({result.quadrant.replace('_', ' ')})",
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


def _test_phrase(cond: QuestionAnswered) -> str:
    if cond.equals is not None:
        return f"equal to {cond.equals!r}"
    if cond.in_ is not None:
        return "one of " + ", ".join(repr(item) for item in cond.in_)
    if cond.at_least is not None:
        return f"at least {cond.at_least}"
    return f"at most {cond.at_most}"


def _question_condition(facts: _Facts, cond: QuestionAnswered) -> _Verdict:
    qn = facts.questionnaire
    question = qn.question(cond.question)
    kind = kind_of(question)
    who = facts.party_name(cond.party)
    for answers in facts.answers[cond.party]:
        answer = answers.get(question.id)
        if kind.matches(qn, question, answer, cond):
            shown = kind.summarise(qn, question, answer)
            if isinstance(answer, int) and shown != str(answer):
                shown = f"{shown} ({answer})"
            return _Verdict(
                True,
                f"a {who} respondent answered {shown} to {question.id!r}, {_test_phrase(cond)}",
            )
    return _Verdict(False, f"no {who} respondent answered {question.id!r} {_test_phrase(cond)}")


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
            return _Verdict(True, " and ".join(p.because for p in parts))
        if held_parts:
            return _Verdict(True, "; ".join(p.because for p in held_parts))
        return _Verdict(False, " and ".join(p.because for p in parts))
    if isinstance(cond, NotCond):
        inner = _judge(facts, cond.not_)
        return _Verdict(not inner.held, inner.because)
    return _JUDGES[type(cond)](facts, cond)


_JUDGES: dict[type, Callable[[_Facts, Any], _Verdict]] = {
    DimensionBelow: _dimension_condition,
    DimensionAtLeast: _dimension_condition,
    BlindSpot: _status_condition,
    HiddenStrength: _status_condition,
    Aligned: _status_condition,
    QuadrantIs: _quadrant_condition,
    LevelIs: _level_condition,
    LevelBelow: _level_condition,
    QuestionAnswered: _question_condition,
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
    if isinstance(cond, DimensionBelow | DimensionAtLeast):
        return cond.dimension
    if isinstance(cond, BlindSpot):
        return cond.blind_spot
    if isinstance(cond, HiddenStrength):
        return cond.hidden_strength
    if isinstance(cond, Aligned):
        return cond.aligned
    if isinstance(cond, QuadrantIs):
        return cond.quadrant
    return None


def _actions(facts: _Facts) -> tuple[SuggestedAction, ...]:
    """Actions whose condition holds, by priority (highest first), then file order."""
    suggested = []
    for action in facts.questionnaire.actions:
        verdict = _judge(facts, action.when)
        if not verdict.held:
            continue
        priorities = [
            p
            for d in condition_dimensions(action.when)
            if (p := facts.dimensions[d].priority) is not None
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


# --- proposals and the whole ---------------------------------------------------------------


def respondent_label(respondent: Respondent, position: int) -> str:
    """How messages and proposals name a respondent: the name, else "respondent N" (1-based)."""
    return respondent.name or f"respondent {position}"


def _proposals(
    questionnaire: Questionnaire, review: ReviewAnswers, answers: dict[Party, list[dict[str, Any]]]
) -> tuple[Proposal, ...]:
    proposing = [q for q in questionnaire.questions() if q.proposes == "action"]
    found = []
    for party in PARTIES:
        for position, (person, visible) in enumerate(
            zip(review.respondents(party), answers[party], strict=True), start=1
        ):
            for question in proposing:
                text = visible.get(question.id)
                if text:
                    found.append(
                        Proposal(party, question.id, text, respondent_label(person, position))
                    )
    return tuple(found)


def score(questionnaire: Questionnaire, review: ReviewAnswers) -> ReviewResult:
    """Score one review: pass only submitted respondents, with canonical answers."""
    answers: dict[Party, list[dict[str, Any]]] = {
        p: [visible_answers(questionnaire, p, r.answers) for r in review.respondents(p)]
        for p in PARTIES
    }
    question_scores = {p: _question_scores(questionnaire, answers[p]) for p in PARTIES}
    dims = _dimension_results(questionnaire, question_scores)
    overall = PartyPair(*(_overall(questionnaire, dims, p) for p in PARTIES))
    party_scores = {p: _party_scores(dims, overall, p) for p in PARTIES}
    levels = _levels(questionnaire, party_scores)
    level_ids = [level.id for level in questionnaire.levels]
    facts = _Facts(
        questionnaire=questionnaire,
        dimensions={d.id: d for d in dims},
        agreed_index=level_ids.index(levels.agreed),
        answers=answers,
    )
    return ReviewResult(
        questionnaire_id=questionnaire.id,
        version=questionnaire.version,
        levels=levels,
        overall=overall,
        dimensions=dims,
        questions=_question_results(questionnaire, question_scores),
        actions=_actions(facts),
        proposals=_proposals(questionnaire, review, answers),
    )
