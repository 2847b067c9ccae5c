"""The comparison page: reveal rule, access (vendor scope, client link), and numbers that
are exactly the engine's, as `survey score` prints them for the exported answers file."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from survey import links
from survey.extensions import db
from survey.models import Review

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "questionnaires" / "examples" / "acme-globex.yaml"
SURVEY = Path(sys.executable).parent / "survey"


# --- helpers shared by the results tests (imported by test_plan, test_pdf, test_exports) ----


def example_people() -> list[tuple[str, str | None, dict[str, Any]]]:
    """(party, name, raw answers) of the example answers file, "Don't know" kept as given."""
    document = yaml.safe_load(EXAMPLE.read_text())
    return [
        (party, person.get("name"), person["answers"])
        for party in ("vendor", "client")
        for person in document[party]["respondents"]
    ]


def fill_from_example(app: Flask, review: Any, make_respondent: Callable[..., Any]) -> None:
    """Submit every respondent of the example answers file into `review`."""
    for party, name, answers in example_people():
        make_respondent(review, party, name=name, answers=answers, submit=True)


def make_scored(
    app: Flask,
    vendor_a: Any,
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
    shared: bool = True,
) -> Any:
    """Vendor A's review of Globex with the example's answers, all submitted, and (unless
    `shared` is False) shared with the client, the staged reveal's last step."""
    from survey.results import operations as results_ops

    review = make_review(vendor_a, client_name="Globex")
    fill_from_example(app, review, make_respondent)
    if shared:
        with app.app_context():
            row = db.session.get(Review, review.id)
            assert row is not None
            results_ops.share_results(row, results_ops.Actor(user=row.created_by))
    return review


@pytest.fixture
def scored(
    app: Flask,
    vendor_a: Any,
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
) -> Any:
    """Vendor A's review of Globex with the example's answers, all submitted."""
    return make_scored(app, vendor_a, make_review, make_respondent)


class Cells(HTMLParser):
    """Collect the text of elements carrying `data-key` inside rows with `data-<row_attr>`."""

    def __init__(self, row_attr: str) -> None:
        super().__init__()
        self.row_attr = f"data-{row_attr}"
        self.row: str | None = None
        self.key: str | None = None
        self.depth = 0
        self.cells: dict[tuple[str | None, str], str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self.row_attr in found and tag == "tr":
            self.row = found[self.row_attr]
        if self.key is not None:
            self.depth += 1
        elif "data-key" in found:
            self.key, self.depth = found["data-key"], 1
            self.cells[(self.row, self.key)] = ""

    def handle_endtag(self, tag: str) -> None:
        if self.key is not None:
            self.depth -= 1
            if self.depth == 0:
                self.key = None
        if tag == "tr":
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.key is not None:
            self.cells[(self.row, self.key)] += data


def cells(html: str, row_attr: str) -> dict[tuple[str | None, str], str]:
    parser = Cells(row_attr)
    parser.feed(html)
    return {k: " ".join(v.split()) for k, v in parser.cells.items()}


def shown(value: float | None) -> str:
    return "–no score" if value is None else f"{value:.1f}"  # a dash, and words for readers


def shown_gap(value: float | None) -> str:
    return "–not compared" if value is None else f"{value:+.1f}"


def survey_score(app: Flask, review_id: int, export: str, tmp_path: Path) -> dict[str, Any]:
    """Run the installed `survey score` on the export and the review's pinned questionnaire."""
    with app.app_context():
        row = db.session.get(Review, review_id)
        assert row is not None
        source = row.questionnaire_source
    (tmp_path / "q.yaml").write_text(source)
    (tmp_path / "export.json").write_text(export)
    done = subprocess.run(
        [
            str(SURVEY),
            "score",
            str(tmp_path / "q.yaml"),
            str(tmp_path / "export.json"),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


# --- the reveal rule --------------------------------------------------------------------------


def test_nobody_sees_results_until_both_sides_submitted(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
) -> None:
    review = make_review(vendor_a, client_name="Globex")
    people = example_people()
    vendor_answers = next(a for party, _, a in people if party == "vendor")
    client_answers = next(a for party, _, a in people if party == "client")
    make_respondent(review, "vendor", name="Dana", answers=vendor_answers, submit=True)
    # a client draft (not submitted) does not count
    make_respondent(review, "client", name="Draft", answers=client_answers)

    page = vendor_client.get(f"/reviews/{review.public_id}/results").get_data(as_text=True)
    assert "not ready" in page and 'data-party="client"' in page
    assert 'data-party="vendor"' not in page
    assert "dimension-table" not in page
    for suffix in ("report.pdf", "export.json", "answers.csv"):
        assert vendor_client.get(f"/reviews/{review.public_id}/results/{suffix}").status_code == 404
    anonymous = FlaskClient(app)
    shared = anonymous.get(f"/r/{review.results_token}/results").get_data(as_text=True)
    assert "not ready" in shared and "dimension-table" not in shared
    for suffix in ("report.pdf", "export.json", "answers.csv"):
        assert anonymous.get(f"/r/{review.results_token}/results/{suffix}").status_code == 404

    make_respondent(review, "client", name="Hiro", answers=client_answers, submit=True)
    page = vendor_client.get(f"/reviews/{review.public_id}/results").get_data(as_text=True)
    assert "dimension-table" in page
    assert "Draft" not in page  # the draft's answers never show


# --- the numbers ------------------------------------------------------------------------------


def test_page_numbers_equal_survey_score_on_the_export(
    app: Flask, vendor_client: FlaskClient, scored: Any, tmp_path: Path
) -> None:
    export = vendor_client.get(f"/reviews/{scored.public_id}/results/export.json")
    assert export.status_code == 200
    expected = survey_score(app, scored.id, export.get_data(as_text=True), tmp_path)

    page = vendor_client.get(f"/reviews/{scored.public_id}/results").get_data(as_text=True)
    dims = cells(page, "dimension")
    assert len(expected["dimensions"]) == 11
    for d in expected["dimensions"]:
        assert dims[(d["id"], "vendor")] == shown(d["vendor"])
        assert dims[(d["id"], "client")] == shown(d["client"])
        assert dims[(d["id"], "gap")] == shown_gap(d["gap"])
        assert dims[(d["id"], "priority")] == shown(d["priority"])
        assert dims[(d["id"], "importance")] == shown(d["importance"]["client"])
    questions = cells(page, "question")
    for q in expected["questions"]:
        assert questions[(q["id"], "vendor")] == shown(q["vendor"])
        assert questions[(q["id"], "client")] == shown(q["client"])
        assert questions[(q["id"], "gap")] == shown_gap(q["gap"])
    level_titles = {
        "vendor": "Vendor",
        "confidant": "Confidant",
        "consultant": "Consultant",
        "virtual-partner": "Virtual partner",
    }
    top = cells(page, "nothing")
    assert top[(None, "agreed-level")] == level_titles[expected["levels"]["agreed"]]
    assert top[(None, "vendor-level")] == level_titles[expected["levels"]["vendor"]]
    assert top[(None, "client-level")] == level_titles[expected["levels"]["client"]]
    assert top[(None, "overall-vendor")] == shown(expected["overall"]["vendor"])
    assert top[(None, "overall-client")] == shown(expected["overall"]["client"])
    for missing in expected["levels"]["next"]["missing"]:
        assert f'data-dimension="{missing["dimension"]}" data-party="{missing["party"]}"' in page
        assert f"scores {missing['score']:.1f}, needs {missing['needed']}" in page


def test_page_shows_charts_spread_and_verbatims(vendor_client: FlaskClient, scored: Any) -> None:
    page = vendor_client.get(f"/reviews/{scored.public_id}/results").get_data(as_text=True)
    for kind in ("levels", "radar", "gaps", "quadrant"):
        assert f"chart chart-{kind}" in page
    assert "What it takes to reach " in page
    assert "Concentrate here" in page and "Possible overkill" in page
    # the kinds and types of relationship chosen, and the texts
    assert "Close partners" in page and "Colleagues" in page
    assert "Teammates" in page
    assert "The March data feed broke" in page
    # the spread within a party: two vendor respondents answered 5 and Agree (4) -> 75–100
    ranges = cells(page, "question")
    assert ranges[("knows-priorities", "vendor-range")] == "75.0–100.0"
    assert "style=" not in page and "<script>" not in page.split("</footer>")[0]
    # suggestions with their reasons are offered in the plan
    assert "To decide:" in page and "Why:" in page


def test_review_page_links_to_results(vendor_client: FlaskClient, scored: Any) -> None:
    page = vendor_client.get(f"/reviews/{scored.public_id}").get_data(as_text=True)
    assert f"/reviews/{scored.public_id}/results" in page


# --- access -----------------------------------------------------------------------------------


def test_other_organisation_and_anonymous_cannot_see_results(
    app: Flask, client: FlaskClient, login: Any, vendor_b: Any, scored: Any
) -> None:
    assert client.get(f"/reviews/{scored.public_id}/results").status_code == 302  # to login
    login(client, vendor_b)
    for suffix in ("", "/report.pdf", "/export.json", "/answers.csv"):
        assert client.get(f"/reviews/{scored.public_id}/results{suffix}").status_code == 404


def test_client_sees_results_through_its_link_only(
    app: Flask, client: FlaskClient, scored: Any
) -> None:
    response = client.get(f"/r/{scored.results_token}/results")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "dimension-table" in page and "Propose an action" in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    # the client's exports come through its own link, made for the client (see
    # test_confidentiality), never the vendor's
    assert f"/r/{scored.results_token}/results/export.json" in page
    assert f"/reviews/{scored.public_id}/" not in page
    assert client.get(f"/r/{scored.vendor_token}/results").status_code == 404
    assert client.get(f"/r/{scored.client_token}/results").status_code == 404  # a survey link
    assert client.get("/r/not-a-token/results").status_code == 404


def test_stopping_sharing_closes_the_client_door(
    app: Flask, client: FlaskClient, scored: Any
) -> None:
    from survey.results import operations as results_ops

    with app.app_context():
        row = db.session.get(Review, scored.id)
        assert row is not None
        results_ops.stop_sharing(row, results_ops.Actor(user=row.created_by))
    page = client.get(f"/r/{scored.results_token}/results").get_data(as_text=True)
    assert "not shared at the moment" in page and "dimension-table" not in page
    assert client.get(f"/r/{scored.results_token}/results/report.pdf").status_code == 404
    assert (
        client.post(
            f"/r/{scored.results_token}/results/propose", data={"propose-title": "x"}
        ).status_code
        == 404
    )


def test_revoked_client_link_sees_nothing(app: Flask, client: FlaskClient, scored: Any) -> None:

    with app.app_context():
        row = db.session.get(Review, scored.id)
        assert row is not None
        links.revoke_link(row, "results")
    gone = client.get(f"/r/{scored.results_token}/results")
    assert gone.status_code == 410
    assert "This link was withdrawn" in gone.get_data(as_text=True)


def test_hostile_text_is_inert_on_the_page(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
) -> None:
    review = make_review(vendor_a, client_name="Globex")
    fill_from_example(app, review, make_respondent)
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    base = next(a for party, _, a in example_people() if party == "client")
    make_respondent(
        review,
        "client",
        name=evil,
        answers={**base, "start": evil[:40], "stop": evil},
        submit=True,
    )
    page = vendor_client.get(f"/reviews/{review.public_id}/results").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- importance questions ---------------------------------------------------------------------


def _between(html: str, start: str, end: str) -> str:
    head = html.index(start)
    return html[head : html.index(end, head)]


def test_importance_questions_are_their_own_group_without_blind_spot_words(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
) -> None:
    # Version 1 of the flagship asks both sides about importance, so its importance rows
    # have gaps the engine calls blind spots; version 2 asks the client alone.
    data = ROOT / "tests" / "data"
    scored = make_review(
        vendor_a, questionnaire_path=data / "questionnaires" / "vendor-value-review-v1.yaml"
    )
    document = yaml.safe_load((data / "scoring" / "acme-globex-v1.yaml").read_text())
    for party in ("vendor", "client"):
        for person in document[party]["respondents"]:
            answers = person["answers"]
            make_respondent(scored, party, name=person.get("name"), answers=answers, submit=True)
    page = vendor_client.get(f"/reviews/{scored.public_id}/results").get_data(as_text=True)
    with app.app_context():
        from survey.results.data import build_comparison

        comparison = build_comparison(db.session.get(Review, scored.id), "vendor")
        importance = comparison.importance_questions
        performance = comparison.performance_questions
    assert len(importance) == 6 and all(q.id.endswith("-importance") for q in importance)
    assert not any(q.is_importance for q in performance)
    # the engine's per-question output is kept: some importance rows it calls a blind spot
    assert {q.status for q in importance} - {"aligned", None}

    rated = _between(page, 'id="question-table"', "</table>")
    mattering = _between(page, 'id="importance-table"', "</table>")
    assert "How much each side says it matters" in page
    assert "-importance" not in rated
    shown_cells = cells(mattering, "question")
    for q in importance:
        assert shown_cells[(q.id, "vendor")] == shown(q.vendor)
        assert shown_cells[(q.id, "client")] == shown(q.client)
        assert shown_cells[(q.id, "gap")] == shown_gap(q.gap)
        words = "Agree" if q.status == "aligned" else "Differ on importance"
        assert shown_cells[(q.id, "status")] == words
    assert "Blind spot" not in mattering and "Hidden strength" not in mattering
    assert "Blind spot" in rated or "Hidden strength" in rated


def test_each_sides_ranges_come_from_the_one_scoring_pass() -> None:
    """The lowest and highest respondent score per question, as the engine keeps them while
    it scores, equal scoring each respondent alone (what the page once did, 1,203 engine
    runs for 200 + 200 people)."""
    from survey.disclosure import Confidentiality, Disclosure
    from survey.domain.answers import parse_answers
    from survey.domain.loader import load_file
    from survey.domain.scoring import ReviewAnswers, score
    from survey.results.data import party_spreads

    questionnaire = load_file(ROOT / "questionnaires" / "vendor-value-review.yaml").questionnaire
    answers = parse_answers(EXAMPLE.read_text(), EXAMPLE.name, questionnaire)
    everyone = Disclosure("vendor", Confidentiality(True, 1), {"vendor": 9, "client": 9})
    ranges = party_spreads(score(questionnaire, answers), everyone)
    expected: dict[str, dict[str, tuple[float, float] | None]] = {}
    for party in ("vendor", "client"):
        for person in answers.respondents(party):
            alone = ReviewAnswers(
                answers.vendor_org,
                answers.client_org,
                [person] if party == "vendor" else [],
                [person] if party == "client" else [],
            )
            for entry in score(questionnaire, alone).to_dict()["questions"]:
                if entry[party] is None:
                    continue
                per = expected.setdefault(entry["id"], {"vendor": None, "client": None})
                low, high = per[party] or (entry[party], entry[party])
                per[party] = (min(low, entry[party]), max(high, entry[party]))
    assert ranges == expected
    assert any(low != high for per in ranges.values() for low, high in filter(None, per.values()))
