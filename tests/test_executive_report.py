"""The report an executive reads (issue 13 point 5): the demo's PDF is at most 8 pages, in
the agreed order, and its headline's figures are the tables' figures; the results page
follows the same order."""

from __future__ import annotations

import io
import re
from html import unescape
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from pypdf import PdfReader
from test_pdf import ARTIFACTS, assert_fits_the_page, keep_pages

from survey.cli import main
from survey.commands.demo import DEMO_EMAIL, DEMO_PASSWORD
from survey.domain.headline import KEYS
from survey.extensions import db
from survey.models import Review
from survey.results.data import build_comparison, plan_items
from survey.results.report import first_actions, headline_for, method_for
from survey.since import since_last_review

#: The sections in reading order, by the heading each starts with.
ORDER = (
    "The headline",
    "The first three actions",
    "How to read this",
    "Since last review",
    "Where the relationship stands",
    "The gaps, dimension by dimension",
    "In their own words",
    "Joint action plan",
    "Next relationship review",
)
MAX_PAGES = 8


@pytest.fixture
def demo(app: Flask, runner: FlaskCliRunner) -> dict[str, Any]:
    """`survey demo`, logged in: the demo review's id, its PDF and its results page."""
    result = runner.invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    review_id = result.output.splitlines()[1].rsplit("/", 1)[1]
    browser = app.test_client()
    browser.post("/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    pdf = browser.get(f"/reviews/{review_id}/results/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    page = browser.get(f"/reviews/{review_id}/results")
    assert page.status_code == 200
    results_link = result.output.splitlines()[4].split("http://127.0.0.1:5000", 1)[1]
    shared = app.test_client().get(results_link)
    assert shared.status_code == 200
    return {
        "id": review_id,
        "pdf": pdf.get_data(),
        "html": page.get_data(as_text=True),
        "client_html": shared.get_data(as_text=True),
    }


def _pages(pdf: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def _objects(app: Flask, review_id: str) -> dict[str, Any]:
    with app.app_context():
        review = db.session.scalar(sa.select(Review).where(Review.public_id == review_id))
        assert review is not None
        comparison = build_comparison(review, "vendor")
        found = since_last_review(review, "vendor", comparison.result)
        return {
            "headline": headline_for(comparison, found),
            "method": method_for(review, comparison),
            "actions": [i.title for i in first_actions(plan_items(review))],
            "numbers": comparison.numbers,
            "titles": comparison.dimension_titles,
            "since": found,
        }


def test_demo_pdf_is_at_most_8_pages_in_the_agreed_order(app: Flask, demo: dict[str, Any]) -> None:
    pages = _pages(demo["pdf"])
    png = keep_pages(demo["pdf"], "demo-report")  # kept first, to look at when this fails
    assert len(pages) <= MAX_PAGES, len(pages)
    text = " ".join(pages)
    at = [text.find(heading) for heading in ORDER]
    assert all(i >= 0 for i in at), dict(zip(ORDER, at, strict=True))
    assert at == sorted(at), dict(zip(ORDER, at, strict=True))
    # page 1 holds the headline's five sentences and the first three actions
    facts = _objects(app, demo["id"])
    assert [s.key for s in facts["headline"]] == list(KEYS)
    for sentence in facts["headline"]:
        assert " ".join(sentence.text.split()) in pages[0], sentence.key
    assert len(facts["actions"]) == 3
    for title in facts["actions"]:
        assert title in pages[0]
    # the plan shows the carried-over items, and the next review date closes the report
    assert "Carried over from the review of" in text
    assert re.search(r"Next relationship review: \d{1,2} \w+ \d{4}", pages[-1])
    # the method box: response rate per side, threshold, quadrant cut, the caution
    for side in facts["method"].sides:
        assert f"{side.organisation} ({side.label.lower()}): {side.words}" in text
    assert f"At {facts['method'].gap_threshold:g} points or more" in text
    cut = facts["method"].quadrant_cut
    assert f"cut at importance {cut[0]:.1f} and score {cut[1]:.1f}" in text
    # written answers grouped by question, with counts
    assert re.search(r"\(\d+ answers?: \d+ from Acme Analytics, \d+ from Globex\)", text)
    assert len(png) == len(pages)
    assert_fits_the_page(ARTIFACTS / "demo-report.pdf")


def test_the_headlines_figures_are_the_tables_figures(app: Flask, demo: dict[str, Any]) -> None:
    facts = _objects(app, demo["id"])
    by_key = {s.key: s for s in facts["headline"]}
    dimensions = {d["id"]: d for d in facts["numbers"]["dimensions"]}
    text = " ".join(_pages(demo["pdf"]))

    def table_row(dimension_id: str) -> str:
        """The dimension table's row in the PDF, as the gap table prints it."""
        d = dimensions[dimension_id]
        title = facts["titles"][dimension_id]
        return f"{title} {d['vendor']:.1f} {d['n']['vendor']} {d['client']:.1f}"

    blind = by_key["blind_spot"].figures
    assert dimensions[blind["dimension"]]["status"] == "blind_spot"
    assert (blind["vendor"], blind["client"]) == (
        dimensions[blind["dimension"]]["vendor"],
        dimensions[blind["dimension"]]["client"],
    )
    widest = max(
        (d for d in dimensions.values() if d["status"] == "blind_spot"),
        key=lambda d: abs(d["gap"]),
    )
    assert abs(widest["gap"]) == abs(dimensions[blind["dimension"]]["gap"])
    assert table_row(blind["dimension"]) in text
    assert f"{blind['vendor']:.1f}" in by_key["blind_spot"].text

    values = by_key["values"].figures
    top = max(
        (d for d in dimensions.values() if d["importance"]["client"] is not None),
        key=lambda d: d["importance"]["client"],
    )
    assert values["importance"] == top["importance"]["client"]
    assert values["client"] == dimensions[values["dimension"]]["client"]
    assert table_row(values["dimension"]) in text

    nps = facts["numbers"]["nps"][0]
    assert (by_key["nps"].figures["client"], by_key["nps"].figures["vendor"]) == (
        nps["client"],
        nps["vendor"],
    )
    assert f"is {nps['client']:.1f}" in by_key["nps"].text

    stands = by_key["stands"].figures
    overall = facts["numbers"]["overall"]
    assert (stands["vendor"], stands["client"]) == (overall["vendor"], overall["client"])

    changed = by_key["changed"].figures
    since = facts["since"]
    assert since is not None
    delta = since.comparison.dimension(changed["dimension"]).scores.client.to_dict()
    assert (changed["before"], changed["after"]) == (delta["before"], delta["after"])
    assert changed["level_steps"] == since.comparison.level("agreed").steps
    # the demo's Globex rated business relevance lower this time: the biggest drop is named
    falls = [d for d in since.comparison.dimensions if d.scores.client.direction == "down"]
    assert falls
    biggest = max(falls, key=lambda d: -(d.scores.client.change or 0.0))
    assert changed["dimension"] == biggest.id
    assert (
        f"biggest drop is {biggest.title}, {biggest.scores.client.words}" in by_key["changed"].text
    )
    # and the since-last-review table prints the same move
    assert f"{delta['before']:.1f} → {delta['after']:.1f}" in text


def test_results_page_follows_the_reports_order(app: Flask, demo: dict[str, Any]) -> None:
    """The vendor's working page puts the level and the plan to agree right after the
    headline (issue 13, point 6); the report's sections follow in the report's order."""
    html = demo["html"]
    ids = ["headline", "levels", "plan", "method", "since", "gaps", "verbatims"]
    at = [html.find(f'id="{i}"') for i in ids]
    assert all(i >= 0 for i in at), dict(zip(ids, at, strict=True))
    assert at == sorted(at), dict(zip(ids, at, strict=True))
    facts = _objects(app, demo["id"])
    for sentence in facts["headline"]:
        assert f'data-headline="{sentence.key}"' in html


def test_the_clients_results_page_opens_with_the_same_headline(
    app: Flask, demo: dict[str, Any]
) -> None:
    html = demo["client_html"]
    ids = ["headline", "method", "since", "levels", "verbatims", "plan"]
    at = [html.find(f'id="{i}"') for i in ids]
    assert all(i >= 0 for i in at) and at == sorted(at), dict(zip(ids, at, strict=True))
    with app.app_context():
        review = db.session.scalar(sa.select(Review).where(Review.public_id == demo["id"]))
        assert review is not None
        comparison = build_comparison(review, "client")
        sentences = headline_for(comparison, since_last_review(review, "client", comparison.result))
    shown = dict(re.findall(r'data-headline="([a-z_]+)">(.*?)</p>', html, re.S))
    assert {key: unescape(text) for key, text in shown.items()} == {
        s.key: s.text for s in sentences
    }
