"""Hand-computed cases for every scoring rule of the questionnaire format.

The questionnaire is tests/data/scoring/small.yaml. Useful facts for the arithmetic:
scale `agreement` has 5 choices, raw 1..5 normalise to 0, 25, 50, 75, 100; scale
`likelihood` is the range 0..10, raw v normalises to 10·v. Dimension `listening` holds
knows-priorities (weight 1) and hears-us (weight 3), plus the importance question
listening-matters; `communicating` (dimension weight 3) holds keeps-informed and the
client-only knows-strategy; `collaborating` holds firefighting (reversed), last-contacts
(multiple, scored 100/80/20/0) and meeting-mix (single, scored 100/50/25).
Levels: confidant needs listening 50; consultant communicating 60 and listening 70;
partner overall 80.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from survey.commands.score import score_command
from survey.domain.answers import (
    MAX_BYTES,
    MAX_JSON_BYTES,
    AnswersError,
    answers_json,
    from_answers_document,
    load_answers,
    parse_answers,
    to_answers_document,
)
from survey.domain.kinds import KINDS, AnswerError, kind_of
from survey.domain.loader import load_file
from survey.domain.model import Party, Questionnaire, ShowIf
from survey.domain.report import render_json, render_text
from survey.domain.scoring import (
    Respondent,
    ReviewAnswers,
    ReviewResult,
    score,
    shown_questions,
    visible_answers,
)

DATA = Path(__file__).parent / "data" / "scoring"
BASE: dict[str, Any] = yaml.safe_load((DATA / "small.yaml").read_text(encoding="utf-8"))


def make_questionnaire(**changes: Any) -> Questionnaire:
    """small.yaml with some top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(changes)
    return Questionnaire.model_validate(data)


QN = make_questionnaire()


def review(
    vendor: list[dict[str, Any]] | None = None, client: list[dict[str, Any]] | None = None
) -> ReviewAnswers:
    """Canonical answers per respondent (scale: raw int, choice: label(s), text: str)."""
    return ReviewAnswers(
        vendor_org="Acme",
        client_org="Globex",
        vendor=[Respondent("vendor", answers) for answers in vendor or []],
        client=[Respondent("client", answers) for answers in client or []],
    )


def run(
    vendor: list[dict[str, Any]] | None = None,
    client: list[dict[str, Any]] | None = None,
    questionnaire: Questionnaire = QN,
) -> ReviewResult:
    return score(questionnaire, review(vendor, client))


def question_result(result: ReviewResult, question_id: str) -> Any:
    return next(q for q in result.questions if q.id == question_id)


def full_review() -> ReviewAnswers:
    return load_answers(str(DATA / "answers.yaml"), QN)


# --- kinds: coercion ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(4, 4), ("4", 4), ("Agree", 4), (" Agree ", 4), (4.0, 4), (None, None), ("Don't know", None)],
)
def test_scale_answer_is_its_value_its_text_or_its_label(raw: Any, expected: int | None) -> None:
    question = QN.question("knows-priorities")
    assert kind_of(question).coerce(QN, question, raw) == expected


@pytest.mark.parametrize(
    ("question_id", "raw", "message"),
    [
        (
            "knows-priorities",
            "Agre",
            "'Agre' is not a choice of scale 'agreement' (did you mean 'Agree'?)",
        ),
        ("knows-priorities", 6, "6 is outside scale 'agreement' (1 to 5)"),
        ("knows-priorities", "0", "0 is outside scale 'agreement' (1 to 5)"),
        ("knows-priorities", True, "True is not a point of scale 'agreement'"),
        ("knows-priorities", 3.5, "3.5 is not a point of scale 'agreement'"),
        ("hears-us", "11", "11 is outside scale 'likelihood' (0 to 10)"),
        (
            "hears-us",
            "lots",
            "'lots' is not a point of scale 'likelihood' (a whole number from 0 to 10)",
        ),
    ],
)
def test_scale_answer_that_does_not_fit_says_why(question_id: str, raw: Any, message: str) -> None:
    question = QN.question(question_id)
    with pytest.raises(AnswerError) as caught:
        kind_of(question).coerce(QN, question, raw)
    assert str(caught.value) == message


def test_choice_answers_are_labels_and_lists_for_multiple() -> None:
    single, multiple = QN.question("meeting-mix"), QN.question("last-contacts")
    choice = KINDS["choice"]
    assert choice.coerce(QN, single, "Mixed") == "Mixed"
    assert choice.coerce(QN, single, None) is None
    assert choice.coerce(QN, multiple, "Firefighting") == ["Firefighting"]
    assert choice.coerce(QN, multiple, ["Firefighting", "Adding value", "Firefighting"]) == [
        "Firefighting",
        "Adding value",
    ]
    assert choice.coerce(QN, multiple, []) is None


def test_choice_answer_that_does_not_fit_says_why() -> None:
    single, multiple = QN.question("meeting-mix"), QN.question("last-contacts")
    choice = KINDS["choice"]
    with pytest.raises(
        AnswerError, match=r"'Mixd' is not one of its choices \(did you mean 'Mixed'\?\)"
    ):
        choice.coerce(QN, single, "Mixd")
    with pytest.raises(AnswerError, match="takes one choice, not a list"):
        choice.coerce(QN, single, ["Mixed"])
    with pytest.raises(AnswerError, match="'Nope' is not one of its choices"):
        choice.coerce(QN, multiple, ["Firefighting", "Nope"])


def test_text_answer_is_stripped_empty_is_none_too_long_names_max_length() -> None:
    question = QN.question("more-valued")
    text = KINDS["text"]
    assert text.coerce(QN, question, "  Visit more often \n") == "Visit more often"
    assert text.coerce(QN, question, "   ") is None
    assert text.coerce(QN, question, 42) == "42"
    with pytest.raises(AnswerError, match="over its max_length of 2000"):
        text.coerce(QN, question, "x" * 2001)
    assert text.coerce(QN, question, "x" * 2000) == "x" * 2000
    with pytest.raises(AnswerError, match="expects text"):
        text.coerce(QN, question, True)


# --- kinds: normalisation (rule 1) -------------------------------------------------------


@pytest.mark.parametrize(
    ("question_id", "answer", "expected"),
    [
        ("knows-priorities", 1, 0.0),  # 100·(1−1)/(5−1)
        ("knows-priorities", 4, 75.0),  # 100·(4−1)/(5−1)
        ("knows-priorities", 5, 100.0),
        ("hears-us", 0, 0.0),  # 100·(0−0)/(10−0)
        ("hears-us", 7, 70.0),
        ("hears-us", 10, 100.0),
        ("firefighting", 2, 75.0),  # reversed: 100 − 25
        ("firefighting", 5, 0.0),  # reversed: 100 − 100
        ("meeting-mix", "Mostly remote", 25.0),  # scored single choice: its score
        ("last-contacts", ["Firefighting"], 20.0),
        ("last-contacts", ["Firefighting", "An escalation"], 10.0),  # mean of 20 and 0
        ("last-contacts", ["Building the relationship", "Adding value"], 90.0),  # (100+80)/2
        ("mood", "Good", None),  # unscored choice
        ("more-valued", "text", None),
        ("knows-priorities", None, None),
        ("last-contacts", None, None),
    ],
)
def test_answers_normalise_onto_0_to_100(
    question_id: str, answer: Any, expected: float | None
) -> None:
    question = QN.question(question_id)
    assert kind_of(question).normalise(QN, question, answer) == expected


def _test(**kwargs: Any) -> ShowIf:
    return ShowIf.model_validate({"question": "x", **kwargs})


@pytest.mark.parametrize(
    ("question_id", "answer", "test", "expected"),
    [
        ("knows-priorities", 4, {"equals": 4}, True),
        ("knows-priorities", 4, {"equals": "Agree"}, True),  # a label stands for its value
        ("knows-priorities", 3, {"equals": 4}, False),
        ("knows-priorities", 3, {"in": [1, 2, 3]}, True),
        ("knows-priorities", 2, {"at_most": 2}, True),
        ("knows-priorities", 3, {"at_most": 2}, False),
        ("knows-priorities", 3, {"at_least": 3}, True),
        ("knows-priorities", None, {"at_most": 5}, False),  # unanswered never matches
        ("firefighting", 5, {"at_least": 5}, True),  # raw values, reverse does not apply
        ("meeting-mix", "Mixed", {"equals": "Mixed"}, True),
        ("meeting-mix", "Mixed", {"in": ["Mostly remote"]}, False),
        ("last-contacts", ["Adding value", "Firefighting"], {"equals": "Firefighting"}, True),
        ("last-contacts", ["Adding value"], {"equals": "Firefighting"}, False),
        (
            "last-contacts",
            ["Adding value", "An escalation"],
            {"in": ["Firefighting", "An escalation"]},
            True,
        ),
        ("last-contacts", ["Adding value"], {"in": ["Firefighting", "An escalation"]}, False),
        ("mood", "Good", {"at_least": 1}, False),
    ],
)
def test_matches_follows_show_if_semantics(
    question_id: str, answer: Any, test: dict[str, Any], expected: bool
) -> None:
    question = QN.question(question_id)
    assert kind_of(question).matches(QN, question, answer, _test(**test)) is expected


def test_summaries_show_labels() -> None:
    def summary(question_id: str, answer: Any) -> str:
        question = QN.question(question_id)
        return kind_of(question).summarise(QN, question, answer)

    assert summary("knows-priorities", 4) == "Agree"
    assert summary("hears-us", 10) == "10 – Extremely likely"
    assert summary("hears-us", 6) == "6"
    assert (
        summary("last-contacts", ["Firefighting", "Adding value"]) == "Firefighting, Adding value"
    )
    assert summary("more-valued", None) == "No answer"


# --- show_if and stale answers -----------------------------------------------------------


def test_hidden_question_answer_is_discarded_and_unanswered_hides() -> None:
    stale = {"last-contacts": ["Adding value"], "firefight-cause": "old reason"}
    assert "firefight-cause" not in visible_answers(QN, "vendor", stale)
    assert QN.question("firefight-cause") not in shown_questions(QN, "vendor", stale)
    live = {"last-contacts": ["Adding value", "An escalation"], "firefight-cause": "a bug"}
    assert visible_answers(QN, "vendor", live)["firefight-cause"] == "a bug"
    assert QN.question("firefight-cause") in shown_questions(QN, "vendor", live)
    assert QN.question("firefight-cause") not in shown_questions(QN, "vendor", {})


def test_answers_to_questions_not_asked_of_the_party_are_dropped() -> None:
    answers = {"knows-strategy": 2, "keeps-informed": 4, "mood": None}
    assert visible_answers(QN, "vendor", answers) == {"keeps-informed": 4}
    assert visible_answers(QN, "client", answers) == {"knows-strategy": 2, "keeps-informed": 4}
    assert QN.question("knows-strategy") not in shown_questions(QN, "vendor", answers)


def test_show_if_is_judged_on_answers_already_visible() -> None:
    # c shows when b ≥ 3, b shows when a is "yes". With a = "no", b's answer is stale,
    # so c must hide too even though the stale b (4) would pass its test.
    chain = make_questionnaire(
        sections=[
            {
                "id": "s",
                "title": "S",
                "questions": [
                    {"id": "a", "kind": "choice", "choices": ["yes", "no"], "ask": "A?"},
                    {
                        "id": "b",
                        "scale": "agreement",
                        "ask": "B?",
                        "show_if": {"question": "a", "equals": "yes"},
                    },
                    {
                        "id": "c",
                        "kind": "text",
                        "ask": "C?",
                        "show_if": {"question": "b", "at_least": 3},
                    },
                ],
            }
        ],
        levels=[{"id": "only", "title": "Only"}],
        actions=[],
    )
    answers = {"a": "no", "b": 4, "c": "stale"}
    assert visible_answers(chain, "client", answers) == {"a": "no"}
    assert [q.id for q in shown_questions(chain, "client", answers)] == ["a"]
    answers["a"] = "yes"
    assert visible_answers(chain, "client", answers) == answers
    assert [q.id for q in shown_questions(chain, "client", answers)] == ["a", "b", "c"]


def test_hidden_answers_do_not_count_in_scores() -> None:
    # strategy-detail proposes only when knows-strategy ≤ 2: raw 3 hides it.
    result = run(client=[{"knows-strategy": 3, "strategy-detail": "stale"}])
    assert result.proposals == ()
    result = run(client=[{"knows-strategy": 2, "strategy-detail": "live"}])
    assert [p.text for p in result.proposals] == ["live"]


# --- question, dimension and overall scores (rules 2 and 3) ------------------------------


def test_question_score_is_mean_over_respondents_who_answered() -> None:
    # raw 4 → 75 and raw 2 → 25: mean 50; the "Don't know" (None) and silent ones do not count.
    result = run(
        client=[{"knows-priorities": 4}, {"knows-priorities": 2}, {"knows-priorities": None}, {}]
    )
    assert question_result(result, "knows-priorities").client == 50.0
    assert question_result(result, "knows-priorities").vendor is None


def test_dimension_is_weighted_mean_of_its_question_scores() -> None:
    # listening = (100·1 + 50·3) / (1 + 3) = 62.5
    result = run(vendor=[{"knows-priorities": 5, "hears-us": 5}])
    assert result.dimension("listening").vendor == 62.5


def test_question_without_score_is_left_out_of_its_dimension() -> None:
    # only hears-us (70) is answered: listening = 70, not (0·1 + 70·3)/4
    result = run(vendor=[{"hears-us": 7}])
    assert result.dimension("listening").vendor == 70.0


def test_scored_choices_count_in_their_dimension_and_reverse_applies() -> None:
    # collaborating = mean(firefighting reversed 100 − 0 = 100, last-contacts (20+0)/2 = 10,
    # meeting-mix 50) = 160 / 3
    result = run(
        vendor=[
            {
                "firefighting": 1,
                "last-contacts": ["Firefighting", "An escalation"],
                "meeting-mix": "Mixed",
            }
        ]
    )
    assert result.dimension("collaborating").vendor == pytest.approx(160 / 3)


def test_dimension_and_overall_are_null_without_scores() -> None:
    result = run(vendor=[{"mood": "Good", "more-valued": "x"}])
    assert result.dimension("listening").vendor is None
    assert result.overall.vendor is None
    assert result.overall.client is None


def test_overall_is_dimension_weighted_mean_of_non_null_dimensions() -> None:
    # listening 100 (weight 1), communicating 0 (weight 3), collaborating null:
    # (100·1 + 0·3) / 4 = 25
    result = run(vendor=[{"knows-priorities": 5, "keeps-informed": 1}])
    assert result.overall.vendor == 25.0


def test_importance_questions_make_importance_not_performance() -> None:
    # listening-matters raw 4 → 75 (client) and raw 2 → 25 (vendor); no performance answers
    result = run(vendor=[{"listening-matters": 2}], client=[{"listening-matters": 4}])
    listening = result.dimension("listening")
    assert (listening.importance.vendor, listening.importance.client) == (25.0, 75.0)
    assert (listening.vendor, listening.client) == (None, None)
    # importance questions are listed in `questions` too, with their gap (25 − 75)
    assert question_result(result, "listening-matters").gap == -50.0
    assert question_result(result, "listening-matters").status == "hidden_strength"


def test_questions_list_scale_and_scored_choice_questions_in_file_order() -> None:
    ids = [q.id for q in run().questions]
    assert ids == [
        "knows-priorities",
        "hears-us",
        "listening-matters",
        "keeps-informed",
        "firefighting",
        "last-contacts",
        "meeting-mix",
        "knows-strategy",
    ]


# --- gaps and statuses (rule 4) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("vendor_raw", "client_raw", "gap", "status"),
    [
        (7, 5, 20.0, "blind_spot"),  # 70 − 50 = 20: exactly the threshold
        (5, 7, -20.0, "hidden_strength"),  # 50 − 70 = −20
        (6, 5, 10.0, "aligned"),
        (4, 5, -10.0, "aligned"),
        (5, 5, 0.0, "aligned"),
        (10, 0, 100.0, "blind_spot"),
    ],
)
def test_gap_and_status_at_the_threshold(
    vendor_raw: int, client_raw: int, gap: float, status: str
) -> None:
    result = run(vendor=[{"hears-us": vendor_raw}], client=[{"hears-us": client_raw}])
    assert question_result(result, "hears-us").gap == gap
    assert question_result(result, "hears-us").status == status
    assert result.dimension("listening").gap == gap
    assert result.dimension("listening").status == status


def test_gap_threshold_comes_from_the_file() -> None:
    # 75 − 50 = 25: a blind spot at the default 20, aligned at 30
    answers = {"vendor": [{"knows-priorities": 4}], "client": [{"knows-priorities": 3}]}
    assert run(**answers).dimension("listening").status == "blind_spot"
    wide = make_questionnaire(gap_threshold=30)
    assert run(**answers, questionnaire=wide).dimension("listening").status == "aligned"


def test_gap_is_null_when_one_party_has_no_score() -> None:
    result = run(vendor=[{"hears-us": 7}])
    assert question_result(result, "hears-us").gap is None
    assert question_result(result, "hears-us").status is None
    assert result.dimension("listening").gap is None


# --- priority and quadrants (rule 5) -----------------------------------------------------


def test_priority_uses_client_importance() -> None:
    # importance 75 (raw 4), client score 40: 75 × (100 − 40) / 100 = 45
    result = run(client=[{"hears-us": 4, "listening-matters": 4}])
    assert result.dimension("listening").priority == 45.0


def test_priority_takes_importance_100_when_client_rated_none() -> None:
    # vendor importance does not count: 100 × (100 − 40) / 100 = 60
    result = run(vendor=[{"listening-matters": 1}], client=[{"hears-us": 4}])
    assert result.dimension("listening").priority == 60.0


def test_priority_is_null_without_client_score() -> None:
    result = run(vendor=[{"hears-us": 4}], client=[{"listening-matters": 5}])
    assert result.dimension("listening").priority is None


@pytest.mark.parametrize(
    ("matters_raw", "hears_raw", "quadrant"),
    [
        (3, 5, "keep_it_up"),  # importance 50, score 50: both at the cut
        (3, 4, "concentrate_here"),  # 50, 40
        (5, 0, "concentrate_here"),  # 100, 0
        (2, 4, "low_priority"),  # 25, 40
        (2, 5, "possible_overkill"),  # 25, 50
        (None, 5, None),  # importance not rated
        (3, None, None),  # score missing
    ],
)
def test_quadrant_from_client_importance_and_score(
    matters_raw: int | None, hears_raw: int | None, quadrant: str | None
) -> None:
    result = run(client=[{"listening-matters": matters_raw, "hears-us": hears_raw}])
    assert result.dimension("listening").quadrant == quadrant


# --- levels ------------------------------------------------------------------------------


def party_level(vendor: dict[str, Any]) -> str:
    return run(vendor=[vendor]).levels.vendor


def test_level_requirement_holds_at_exactly_the_minimum() -> None:
    assert party_level({"hears-us": 5}) == "confidant"  # listening 50 ≥ 50
    assert party_level({"hears-us": 4}) == "vendor"  # listening 40 < 50


def test_level_needs_every_requirement() -> None:
    # listening 70, communicating 75 (raw 4): consultant; with communicating 50: confidant
    assert party_level({"hears-us": 7, "keeps-informed": 4}) == "consultant"
    assert party_level({"hears-us": 7, "keeps-informed": 3}) == "confidant"


def test_level_needs_every_level_below_it() -> None:
    # listening 25, communicating 100 (×3), collaborating 100: overall (25 + 300 + 100)/5 = 85
    # meets partner's "overall 80", but confidant's "listening 50" fails: still a vendor.
    answers = {"knows-priorities": 2, "keeps-informed": 5, "firefighting": 1}
    assert run(vendor=[answers]).overall.vendor == 85.0
    assert party_level(answers) == "vendor"


def test_missing_score_fails_a_requirement() -> None:
    # communicating 100 and collaborating 100 make overall 100, but listening is missing
    assert party_level({"keeps-informed": 5, "firefighting": 1}) == "vendor"


def test_agreed_level_is_the_lower_and_next_lists_what_is_missing() -> None:
    # vendor: listening 60 (hears 6), communicating 25 (keeps-informed 2) → confidant
    # client: listening 50 (hears 5), communicating missing → confidant
    result = run(vendor=[{"hears-us": 6, "keeps-informed": 2}], client=[{"hears-us": 5}])
    levels = result.levels.to_dict()
    assert (levels["vendor"], levels["client"], levels["agreed"]) == ("confidant",) * 3
    # consultant requires {communicating: 60, listening: 70}: that order, vendor first
    assert levels["next"] == {
        "id": "consultant",
        "missing": [
            {"dimension": "communicating", "party": "vendor", "score": 25.0, "needed": 60},
            {"dimension": "communicating", "party": "client", "score": None, "needed": 60},
            {"dimension": "listening", "party": "vendor", "score": 60.0, "needed": 70},
            {"dimension": "listening", "party": "client", "score": 50.0, "needed": 70},
        ],
    }


def test_next_lists_only_unmet_requirements_of_the_level_above_agreed() -> None:
    # vendor consultant (listening 70, communicating 75); client vendor (listening 40)
    result = run(vendor=[{"hears-us": 7, "keeps-informed": 4}], client=[{"hears-us": 4}])
    assert (result.levels.vendor, result.levels.client, result.levels.agreed) == (
        "consultant",
        "vendor",
        "vendor",
    )
    assert result.levels.to_dict()["next"] == {
        "id": "confidant",
        "missing": [{"dimension": "listening", "party": "client", "score": 40.0, "needed": 50}],
    }


def test_next_is_null_at_the_top_level() -> None:
    # listening 100, communicating 100, overall 100 for both: partner
    top = {"knows-priorities": 5, "hears-us": 10, "keeps-informed": 5}
    result = run(vendor=[top], client=[top])
    assert result.levels.agreed == "partner"
    assert result.levels.next is None
    assert result.to_dict()["levels"]["next"] is None


# --- actions -----------------------------------------------------------------------------
# Judged on the full review of answers.yaml, whose numbers are worked out in
# test_full_review_matches_hand_computed_json: listening vendor 85, client 50 (gap 35,
# blind spot; client importance 75 → keep it up); communicating 75 / 50 (quadrant null);
# collaborating 82.5 / 37.5; agreed level confidant; client respondent 1 answered
# knows-strategy 2 (Disagree) and last-contacts [Firefighting]; vendor mood Good.


def because(condition: dict[str, Any], answers: ReviewAnswers | None = None) -> str | None:
    """The `because` of a one-action questionnaire, or None when the action is not suggested."""
    questionnaire = make_questionnaire(actions=[{"id": "a", "title": "A", "when": condition}])
    result = score(
        questionnaire, answers or load_answers(str(DATA / "answers.yaml"), questionnaire)
    )
    return result.actions[0].because if result.actions else None


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (
            {"dimension": "communicating", "below": 60},
            "Globex (2 respondents) scores Communicating 50.0, under 60",
        ),
        ({"dimension": "communicating", "below": 50}, None),  # 50 is not under 50
        (
            {"dimension": "communicating", "at_least": 50},
            "Globex (2 respondents) scores Communicating 50.0, at least 50",
        ),
        ({"dimension": "communicating", "at_least": 50.5}, None),
        (
            {"dimension": "collaborating", "below": 37.6},
            "Globex (2 respondents) scores Collaborating 37.5, under 37.6",
        ),
        (
            {"dimension": "listening", "at_least": 85, "party": "vendor"},
            "Acme Analytics (1 respondent) scores Listening 85.0, at least 85",
        ),
        ({"dimension": "listening", "below": 85, "party": "vendor"}, None),
        (
            {"dimension": "listening", "below": 60, "party": "either"},
            "Globex (2 respondents) scores Listening 50.0, under 60",
        ),
        ({"dimension": "listening", "below": 40, "party": "either"}, None),
        (
            {"dimension": "listening", "at_least": 50, "party": "both"},
            "Acme Analytics (1 respondent) scores Listening 85.0, at least 50 "
            "and Globex (2 respondents) scores Listening 50.0, at least 50",
        ),
        ({"dimension": "listening", "at_least": 60, "party": "both"}, None),
        (
            {"blind_spot": "listening"},
            "Acme Analytics (1 respondent) scores Listening 85.0 and Globex (2 respondents) 50.0,"
            " a gap of 35.0 (a blind spot: Acme Analytics rates itself higher than Globex does)",
        ),
        ({"hidden_strength": "listening"}, None),
        ({"aligned": "listening"}, None),
        (
            {"quadrant": "listening", "is": "keep_it_up"},
            "Globex (2 respondents) rates the importance of Listening 75.0 and scores it 50.0,"
            " against cuts of 50 and 50 (keep it up)",
        ),
        ({"quadrant": "listening", "is": "concentrate_here"}, None),
        ({"quadrant": "communicating", "is": "concentrate_here"}, None),  # no quadrant
        ({"level": "confidant"}, "the agreed level is Confidant"),
        ({"level": "consultant"}, None),
        ({"level_below": "consultant"}, "the agreed level, Confidant, is below Consultant"),
        ({"level_below": "confidant"}, None),
        (
            {"question": "knows-strategy", "at_most": 2},
            # 2 of the client's respondents answered it (raw 2 and 4); the label is quoted
            "1 of 2 Globex respondents answered Disagree or lower to 'knowing our strategy'",
        ),
        ({"question": "knows-strategy", "at_least": 5}, None),
        (
            {"question": "knows-strategy", "equals": "Agree"},
            "1 of 2 Globex respondents answered Agree to 'knowing our strategy'",
        ),
        (
            {"question": "last-contacts", "equals": "Firefighting"},
            # no label: the ask text is quoted
            "1 of 2 Globex respondents answered Firefighting to"
            " 'What were our last contacts mostly about?'",
        ),
        (
            {
                "question": "last-contacts",
                "party": "vendor",
                "in": ["Firefighting", "An escalation"],
            },
            None,
        ),
        (
            {"question": "mood", "party": "vendor", "in": ["Good", "Bad"]},
            "the one Acme Analytics respondent answered Good or Bad to 'One word?'",
        ),
        (
            {"all": [{"blind_spot": "listening"}, {"dimension": "communicating", "below": 60}]},
            "Acme Analytics (1 respondent) scores Listening 85.0 and Globex (2 respondents) 50.0,"
            " a gap of 35.0 (a blind spot: Acme Analytics rates itself higher than Globex does)"
            " and Globex (2 respondents) scores Communicating 50.0, under 60",
        ),
        ({"all": [{"blind_spot": "listening"}, {"dimension": "communicating", "below": 50}]}, None),
        (
            {
                "any": [
                    {"level": "partner"},
                    {"dimension": "communicating", "below": 60},
                    {"level": "confidant"},
                ]
            },
            "Globex (2 respondents) scores Communicating 50.0, under 60; the agreed level is"
            " Confidant",
        ),
        ({"any": [{"level": "partner"}, {"aligned": "listening"}]}, None),
        (
            {"not": {"dimension": "communicating", "at_least": 60}},
            "Globex (2 respondents) scores Communicating 50.0, under 60",
        ),
        ({"not": {"level": "confidant"}}, None),
        (
            {"not": {"any": [{"level": "partner"}, {"aligned": "listening"}]}},
            "the agreed level is not Partner and Acme Analytics (1 respondent) scores Listening"
            " 85.0 and Globex (2 respondents) 50.0, a gap of 35.0 (a blind spot: Acme Analytics"
            " rates itself higher than Globex does)",
        ),
    ],
)
def test_each_condition_holds_with_a_because_quoting_numbers(
    condition: dict[str, Any], expected: str | None
) -> None:
    assert because(condition) == expected


def test_condition_on_a_missing_score_does_not_hold() -> None:
    only_vendor = review(vendor=[{"hears-us": 3}])  # vendor listening 30, client none
    assert because({"dimension": "listening", "below": 60}, only_vendor) is None
    assert because({"dimension": "listening", "at_least": 0}, only_vendor) is None
    assert because({"blind_spot": "listening"}, only_vendor) is None
    assert because({"hidden_strength": "listening"}, only_vendor) is None
    assert because({"aligned": "listening"}, only_vendor) is None
    assert because({"dimension": "listening", "below": 60, "party": "both"}, only_vendor) is None
    # `either` holds when some party's score exists and meets it
    assert (
        because({"dimension": "listening", "below": 60, "party": "either"}, only_vendor)
        == "Acme (1 respondent) scores Listening 30.0, under 60"
    )
    assert (
        because({"not": {"dimension": "listening", "at_least": 0}}, only_vendor)
        == "Globex has no score for Listening"
    )
    assert (
        because({"not": {"aligned": "listening"}}, only_vendor)
        == "Listening cannot be compared: Globex has no score"
    )


def test_actions_are_ordered_by_priority_then_file_order_unprioritised_last() -> None:
    # priorities: listening 37.5, communicating 50, collaborating 62.5 (see above)
    actions = [
        {"id": "by-level", "title": "L", "when": {"level": "confidant"}},  # none
        {"id": "communicating-gap", "title": "C1", "when": {"blind_spot": "communicating"}},  # 50
        {
            "id": "communicating-low",
            "title": "C2",
            "when": {"dimension": "communicating", "below": 60},
        },  # 50
        {
            "id": "listening-and-collaborating",
            "title": "LC",
            "when": {
                "all": [{"blind_spot": "listening"}, {"dimension": "collaborating", "below": 60}]
            },
        },  # max(37.5, 62.5)
        {
            "id": "by-answer",
            "title": "Q",
            "when": {"question": "mood", "party": "vendor", "equals": "Good"},
        },
        {"id": "listening", "title": "L2", "when": {"blind_spot": "listening"}},  # 37.5
        {"id": "not-suggested", "title": "N", "when": {"level": "partner"}},
    ]
    questionnaire = make_questionnaire(actions=actions)
    result = score(questionnaire, load_answers(str(DATA / "answers.yaml"), questionnaire))
    assert [(a.id, a.priority) for a in result.actions] == [
        ("listening-and-collaborating", 62.5),
        ("communicating-gap", 50.0),
        ("communicating-low", 50.0),
        ("listening", 37.5),
        ("by-level", None),
        ("by-answer", None),
    ]


def test_action_priority_counts_dimensions_named_under_not() -> None:
    actions = [
        {"id": "first", "title": "F", "when": {"level": "confidant"}},
        {"id": "second", "title": "S", "when": {"not": {"aligned": "collaborating"}}},
    ]
    questionnaire = make_questionnaire(actions=actions)
    result = score(questionnaire, full_review())
    assert [(a.id, a.priority) for a in result.actions] == [("second", 62.5), ("first", None)]


# --- proposals ---------------------------------------------------------------------------


def test_proposals_vendor_first_then_each_respondent_in_order_unnamed_as_someone_at() -> None:
    result = run(
        vendor=[{"more-valued": "v1"}, {"more-valued": "v2"}],
        client=[
            {"more-valued": "c1", "knows-strategy": 1, "strategy-detail": "c1 detail"},
            {"more-valued": "c2"},
        ],
    )
    assert [(p.party, p.question, p.text, p.respondent) for p in result.proposals] == [
        ("vendor", "more-valued", "v1", "someone at Acme"),
        ("vendor", "more-valued", "v2", "someone at Acme"),
        ("client", "more-valued", "c1", "someone at Globex"),
        ("client", "strategy-detail", "c1 detail", "someone at Globex"),
        ("client", "more-valued", "c2", "someone at Globex"),
    ]


# --- the whole result --------------------------------------------------------------------


def test_full_review_matches_hand_computed_json() -> None:
    """answers.yaml worked out by hand (see expected.json).

    Vendor (Dana): knows-priorities 100, hears-us 80, listening-matters 50,
    keeps-informed 75, firefighting raw 2 reversed 75, last-contacts (100+80)/2 = 90;
    firefight-cause is hidden (no firefighting chosen), so it is discarded.
    Client 1: 25, 40, 100, 50, raw 4 reversed 25, [Firefighting] 20, knows-strategy 25.
    Client 2 (Eve): 75, 60, 50, Don't know, none, [Adding value] 80, knows-strategy 75.
    Client question means: 50, 50, 75, 50, 25, 50, knows-strategy 50.

    listening:     vendor (100 + 80·3)/4 = 85;   client (50 + 50·3)/4 = 50; gap 35
                   client importance 75: priority 75·50/100 = 37.5, keep_it_up
    communicating: vendor 75; client (50 + 50)/2 = 50; gap 25; priority 100·50/100 = 50
    collaborating: vendor (75 + 90)/2 = 82.5; client (25 + 50)/2 = 37.5; gap 45; priority 62.5
    overall:       vendor (85 + 75·3 + 82.5)/5 = 78.5; client (50 + 50·3 + 37.5)/5 = 47.5
    levels: vendor consultant (overall 78.5 < 80), client confidant (listening 50 ≥ 50,
    communicating 50 < 60); next consultant misses client communicating and listening.
    actions: schedule-reviews (priority 50), learn-strategy (37.5), celebrate (none).

    n and split (additive): the vendor has 1 respondent behind every number it has; both
    client respondents count towards every dimension. Own dimension scores of client 1 and
    Eve: listening (25 + 40·3)/4 = 36.25 and (75 + 60·3)/4 = 63.75 (27.5 apart, no split);
    communicating (50 + 25)/2 = 37.5 and 75 (no split); collaborating (25 + 20)/2 = 22.5 and
    80: 57.5 apart, a split. Questions split on the client side where the two answers are
    50 or more apart: knows-priorities 25/75, listening-matters 100/50, last-contacts 20/80,
    knows-strategy 25/75; keeps-informed and firefighting have one client answer (n 1).
    """
    result = score(QN, full_review())
    expected = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
    assert result.to_dict() == expected
    assert list(result.to_dict()) == [
        "questionnaire",
        "levels",
        "overall",
        "nps",
        "dimensions",
        "questions",
        "actions",
        "proposals",
        "respondents",  # additive: after the contract's keys
    ]
    assert list(result.to_dict()["dimensions"][0]) == [
        "id",
        "vendor",
        "client",
        "gap",
        "status",
        "importance",
        "priority",
        "quadrant",
        "n",  # additive: after the contract's keys
        "split",
    ]
    assert list(result.to_dict()["questions"][0]) == [
        "id",
        "vendor",
        "client",
        "gap",
        "status",
        "n",
        "split",
    ]
    assert json.loads(render_json(result)) == expected


def test_numbers_are_rounded_only_at_output() -> None:
    # client hears-us 3, 3, 4 → (30 + 30 + 40)/3 = 33.33…; vendor 53.33…: the gap is
    # exactly 20 unrounded → blind_spot, and output shows 33.3 / 53.3 / 20.0
    result = run(
        vendor=[{"hears-us": 5}, {"hears-us": 5}, {"hears-us": 6}],
        client=[{"hears-us": 3}, {"hears-us": 3}, {"hears-us": 4}],
    )
    listening = result.dimension("listening")
    assert listening.client == pytest.approx(100 / 3)
    assert listening.to_dict()["client"] == 33.3
    assert listening.to_dict()["vendor"] == 53.3
    assert listening.status == "blind_spot"


# --- answers files -----------------------------------------------------------------------


def answers_error(text: str) -> str:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text, "answers.yaml", QN)
    return str(caught.value)


def test_answers_misfit_names_file_party_respondent_and_question() -> None:
    text = "client:\n  org: Globex\n  respondents:\n    - answers: {knows-priorities: Agre}\n"
    assert answers_error(text) == (
        "answers.yaml: client respondent 1, question 'knows-priorities': "
        "'Agre' is not a choice of scale 'agreement' (did you mean 'Agree'?)"
    )


def test_answers_misfit_names_a_named_respondent() -> None:
    text = (
        "vendor:\n  org: Acme\n  respondents:\n    - answers: {}\n"
        "    - name: Dana\n      answers: {last-contacts: [Fire fighting]}\n"
    )
    assert answers_error(text) == (
        "answers.yaml: vendor respondent 2 (Dana), question 'last-contacts': "
        "'Fire fighting' is not one of its choices (did you mean 'Firefighting'?)"
    )


def test_answers_unknown_question_and_question_not_asked_are_errors() -> None:
    unknown = "client:\n  respondents:\n    - answers: {knows-priority: 3}\n"
    assert answers_error(unknown) == (
        "answers.yaml: client respondent 1: no question 'knows-priority' in the questionnaire "
        "(did you mean 'knows-priorities'?)"
    )
    not_asked = "vendor:\n  respondents:\n    - answers: {knows-strategy: 3}\n"
    assert answers_error(not_asked) == (
        "answers.yaml: vendor respondent 1, question 'knows-strategy': is not asked of the vendor"
    )


def test_answers_file_shape_errors() -> None:
    assert answers_error("vendr: {}\n") == (
        "answers.yaml: the top level: unknown key 'vendr' (did you mean 'vendor'?)"
    )
    assert answers_error("- 1\n") == "answers.yaml: expected a mapping with 'vendor' and 'client'"
    assert answers_error("client:\n  respondents: {a: 1}\n") == (
        "answers.yaml: client: 'respondents' must be a list"
    )
    assert answers_error("client:\n  respondents:\n    - anwsers: {}\n") == (
        "answers.yaml: client respondent 1: unknown key 'anwsers' (did you mean 'answers'?)"
    )
    assert answers_error("client: [\n").startswith("answers.yaml:2:1: ")
    assert answers_error("a: &x [1]\nb: *x\n") == (
        "answers.yaml:2:4: aliases (*name) are not allowed in an answers file"
    )


def test_answers_yes_and_no_stay_text() -> None:
    parsed = parse_answers("vendor:\n  respondents:\n    - answers: {more-valued: yes}\n", "a", QN)
    assert parsed.vendor[0].answers == {"more-valued": "yes"}


def test_answers_org_defaults_to_party_label_and_missing_party_has_no_respondents() -> None:
    parsed = parse_answers("client:\n  respondents:\n    - answers: {hears-us: 3}\n", "a.yaml", QN)
    assert (parsed.vendor_org, parsed.client_org) == ("Vendor", "Client")
    assert parsed.vendor == []
    assert parsed.client == [Respondent("client", {"hears-us": 3})]


def test_answers_document_round_trips() -> None:
    original = full_review()
    document = to_answers_document(original, QN)
    assert document["client"]["respondents"][1]["name"] == "Eve"
    assert "keeps-informed" not in document["client"]["respondents"][1]["answers"]  # Don't know
    again = from_answers_document(yaml.safe_load(yaml.safe_dump(document)), "again.yaml", QN)
    assert again == original


def test_load_answers_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match="nowhere.yaml: no such file"):
        load_answers(str(tmp_path / "nowhere.yaml"), QN)
    big = tmp_path / "big.yaml"
    big.write_text("#" * (1024 * 1024 + 1))
    with pytest.raises(AnswersError, match="over 1 MiB, the limit for a YAML answers file"):
        load_answers(str(big), QN)


FLAGSHIP_FILE = Path(__file__).parent.parent / "questionnaires" / "vendor-value-review.yaml"


def some_answers(questionnaire: Questionnaire, party: Party, seed: int) -> dict[str, Any]:
    """An answer to every question asked of `party`, varied by `seed`, in canonical form."""
    answers: dict[str, Any] = {}
    for _section, questions in questionnaire.sections_for(party):
        for position, question in enumerate(questions):
            if question.kind == "scale":
                scale = questionnaire.scale_of(question)
                answers[question.id] = scale.lo + (seed + position) % (scale.hi - scale.lo + 1)
            elif question.kind == "choice":
                labels = [choice.label for choice in question.choices or []]
                pick = labels[(seed + position) % len(labels)]
                answers[question.id] = [pick] if question.multiple else pick
            else:
                said = f"Respondent {seed} says: «{question.id}» matters ✓."
                answers[question.id] = said[: question.max_length or len(said)].strip()
    return answers


def test_the_export_of_a_2000_respondent_review_reads_back_and_scores(tmp_path: Path) -> None:
    flagship = load_file(FLAGSHIP_FILE).questionnaire
    people = {
        party: [
            Respondent(party, some_answers(flagship, party, seed), f"Person {seed}")
            for seed in range(1000)
        ]
        for party in ("vendor", "client")
    }
    review = ReviewAnswers("Acme", "Globex", people["vendor"], people["client"])
    export = tmp_path / "rapport-globex-export.json"
    export.write_text(answers_json(review, flagship), encoding="utf-8")
    assert export.stat().st_size > 2 * MAX_BYTES  # far past what a YAML file may be

    assert load_answers(str(export), flagship) == review
    renamed = tmp_path / "export.yaml"  # saved under another name, it is still JSON
    renamed.write_bytes(export.read_bytes())
    assert load_answers(str(renamed), flagship) == review

    done = CliRunner().invoke(
        score_command, [str(FLAGSHIP_FILE), str(export), "--format", "json"], catch_exceptions=False
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["respondents"] == {"vendor": 1000, "client": 1000}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"vendor": }', "a.json:1:12: Expecting value"),
        (
            '{\n  "client": {"org": "Globex",}\n}',
            "a.json:2:30: Expecting property name enclosed in double quotes",
        ),
        (
            '{"client": {"respondents": [{"answers": {"hears-us": 1' + "0" * 19 + "}}]}}",
            "a.json: a number of more than 18 digits is no answer",
        ),
        (
            '{"client": {"respondents": [{"answers": {"hears-us": NaN}}]}}',
            "a.json: NaN is not a number an answer can have",
        ),
        ('{"vendr": {}}', "a.json: the top level: unknown key 'vendr' (did you mean 'vendor'?)"),
        ("[" * 100_000, "a.json: the file nests too deeply"),
    ],
)
def test_a_json_answers_file_gets_the_same_clear_messages(text: str, message: str) -> None:
    with pytest.raises(AnswersError) as caught:
        parse_answers(text, "a.json", QN)
    assert str(caught.value) == message


def test_a_yaml_flow_mapping_that_is_not_json_is_still_read_as_yaml() -> None:
    parsed = parse_answers("{client: {respondents: [{answers: {hears-us: 3}}]}}", "a.yaml", QN)
    assert parsed.client == [Respondent("client", {"hears-us": 3})]


def test_an_answers_file_over_the_json_limit_is_refused_before_it_is_parsed() -> None:
    text = '{"vendor": "' + "x" * MAX_JSON_BYTES + '"}'
    with pytest.raises(AnswersError, match="a.json: the file is over 64 MiB"):
        parse_answers(text, "a.json", QN)


# --- text report -------------------------------------------------------------------------


def test_text_report_says_which_way_a_reversed_question_reads() -> None:
    answers = full_review()
    text = render_text(score(QN, answers), QN, answers)
    questions = text[text.index("QUESTIONS") : text.index("ACTIONS")]
    marked = [line for line in questions.splitlines() if "(reversed) " in line]
    assert len(marked) == 1 and "Most of our recent contacts were firefi" in marked[0]
    assert "the more a side agrees with the statement, the lower its score" in " ".join(
        questions.split()
    )


def test_text_report_has_every_section() -> None:
    answers = full_review()
    text = render_text(score(QN, answers), QN, answers)
    for heading in (
        "Small review (small, version 3)",
        "LEVELS",
        "DIMENSIONS",
        "ACTIONS",
        "PROPOSALS",
    ):
        assert heading in text
    assert "Vendor: Acme Analytics" in text
    assert "Next:     Consultant, which still needs:" in text
    assert "Communicating: Client 50.0, needs 60" in text
    assert (
        "  Listening        85.0    50.0  35.0  blind spot    50.0    75.0      37.5  keep it up"
        in text
    )
    assert "1. Hold a relationship review every quarter [joint]" in text
    assert "because Globex (2 respondents) scores Communicating 50.0, under 60" in text
    # proposals quote the question as the respondent read it, not its id
    assert (
        "  - Client, Eve, on 'How could Acme Analytics be a more valued vendor?':\n"
        "      Share a roadmap\n" in text
    )


def test_text_report_at_the_top_level_without_actions() -> None:
    top = {"knows-priorities": 5, "hears-us": 10, "keeps-informed": 5}
    questionnaire = make_questionnaire(actions=[])
    text = render_text(run(vendor=[top], client=[top], questionnaire=questionnaire), questionnaire)
    assert "Next:     none, this is the top level" in text
    assert "ACTIONS\n  none suggested" in text
    assert "PROPOSALS\n  none" in text


# --- format v1.1 ---------------------------------------------------------------------------
# tests/data/scoring/v11.yaml: listening, value, business relevance (weight 2) rate the
# vendor; "Being a good customer" (`rates: client`) rates the client; `recommend` is a
# 0–10 NPS question; the quadrant is cut at the mean importance and at performance 60.

V11 = load_file(DATA / "v11.yaml").questionnaire


def run_v11(
    vendor: list[dict[str, Any]] | None = None,
    client: list[dict[str, Any]] | None = None,
    questionnaire: Questionnaire = V11,
) -> ReviewResult:
    return score(questionnaire, review(vendor, client))


def test_action_priority_comes_only_from_the_parts_that_held() -> None:
    # find-values: any [hidden_strength value, relevance below 50]. Vendor value 25, client
    # 100: a hidden strength (gap −75), value priority 100 × (100 − 100)/100 = 0. Client
    # relevance 50 (importance 100): priority 100 × 50/100 = 50, but "below 50" did not
    # hold, so find-values takes 0, not 50, and comes after relevance-watch (50).
    result = run_v11(
        vendor=[{"adds-value": 2, "knows-plans": 3}],
        client=[{"adds-value": 5, "knows-plans": 3, "relevance-matters": 5}],
    )
    assert [(a.id, a.priority) for a in result.actions] == [
        ("relevance-watch", 50.0),
        ("find-values", 0.0),
    ]


def test_action_priority_of_all_takes_every_part_and_any_the_held_ones() -> None:
    # listening client 25 (priority 75), value client 50 (priority 50)
    answers = {"client": [{"hears-us": 2, "adds-value": 3}]}
    actions = [
        {
            "id": "both",
            "title": "B",
            "when": {
                "all": [
                    {"dimension": "value", "below": 60},
                    {"dimension": "listening", "below": 60},
                ]
            },
        },
        {
            "id": "one",
            "title": "O",
            "when": {
                "any": [
                    {"dimension": "value", "below": 60},
                    {"dimension": "listening", "at_least": 60},
                ]
            },
        },
    ]
    questionnaire = Questionnaire.model_validate(
        {**V11.model_dump(by_alias=True, exclude_defaults=True), "actions": actions}
    )
    result = run_v11(**answers, questionnaire=questionnaire)
    assert [(a.id, a.priority) for a in result.actions] == [("both", 75.0), ("one", 50.0)]


def test_rates_client_turns_statuses_round_and_ranks_by_the_vendor() -> None:
    # clear-briefs: vendor raw 2 → 25, client raw 5 → 100: gap 25 − 100 = −75. The client
    # rates itself better than the vendor does: a blind spot for a `rates: client` dimension.
    # Priority from the vendor (the side served): importance 100 × (100 − 25)/100 = 75.
    # Quadrant: the mean importance of the client-rating dimensions is this one's, 100;
    # 100 ≥ 100 and 25 < 60: concentrate here.
    result = run_v11(
        vendor=[{"clear-briefs": 2, "briefs-matter": 5, "hears-us": 5}],
        client=[{"clear-briefs": 5}],
    )
    customer = result.dimension("customer")
    assert (customer.gap, customer.status) == (-75.0, "blind_spot")
    assert (customer.priority, customer.quadrant) == (75.0, "concentrate_here")
    assert question_result(result, "clear-briefs").status == "blind_spot"
    # left out of overall: the vendor's overall is listening alone (100), not (100 + 25)/2
    assert result.overall.vendor == 100.0
    assert result.overall.client is None
    assert [(a.id, a.priority) for a in result.actions] == [("fix-briefs", 75.0)]
    assert result.actions[0].because == (
        "Acme (1 respondent) scores Being a good customer 25.0 and Globex (1 respondent) 100.0,"
        " a gap of -75.0 (a blind spot: Globex rates itself higher than Acme does)"
    )


def test_rates_client_hidden_strength_when_the_vendor_thinks_better_of_the_client() -> None:
    # vendor 100, client 50: gap +50 is a hidden strength of the client as a customer
    result = run_v11(vendor=[{"clear-briefs": 5}], client=[{"clear-briefs": 3}])
    assert result.dimension("customer").status == "hidden_strength"
    assert question_result(result, "clear-briefs").status == "hidden_strength"


def test_rates_client_dimension_counts_in_levels_of_each_party() -> None:
    # partner needs customer 50 and overall 70 on the party's own scores; listening 100
    top = {"hears-us": 5, "clear-briefs": 3}
    assert run_v11(vendor=[top]).levels.vendor == "partner"
    assert run_v11(vendor=[{**top, "clear-briefs": 2}]).levels.vendor == "confidant"


def test_quadrant_cut_at_the_mean_of_the_dimensions_with_a_quadrant() -> None:
    # Client importance: listening 100, value 50, relevance 75; scores 75, 25, 50.
    # Mean importance (100 + 50 + 75)/3 = 75; performance cut 60.
    # listening 100 ≥ 75, 75 ≥ 60: keep it up; value 50 < 75, 25 < 60: low priority (at the
    # default cut of 50 it would be concentrate here); relevance 75 ≥ 75, 50 < 60:
    # concentrate here. The customer dimension (vendor importance 0, score 50) is cut at its
    # own group's mean, 0: concentrate here; pooled, the vendor-rating mean would be 56.25.
    client = {
        "listening-matters": 5,
        "value-matters": 3,
        "relevance-matters": 4,
        "hears-us": 4,
        "adds-value": 2,
        "knows-plans": 3,
    }
    result = run_v11(vendor=[{"briefs-matter": 1, "clear-briefs": 3}], client=[client])
    quadrants = {d.id: d.quadrant for d in result.dimensions}
    assert quadrants == {
        "listening": "keep_it_up",
        "value": "low_priority",
        "relevance": "concentrate_here",
        "customer": "concentrate_here",
    }
    assert result.dimension("value").cut.importance == 75.0


def test_quadrant_cut_mean_leaves_out_dimensions_without_a_quadrant() -> None:
    # relevance has an importance (0) but no score: no quadrant, so the mean is over
    # listening and value, (100 + 50)/2 = 75, and value (50) is below it. Counting
    # relevance the mean would be 50 and value would reach it.
    client = {"listening-matters": 5, "value-matters": 3, "relevance-matters": 1}
    client |= {"hears-us": 4, "adds-value": 2}
    result = run_v11(client=[client])
    assert result.dimension("relevance").quadrant is None
    assert result.dimension("value").quadrant == "low_priority"


def test_quadrant_cut_numbers_from_the_file() -> None:
    # listening importance 75 (raw 4), score 70 (hears-us 7 of 10): keep it up at 50/50,
    # low priority at 80/80
    answers = {"client": [{"listening-matters": 4, "hears-us": 7}]}
    assert run(**answers).dimension("listening").quadrant == "keep_it_up"
    high = make_questionnaire(quadrant_cut={"importance": 80, "performance": 80})
    assert run(**answers, questionnaire=high).dimension("listening").quadrant == "low_priority"


def test_quadrant_reason_names_the_cuts() -> None:
    client = {"listening-matters": 5, "value-matters": 3, "hears-us": 4, "adds-value": 2}
    actions = [{"id": "a", "title": "A", "when": {"quadrant": "listening", "is": "keep_it_up"}}]
    questionnaire = Questionnaire.model_validate(
        {**V11.model_dump(by_alias=True, exclude_defaults=True), "actions": actions}
    )
    result = run_v11(client=[client], questionnaire=questionnaire)
    # mean importance (100 + 50)/2 = 75; performance cut 60 as written
    assert result.actions[0].because == (
        "Globex (1 respondent) rates the importance of Listening 100.0 and scores it 75.0,"
        " against cuts of 75.0 (the mean) and 60 (keep it up)"
    )


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([10, 9, 7, 3], 25.0),  # 2 promoters, 1 detractor of 4: (2 − 1)/4
        ([10, 6, 6], -100 / 3),
        ([8, 7], 0.0),  # passives only
        ([0], -100.0),
        ([9, 10, None], 100.0),  # no answer is left out
        ([None], None),
        ([], None),
    ],
)
def test_net_promoter_score(answers: list[int | None], expected: float | None) -> None:
    result = run_v11(client=[{"recommend": a} for a in answers])
    assert result.nps[0].client == (None if expected is None else pytest.approx(expected))


def test_nps_entry_has_the_vendors_prediction_and_is_not_a_question() -> None:
    result = run_v11(vendor=[{"recommend": 8}], client=[{"recommend": v} for v in (10, 9, 7, 3)])
    assert result.to_dict()["nps"] == [
        {
            "id": "recommend",
            "vendor": 0.0,
            "client": 25.0,
            "gap": -25.0,  # the vendor's misreading
            "n": {"vendor": 1, "client": 4},
            "split": {"vendor": False, "client": True},  # answers 3 to 10: 70 points apart
        }
    ]
    assert "recommend" not in [q.id for q in result.questions]
    assert all(d.vendor is None for d in result.dimensions)  # counts towards no dimension
    assert run().to_dict()["nps"] == []  # small.yaml has none


def test_question_reason_quotes_the_label_with_names_and_counts() -> None:
    # ask-recommend: recommend at most 6 (client). One of four answered 3.
    result = run_v11(client=[{"recommend": v} for v in (10, 9, 7, 3)])
    assert [a.because for a in result.actions] == [
        "1 of 4 Globex respondents answered 6 or lower to 'recommending Acme'"
    ]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (
            {"question": "knows-strategy", "at_least": 2},
            "2 of 2 Globex respondents answered Disagree or higher to 'knowing our strategy'",
        ),
        (
            {"question": "knows-strategy", "in": [2, "Agree"]},
            "2 of 2 Globex respondents answered Disagree or Agree to 'knowing our strategy'",
        ),
        (
            {"question": "knows-strategy", "at_least": 5},
            None,
        ),
        (
            {"not": {"question": "knows-strategy", "at_least": 5}},
            "none of 2 Globex respondents answered Strongly agree to 'knowing our strategy'",
        ),
        (
            {"not": {"question": "keeps-informed", "party": "vendor", "at_most": 1}},
            "the one Acme Analytics respondent did not answer Strongly disagree to"
            " 'We are kept informed.'",
        ),
        (
            {"not": {"question": "meeting-mix", "equals": "Mixed"}},
            "no Globex respondent answered 'How do we mostly meet?'",
        ),
        (
            {"question": "hears-us", "at_least": 4},
            "2 of 2 Globex respondents answered 4 or higher to"
            " 'How likely is it that concerns raised are acted upon?'",
        ),
    ],
)
def test_question_reasons_say_how_many_answered_so(
    condition: dict[str, Any], expected: str | None
) -> None:
    assert because(condition) == expected


def test_n_and_split_count_the_respondents_whose_answers_count() -> None:
    # listening: client 1 answers knows-priorities 1 (0) only; client 2 hears-us 10 (100)
    # only; client 3 answers nothing that counts. n 2, own scores 0 and 100: split.
    result = run(
        vendor=[{"hears-us": 5}],
        client=[{"knows-priorities": 1}, {"hears-us": 10}, {"mood": "Good"}],
    )
    listening = result.dimension("listening").to_dict()
    assert (listening["n"], listening["split"]) == (
        {"vendor": 1, "client": 2},
        {"vendor": False, "client": True},
    )
    assert question_result(result, "hears-us").to_dict()["n"] == {"vendor": 1, "client": 1}
    assert result.to_dict()["respondents"] == {"vendor": 1, "client": 3}


@pytest.mark.parametrize(("low", "high", "split"), [(3, 7, False), (3, 8, True), (0, 10, True)])
def test_split_from_a_range_of_50_points(low: int, high: int, split: bool) -> None:
    # hears-us raw v scores 10·v: 30 and 70 are 40 apart, 30 and 80 are 50 apart
    result = run(client=[{"hears-us": low}, {"hears-us": high}])
    assert question_result(result, "hears-us").spreads.client.split is split
    assert result.dimension("listening").spreads.client.split is split


def test_text_report_shows_n_splits_nps_and_indicative_sides() -> None:
    answers = review(
        vendor=[{"recommend": 8, "clear-briefs": 2}],
        client=[{"recommend": v, "clear-briefs": 5, "hears-us": v // 2} for v in (10, 9, 3)],
    )
    text = render_text(score(V11, answers), V11, answers)
    assert "Vendor: Acme, 1 respondent, indicative\nClient: Globex, 3 respondents\n" in text
    assert "Indicative: a side with fewer than 3 respondents" in text
    # recommend: vendor 8 (a passive: 0); client 10, 9, 3: (2 − 1)/3 = 33.3, 70 points apart
    assert "NPS\n  Question           Vendor (prediction)  Client    Gap    n  Split\n" in text
    assert "  recommending Acme                  0.0    33.3  -33.3  1/3  Client\n" in text
    assert "  Being a good customer (rates the client)" in text
    # hears-us raw 5, 4, 1 → 100, 75, 0: split; n 0/3 (the vendor did not answer)
    assert re.search(r"\n  Acme acts on what we tell them\. +– +58\.3 +– +– +0/3  Client\n", text)
    assert "\n  giving clear briefs " in text
