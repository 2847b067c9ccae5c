"""Seed 003's warnings (issue 13, point 3): the questionnaire key and the thresholds.

The relevance drop fires when the client's relevance falls by the file's `points` or more
while trust holds or rises; tested at threshold − 1, threshold and threshold + 1, for the
default 10 and for a file that says 15. The next-curve prompt fires from its level on.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_questionnaire_validation import fix, problems
from test_since_last_review import answers, curve_questionnaire, scored

from survey.domain.change import compare
from survey.domain.loader import load_file
from survey.domain.model import Questionnaire
from survey.domain.warnings import (
    ADVICE,
    ReviewWarning,
    next_curve,
    relevance_drop,
    review_warnings,
)

ROOT = Path(__file__).parent.parent


def with_warnings(points: int | None = None, advice: str = "") -> Questionnaire:
    points_line = f"    points: {points}\n" if points is not None else ""
    advice_line = f"    advice: {advice}\n" if advice else ""
    return curve_questionnaire(
        warnings="warnings:\n  relevance_drop:\n    dimension: relevance\n"
        f"{points_line}    trust: [trust]\n{advice_line}"
        "  next_curve: {level: consultant}\n"
    )


def drop(
    questionnaire: Questionnaire, relevance: tuple[int, int], trust: tuple[int, int]
) -> ReviewWarning | None:
    """The relevance-drop warning between a review and the next, the client's scores given."""
    before = scored(questionnaire, [answers(4, 50, 50, 8)], [answers(4, relevance[0], trust[0], 9)])
    after = scored(questionnaire, [answers(4, 50, 50, 8)], [answers(4, relevance[1], trust[1], 9)])
    return relevance_drop(questionnaire, compare(questionnaire, before, questionnaire, after))


@pytest.mark.parametrize(
    ("now", "fires"), [(61, False), (60, True), (59, True)], ids=["drop-9", "drop-10", "drop-11"]
)
def test_relevance_drop_fires_from_the_default_10_points(now: int, fires: bool) -> None:
    warning = drop(with_warnings(), relevance=(70, now), trust=(65, 65))
    assert (warning is not None) is fires


@pytest.mark.parametrize(
    ("now", "fires"), [(56, False), (55, True), (54, True)], ids=["drop-14", "drop-15", "drop-16"]
)
def test_relevance_drop_threshold_comes_from_the_file(now: int, fires: bool) -> None:
    warning = drop(with_warnings(points=15), relevance=(70, now), trust=(65, 66))
    assert (warning is not None) is fires


@pytest.mark.parametrize(
    ("trust_now", "fires"), [(64, False), (65, True), (66, True)], ids=["falls", "holds", "rises"]
)
def test_relevance_drop_needs_trust_to_hold_or_rise(trust_now: int, fires: bool) -> None:
    warning = drop(with_warnings(), relevance=(70, 50), trust=(65, trust_now))
    assert (warning is not None) is fires


def test_relevance_drop_says_what_fell_and_gives_the_seeds_advice() -> None:
    warning = drop(with_warnings(), relevance=(70, 59), trust=(65, 66))
    assert warning is not None
    assert warning.code == "relevance_drop"
    assert warning.message == (
        "Client's score for Relevance fell 11.0 points since the last review, from 70.0 to"
        " 59.0, while trust (Trust) rose: 65.0 then, 66.0 now."
    )
    assert warning.advice == ADVICE["relevance_drop"]
    assert "S-curve" in warning.advice and "carbon paper" in warning.advice
    own = drop(with_warnings(advice="Talk to the board"), relevance=(70, 59), trust=(65, 66))
    assert own is not None and own.advice == "Talk to the board"


def test_no_relevance_drop_without_a_previous_review_or_the_key() -> None:
    questionnaire = with_warnings()
    result = scored(questionnaire, [answers(4, 50, 50, 8)], [answers(4, 50, 50, 9)])
    assert relevance_drop(questionnaire, None) is None
    plain = curve_questionnaire()
    before = scored(plain, [answers(4, 50, 50, 8)], [answers(4, 90, 50, 9)])
    assert relevance_drop(plain, compare(plain, before, plain, result)) is None


@pytest.mark.parametrize(
    ("relevance", "trust", "agreed"),
    [(59, 60, "confidant"), (60, 60, "consultant"), (80, 95, "partner")],
    ids=["below", "at", "above"],
)
def test_next_curve_prompt_fires_from_the_third_level_on(
    relevance: int, trust: int, agreed: str
) -> None:
    questionnaire = with_warnings()
    result = scored(
        questionnaire,
        [answers(5, 100, 100, 8)],
        [answers(5 if agreed == "partner" else 3, relevance, trust, 9)],
    )
    assert result.levels.agreed == agreed
    warning = next_curve(questionnaire, result)
    assert (warning is not None) is (agreed != "confidant")
    if warning is not None:
        assert warning.advice == ADVICE["next_curve"]
        assert [w.code for w in review_warnings(questionnaire, result, None)] == ["next_curve"]


def test_the_flagship_turns_both_warnings_on() -> None:
    flagship = load_file(ROOT / "questionnaires" / "vendor-value-review.yaml").questionnaire
    rule = flagship.warnings.relevance_drop
    assert rule is not None and (rule.dimension, rule.points, rule.party) == (
        "relevance",
        10,
        "client",
    )
    assert flagship.warnings.next_curve is not None
    assert flagship.warnings.next_curve.level == flagship.levels[2].id == "consultant"


# --- the key in a file: validated with file, line and column ----------------------------


def with_block(block: str) -> str:
    return fix("sections:\n", block + "sections:\n")


def test_warnings_key_is_optional_and_loads() -> None:
    assert problems(with_block("warnings:\n  next_curve: {level: partner}\n")) == []


def test_warnings_name_existing_dimensions_and_levels() -> None:
    text = with_block(
        "warnings:\n  relevance_drop: {dimension: lisening, trust: [trst, overall]}\n"
        "  next_curve: {level: partnr}\n"
    )
    assert problems(text) == [
        "q.yaml:18:31: warning 'relevance_drop': unknown dimension 'lisening'"
        " (did you mean 'listening'?)",
        "q.yaml:18:49: warning 'relevance_drop': unknown dimension 'trst' in 'trust'"
        " (did you mean 'trust'?)",
        "q.yaml:19:23: warning 'next_curve': unknown level 'partnr' (did you mean 'partner'?)",
    ]


def test_warnings_shapes_are_checked_where_they_are_written() -> None:
    assert problems(
        with_block(
            "warnings:\n  relevance_drop: {dimension: listening, trust: [trust], points: 0}\n"
        )
    ) == ["q.yaml:18:66: warning 'relevance_drop': 'points' must be more than 0"]
    assert problems(
        with_block(
            "warnings:\n  relevance_drop: {dimension: listening, trust: [trust], pionts: 3}\n"
            "  next_curv: {level: partner}\n"
        )
    ) == [
        "q.yaml:18:58: unknown key 'pionts' in warning 'relevance_drop' (did you mean 'points'?)",
        "q.yaml:19:3: unknown key 'next_curv' in warnings (did you mean 'next_curve'?)",
    ]
    assert problems(with_block("warnings:\n  relevance_drop: {trust: [trust]}\n")) == [
        "q.yaml:18:19: warning 'relevance_drop' needs 'dimension'"
    ]
