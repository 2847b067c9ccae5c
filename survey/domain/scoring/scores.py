"""Scores, gaps, statuses, quadrants and priorities of questions and dimensions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from survey.domain.kinds import kind_of
from survey.domain.model import (
    MEAN,
    PARTIES,
    Dimension,
    Party,
    Quadrant,
    Question,
    Questionnaire,
    Status,
)
from survey.domain.scoring.results import (
    Cut,
    DimensionResult,
    NpsResult,
    PartyPair,
    QuestionResult,
    Spread,
    Spreads,
    _spread,
)


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
