"""The scoring engine: answers in, scores, gaps, levels, actions and proposals out.

Pure (no Flask, no SQLAlchemy): the web app, the `survey score` command and the PDF all
call :func:`score`. Every rule here is format v1.1's ("Scoring", "Levels", "Actions"; the
authors' guide is docs/questionnaire-format.md); numbers stay unrounded on the result
objects and are rounded to one decimal only by ``to_dict()``.

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
    MEAN,
    PARTIES,
    Aligned,
    AllOf,
    AnyOf,
    BlindSpot,
    Condition,
    Dimension,
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


#: A party's respondents are split on a number when their scores span at least this much.
SPLIT_POINTS = 50.0


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
class Spread:
    """The respondents of one party behind one number: how many count, lowest and highest.

    Worked example: client answers of raw 1, 3 and 5 on a five-point scale score 0, 50
    and 100, so ``n`` is 3, the range is 100 and the client is ``split`` (range ≥ 50).
    """

    n: int
    low: float | None = None
    high: float | None = None

    @property
    def split(self) -> bool:
        """Whether the party's own people disagree by SPLIT_POINTS or more."""
        if self.low is None or self.high is None:
            return False
        return self.high - self.low >= SPLIT_POINTS


def _spread(values: Iterable[float | None]) -> Spread:
    """Count the respondents with a value and keep the lowest and highest of those values."""
    kept = [v for v in values if v is not None]
    return Spread(len(kept), min(kept), max(kept)) if kept else Spread(0)


@dataclass(frozen=True)
class Spreads:
    """One :class:`Spread` per party, written out as the additive `n` and `split` keys."""

    vendor: Spread
    client: Spread

    def of(self, party: Party) -> Spread:
        return self.vendor if party == "vendor" else self.client

    def n(self) -> dict[str, int]:
        return {"vendor": self.vendor.n, "client": self.client.n}

    def split(self) -> dict[str, bool]:
        return {"vendor": self.vendor.split, "client": self.client.split}


NO_SPREADS = Spreads(Spread(0), Spread(0))


@dataclass(frozen=True)
class QuestionResult:
    id: str
    dimension: str | None
    counts_as: str
    vendor: float | None
    client: float | None
    gap: float | None
    status: Status | None
    spreads: Spreads = NO_SPREADS

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "vendor": _r(self.vendor),
            "client": _r(self.client),
            "gap": _r(self.gap),
            "status": self.status,
            "n": self.spreads.n(),
            "split": self.spreads.split(),
        }


@dataclass(frozen=True)
class NpsResult:
    """A net promoter score per party (rule 7); the vendor's is its prediction."""

    id: str
    vendor: float | None
    client: float | None
    gap: float | None
    spreads: Spreads = NO_SPREADS

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "vendor": _r(self.vendor),
            "client": _r(self.client),
            "gap": _r(self.gap),
            "n": self.spreads.n(),
            "split": self.spreads.split(),
        }


@dataclass(frozen=True)
class Cut:
    """Where one dimension's quadrant is cut, as used (a `mean` cut already worked out)."""

    importance: float | None
    performance: float | None
    importance_is_mean: bool = False
    performance_is_mean: bool = False


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
    spreads: Spreads = NO_SPREADS
    rates: Party = "vendor"
    cut: Cut = Cut(50.0, 50.0)

    @property
    def served(self) -> Party:
        """The party whose importance and score rank the dimension (rule 6)."""
        return "vendor" if self.rates == "client" else "client"

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
            "n": self.spreads.n(),
            "split": self.spreads.split(),
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
    """A `proposes: action` answer; `respondent` is the name, or "someone at {org}", and
    `name` the name as given (None when none was), for callers that must hide it."""

    party: Party
    question: str
    text: str
    respondent: str
    name: str | None = None

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
    nps: tuple[NpsResult, ...] = ()
    respondents: dict[Party, int] = field(default_factory=lambda: {"vendor": 0, "client": 0})

    def dimension(self, dimension_id: str) -> DimensionResult:
        """The result for one dimension (KeyError when there is none)."""
        for result in self.dimensions:
            if result.id == dimension_id:
                return result
        raise KeyError(dimension_id)

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON, keys in its order, numbers rounded to one decimal.

        Additive keys (the project's, not the contract's) come after the contract's keys
        of their object: `n` and `split` on dimensions, questions and NPS entries, and
        `respondents` (submitted respondents per party) at the end of the document.
        """
        return {
            "questionnaire": {"id": self.questionnaire_id, "version": self.version},
            "levels": self.levels.to_dict(),
            "overall": self.overall.to_dict(),
            "nps": [n.to_dict() for n in self.nps],
            "dimensions": [d.to_dict() for d in self.dimensions],
            "questions": [q.to_dict() for q in self.questions],
            "actions": [a.to_dict() for a in self.actions],
            "proposals": [p.to_dict() for p in self.proposals],
            "respondents": {p: self.respondents[p] for p in PARTIES},
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


#: Per question id, each respondent's normalised score (None where it does not count).
PerRespondent = dict[str, list[float | None]]


def _respondent_scores(
    questionnaire: Questionnaire, answer_sets: list[dict[str, Any]]
) -> PerRespondent:
    """Every scored question's normalised answer, respondent by respondent (the one pass).

    Everything per party comes from this table: question means (rule 2), dimension
    scores (rule 3), how many respondents count (`n`) and how far apart they are (`split`).
    """
    table: PerRespondent = {}
    for question in questionnaire.questions():
        if question.is_scored:
            kind = kind_of(question)
            table[question.id] = [
                kind.normalise(questionnaire, question, answers.get(question.id))
                for answers in answer_sets
            ]
    return table


def _question_scores(table: PerRespondent) -> dict[str, float | None]:
    """Mean normalised score of each scored question over the respondents who answered it."""
    return {qid: _mean([v for v in values if v is not None]) for qid, values in table.items()}


def _dimension_questions(
    questionnaire: Questionnaire, dimension: str, counts_as: str
) -> list[Question]:
    return [
        q
        for q in questionnaire.questions()
        if q.dimension == dimension and q.counts_as == counts_as and q.is_scored
    ]


def _dimension_score(
    questionnaire: Questionnaire, scores: dict[str, float | None], dimension: str, counts_as: str
) -> float | None:
    """Weighted mean of the dimension's question scores counting as performance or importance."""
    return _weighted_mean(
        (scores.get(q.id), q.weight)
        for q in _dimension_questions(questionnaire, dimension, counts_as)
    )


def _dimension_spread(
    questionnaire: Questionnaire, table: PerRespondent, dimension: str, people: int
) -> Spread:
    """Each respondent's own dimension score (their answers alone, rule 3), as a Spread."""
    questions = _dimension_questions(questionnaire, dimension, "performance")
    return _spread(
        _weighted_mean((table[q.id][person], q.weight) for q in questions)
        for person in range(people)
    )


def _status(gap: float | None, threshold: float, rates: Party = "vendor") -> Status | None:
    """blind_spot when the rated party thinks better of itself by the threshold (rules 4, 6)."""
    if gap is None:
        return None
    towards_rated = gap if rates == "vendor" else -gap
    if towards_rated >= threshold:
        return "blind_spot"
    if towards_rated <= -threshold:
        return "hidden_strength"
    return "aligned"


def _gap(vendor: float | None, client: float | None) -> float | None:
    return None if vendor is None or client is None else vendor - client


def _quadrant(importance: float | None, score: float | None, cut: Cut) -> Quadrant | None:
    """Rule 5's four boxes, cut where the file says (a `mean` cut may be missing: null)."""
    if importance is None or score is None or cut.importance is None or cut.performance is None:
        return None
    if importance >= cut.importance:
        return "keep_it_up" if score >= cut.performance else "concentrate_here"
    return "possible_overkill" if score >= cut.performance else "low_priority"


def _priority(importance: float | None, score: float | None) -> float | None:
    """Served party's importance (100 when unrated) × (100 − its score) / 100."""
    if score is None:
        return None
    return (100.0 if importance is None else importance) * (100.0 - score) / 100.0


@dataclass(frozen=True)
class _Scored:
    """One party's numbers, worked out once and shared by every later step."""

    table: PerRespondent
    questions: dict[str, float | None]
    people: int


def _party_pair(values: dict[Party, float | None]) -> PartyPair:
    return PartyPair(values["vendor"], values["client"])


def _raw_dimensions(
    questionnaire: Questionnaire, scored: dict[Party, _Scored]
) -> list[tuple[Dimension, PartyPair, PartyPair, Spreads]]:
    """Performance, importance and spreads of every dimension, before any cut is known."""
    found = []
    for dim in questionnaire.dimensions:
        perf, imp, spread = {}, {}, {}
        for p in PARTIES:
            perf[p] = _dimension_score(questionnaire, scored[p].questions, dim.id, "performance")
            imp[p] = _dimension_score(questionnaire, scored[p].questions, dim.id, "importance")
            spread[p] = _dimension_spread(questionnaire, scored[p].table, dim.id, scored[p].people)
        found.append(
            (dim, _party_pair(perf), _party_pair(imp), Spreads(spread["vendor"], spread["client"]))
        )
    return found


def _cuts(
    questionnaire: Questionnaire, raw: list[tuple[Dimension, PartyPair, PartyPair, Spreads]]
) -> dict[Party, Cut]:
    """The quadrant cut for each `rates` group; `mean` is that group's unrounded mean.

    The mean runs over the dimensions of the same `rates` whose quadrant can be computed
    (the served party rated both importance and performance); None when there is none.
    """
    wanted = questionnaire.quadrant_cut
    cuts: dict[Party, Cut] = {}
    for rates in PARTIES:
        pairs = [
            (imp.of(dim.served), perf.of(dim.served))
            for dim, perf, imp, _ in raw
            if dim.rates == rates
        ]
        rated = [(i, s) for i, s in pairs if i is not None and s is not None]
        importance = wanted.importance
        performance = wanted.performance
        cuts[rates] = Cut(
            _mean([i for i, _ in rated]) if importance == MEAN else float(importance),
            _mean([s for _, s in rated]) if performance == MEAN else float(performance),
            importance == MEAN,
            performance == MEAN,
        )
    return cuts


def _dimension_results(
    questionnaire: Questionnaire, scored: dict[Party, _Scored]
) -> tuple[DimensionResult, ...]:
    raw = _raw_dimensions(questionnaire, scored)
    cuts = _cuts(questionnaire, raw)
    results = []
    for dim, perf, imp, spreads in raw:
        gap = _gap(perf.vendor, perf.client)
        served = dim.served
        results.append(
            DimensionResult(
                id=dim.id,
                title=dim.title,
                vendor=perf.vendor,
                client=perf.client,
                gap=gap,
                status=_status(gap, questionnaire.gap_threshold, dim.rates),
                importance=imp,
                priority=_priority(imp.of(served), perf.of(served)),
                quadrant=_quadrant(imp.of(served), perf.of(served), cuts[dim.rates]),
                spreads=spreads,
                rates=dim.rates,
                cut=cuts[dim.rates],
            )
        )
    return tuple(results)


def _rates_of(questionnaire: Questionnaire, question: Question) -> Party:
    """Who a question's dimension rates: the vendor unless its dimension says client."""
    for dim in questionnaire.dimensions:
        if dim.id == question.dimension:
            return dim.rates
    return "vendor"


def _spreads(scored: dict[Party, _Scored], question_id: str) -> Spreads:
    return Spreads(*(_spread(scored[p].table[question_id]) for p in PARTIES))


def _question_results(
    questionnaire: Questionnaire, scored: dict[Party, _Scored]
) -> tuple[QuestionResult, ...]:
    """Every scored question but the NPS ones, in file order (importance included)."""
    results = []
    for question in questionnaire.questions():
        if not question.is_scored or question.is_nps:
            continue
        vendor = scored["vendor"].questions[question.id]
        client = scored["client"].questions[question.id]
        gap = _gap(vendor, client)
        rates = _rates_of(questionnaire, question)
        results.append(
            QuestionResult(
                id=question.id,
                dimension=question.dimension,
                counts_as=question.counts_as,
                vendor=vendor,
                client=client,
                gap=gap,
                status=_status(gap, questionnaire.gap_threshold, rates),
                spreads=_spreads(scored, question.id),
            )
        )
    return tuple(results)


def net_promoter_score(raw_answers: Iterable[int | None]) -> float | None:
    """% answering 9 or 10 minus % answering 0 to 6, among those who answered (rule 7).

    >>> net_promoter_score([10, 9, 8, 3, None])
    25.0
    """
    given = [value for value in raw_answers if value is not None]
    if not given:
        return None
    promoters = sum(1 for value in given if value >= 9)
    detractors = sum(1 for value in given if value <= 6)
    return 100.0 * (promoters - detractors) / len(given)


def _nps_results(
    questionnaire: Questionnaire,
    answers: dict[Party, list[dict[str, Any]]],
    scored: dict[Party, _Scored],
) -> tuple[NpsResult, ...]:
    """One entry per `counts_as: nps` question, in file order; the gap is vendor − client."""
    results = []
    for question in questionnaire.questions():
        if not question.is_nps:
            continue
        per = {p: net_promoter_score(a.get(question.id) for a in answers[p]) for p in PARTIES}
        results.append(
            NpsResult(
                id=question.id,
                vendor=per["vendor"],
                client=per["client"],
                gap=_gap(per["vendor"], per["client"]),
                spreads=_spreads(scored, question.id),
            )
        )
    return tuple(results)


def _overall(
    questionnaire: Questionnaire, dims: Sequence[DimensionResult], party: Party
) -> float | None:
    """Weighted mean of the party's dimension scores; `rates: client` ones left out (rule 6)."""
    weights = {d.id: d.weight for d in questionnaire.dimensions}
    return _weighted_mean((d.score(party), weights[d.id]) for d in dims if d.rates == "vendor")


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


# --- actions ------------------------------------------------------------------------------


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
        f"against cuts of {cuts} ({result.quadrant.replace('_', ' ')})",
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
    verdict = _JUDGES[type(cond)](facts, cond)
    name = _named_dimension(cond)
    if verdict.held and name is not None:
        return _Verdict(True, verdict.because, (name,))
    return verdict


def _ranks(parts: Iterable[_Verdict]) -> tuple[str, ...]:
    """The dimensions that rank a combination: those of its parts, repeats left out."""
    return tuple(dict.fromkeys(name for part in parts for name in part.ranked_by))


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


# --- proposals and the whole ---------------------------------------------------------------


def respondent_label(respondent: Respondent, org: str) -> str:
    """How messages and proposals name a respondent: the name, else "someone at {org}"
    (the one wording for an unnamed person, as in :func:`survey.disclosure.someone_at`)."""
    return respondent.name or f"someone at {org}"


def _proposals(
    questionnaire: Questionnaire, review: ReviewAnswers, answers: dict[Party, list[dict[str, Any]]]
) -> tuple[Proposal, ...]:
    proposing = [q for q in questionnaire.questions() if q.proposes == "action"]
    found = []
    for party in PARTIES:
        for person, visible in zip(review.respondents(party), answers[party], strict=True):
            label = respondent_label(person, review.org(party))
            for question in proposing:
                text = visible.get(question.id)
                if text:
                    found.append(Proposal(party, question.id, text, label, person.name))
    return tuple(found)


def score(
    questionnaire: Questionnaire,
    review: ReviewAnswers,
    side_worded: frozenset[Party] = frozenset(),
) -> ReviewResult:
    """Score one review: pass only submitted respondents, with canonical answers.

    Reasons about a party in `side_worded` speak of the side, not of its respondents
    (the numbers are the same either way).
    """
    answers: dict[Party, list[dict[str, Any]]] = {
        p: [visible_answers(questionnaire, p, r.answers) for r in review.respondents(p)]
        for p in PARTIES
    }
    scored: dict[Party, _Scored] = {}
    for p in PARTIES:
        table = _respondent_scores(questionnaire, answers[p])
        scored[p] = _Scored(table, _question_scores(table), len(answers[p]))
    dims = _dimension_results(questionnaire, scored)
    overall = PartyPair(*(_overall(questionnaire, dims, p) for p in PARTIES))
    party_scores = {p: _party_scores(dims, overall, p) for p in PARTIES}
    levels = _levels(questionnaire, party_scores)
    level_ids = [level.id for level in questionnaire.levels]
    facts = _Facts(
        questionnaire=questionnaire,
        dimensions={d.id: d for d in dims},
        agreed_index=level_ids.index(levels.agreed),
        answers=answers,
        orgs={p: review.org(p) for p in PARTIES},
        side_worded=side_worded,
    )
    return ReviewResult(
        questionnaire_id=questionnaire.id,
        version=questionnaire.version,
        levels=levels,
        overall=overall,
        dimensions=dims,
        questions=_question_results(questionnaire, scored),
        actions=_actions(facts),
        proposals=_proposals(questionnaire, review, answers),
        nps=_nps_results(questionnaire, answers, scored),
        respondents={p: len(answers[p]) for p in PARTIES},
    )
