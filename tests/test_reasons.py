"""Reasons a reader understands: no `because` of a bundled questionnaire shows a question id.

Every action of both bundled questionnaires is made to fire on any answers, by asking for
``any: [its condition, not: its condition]``: the reason is then the sentence of the
condition whether it held or not, so every part of every rule is read, over many answer
sets drawn by hypothesis.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_scoring_properties import answers, make_review

from survey.domain.loader import load_file
from survey.domain.model import PARTIES, Questionnaire
from survey.domain.scoring import ReviewResult, score

ROOT = Path(__file__).parent.parent
BUNDLED = ["vendor-value-review.yaml", "quarterly-pulse.yaml"]
ORGS = ("Acme", "Globex")  # as make_review names them


@functools.cache
def always_firing(name: str) -> Questionnaire:
    """The bundled questionnaire with every action made to fire, its reason kept."""
    questionnaire = load_file(ROOT / "questionnaires" / name).questionnaire
    document = questionnaire.model_dump(by_alias=True, exclude_defaults=True)
    for action in document["actions"]:
        action["when"] = {"any": [action["when"], {"not": action["when"]}]}
    return Questionnaire.model_validate(document)


def author_texts(questionnaire: Questionnaire) -> list[str]:
    """Texts an author wrote that a reason may quote: question labels and asks, answers."""
    texts: list[str] = []
    for question in questionnaire.questions():
        for party in PARTIES:
            texts.append(question.quoted(party, *ORGS))
        texts += [choice.label for choice in question.choices or []]
        if question.scale in questionnaire.scales:
            scale = questionnaire.scale_of(question)
            texts += [scale.label_for(value) for value in scale.values()]
    return sorted(set(texts), key=len, reverse=True)


def ids_in(reason: str, questionnaire: Questionnaire) -> list[str]:
    """Question ids a reason shows, once the author's own words are taken out of it."""
    for text in author_texts(questionnaire):
        reason = reason.replace(text, " ")
    return [
        q.id
        for q in questionnaire.questions()
        if re.search(rf"(?<![\w-]){re.escape(q.id)}(?![\w-])", reason)
    ]


def reasons(result: ReviewResult) -> list[str]:
    return [action.because for action in result.actions]


@pytest.mark.parametrize("name", BUNDLED)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_no_reason_of_a_bundled_questionnaire_shows_a_question_id(
    name: str, data: st.DataObject
) -> None:
    questionnaire = always_firing(name)
    vendor = data.draw(st.lists(answers(questionnaire, "vendor"), max_size=3))
    client = data.draw(st.lists(answers(questionnaire, "client"), max_size=4))
    review = make_review(vendor, client)
    result = score(questionnaire, review)
    assert len(result.actions) == len(questionnaire.actions)
    for reason in reasons(result):
        assert ids_in(reason, questionnaire) == [], reason
        if _speaks_of_a_party(reason):
            assert any(org in reason for org in ORGS), reason


def _speaks_of_a_party(reason: str) -> bool:
    """Whether a reason speaks of a side's answers at all (level reasons need not)."""
    return any(word in reason for word in ("respondent", "scores", "rates", "has no score"))


def test_question_reasons_say_how_many_of_the_side_answered() -> None:
    """The flagship's next-S-curve rule, on 3 client respondents of whom 2 disagree."""
    questionnaire = always_firing("vendor-value-review.yaml")
    client: list[dict[str, Any]] = [
        {"still-relevant": 2},
        {"still-relevant": 1},
        {"still-relevant": 4},
    ]
    result = score(questionnaire, make_review([], client))
    quoted = questionnaire.question("still-relevant").quoted("client", "Acme", "Globex")
    expected = f"2 of 3 Globex respondents answered Disagree or lower to '{quoted}'"
    assert any(expected in reason for reason in reasons(result))


def test_the_id_scan_catches_an_id() -> None:
    """The scan is no formality: an id left in a sentence is found."""
    questionnaire = always_firing("quarterly-pulse.yaml")
    assert ids_in("1 of 2 Globex respondents answered 9 to 'recommend'", questionnaire) == [
        "recommend"
    ]
    assert ids_in("answered 9 or higher to 'recommending Acme'", questionnaire) == []
