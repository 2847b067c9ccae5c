"""The shipped questionnaires say what the seeds say, within issue 10's limits.

These tests pin the content of `questionnaires/vendor-value-review.yaml` (the flagship,
version 2) and `questionnaires/quarterly-pulse.yaml`: every constraint of issue 10 that
can be checked mechanically has a test here that names what went missing, and the demo
answers (`questionnaires/examples/acme-globex.yaml`) give advice that fits their numbers.
A review started on version 1 keeps its stored text; the last tests show one still
scores and renders.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from survey.domain.answers import load_answers, parse_answers
from survey.domain.effort import effort
from survey.domain.loader import load_file
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
    Questionnaire,
)
from survey.domain.scoring import score, shown_questions

ROOT = Path(__file__).resolve().parent.parent / "questionnaires"
FLAGSHIP = ROOT / "vendor-value-review.yaml"
PULSE = ROOT / "quarterly-pulse.yaml"
DEMO = ROOT / "examples" / "acme-globex.yaml"
DATA = Path(__file__).resolve().parent / "data"
FLAGSHIP_V1 = DATA / "questionnaires" / "vendor-value-review-v1.yaml"
DEMO_V1 = DATA / "scoring" / "acme-globex-v1.yaml"

#: Seed 002: the relationship types of Avery, Fournier and Wittenbraker.
RELATIONSHIP_TYPES = {
    "Online Friends", "Love-Hate", "Close Siblings", "One-Night Stand", "Complete Strangers",
    "Fling", "Secret Affair", "Marriage Partners", "Marriage-On-The-Rocks", "Stalker-Prey",
    "Dealer-Addict", "Guru-Disciple", "Teacher-Student", "Next-Door Neighbors", "Best Friends",
    "Teammates", "Buddies", "Ex-Friends", "Fleeting Acquaintances", "Enemies", "Star-Groupie",
    "Annoying Acquaintances", "Former Friends", "Colleagues", "Old Friends",
    "Casual Acquaintances",
}  # fmt: skip

#: Seed 003: the behaviour that marks each step of the S-curve, as a small dimension.
BEHAVIOURS = {
    "confidant": {"planning"},
    "consultant": {"advice", "tolerance"},
    "virtual-partner": {"decisions", "team"},
}

#: Actions that advise a step of the S-curve, and the one agreed level each belongs to.
STEP_ACTIONS = {
    "earn-a-place-in-planning": {"vendor"},
    "deliver-what-you-said": {"vendor"},
    "ask-beyond-the-field": {"confidant"},
    "resolve-mistakes-together": {"confidant"},
    "bring-into-major-decisions": {"consultant"},
    "exit-agreement": {"consultant", "virtual-partner"},
}


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


def random_answers(questionnaire: Questionnaire, rng: random.Random) -> dict[str, Any]:
    """An answers document: 1–3 respondents a side, every question answered at random."""
    document: dict[str, Any] = {}
    for party in PARTIES:
        people = []
        for _ in range(rng.randint(1, 3)):
            answers: dict[str, Any] = {}
            for _, questions in questionnaire.sections_for(party):
                for q in questions:
                    if q.kind == "scale":
                        answers[q.id] = rng.choice(questionnaire.scale_of(q).values())
                    elif q.kind == "choice":
                        labels = [c.label for c in q.choices or []]
                        answers[q.id] = (
                            rng.sample(labels, rng.randint(1, 2))
                            if q.multiple
                            else rng.choice(labels)
                        )
                    else:
                        answers[q.id] = "Something to say."
            people.append({"answers": answers})
        document[party] = {"org": party.title(), "respondents": people}
    return document


def scored(questionnaire: Questionnaire, document: dict[str, Any]) -> dict[str, Any]:
    review = parse_answers(json.dumps(document), "answers.json", questionnaire)
    return score(questionnaire, review).to_dict()


@pytest.mark.parametrize("path", sorted(ROOT.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_questionnaire_loads(path: Path) -> None:
    assert load_file(path).questionnaire.id == path.stem


# --- version, size and time ---------------------------------------------------------------


def test_flagship_is_version_2_and_version_1_is_kept_for_old_reviews(
    flagship: Questionnaire,
) -> None:
    assert flagship.version == 2
    old = load_file(FLAGSHIP_V1).questionnaire
    assert (old.id, old.version) == (flagship.id, 1)


@pytest.mark.parametrize("party", PARTIES)
def test_at_most_25_questions_and_12_minutes_per_party(flagship: Questionnaire, party: str) -> None:
    """Issue 10: 38 questions and "about 20 minutes" were too many; the app's own count."""
    asked = effort(flagship, party)  # type: ignore[arg-type]
    assert asked.questions <= 25, asked
    assert asked.minutes <= 12, asked


def test_a_respondent_meets_at_most_three_follow_ups(flagship: Questionnaire) -> None:
    """Follow-ups appear one at a time: one relationship type, one cause, one change."""
    kinds = [c.label for c in flagship.question("relationship-kind").choices or []]
    contacts = [c.label for c in flagship.question("last-contacts").choices or []]
    for party in PARTIES:
        always = effort(flagship, party).questions  # type: ignore[arg-type]
        most = 0
        for kind, contact, recommend in itertools.product(kinds, contacts, range(11)):
            answers = {
                "relationship-kind": kind,
                "last-contacts": [contact],
                "recommend": recommend,
            }
            most = max(most, len(shown_questions(flagship, party, answers)) - always)  # type: ignore[arg-type]
        assert most == 3, party


# --- one idea per question ----------------------------------------------------------------

#: The subject "We and {client}" joins the two parties, not two ideas.
SUBJECT = re.compile(r"\bWe and \{(vendor|client)\}")


def test_no_scored_question_is_double_barrelled(flagship: Questionnaire) -> None:
    """A scored question asks one thing: no 'and' or 'or' joining two ideas in it."""
    for question in flagship.questions():
        if not (question.is_scored or question.is_nps):
            continue
        texts = question.ask.values() if isinstance(question.ask, dict) else [question.ask]
        for text in texts:
            rest = SUBJECT.sub("", text)
            assert not re.search(r"\b(and|or)\b", rest), (question.id, text)


def test_one_horizon_question_from_not_at_all_to_18_months(flagship: Questionnaire) -> None:
    question = flagship.question("plans-horizon")
    assert question.kind == "choice" and question.dimension == "relevance"
    assert question.text_for("client", "Acme", "Globex") == (
        "How far ahead does Acme understand our plans?"
    )
    choices = question.choices or []
    assert [c.label for c in choices] == [
        "Not at all", "3 months", "6 months", "12 months", "18 months"
    ]  # fmt: skip
    scores = [c.score for c in choices]
    assert scores == sorted(scores) and scores[0] == 0 and scores[-1] == 100
    horizons = [
        q.id for q in flagship.questions() if any("months" in c.label for c in q.choices or [])
    ]
    assert horizons == ["plans-horizon"]


def test_no_reversed_items_because_every_seed_idea_kept_is_positive(
    flagship: Questionnaire,
) -> None:
    """Issue 10: reverse only a negative seed idea. None is kept, so none is reversed; a
    frequency is a choice of frequencies, never a reversed agreement."""
    assert [q.id for q in flagship.questions() if q.reverse] == []


def test_every_scored_question_has_a_label(flagship: Questionnaire, pulse: Questionnaire) -> None:
    for questionnaire in (flagship, pulse):
        for question in questionnaire.questions():
            if question.is_scored or question.is_nps:
                assert question.label, (questionnaire.id, question.id)


def test_every_scored_question_is_asked_of_both_parties_in_their_own_words(
    flagship: Questionnaire,
) -> None:
    for question in flagship.questions():
        if not question.is_scored or question.counts_as == "importance":
            continue
        assert flagship.parties_asked(question.id) == ("vendor", "client"), question.id
        assert isinstance(question.ask, dict), question.id
        assert "{client}" in question.ask["vendor"], question.id
        assert "{vendor}" in question.ask["client"], question.id


# --- outcome, risk and the good customer ----------------------------------------------------


def test_relationship_nps_with_the_vendors_prediction_and_a_follow_up_at_6(
    flagship: Questionnaire,
) -> None:
    question = flagship.question("recommend")
    assert question.is_nps and question.dimension is None
    assert flagship.scale_of(question).range == (0, 10)
    assert flagship.parties_asked("recommend") == ("vendor", "client")
    assert question.text_for("vendor", "Acme", "Globex") == (
        "How likely is Globex to recommend us to a peer?"
    )
    follow_up = flagship.question("what-would-change")
    assert follow_up.kind == "text" and follow_up.proposes == "action"
    assert follow_up.show_if is not None and follow_up.show_if.question == "recommend"
    assert follow_up.show_if.at_most == 6
    assert flagship.parties_asked("what-would-change") == ("vendor", "client")
    for party in PARTIES:
        shown = {q.id for q in shown_questions(flagship, party, {"recommend": 6})}  # type: ignore[arg-type]
        hidden = {q.id for q in shown_questions(flagship, party, {"recommend": 7})}  # type: ignore[arg-type]
        assert "what-would-change" in shown and "what-would-change" not in hidden


def test_the_seed_000_risk_question(flagship: Questionnaire) -> None:
    question = flagship.question("end-risk")
    assert flagship.parties_asked("end-risk") == ("vendor", "client")
    assert question.text_for("client", "Acme", "Globex") == (
        "What could end your relationship with Acme in the next 12 months?"
    )
    assert question.multiple and not question.is_scored


def test_being_a_good_customer_is_scored_from_both_sides(flagship: Questionnaire) -> None:
    assert flagship.dimension("good-customer").rates == "client"
    mirrored = [q for q in flagship.questions() if q.dimension == "good-customer"]
    assert 3 <= len(mirrored) <= 4
    assert {q.id for q in mirrored} >= {"clear-briefs", "timely-decisions", "right-people"}
    for question in mirrored:
        assert flagship.parties_asked(question.id) == ("vendor", "client")
    better = flagship.question("better-customer")
    assert better.kind == "text" and better.proposes == "action"
    assert better.text_for("vendor", "Acme", "Globex") == (
        "How could Globex be a better customer for us?"
    )


# --- the S-curve ------------------------------------------------------------------------------


def test_levels_are_gated_on_the_seed_003_behaviours(flagship: Questionnaire) -> None:
    levels = {lv.id: lv for lv in flagship.levels}
    assert list(levels) == ["vendor", "confidant", "consultant", "virtual-partner"]
    assert not levels["vendor"].requires and all(lv.meaning for lv in flagship.levels)
    for level, behaviours in BEHAVIOURS.items():
        assert behaviours <= set(levels[level].requires), level
        for dimension in behaviours:
            questions = [q for q in flagship.questions() if q.dimension == dimension]
            assert len(questions) == 1, dimension  # a small dimension: one behaviour
    for level in ("consultant", "virtual-partner"):
        assert "relevance" in levels[level].requires, level
    assert "relevance" not in levels["confidant"].requires
    assert all("overall" not in lv.requires for lv in flagship.levels)


def test_each_behaviour_alone_holds_its_level_back(flagship: Questionnaire) -> None:
    """Everything at "Strongly agree" reaches virtual partner; one behaviour at "Disagree"
    stops the relationship just below the level that behaviour marks."""
    top = {}
    for question in flagship.questions():
        if question.is_nps:
            continue
        if question.kind == "scale":
            top[question.id] = 5
        elif question.is_scored:
            best = (
                (question.choices or [])[-1].label
                if question.id != "last-contacts"
                else ("Building the relationship")
            )
            top[question.id] = [best] if question.multiple else best
    below = {"vendor": "vendor", "confidant": "vendor", "consultant": "confidant",
             "virtual-partner": "consultant"}  # fmt: skip

    def agreed(answers: dict[str, Any]) -> str:
        document = {
            party: {"respondents": [{"answers": {
                k: v for k, v in answers.items() if party in flagship.parties_asked(k)
            }}]}
            for party in PARTIES
        }  # fmt: skip
        return str(scored(flagship, document)["levels"]["agreed"])

    assert agreed(top) == "virtual-partner"
    for level, behaviours in BEHAVIOURS.items():
        for dimension in behaviours:
            (question,) = [q for q in flagship.questions() if q.dimension == dimension]
            assert agreed({**top, question.id: 2}) == below[level], dimension
    assert agreed({**top, "still-relevant": 1, "plans-horizon": "3 months"}) == "confidant"


def test_step_actions_are_guarded_by_the_level_they_belong_to(flagship: Questionnaire) -> None:
    """Each action that advises a step of the S-curve names its level in its condition."""
    for action in flagship.actions:
        levels = {c.level for c in _conditions(action.when) if isinstance(c, LevelIs)}
        if action.id in STEP_ACTIONS:
            assert levels == STEP_ACTIONS[action.id], action.id
        text = f"{action.title} {action.detail}".lower()
        for name in ("a confidant", "a consultant", "a virtual partner"):
            if f"into {name}" in text or f"become {name}" in text:
                assert action.id in STEP_ACTIONS, (action.id, name)


@pytest.mark.parametrize("seed", range(4))
def test_no_action_contradicts_the_level_reached(flagship: Questionnaire, seed: int) -> None:
    """Over many random answer sets, a step action fires only at its own level."""
    rng = random.Random(seed)
    for _ in range(60):
        result = scored(flagship, random_answers(flagship, rng))
        agreed = result["levels"]["agreed"]
        for action in result["actions"]:
            if action["id"] in STEP_ACTIONS:
                assert agreed in STEP_ACTIONS[action["id"]], (action["id"], agreed)


def test_actions_have_owner_detail_and_use_level_conditions(flagship: Questionnaire) -> None:
    assert len(flagship.actions) >= 12
    for action in flagship.actions:
        assert action.detail, action.id
    assert {a.owner for a in flagship.actions} == {"vendor", "client", "joint"}
    used = {type(c) for a in flagship.actions for c in _conditions(a.when)}
    assert {LevelIs, LevelBelow, DimensionBelow, DimensionAtLeast, NotCond} <= used


def test_quadrant_cut_is_deliberate_and_justified_in_a_comment(flagship: Questionnaire) -> None:
    cut = flagship.quadrant_cut
    assert (cut.importance, cut.performance) == ("mean", 60)
    lines = FLAGSHIP.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("quadrant_cut:"))
    comment = []
    for line in reversed(lines[:at]):
        if not line.startswith("#"):
            break
        comment.append(line)
    text = " ".join(comment)
    assert "Neither agree nor disagree" in text and "mean" in text


# --- relationship types ------------------------------------------------------------------------


def test_the_26_relationship_types_are_kept_in_six_kinds(flagship: Questionnaire) -> None:
    kind = flagship.question("relationship-kind")
    kinds = [c.label for c in kind.choices or []]
    assert len(kinds) == 6 and not kind.is_scored and not kind.multiple
    follow_ups = [
        q for q in flagship.questions() if q.show_if and q.show_if.question == "relationship-kind"
    ]
    assert sorted(q.show_if.equals for q in follow_ups if q.show_if) == sorted(kinds)
    types = [c.label for q in follow_ups for c in q.choices or []]
    assert len(types) == 26 and set(types) == RELATIONSHIP_TYPES
    assert all(not q.is_scored and len(q.choices or []) <= 6 for q in follow_ups)


def _kinds(vendor: list[str], client: list[str]) -> set[str]:
    document = {
        "vendor": {"respondents": [{"answers": {"relationship-kind": k}} for k in vendor]},
        "client": {"respondents": [{"answers": {"relationship-kind": k}} for k in client]},
    }
    questionnaire = load_file(FLAGSHIP).questionnaire
    return {a["id"] for a in scored(questionnaire, document)["actions"]} & {
        "same-kind",
        "different-kinds",
    }


def test_the_results_say_whether_both_sides_chose_the_same_kind() -> None:
    assert _kinds(["Close partners"], ["Close partners"]) == {"same-kind"}
    assert _kinds(["Close partners"], ["Passing or casual"]) == {"different-kinds"}
    assert _kinds(["Close partners", "Close partners"], ["Guide and follower"]) == {
        "different-kinds"
    }
    assert _kinds([], ["Passing or casual"]) == set()


# --- the seeds' ideas ------------------------------------------------------------------------


def test_the_seed_ideas_are_all_carried(flagship: Questionnaire) -> None:
    dimensions = {d.id for d in flagship.dimensions}
    assert {"listening", "communicating", "collaborating", "relevance", "value"} <= dimensions
    contacts = flagship.question("last-contacts")
    assert contacts.multiple and contacts.dimension == "collaborating"
    scores = {c.label: c.score for c in contacts.choices or []}
    assert (
        max(scores["Firefighting"], scores["An escalation"]) < scores["Building the relationship"]
    )
    pyramid = [c.label for c in flagship.question("needs-pyramid").choices or []]
    assert len(pyramid) == 4 and "basic" in pyramid[1] and "not recognised" in pyramid[3]
    for qid in ("continue", "stop", "start"):
        question = flagship.question(qid)
        assert question.proposes == "action", qid
        assert flagship.parties_asked(qid) == ("vendor", "client"), qid
    cause = flagship.question("contact-cause")
    assert cause.show_if is not None and set(cause.show_if.in_ or []) == {
        "Firefighting",
        "An escalation",
    }


# --- the demo answers ----------------------------------------------------------------------


def test_demo_answers_give_advice_that_fits_their_numbers(flagship: Questionnaire) -> None:
    result = score(flagship, load_answers(str(DEMO), flagship)).to_dict()
    assert result["levels"]["vendor"] == "consultant"
    assert result["levels"]["agreed"] == "confidant"
    missing = {(m["dimension"], m["party"]) for m in result["levels"]["next"]["missing"]}
    assert missing == {("advice", "client"), ("relevance", "client")}
    (nps,) = result["nps"]
    assert (nps["vendor"], nps["client"]) == (50.0, -33.3)
    statuses = {d["id"]: d["status"] for d in result["dimensions"]}
    assert statuses["listening"] == statuses["relevance"] == "blind_spot"
    assert statuses["value"] == "hidden_strength"
    assert statuses["good-customer"] == "blind_spot"
    contacts = next(q for q in result["questions"] if q["id"] == "last-contacts")
    assert contacts["split"]["client"]
    fired = [a["id"] for a in result["actions"]]
    assert fired[0] == "ask-beyond-the-field"  # the step to Consultant, at Confidant
    assert {
        "learn-strategy",
        "listening-session",
        "unseen-risk",
        "misread-recommendation",
        "ask-how-to-be-a-better-customer",
        "different-kinds",
        "do-more-of-what-they-value",
    } <= set(fired)
    assert not set(fired) & {"earn-a-place-in-planning", "deliver-what-you-said", "exit-agreement"}
    assert {p["question"] for p in result["proposals"]} >= {"what-would-change", "better-customer"}


# --- the pulse -------------------------------------------------------------------------------


def test_pulse_recommend_is_an_nps(pulse: Questionnaire) -> None:
    question = pulse.question("recommend")
    assert question.is_nps and question.dimension is None
    assert pulse.version == 2


def test_pulse_is_a_smaller_review_with_its_own_words(pulse: Questionnaire) -> None:
    assert 8 <= len(list(pulse.questions())) <= 12
    assert [lv.id for lv in pulse.levels] == ["satisfied", "committed", "evangelist"]
    assert (pulse.parties.label("vendor"), pulse.parties.label("client")) == (
        "Supplier",
        "Customer",
    )


def test_pulse_example_reaches_committed(pulse: Questionnaire) -> None:
    result = score(pulse, load_answers(str(ROOT / "examples" / "pulse.yaml"), pulse)).to_dict()
    assert result["levels"]["agreed"] == "committed"
    assert [n["id"] for n in result["nps"]] == ["recommend"]
    assert {a["id"] for a in result["actions"]} == {"ask-what-they-value", "request-referral"}


# --- a review started on version 1 ----------------------------------------------------------


def test_a_version_1_review_still_scores_and_renders_after_the_file_changed(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
) -> None:
    """The review keeps the v1 text it started with (Review.questionnaire_source)."""
    from survey.extensions import db
    from survey.models import Review
    from survey.questionnaires import questionnaire_for
    from survey.results.exports import export_json

    review = make_review(vendor_a, questionnaire_path=FLAGSHIP_V1)
    document = yaml.safe_load(DEMO_V1.read_text(encoding="utf-8"))
    for party in PARTIES:
        for person in document[party]["respondents"]:
            make_respondent(
                review, party, name=person.get("name"), answers=person["answers"], submit=True
            )
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        assert row.questionnaire_version == 1
        assert row.questionnaire_source == FLAGSHIP_V1.read_text(encoding="utf-8")
        pinned = questionnaire_for(row)
        assert pinned.version == 1 and pinned.question("strategy-12-months")
        exported = parse_answers(export_json(row, "vendor"), "export.json", pinned)
        expected = score(pinned, load_answers(str(DEMO_V1), pinned)).to_dict()
        assert score(pinned, exported).to_dict()["levels"] == expected["levels"]
    page = vendor_client.get(f"/reviews/{review.public_id}/results")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Trust and reliability" in html  # a v1 dimension, gone from version 2
    assert "Included in planning" not in html  # a v2 dimension
    # v1 has reversed items: the page says which way their scores read, and only for them
    assert 'data-reversed="quarterly-only"' in html and 'data-reversed="busy-firefighting"' in html
    assert html.count("data-reversed=") == 2


def test_the_demo_results_page_draws_the_deliberate_quadrant_cut(
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
) -> None:
    """The chart is cut where the engine cut it: at the mean of Globex's importance ratings
    and at 60, so Business relevance (91.7, 54.2) is drawn in "concentrate here"."""
    review = make_review(vendor_a)
    document = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    for party in PARTIES:
        for person in document[party]["respondents"]:
            answers = person["answers"]
            make_respondent(review, party, name=person.get("name"), answers=answers, submit=True)
    page = vendor_client.get(f"/reviews/{review.public_id}/results").get_data(as_text=True)
    assert "cut at importance 77.1 and score 60.0" in page
    assert "3. Business relevance: importance 91.7, score 54.2 — concentrate here." in page
