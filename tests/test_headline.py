"""The headline's sentences on plain data (survey.domain.headline): each figure is the
engine's rounded number, and the sentences say so when there is nothing to say."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from survey.domain.answers import parse_answers
from survey.domain.change import compare
from survey.domain.headline import KEYS, Sentence, headline
from survey.domain.loader import load_file
from survey.domain.model import Party, Questionnaire
from survey.domain.scoring import ReviewResult, score

ROOT = Path(__file__).resolve().parent.parent
NAMES: dict[Party, str] = {"vendor": "Acme Analytics", "client": "Globex"}


def example() -> tuple[Questionnaire, ReviewResult]:
    questionnaire = load_file(ROOT / "questionnaires" / "vendor-value-review.yaml").questionnaire
    path = ROOT / "questionnaires" / "examples" / "acme-globex.yaml"
    answers = parse_answers(path.read_text("utf-8"), str(path), questionnaire)
    return questionnaire, score(questionnaire, answers)


def by_key(sentences: tuple[Sentence, ...]) -> dict[str, Sentence]:
    return {s.key: s for s in sentences}


def test_the_example_headline_quotes_the_engines_rounded_numbers() -> None:
    questionnaire, result = example()
    sentences = headline(questionnaire, result, NAMES)
    assert [s.key for s in sentences] == list(KEYS)
    found = by_key(sentences)
    numbers = result.to_dict()
    dims = {d["id"]: d for d in numbers["dimensions"]}
    blind = [d for d in result.dimensions if d.rates == "vendor" and d.status == "blind_spot"]
    widest = max(blind, key=lambda d: abs(d.gap or 0.0))
    text = found["blind_spot"].text
    assert text.startswith(f"The biggest blind spot is {widest.title}: Acme Analytics scores it")
    assert f"{dims[widest.id]['vendor']:.1f}, Globex {dims[widest.id]['client']:.1f}" in text
    nps = numbers["nps"][0]
    assert found["nps"].text == (
        f"Globex's net promoter score is {nps['client']:.1f} (from −100 to 100);"
        f" Acme Analytics predicted {nps['vendor']:.1f}."
    )
    overall = numbers["overall"]
    assert f"(overall {overall['vendor']:.1f})" in found["stands"].text
    assert "first review of Globex" in found["changed"].text


def test_no_blind_spot_and_no_nps_are_said_in_words() -> None:
    questionnaire, result = example()
    calm = replace(
        result,
        dimensions=tuple(replace(d, status="aligned") for d in result.dimensions),
        nps=(),
    )
    found = by_key(headline(questionnaire, calm, NAMES))
    assert found["blind_spot"].text.startswith("There is no blind spot")
    assert "20 points or more" in found["blind_spot"].text
    assert "nps" not in found


def test_what_changed_compares_with_the_previous_result() -> None:
    questionnaire, result = example()
    lower = replace(
        result,
        dimensions=tuple(
            replace(d, client=None if d.client is None else d.client + 10.0)
            for d in result.dimensions
        ),
    )
    comparison = compare(questionnaire, lower, questionnaire, result)
    assert comparison is not None
    found = by_key(headline(questionnaire, result, NAMES, comparison, "the review of 3 June 2026"))
    text = found["changed"].text
    assert text.startswith("Since the review of 3 June 2026, the agreed level stayed at")
    # every client score fell by 10.0, so the biggest drop is a fall of 10.0
    assert "Globex's biggest drop is" in text and "down 10.0" in text
