"""Seed 003's warnings over time: the relevance drop and the next S-curve.

Pure (no Flask, no database). A questionnaire turns them on with its `warnings` key
(see docs/questionnaire-format.md); without it there are none.

- **Relevance drop**: `party`'s score for `dimension` fell by `points` or more since the
  last review (before − now ≥ points, unrounded) while trust held or rose: the mean of
  the `trust` dimensions (weighted as the overall score is, `overall` counting 1) over
  those both reviews scored is now at least what it was. Example with points 10: relevance
  70 → 60 (a drop of exactly 10) while trust 65 → 66 fires; 70 → 60.1 does not.
- **Next curve**: the agreed level is `level` or higher (by position in the levels).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from survey.domain.change import Comparison, Delta
from survey.domain.model import NextCurve, Party, Questionnaire, RelevanceDrop
from survey.domain.scoring import ReviewResult

WarningCode = Literal["relevance_drop", "next_curve"]

#: Seed 003's advice, used where the questionnaire's warning gives no `advice` of its own.
ADVICE: dict[WarningCode, str] = {
    "relevance_drop": (
        "Trust and the relationship are strong, but without business relevance the"
        " partner's value can plummet, as carbon paper's did however good the relationship."
        " Expand or change what you offer: begin climbing another S-curve."
    ),
    "next_curve": (
        "Once the relationship reaches this level the curve does not flatten out: it can"
        " drop if what you offer loses its business relevance. Start developing the next"
        " S-curve, new or changed offerings, now rather than later."
    ),
}

TITLES: dict[WarningCode, str] = {
    "relevance_drop": "Business relevance is falling while trust holds",
    "next_curve": "Time to start the next S-curve",
}


@dataclass(frozen=True)
class ReviewWarning:
    """One warning: a stable `code`, a title, what was seen (with numbers) and the advice."""

    code: WarningCode
    title: str
    message: str
    advice: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "message": self.message,
            "advice": self.advice,
        }


def _f(value: float) -> str:
    return f"{round(value, 1) + 0.0:.1f}"


def _trust(questionnaire: Questionnaire, rule: RelevanceDrop, comparison: Comparison) -> Delta:
    """Trust then and now: the weighted mean of the `trust` scores both reviews have."""
    pairs: list[tuple[Delta, float]] = []
    for name in rule.trust:
        if name == "overall":
            if comparison.overall is not None:
                pairs.append((comparison.overall.of(rule.party), 1.0))
            continue
        try:
            delta = comparison.dimension(name).scores.of(rule.party)
        except KeyError:
            continue
        pairs.append((delta, questionnaire.dimension(name).weight))
    pairs = [(d, w) for d, w in pairs if d.before is not None and d.after is not None]
    if not pairs:
        return Delta(None, None)
    total = sum(w for _, w in pairs)
    before = sum(d.before * w for d, w in pairs if d.before is not None) / total
    after = sum(d.after * w for d, w in pairs if d.after is not None) / total
    return Delta(before, after)


def _trust_names(questionnaire: Questionnaire, names: Sequence[str]) -> str:
    titles = [
        "overall" if name == "overall" else questionnaire.dimension(name).title for name in names
    ]
    return ", ".join(titles)


def relevance_drop(
    questionnaire: Questionnaire,
    comparison: Comparison | None,
    names: Mapping[Party, str] | None = None,
) -> ReviewWarning | None:
    """The relevance-drop warning, or None (no rule, no comparison, or it does not hold).

    `names` are the organisations' names for the message (the party labels when None).
    """
    rule = questionnaire.warnings.relevance_drop
    if rule is None or comparison is None:
        return None
    try:
        relevance = comparison.dimension(rule.dimension).scores.of(rule.party)
    except KeyError:
        return None
    trust = _trust(questionnaire, rule, comparison)
    if relevance.change is None or trust.change is None:
        return None
    if -relevance.change < rule.points or trust.change < 0:
        return None
    party = (names or {}).get(rule.party) or questionnaire.parties.label(rule.party)
    title = questionnaire.dimension(rule.dimension).title
    held = "rose" if trust.change > 0 else "held"
    message = (
        f"{party}'s score for {title} fell {_f(-relevance.change)} points since the last"
        f" review, from {_f(relevance.before or 0)} to {_f(relevance.after or 0)}, while trust"
        f" ({_trust_names(questionnaire, rule.trust)}) {held}: {_f(trust.before or 0)} then,"
        f" {_f(trust.after or 0)} now."
    )
    return ReviewWarning("relevance_drop", TITLES["relevance_drop"], message, _advice(rule))


def _advice(rule: RelevanceDrop | NextCurve) -> str:
    code: WarningCode = "relevance_drop" if isinstance(rule, RelevanceDrop) else "next_curve"
    return rule.advice or ADVICE[code]


def next_curve(questionnaire: Questionnaire, current: ReviewResult) -> ReviewWarning | None:
    """The next-curve prompt once the agreed level is the rule's level or higher, else None."""
    rule = questionnaire.warnings.next_curve
    if rule is None:
        return None
    order = [level.id for level in questionnaire.levels]
    if order.index(current.levels.agreed) < order.index(rule.level):
        return None
    agreed = questionnaire.levels[order.index(current.levels.agreed)].title
    message = (
        f"Both sides now agree on {agreed}, level {order.index(current.levels.agreed) + 1}"
        f" of {len(order)} on the curve."
    )
    return ReviewWarning("next_curve", TITLES["next_curve"], message, _advice(rule))


def review_warnings(
    questionnaire: Questionnaire,
    current: ReviewResult,
    comparison: Comparison | None,
    names: Mapping[Party, str] | None = None,
) -> tuple[ReviewWarning, ...]:
    """Every warning that holds for a review, relevance drop first.

    `comparison` is :func:`survey.domain.change.compare` against the previous review of the
    same client (None when there is none): without it there is no relevance drop.
    """
    found = (
        relevance_drop(questionnaire, comparison, names),
        next_curve(questionnaire, current),
    )
    return tuple(warning for warning in found if warning is not None)
