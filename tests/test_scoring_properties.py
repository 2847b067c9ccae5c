"""Properties of the scoring engine that must hold for any answers (hypothesis).

Run on tests/data/scoring/small.yaml and on the flagship questionnaire, with answers drawn
from every question's own answer space (missing answers and "not applicable" included).
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.domain.kinds import kind_of
from survey.domain.model import Party, Question, Questionnaire
from survey.domain.scoring import Respondent, ReviewAnswers, ReviewResult, score

ROOT = Path(__file__).parent.parent
SMALL = Questionnaire.model_validate(
    yaml.safe_load((Path(__file__).parent / "data" / "scoring" / "small.yaml").read_text())
)


@functools.cache
def _flagship() -> Questionnaire:
    from survey.domain.loader import load_file

    return load_file(ROOT / "questionnaires" / "vendor-value-review.yaml").questionnaire


@functools.cache
def _bundled(name: str) -> Questionnaire:
    from survey.domain.loader import load_file

    return load_file(ROOT / "questionnaires" / name).questionnaire


@functools.cache
def _v11() -> Questionnaire:
    """Format v1.1 keys: `rates: client`, an NPS question, labels, a quadrant cut at the mean."""
    from survey.domain.loader import load_file

    return load_file(Path(__file__).parent / "data" / "scoring" / "v11.yaml").questionnaire


QUESTIONNAIRES = [
    pytest.param(lambda: SMALL, id="small"),
    pytest.param(_flagship, id="flagship"),
    pytest.param(lambda: _bundled("quarterly-pulse.yaml"), id="pulse"),
    pytest.param(_v11, id="v11"),
]
FAST = settings(max_examples=25, deadline=None)


def possible_answers(questionnaire: Questionnaire, question: Question) -> list[Any]:
    """Every canonical answer a question admits (for multiple choice: every non-empty set)."""
    if question.kind == "scale":
        return list(questionnaire.scale_of(question).values())
    if question.kind == "choice":
        labels = [c.label for c in question.choices or []]
        if not question.multiple:
            return labels
        subsets = (
            list(combo)
            for size in range(1, len(labels) + 1)
            for combo in itertools.combinations(labels, size)
        )
        return list(subsets)
    return ["a proposal", "another"]


def asked(questionnaire: Questionnaire, party: Party, shared: bool) -> list[Question]:
    """Questions put to `party` (only those put to both parties when `shared`)."""
    return [
        q
        for q in questionnaire.questions()
        if party in questionnaire.parties_asked(q.id)
        and (not shared or len(questionnaire.parties_asked(q.id)) == 2)
    ]


def answers(
    questionnaire: Questionnaire, party: Party, shared: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """One respondent's canonical answers; None (no answer) is always possible."""
    return st.fixed_dictionaries(
        {
            q.id: st.one_of(st.none(), st.sampled_from(possible_answers(questionnaire, q)))
            for q in asked(questionnaire, party, shared)
        }
    )


def make_review(vendor: list[dict[str, Any]], client: list[dict[str, Any]]) -> ReviewAnswers:
    return ReviewAnswers(
        "Acme",
        "Globex",
        [Respondent("vendor", a) for a in vendor],
        [Respondent("client", a) for a in client],
    )


def all_numbers(result: ReviewResult) -> list[float]:
    found: list[float | None] = [result.overall.vendor, result.overall.client]
    for d in result.dimensions:
        found += [d.vendor, d.client, d.importance.vendor, d.importance.client, d.priority]
    for q in result.questions:
        found += [q.vendor, q.client]
    return [n for n in found if n is not None]


@pytest.mark.parametrize("load", QUESTIONNAIRES)
@FAST
@given(data=st.data())
def test_scores_stay_between_0_and_100(load: Any, data: st.DataObject) -> None:
    questionnaire = load()
    vendor = data.draw(st.lists(answers(questionnaire, "vendor"), max_size=3))
    client = data.draw(st.lists(answers(questionnaire, "client"), max_size=3))
    result = score(questionnaire, make_review(vendor, client))
    assert all(0.0 <= n <= 100.0 for n in all_numbers(result))
    gaps = [x.gap for x in (*result.dimensions, *result.questions) if x.gap is not None]
    assert all(-100.0 <= gap <= 100.0 for gap in gaps)
    nps = [n for entry in result.nps for n in (entry.vendor, entry.client) if n is not None]
    assert all(-100.0 <= n <= 100.0 for n in nps)
    nps_gaps = [entry.gap for entry in result.nps if entry.gap is not None]
    assert all(-200.0 <= gap <= 200.0 for gap in nps_gaps)


@pytest.mark.parametrize("load", QUESTIONNAIRES)
@FAST
@given(data=st.data())
def test_n_never_exceeds_the_respondents(load: Any, data: st.DataObject) -> None:
    questionnaire = load()
    vendor = data.draw(st.lists(answers(questionnaire, "vendor"), max_size=3))
    client = data.draw(st.lists(answers(questionnaire, "client"), max_size=3))
    result = score(questionnaire, make_review(vendor, client)).to_dict()
    people = {"vendor": len(vendor), "client": len(client)}
    assert result["respondents"] == people
    for entry in (*result["nps"], *result["dimensions"], *result["questions"]):
        for party in ("vendor", "client"):
            assert 0 <= entry["n"][party] <= people[party]
            assert (entry["n"][party] == 0) == (entry[party] is None)
            assert not entry["split"][party] or entry["n"][party] >= 2


SWAPPED = {
    "blind_spot": "hidden_strength",
    "hidden_strength": "blind_spot",
    "aligned": "aligned",
    None: None,
}


@pytest.mark.parametrize("load", QUESTIONNAIRES)
@FAST
@given(data=st.data())
def test_swapping_the_parties_answers_negates_every_gap(load: Any, data: st.DataObject) -> None:
    questionnaire = load()
    one = st.lists(answers(questionnaire, "vendor", shared=True), min_size=1, max_size=2)
    vendor, client = data.draw(one), data.draw(one)
    result = score(questionnaire, make_review(vendor, client))
    swapped = score(questionnaire, make_review(client, vendor))
    for before, after in zip(
        (*result.dimensions, *result.questions),
        (*swapped.dimensions, *swapped.questions),
        strict=True,
    ):
        assert (after.vendor, after.client) == (before.client, before.vendor)
        assert after.gap == (None if before.gap is None else -before.gap)
        assert after.status == SWAPPED[before.status]
        assert (after.spreads.vendor, after.spreads.client) == (
            before.spreads.client,
            before.spreads.vendor,
        )
    for before_nps, after_nps in zip(result.nps, swapped.nps, strict=True):
        assert (after_nps.vendor, after_nps.client) == (before_nps.client, before_nps.vendor)
        assert after_nps.gap == (None if before_nps.gap is None else -before_nps.gap)
    assert (swapped.levels.vendor, swapped.levels.client) == (
        result.levels.client,
        result.levels.vendor,
    )


def without_proposals(result: ReviewResult) -> dict[str, Any]:
    """The scores alone: proposals and every count of respondents (`n`, and the counts the
    reasons quote) left out; which actions fire, and in what order, stays in."""
    document = result.to_dict()
    del document["proposals"], document["respondents"]
    for entry in (*document["nps"], *document["dimensions"], *document["questions"]):
        del entry["n"]
    for action in document["actions"]:
        del action["because"]
    return document


@pytest.mark.parametrize("load", QUESTIONNAIRES)
@FAST
@given(data=st.data())
def test_a_respondent_repeating_the_only_one_changes_no_score(
    load: Any, data: st.DataObject
) -> None:
    questionnaire = load()
    vendor = data.draw(answers(questionnaire, "vendor"))
    client = data.draw(answers(questionnaire, "client"))
    party = data.draw(st.sampled_from(["vendor", "client"]))
    result = score(questionnaire, make_review([vendor], [client]))
    twice = (
        make_review([vendor, vendor], [client])
        if party == "vendor"
        else make_review([vendor], [client, client])
    )
    assert without_proposals(score(questionnaire, twice)) == without_proposals(result)


def level_rank(questionnaire: Questionnaire, level_id: str) -> int:
    return [level.id for level in questionnaire.levels].index(level_id)


@FAST
@given(data=st.data())
def test_raising_one_answer_never_lowers_that_partys_level(data: st.DataObject) -> None:
    """Raise = replace an answered scored question's answer by one scoring at least as high.

    Holds for small.yaml because no scored question there depends on a show_if: raising
    only raises that question's mean, hence its dimension and the overall score, and a
    level is a set of "score ≥ minimum" tests. (Replacing a missing answer is not a raise:
    a low first answer can lower a dimension.)
    """
    questionnaire = SMALL
    party: Party = data.draw(st.sampled_from(["vendor", "client"]))
    group = data.draw(st.lists(answers(questionnaire, party), min_size=1, max_size=3))
    other = data.draw(
        st.lists(answers(questionnaire, "client" if party == "vendor" else "vendor"), max_size=2)
    )
    candidates = [
        (i, q)
        for i, person in enumerate(group)
        for q in asked(questionnaire, party, shared=False)
        if q.is_scored and person.get(q.id) is not None
    ]
    if not candidates:
        return
    index, question = data.draw(st.sampled_from(candidates))
    kind = kind_of(question)
    before_score = kind.normalise(questionnaire, question, group[index][question.id])
    assert before_score is not None
    higher = [
        a
        for a in possible_answers(questionnaire, question)
        if (kind.normalise(questionnaire, question, a) or 0.0) >= before_score
    ]
    raised = [dict(person) for person in group]
    raised[index][question.id] = data.draw(st.sampled_from(higher))

    def level(people: list[dict[str, Any]]) -> int:
        review = make_review(people, other) if party == "vendor" else make_review(other, people)
        return level_rank(questionnaire, score(questionnaire, review).levels.of(party))

    assert level(raised) >= level(group)
