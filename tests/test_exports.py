"""Exports: the answers file round-trips through `survey score`; the CSV is inert in a
spreadsheet (formula-looking cells get a leading apostrophe)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from test_results import example_people, make_scored, survey_score

from survey.extensions import db
from survey.models import Review
from survey.results.data import build_comparison
from survey.results.exports import FORMULA_STARTS, neutralise


@pytest.fixture
def scored(app: Flask, vendor_a: Any, make_review: Any, make_respondent: Any) -> Any:
    return make_scored(app, vendor_a, make_review, make_respondent)


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_formula_cells_are_neutralised(start: str) -> None:
    assert neutralise(f"{start}1+1") == f"'{start}1+1"


def test_ordinary_cells_are_left_alone() -> None:
    assert neutralise("Solid") == "Solid"
    assert neutralise("a=b") == "a=b"
    assert neutralise(4) == 4
    assert neutralise("") == ""


def without_reasons(numbers: dict[str, Any]) -> dict[str, Any]:
    """The engine's JSON with the actions' reasons left out (the numbers all kept)."""
    actions = [{k: v for k, v in a.items() if k != "because"} for a in numbers["actions"]]
    return {**numbers, "actions": actions}


def test_json_export_is_an_answers_file_that_scores_like_the_page(
    app: Flask, vendor_client: FlaskClient, scored: Any, tmp_path: Path
) -> None:
    response = vendor_client.get(f"/reviews/{scored.public_id}/results/export.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.get_data(as_text=True))
    assert yaml.safe_load(response.get_data(as_text=True)) == document  # JSON is YAML
    assert document["vendor"]["org"] == "Acme Analytics"
    assert document["client"]["org"] == "Globex"
    assert len(document["vendor"]["respondents"]) == 2
    assert len(document["client"]["respondents"]) == 3
    expected = survey_score(app, scored.id, response.get_data(as_text=True), tmp_path)
    with app.app_context():
        page_numbers = build_comparison(db.session.get(Review, scored.id), "vendor").numbers
    # Acme has 2 people, under the threshold of 3: the page's reasons speak of Acme as a
    # side, while `survey score` (which knows no threshold) counts its respondents.
    assert without_reasons(page_numbers) == without_reasons(expected)
    assert document["includes"][0] == "Made for Acme Analytics."


def test_csv_has_every_submitted_answer_and_neutralises_formulas(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Any,
    make_respondent: Any,
) -> None:
    review = make_review(vendor_a, client_name="Globex", names_to_other_side=True)
    people = example_people()
    for party, name, answers in people:
        make_respondent(review, party, name=name, answers=answers, submit=True)
    base = next(a for party, _, a in people if party == "client")
    make_respondent(
        review,
        "client",
        name="=cmd|' /C calc'!A0",
        answers={**base, "stop": "@SUM(1+1)*cmd", "start": "-2+3"},
        submit=True,
    )
    make_respondent(review, "client", name="Draft Person", answers=base)  # not submitted
    response = vendor_client.get(f"/reviews/{review.public_id}/results/answers.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    key, header, body = rows[0], rows[1], rows[2:]
    assert key[0].startswith("# Includes: Made for Acme Analytics.")
    assert header[:3] == ["party", "organisation", "respondent"]
    for row in body:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    names = {row[2] for row in body}
    assert "'=cmd|' /C calc'!A0" in names
    assert "Draft Person" not in names
    answers = {(row[2], row[5]): row[7] for row in body}
    assert answers[("'=cmd|' /C calc'!A0", "stop")] == "'@SUM(1+1)*cmd"
    assert answers[("'=cmd|' /C calc'!A0", "start")] == "'-2+3"
    assert answers[("Dana (account director)", "knows-priorities")] == "5"
    labels = {(row[2], row[5]): row[8] for row in body}
    assert labels[("Dana (account director)", "knows-priorities")] == "Strongly agree"
