"""The headline in sentences: page 1 of the report and the top of the results page.

Pure (no Flask, no database). Every figure in a sentence is read from the same objects
the tables print: the engine's :class:`~survey.domain.scoring.ReviewResult` through its
``to_dict()`` rounding (so "54.2" here is "54.2" in the dimension table), and the
:class:`~survey.domain.change.Comparison` of since last review. Each sentence keeps the
figures it quotes (:attr:`Sentence.figures`), so a test can hold them against the tables.

Five sentences, in this order (:data:`KEYS`):

- ``stands``: the agreed level and each side's own view, and what the next level needs;
- ``blind_spot``: the widest blind spot (the vendor thinks better of itself than the
  client does) among the dimensions about the vendor;
- ``values``: the dimension the client rates as mattering most, and its score there;
- ``nps``: the client's net promoter score beside the vendor's prediction;
- ``changed``: what changed since the last review (the agreed level, then the client's
  biggest drop on a dimension, or its biggest rise when nothing fell, then the NPS), or
  that this is the first review.

Worked example (the demo): "The biggest blind spot is Business relevance: Acme Analytics
scores it 87.5, Globex 54.2, 33.3 points apart."
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from survey.domain.change import Comparison
from survey.domain.model import Party, Questionnaire
from survey.domain.scoring import ReviewResult

KEYS = ("stands", "blind_spot", "values", "nps", "changed")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the headline and the figures it quotes, by what they are."""

    key: str
    text: str
    figures: dict[str, Any] = field(default_factory=dict)


def _f(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


def _title(questionnaire: Questionnaire, level_id: str) -> str:
    return next(level.title for level in questionnaire.levels if level.id == level_id)


def _stands(q: Questionnaire, result: ReviewResult, names: Mapping[Party, str]) -> Sentence:
    levels = result.levels
    agreed = _title(q, levels.agreed)
    overall = result.overall.to_dict()
    text = (
        f"The relationship stands at {agreed}, level {_rank(q, levels.agreed)} of"
        f" {len(q.levels)}: {names['vendor']} places it at {_title(q, levels.vendor)}"
        f" (overall {_f(overall['vendor'])}), {names['client']} at"
        f" {_title(q, levels.client)} (overall {_f(overall['client'])})."
    )
    figures: dict[str, Any] = {"agreed": agreed, **overall}
    if levels.next is not None and levels.next.missing:
        first = levels.next.missing[0].to_dict()
        titles = {dimension.id: dimension.title for dimension in q.dimensions}
        what = titles.get(first["dimension"], "Overall")
        text += (
            f" To reach {levels.next.title}, {what} needs {first['needed']} from"
            f" {names[first['party']]}, which scores {_f(first['score'])}."
        )
        figures |= {"next_dimension": first["dimension"], "next_score": first["score"]}
    return Sentence("stands", text, figures)


def _rank(questionnaire: Questionnaire, level_id: str) -> int:
    return [level.id for level in questionnaire.levels].index(level_id) + 1


def _blind_spot(result: ReviewResult, names: Mapping[Party, str], threshold: float) -> Sentence:
    blind = [d for d in result.dimensions if d.rates == "vendor" and d.status == "blind_spot"]
    if not blind:
        return Sentence(
            "blind_spot",
            f"There is no blind spot: on no dimension does {names['vendor']} think better of"
            f" itself than {names['client']} does by {threshold:g} points or more.",
        )
    widest = max(blind, key=lambda d: abs(d.gap or 0.0)).to_dict()
    title = result.dimension(widest["id"]).title
    return Sentence(
        "blind_spot",
        f"The biggest blind spot is {title}: {names['vendor']} scores it"
        f" {_f(widest['vendor'])}, {names['client']} {_f(widest['client'])},"
        f" {_f(widest['gap'])} points apart.",
        {"dimension": widest["id"], "vendor": widest["vendor"], "client": widest["client"]},
    )


def _values(result: ReviewResult, names: Mapping[Party, str]) -> Sentence:
    rated = [
        d for d in result.dimensions if d.rates == "vendor" and d.importance.client is not None
    ]
    if not rated:
        return Sentence("values", f"{names['client']} rated no dimension's importance.")
    top = max(rated, key=lambda d: d.importance.client or 0.0).to_dict()
    title = result.dimension(top["id"]).title
    importance = top["importance"]["client"]
    return Sentence(
        "values",
        f"What {names['client']} values most is {title} (importance {_f(importance)} of"
        f" 100), where it scores {names['vendor']} {_f(top['client'])}.",
        {"dimension": top["id"], "importance": importance, "client": top["client"]},
    )


def _nps(result: ReviewResult, names: Mapping[Party, str]) -> Sentence | None:
    if not result.nps:
        return None
    nps = result.nps[0].to_dict()
    prediction = (
        f"{names['vendor']} predicted {_f(nps['vendor'])}"
        if nps["vendor"] is not None
        else f"{names['vendor']} made no prediction"
    )
    return Sentence(
        "nps",
        f"{names['client']}'s net promoter score is {_f(nps['client'])} (from −100 to 100);"
        f" {prediction}.",
        {"client": nps["client"], "vendor": nps["vendor"]},
    )


def _moved(before: str, after: str, steps: int) -> str:
    if steps > 0:
        return f"rose from {before} to {after}"
    return f"fell from {before} to {after}" if steps < 0 else f"stayed at {after}"


def _changed(
    comparison: Comparison | None, since_words: str | None, names: Mapping[Party, str]
) -> Sentence:
    if comparison is None:
        return Sentence(
            "changed",
            f"This is the first review of {names['client']} with this questionnaire: the"
            " next one will show what changed.",
        )
    agreed = comparison.level("agreed")
    moved = _moved(agreed.before_title, agreed.after_title, agreed.steps)
    text = f"Since {since_words}, the agreed level {moved}"
    figures: dict[str, Any] = {"level_steps": agreed.steps}
    moves = [d for d in comparison.dimensions if d.scores.client.direction in ("up", "down")]
    falls = [d for d in moves if d.scores.client.direction == "down"]
    if moves:
        # a fall is what needs attention, so the biggest fall comes before any rise
        widest = max(falls or moves, key=lambda d: abs(d.scores.client.change or 0.0))
        delta = widest.scores.client.to_dict()
        biggest = "drop" if falls else "rise"
        text += (
            f"; {names['client']}'s biggest {biggest} is {widest.title},"
            f" {widest.scores.client.words} ({_f(delta['before'])} → {_f(delta['after'])})"
        )
        figures |= {"dimension": widest.id, "before": delta["before"], "after": delta["after"]}
    if comparison.nps and comparison.nps[0].scores.client.change is not None:
        text += f"; the net promoter score is {comparison.nps[0].scores.client.words}"
    return Sentence("changed", text + ".", figures)


def headline(
    questionnaire: Questionnaire,
    result: ReviewResult,
    names: Mapping[Party, str],
    comparison: Comparison | None = None,
    since_words: str | None = None,
) -> tuple[Sentence, ...]:
    """The headline's sentences (see the module), from the result and since last review.

    `since_words` names the previous review ("the review of 3 June 2026").
    """
    sentences = [
        _stands(questionnaire, result, names),
        _blind_spot(result, names, questionnaire.gap_threshold),
        _values(result, names),
        _nps(result, names),
        _changed(comparison, since_words, names),
    ]
    return tuple(s for s in sentences if s is not None)
