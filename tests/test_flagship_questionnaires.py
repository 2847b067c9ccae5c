"""The shipped questionnaires say what the seeds say, and their examples score as promised.

These tests pin the content of `questionnaires/vendor-value-review.yaml` (the flagship)
and `questionnaires/quarterly-pulse.yaml` against the issue: if an edit drops a contact
option, a relationship type or a mirrored wording, a test here names what went missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from survey.domain.answers import load_answers
from survey.domain.loader import load_file
from survey.domain.model import (
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
    QuadrantIs,
    QuestionAnswered,
    Questionnaire,
)
from survey.domain.scoring import score

ROOT = Path(__file__).resolve().parent.parent / "questionnaires"
FLAGSHIP = ROOT / "vendor-value-review.yaml"
PULSE = ROOT / "quarterly-pulse.yaml"

#: Seed 002: the relationship types of Avery, Fournier and Wittenbraker.
RELATIONSHIP_TYPES = {
    "Online Friends", "Love-Hate", "Close Siblings", "One-Night Stand", "Complete Strangers",
    "Fling", "Secret Affair", "Marriage Partners", "Marriage-On-The-Rocks", "Stalker-Prey",
    "Dealer-Addict", "Guru-Disciple", "Teacher-Student", "Next-Door Neighbors", "Best Friends",
    "Teammates", "Buddies", "Ex-Friends", "Fleeting Acquaintances", "Enemies", "Star-Groupie",
    "Annoying Acquaintances", "Former Friends", "Colleagues", "Old Friends",
    "Casual Acquaintances",
}  # fmt: skip


@pytest.fixture(scope="module")
def flagship() -> Questionnaire:
    return load_file(FLAGSHIP).questionnaire


@pytest.fixture(scope="module")
def pulse() -> Questionnaire:
    return load_file(PULSE).questionnaire


def _conditions(cond: Condition) -> Iterator[Condition]:
    """The condition and every condition nested in it."""
    yield cond
    if isinstance(cond, AllOf):
        for part in cond.all:
            yield from _conditions(part)
    elif isinstance(cond, AnyOf):
        for part in cond.any:
            yield from _conditions(part)
    elif isinstance(cond, NotCond):
        yield from _conditions(cond.not_)


@pytest.mark.parametrize("path", sorted(ROOT.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_questionnaire_loads(path: Path) -> None:
    assert load_file(path).questionnaire.id == path.stem


def test_flagship_has_30_to_40_questions(flagship: Questionnaire) -> None:
    assert 30 <= len(list(flagship.questions())) <= 40


def test_flagship_covers_the_six_dimensions(flagship: Questionnaire) -> None:
    ids = [d.id for d in flagship.dimensions]
    assert ids == ["listening", "communicating", "collaborating", "trust", "relevance", "value"]
    assert all(d.about for d in flagship.dimensions)


def test_every_scored_question_is_asked_of_both_parties_in_their_own_words(
    flagship: Questionnaire,
) -> None:
    scored = [q for q in flagship.questions() if q.is_scored]
    assert len(scored) >= 25
    for question in scored:
        assert flagship.parties_asked(question.id) == ("vendor", "client"), question.id
        assert isinstance(question.ask, dict), question.id
        assert question.ask["vendor"] != question.ask["client"], question.id


def test_scored_questions_name_the_other_party(flagship: Questionnaire) -> None:
    """Mirrored wording reads naturally only if each side is asked about the other by name."""
    for question in flagship.questions():
        if question.is_scored and question.counts_as == "performance":
            assert isinstance(question.ask, dict)
            assert "{client}" in question.ask["vendor"], question.id
            assert "{vendor}" in question.ask["client"], question.id


def test_flagship_has_reverse_items_for_firefighting(flagship: Questionnaire) -> None:
    reversed_ids = {q.id for q in flagship.questions() if q.reverse}
    assert {"busy-firefighting", "quarterly-only"} <= reversed_ids


def test_last_contacts_offers_the_five_kinds_of_contact_each_scored(
    flagship: Questionnaire,
) -> None:
    question = flagship.question("last-contacts")
    assert question.kind == "choice" and question.multiple
    assert question.dimension in {"collaborating", "value"}
    scores = {c.label: c.score for c in question.choices or []}
    assert len(scores) == 5 and None not in scores.values()
    building = scores["Building the relationship"]
    adding = scores["Adding value that grows the business we do together"]
    troubles = [
        scores["Firefighting"],
        scores["An escalation"],
        scores["Solving problems the client does not value"],
    ]
    assert max(troubles) < min(building, adding)


def test_the_cause_is_asked_only_after_firefighting_or_an_escalation(
    flagship: Questionnaire,
) -> None:
    question = flagship.question("contact-cause")
    assert question.kind == "text"
    assert question.show_if is not None
    assert question.show_if.question == "last-contacts"
    assert set(question.show_if.in_ or []) == {"Firefighting", "An escalation"}


def test_one_word_description_is_a_short_text(flagship: Questionnaire) -> None:
    question = flagship.question("one-word")
    assert question.kind == "text" and question.max_length <= 40


def test_relationship_type_picker_lists_the_26_types_unscored(flagship: Questionnaire) -> None:
    question = flagship.question("relationship-type")
    labels = [c.label for c in question.choices or []]
    assert len(labels) == 26 and set(labels) == RELATIONSHIP_TYPES
    assert question.dimension is None and not question.is_scored
    assert not question.multiple


def test_strategy_is_asked_for_each_horizon(flagship: Questionnaire) -> None:
    for months in (3, 6, 12, 18):
        question = flagship.question(f"strategy-{months}-months")
        assert question.dimension == "relevance"
        assert f"{months} months" in question.text_for("client", "Acme", "Globex")


def test_every_dimension_has_an_importance_question_for_the_client(
    flagship: Questionnaire,
) -> None:
    rated = {
        q.dimension
        for q in flagship.questions()
        if q.counts_as == "importance" and "client" in flagship.parties_asked(q.id)
    }
    assert rated == {d.id for d in flagship.dimensions}


@pytest.mark.parametrize("qid", ["more-valued", "better-customer", "continue", "stop", "start"])
def test_proposal_questions_feed_the_joint_plan(flagship: Questionnaire, qid: str) -> None:
    question = flagship.question(qid)
    assert question.kind == "text" and question.proposes == "action"
    assert flagship.parties_asked(qid) == ("vendor", "client")


def test_more_valued_is_asked_in_the_seed_words(flagship: Questionnaire) -> None:
    question = flagship.question("more-valued")
    assert question.text_for("vendor", "Acme", "Globex") == (
        "How could we be a more valued vendor to Globex?"
    )
    assert question.text_for("client", "Acme", "Globex") == (
        "How could Acme be a more valued vendor?"
    )
    better = flagship.question("better-customer")
    assert "How could we be a better customer" in better.text_for("client", "Acme", "Globex")


def test_levels_climb_the_s_curve(flagship: Questionnaire) -> None:
    levels = flagship.levels
    assert [lv.id for lv in levels] == ["vendor", "confidant", "consultant", "virtual-partner"]
    assert not levels[0].requires and all(lv.meaning for lv in levels)
    for lower, higher in zip(levels[1:], levels[2:], strict=False):
        for key, needed in lower.requires.items():
            assert higher.requires.get(key, needed) >= needed, (higher.id, key)
    assert "overall" in levels[-1].requires


def test_level_meanings_carry_seed_003(flagship: Questionnaire) -> None:
    meaning = {lv.id: (lv.meaning or "").lower() for lv in flagship.levels}
    assert "mistakes" in meaning["vendor"]
    assert "planning" in meaning["confidant"]
    assert "strategy" in meaning["consultant"]
    assert "equal" in meaning["virtual-partner"]


def test_flagship_has_at_least_12_actions_with_owner_and_detail(flagship: Questionnaire) -> None:
    assert len(flagship.actions) >= 12
    for action in flagship.actions:
        assert action.detail, action.id
    assert {a.owner for a in flagship.actions} == {"vendor", "client", "joint"}


def test_actions_use_every_kind_of_condition(flagship: Questionnaire) -> None:
    used = {type(c) for a in flagship.actions for c in _conditions(a.when)}
    assert used >= {
        DimensionBelow,
        DimensionAtLeast,
        BlindSpot,
        HiddenStrength,
        QuadrantIs,
        LevelIs,
        LevelBelow,
        QuestionAnswered,
        AllOf,
        AnyOf,
        NotCond,
    }
    selectors = {
        c.party
        for a in flagship.actions
        for c in _conditions(a.when)
        if isinstance(c, DimensionBelow | DimensionAtLeast)
    }
    assert {"either", "both"} <= selectors


def test_acme_globex_example_shows_gaps_a_level_and_a_plan(flagship: Questionnaire) -> None:
    review = load_answers(str(ROOT / "examples" / "acme-globex.yaml"), flagship)
    result = score(flagship, review).to_dict()
    assert result["levels"]["agreed"] == "confidant"
    assert result["levels"]["next"]["id"] == "consultant"
    statuses = {d["id"]: d["status"] for d in result["dimensions"]}
    assert statuses["listening"] == statuses["relevance"] == "blind_spot"
    assert statuses["value"] == "hidden_strength"
    fired = {a["id"] for a in result["actions"]}
    assert {"listening-session", "learn-strategy", "do-more-of-what-they-value"} <= fired
    assert len(fired) < len(flagship.actions)
    assert {p["party"] for p in result["proposals"]} == {"vendor", "client"}


def test_pulse_is_a_smaller_review_with_its_own_words(pulse: Questionnaire) -> None:
    assert 8 <= len(list(pulse.questions())) <= 12
    assert [lv.id for lv in pulse.levels] == ["satisfied", "committed", "evangelist"]
    assert (pulse.parties.label("vendor"), pulse.parties.label("client")) == (
        "Supplier",
        "Customer",
    )
    assert any(scale.range == (0, 10) for scale in pulse.scales.values())
    assert len(pulse.actions) >= 2


def test_pulse_example_reaches_committed(pulse: Questionnaire) -> None:
    review = load_answers(str(ROOT / "examples" / "pulse.yaml"), pulse)
    result = score(pulse, review).to_dict()
    assert result["levels"]["agreed"] == "committed"
    assert {a["id"] for a in result["actions"]} == {"ask-what-they-value", "request-referral"}
