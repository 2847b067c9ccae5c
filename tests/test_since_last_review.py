"""Since last review (issue 13, point 2): deltas between two scored reviews, by hand.

The questionnaire below scores Business relevance and Trust with choice questions whose
choices are worth every whole score from 0 to 100, so a test can ask for an exact score.
Every expected number in this module was worked out by hand from the answers written
next to it, with the scoring rules of docs/questionnaire-format.md.
"""

from __future__ import annotations

from typing import Any

import pytest

from survey.domain.change import Comparison, compare, direction_of
from survey.domain.loader import load_text
from survey.domain.model import Questionnaire
from survey.domain.scoring import Respondent, ReviewAnswers, ReviewResult, score

SCORES = "\n".join(f"          - {{label: s{n}, score: {n}}}" for n in range(101))


def curve_questionnaire(**options: Any) -> Questionnaire:
    """The questionnaire of :func:`curve_text`, loaded."""
    return load_text(curve_text(**options), "curve.yaml")


def curve_text(
    *, version: int = 1, extra_dimension: bool = False, listening: bool = True, warnings: str = ""
) -> str:
    """Relevance, trust and (optionally) listening; four levels, an NPS question."""
    dims = ["relevance", "trust"] + (["listening"] if listening else [])
    dims += ["value"] if extra_dimension else []
    dimensions = "\n".join(f"  - {{id: {d}, title: {d.title()}}}" for d in dims)
    choice_questions = "\n".join(
        f"      - id: {d}-q\n        kind: choice\n        dimension: {d}\n"
        f"        ask: How is {d}?\n        choices:\n{SCORES}"
        for d in dims
        if d != "listening"
    )
    listening_q = (
        "      - {id: listen-q, dimension: listening, scale: agreement, ask: Do they listen?}\n"
        if listening
        else ""
    )
    confidant = "{listening: 50}" if listening else "{trust: 50}"
    text = f"""\
id: curve
version: {version}
title: Curve
parties:
  vendor: {{label: Vendor}}
  client: {{label: Client}}
scales:
  agreement:
    choices: [Strongly disagree, Disagree, Neither, Agree, Strongly agree]
  zero-to-ten:
    range: [0, 10]
dimensions:
{dimensions}
{warnings}sections:
  - id: main
    title: Main
    questions:
{listening_q}{choice_questions}
      - {{id: recommend, scale: zero-to-ten, counts_as: nps, ask: Would you recommend?}}
levels:
  - {{id: vendor, title: Vendor}}
  - {{id: confidant, title: Confidant, requires: {confidant}}}
  - {{id: consultant, title: Consultant, requires: {{trust: 60, relevance: 60}}}}
  - {{id: partner, title: Virtual partner, requires: {{overall: 90}}}}
"""
    return text


def answers(listen: int | None, relevance: int, trust: int, recommend: int) -> dict[str, Any]:
    given: dict[str, Any] = {
        "relevance-q": f"s{relevance}",
        "trust-q": f"s{trust}",
        "recommend": recommend,
    }
    if listen is not None:
        given["listen-q"] = listen
    return given


def scored(
    questionnaire: Questionnaire,
    vendor: list[dict[str, Any]],
    client: list[dict[str, Any]],
) -> ReviewResult:
    return score(
        questionnaire,
        ReviewAnswers(
            vendor_org="Acme",
            client_org="Globex",
            vendor=[Respondent("vendor", a) for a in vendor],
            client=[Respondent("client", a) for a in client],
        ),
    )


Q = curve_questionnaire()

# Review 1. Vendor: listening 4 = 75, relevance 80, trust 60, recommends 8 (passive).
# Client, two people: listening 3 and 4 = 50 and 75 (mean 62.5), relevance 70 and 60
# (65), trust 50 and 70 (60), recommend 9 and 6 (one promoter, one detractor: NPS 0).
FIRST = scored(
    Q,
    vendor=[answers(4, 80, 60, 8)],
    client=[answers(3, 70, 50, 9), answers(4, 60, 70, 6)],
)
# Review 2. Vendor: listening 5 = 100, relevance 80, trust 70, recommends 6 (NPS -100).
# Client: listening 4 and 4 (75), relevance 50 and 56 (53), trust 70 and 64 (67),
# recommend 10 and 9 (NPS 100).
SECOND = scored(
    Q,
    vendor=[answers(5, 80, 70, 6)],
    client=[answers(4, 50, 70, 10), answers(4, 56, 64, 9)],
)


def comparison() -> Comparison:
    found = compare(Q, FIRST, Q, SECOND)
    assert found is not None
    return found


def test_dimension_deltas_match_the_hand_computed_ones() -> None:
    got = {
        (change.id, party): (d.before, d.after, d.change, d.direction)
        for change in comparison().dimensions
        for party in ("vendor", "client")
        for d in [change.scores.of(party)]
    }
    assert got == {
        ("relevance", "vendor"): (80.0, 80.0, 0.0, "same"),
        ("relevance", "client"): (65.0, 53.0, -12.0, "down"),
        ("trust", "vendor"): (60.0, 70.0, 10.0, "up"),
        ("trust", "client"): (60.0, 67.0, 7.0, "up"),
        ("listening", "vendor"): (75.0, 100.0, 25.0, "up"),
        ("listening", "client"): (62.5, 75.0, 12.5, "up"),
    }


def test_overall_and_nps_deltas_match_the_hand_computed_ones() -> None:
    found = comparison()
    assert found.overall is not None
    # Client overall: (62.5 + 65 + 60) / 3 = 62.5, then (75 + 53 + 67) / 3 = 65.
    assert found.overall.client.to_dict() == {
        "before": 62.5,
        "after": 65.0,
        "change": 2.5,
        "direction": "up",
    }
    # Vendor overall: (75 + 80 + 60) / 3 = 71.67, then (100 + 80 + 70) / 3 = 83.33.
    assert found.overall.vendor.to_dict()["change"] == 11.7
    (nps,) = found.nps
    assert (nps.id, nps.scores.client.before, nps.scores.client.after) == ("recommend", 0.0, 100.0)
    assert (nps.scores.vendor.change, nps.scores.vendor.direction) == (-100.0, "down")


def test_each_partys_level_and_the_agreed_one_with_steps() -> None:
    found = comparison()
    # Review 1: both sides meet consultant (trust 60, relevance >= 60). Review 2: the
    # client's relevance 53 misses consultant's 60, so the client and the agreed level
    # fall one step to confidant; the vendor stays at consultant (overall 83.3 < 90).
    rows = [(c.party, c.before_title, c.after_title, c.steps, c.direction) for c in found.levels]
    assert rows == [
        ("vendor", "Consultant", "Consultant", 0, "same"),
        ("client", "Consultant", "Confidant", -1, "down"),
        ("agreed", "Consultant", "Confidant", -1, "down"),
    ]
    assert found.level("agreed").to_dict()["steps"] == -1
    assert not found.only_shared
    assert found.note() is None


def test_direction_is_judged_on_the_one_decimal_shown() -> None:
    assert direction_of(0.04) == "same"
    assert direction_of(-0.05) == "down"
    assert direction_of(0.06) == "up"
    assert direction_of(None) is None


def test_different_questionnaire_ids_are_not_compared() -> None:
    other = Q.model_copy(update={"id": "other"})
    assert compare(Q, FIRST, other, scored(other, [answers(4, 80, 60, 8)], [])) is None


def test_across_versions_only_shared_dimensions_are_compared_and_it_says_so() -> None:
    newer = curve_questionnaire(version=2, listening=False, extra_dimension=True)
    current = scored(
        newer,
        vendor=[{**answers(None, 80, 70, 6), "value-q": "s40"}],
        client=[{**answers(None, 50, 70, 10), "value-q": "s40"}],
    )
    found = compare(Q, FIRST, newer, current)
    assert found is not None
    assert found.only_shared
    assert [c.id for c in found.dimensions] == ["relevance", "trust"]
    assert found.dimension("relevance").scores.client.change == pytest.approx(-15.0)
    assert found.overall is None
    assert found.left_out == ("Listening", "Value")
    assert found.note() == (
        "The questionnaire changed from version 1 to version 2: only the 2 dimensions both"
        " versions have are compared, and the overall score is not."
        " Not compared: Listening, Value."
    )
    with pytest.raises(KeyError):
        found.dimension("listening")
