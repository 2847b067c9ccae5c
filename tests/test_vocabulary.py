"""One vocabulary for the codes people read (issue 14, point 3): the results page, the PDF,
the charts, the plan's history and `survey score` take their words from
survey.domain.vocabulary, so a word changed there changes everywhere."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from test_results import EXAMPLE, make_scored

from survey.domain import model, vocabulary
from survey.domain.answers import parse_answers
from survey.domain.loader import load_file
from survey.domain.report import render_text
from survey.domain.scoring import score
from survey.models import ACTION_OWNERS, ACTION_STATUSES, STAKES
from survey.results import views as results_views

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "questionnaires" / "vendor-value-review.yaml"
#: Words no page would show by chance.
MARKED = "zz-gap-word"


def test_every_code_has_its_words() -> None:
    assert set(vocabulary.STATUS_WORDS) == set(typing.get_args(model.Status))
    assert set(vocabulary.QUADRANT_WORDS) == set(typing.get_args(model.Quadrant))
    assert set(vocabulary.PLAN_STATUS_WORDS) == set(ACTION_STATUSES)
    assert set(vocabulary.OWNER_WORDS) == set(ACTION_OWNERS)
    assert set(vocabulary.STAKE_WORDS) == set(STAKES)


def test_the_filters_say_the_words() -> None:
    assert vocabulary.status_words("blind_spot") == "blind spot"
    assert vocabulary.status_words(None) == vocabulary.DASH
    assert vocabulary.quadrant_words("keep_it_up") == "Keep it up"
    assert vocabulary.capitalised(vocabulary.plan_status_words("in_progress")) == "In progress"
    assert vocabulary.owner_words("joint", "Acme", "Globex") == "Both, jointly"
    assert vocabulary.owner_words("client", "Acme", "Globex") == "Globex"


@pytest.fixture
def marked_blind_spot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(vocabulary.STATUS_WORDS, "blind_spot", MARKED)  # type: ignore[arg-type]


@pytest.mark.usefixtures("marked_blind_spot")
def test_the_page_the_pdf_and_the_charts_take_the_one_word(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Any,
    make_respondent: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    review = make_scored(app, vendor_a, make_review, make_respondent)
    page = vendor_client.get(f"/reviews/{review.public_id}/results").get_data(as_text=True)
    assert f">{vocabulary.capitalised(MARKED)}</span>" in page  # the table's badge
    assert f"{MARKED}</text>" in page  # the gaps chart, drawn on the server
    printed: list[str] = []

    def keep_html(html: str, *_args: Any, **_kwargs: Any) -> bytes:
        printed.append(html)
        return b"%PDF-1.7"

    monkeypatch.setattr(results_views, "render_pdf", keep_html)
    assert vendor_client.get(f"/reviews/{review.public_id}/results/report.pdf").status_code == 200
    assert MARKED in printed[0]


@pytest.mark.usefixtures("marked_blind_spot")
def test_survey_score_takes_the_one_word() -> None:
    loaded = load_file(FLAGSHIP)
    answers = parse_answers(EXAMPLE.read_text(), EXAMPLE.name, loaded.questionnaire)
    text = render_text(score(loaded.questionnaire, answers), loaded.questionnaire, answers)
    assert MARKED in text
