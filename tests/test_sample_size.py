"""Sample size on the results pages and the PDF (issue 10, point 3): for every dimension
and question row, how many people of each side count (n), which sides are split (their own
people 50 points or more apart), and "indicative" on a side with fewer than 3 submitted.

The numbers are the engine's (`n` and `split` of its JSON); the pages may only hide a
split, never invent one. A split is hidden from the other side below the review's
anonymity threshold: with two people, a split says how far apart their two answers are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from test_confidentiality import pdf_html, text_of
from test_results import cells, example_people

from survey.extensions import db
from survey.models import Review
from survey.results import operations as results_ops
from survey.results.data import build_comparison

PARTIES = ("vendor", "client")
LABELS = {"vendor": "Vendor", "client": "Client"}


def review_with(
    app: Flask,
    vendor_a: Any,
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
    counts: dict[str, int],
    threshold: int = 3,
    changes: dict[tuple[str, int], dict[str, Any]] | None = None,
) -> Any:
    """A shared review of Globex with the first `counts[party]` example respondents a side;
    `changes[(party, k)]` replaces answers of that side's k-th person (from 1)."""
    review = make_review(vendor_a, client_name="Globex", anonymity_threshold=threshold)
    seen = {"vendor": 0, "client": 0}
    for party, name, answers in example_people():
        if seen[party] < counts[party]:
            seen[party] += 1
            answers = {**answers, **(changes or {}).get((party, seen[party]), {})}
            make_respondent(review, party, name=name, answers=answers, submit=True)
    assert seen == counts, "the example has fewer people than asked for"
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        results_ops.share_results(row, results_ops.Actor(user=row.created_by))
    return review


def engine_numbers(app: Flask, review: Any) -> dict[str, Any]:
    """The engine's JSON for the review (the same for every audience)."""
    with app.app_context():
        row = db.session.get(Review, review.id)
        return build_comparison(row, "vendor").numbers  # type: ignore[arg-type]


def outputs(
    app: Flask, review: Any, vendor_a: Any, login: Callable[..., None]
) -> dict[tuple[str, str], str]:
    """(audience, output) -> HTML: both results pages and both PDFs' HTML."""
    vendor = app.test_client()
    login(vendor, vendor_a)
    found = {
        ("vendor", "page"): vendor.get(f"/reviews/{review.public_id}/results"),
        ("client", "page"): app.test_client().get(f"/r/{review.results_token}/results"),
    }
    for response in found.values():
        assert response.status_code == 200
    html = {key: response.get_data(as_text=True) for key, response in found.items()}
    for audience in PARTIES:
        html[(audience, "pdf")] = pdf_html(app, review.id, audience)
    return html


def split_words(split: dict[str, bool]) -> str:
    """The split cell as the page writes it, from the flags it may show."""
    sides = [LABELS[p] for p in PARTIES if split[p]]
    return f"Split view: {' and '.join(sides)}" if sides else "–"


def rows_of(html: str) -> dict[str, dict[tuple[str | None, str], str]]:
    return {"dimensions": cells(html, "dimension"), "questions": cells(html, "question")}


@pytest.fixture
def two_and_three(
    app: Flask,
    vendor_a: Any,
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
) -> Any:
    """The example review: 2 vendor people (below the threshold of 3), 3 client people.

    Changed: one client person does not know whether Acme knows Globex's priorities, and
    the two vendor people are split on shared goals (Agree against Strongly disagree).
    """
    return review_with(
        app, vendor_a, make_review, make_respondent, {"vendor": 2, "client": 3}, 3, SPLIT_ANSWERS
    )


#: Answers changed from the example (see `two_and_three`).
SPLIT_ANSWERS: dict[tuple[str, int], dict[str, Any]] = {
    ("client", 3): {"knows-priorities": "Don't know"},
    ("vendor", 2): {"shared-goals": "Strongly disagree"},
}


def shown_rows(
    app: Flask, review: Any, numbers: dict[str, Any], group: str, key: tuple[str, str]
) -> list[dict[str, Any]]:
    """The engine's rows of `group` that the output `key` shows: the PDF leaves the
    importance questions to the results page (issue 13: at most 8 pages), and says so."""
    if group != "questions" or key[1] != "pdf":
        return list(numbers[group])
    with app.app_context():
        row = db.session.get(Review, review.id)
        importance = {q.id for q in build_comparison(row, "vendor").importance_questions}  # type: ignore[arg-type]
    assert importance
    return [entry for entry in numbers[group] if entry["id"] not in importance]


def test_every_row_shows_n_per_side_on_both_pages_and_pdfs(
    app: Flask, vendor_a: Any, login: Callable[..., None], two_and_three: Any
) -> None:
    numbers = engine_numbers(app, two_and_three)
    for key, html in outputs(app, two_and_three, vendor_a, login).items():
        found = rows_of(html)
        for group in ("dimensions", "questions"):
            assert numbers[group], group
            for entry in shown_rows(app, two_and_three, numbers, group, key):
                for party in PARTIES:
                    cell = found[group].get((entry["id"], f"{party}-n"))
                    assert cell == str(entry["n"][party]), (key, group, entry["id"], party)
    # a "Don't know" does not count: the row's n is the engine's, not the side's size
    knows = next(e for e in numbers["questions"] if e["id"] == "knows-priorities")
    assert knows["n"] == {"vendor": 2, "client": 2}


def test_splits_are_marked_in_words_and_explained(
    app: Flask, vendor_a: Any, login: Callable[..., None], two_and_three: Any
) -> None:
    numbers = engine_numbers(app, two_and_three)
    assert any(e["split"]["client"] for e in numbers["questions"])  # the example has splits
    html = outputs(app, two_and_three, vendor_a, login)
    for key in (("vendor", "page"), ("vendor", "pdf")):
        # the vendor sees its own side's people, and the client's (3, at the threshold)
        found = rows_of(html[key])
        for group in ("dimensions", "questions"):
            for entry in shown_rows(app, two_and_three, numbers, group, key):
                assert found[group][(entry["id"], "split")] == split_words(entry["split"]), (
                    key,
                    entry["id"],
                )
        assert "disagree among themselves by 50 points or more" in text_of(html[key])


def test_split_of_a_side_below_the_threshold_is_hidden_from_the_other_side(
    app: Flask, vendor_a: Any, login: Callable[..., None], two_and_three: Any
) -> None:
    """Two vendor people, threshold 3: the client gets no vendor split (it would say how far
    apart the two answers are), but still the vendor's n and the client's own splits."""
    numbers = engine_numbers(app, two_and_three)
    split_rows = [e for e in numbers["questions"] if e["split"]["vendor"]]
    assert split_rows, "the example needs a row where the two vendor people are split"
    html = outputs(app, two_and_three, vendor_a, login)
    for key in (("client", "page"), ("client", "pdf")):
        found = rows_of(html[key])
        for group in ("dimensions", "questions"):
            for entry in shown_rows(app, two_and_three, numbers, group, key):
                shown = {"vendor": False, "client": entry["split"]["client"]}
                assert found[group][(entry["id"], "split")] == split_words(shown), key
                assert found[group][(entry["id"], "vendor-n")] == str(entry["n"]["vendor"])
        assert "Split view: Vendor" not in text_of(html[key])
        # ... and says why, so that a dash is not read as "no split"
        assert "No ranges or split views for Acme Analytics" in text_of(html[key])


def test_split_of_a_side_at_the_threshold_reaches_the_other_side(
    app: Flask,
    vendor_a: Any,
    login: Callable[..., None],
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
) -> None:
    review = review_with(
        app, vendor_a, make_review, make_respondent, {"vendor": 2, "client": 3}, 2, SPLIT_ANSWERS
    )
    numbers = engine_numbers(app, review)
    html = outputs(app, review, vendor_a, login)
    for key in (("client", "page"), ("client", "pdf")):
        found = rows_of(html[key])
        for entry in shown_rows(app, review, numbers, "questions", key):
            assert found["questions"][(entry["id"], "split")] == split_words(entry["split"])
        assert "Split view: Vendor" in text_of(html[key])


def indicative_notes(html: str) -> dict[str, str]:
    return {
        party: text_of(note)
        for party, note in re.findall(
            r'<p class="indicative-note" data-indicative-note="(\w+)">(.*?)</p>', html, re.S
        )
    }


@pytest.mark.parametrize(
    ("counts", "indicative"),
    [
        ({"vendor": 1, "client": 3}, {"vendor": "1 person"}),
        ({"vendor": 2, "client": 2}, {"vendor": "2 people", "client": "2 people"}),
        ({"vendor": 2, "client": 3}, {"vendor": "2 people"}),
        ({"vendor": 2, "client": 1}, {"vendor": "2 people", "client": "1 person"}),
    ],
)
def test_a_side_with_fewer_than_three_is_indicative_wherever_its_scores_appear(
    app: Flask,
    vendor_a: Any,
    login: Callable[..., None],
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
    counts: dict[str, int],
    indicative: dict[str, str],
) -> None:
    review = review_with(app, vendor_a, make_review, make_respondent, counts)
    orgs = {"vendor": "Acme Analytics", "client": "Globex"}
    for key, html in outputs(app, review, vendor_a, login).items():
        notes = indicative_notes(html)
        assert set(notes) == set(indicative), key
        for party, people in indicative.items():
            org = orgs[party]
            assert notes[party] == (
                f"Indicative: {org}'s scores are based on {people}, a first impression, "
                f"not {org}'s settled view."
            ), key
        for party in PARTIES:
            tags = html.count(f'data-indicative="{party}"')
            if party in indicative:
                # the level view, the overall score, and the score column of every table
                assert tags >= 3, (key, party, tags)
            else:
                assert tags == 0, (key, party)
        # what the next level needs quotes a side's score: indicative there too
        for party, step in re.findall(r'data-party="(\w+)">(.*?)</li>', html, re.S):
            if " scores " in text_of(step):
                assert ("indicative" in text_of(step)) == (party in indicative), (key, step)


# --- the net promoter score -------------------------------------------------------------------


def test_the_nps_shows_the_clients_score_beside_the_vendors_prediction_everywhere(
    app: Flask, vendor_a: Any, login: Callable[..., None], make_review: Any, make_respondent: Any
) -> None:
    # Globex: one promoter, one promoter, one detractor (33.3); Acme predicts three passives (0)
    changes: dict[tuple[str, int], dict[str, Any]] = {
        ("client", 1): {"recommend": 10},
        ("client", 2): {"recommend": 9},
        ("client", 3): {"recommend": 3},
        **{("vendor", k): {"recommend": 8} for k in (1, 2)},
    }
    counts = {"vendor": 2, "client": 3}
    review = review_with(app, vendor_a, make_review, make_respondent, counts, changes=changes)
    (engine,) = engine_numbers(app, review)["nps"]
    assert (engine["vendor"], engine["client"], engine["gap"]) == (0.0, 33.3, -33.3)
    for (audience, output), html in outputs(app, review, vendor_a, login).items():
        row = cells(html, "nps")
        where = (audience, output)
        assert row[("recommend", "vendor")] == "0.0", where
        assert row[("recommend", "client")] == "33.3", where
        assert row[("recommend", "gap")] == "-33.3", where
        assert (row[("recommend", "vendor-n")], row[("recommend", "client-n")]) == ("2", "3")
        assert "prediction of Globex's answer" in text_of(html), where


# --- words that must agree with the numbers ----------------------------------------------------


def test_a_dimension_that_rates_the_client_is_never_listed_under_the_vendors_blind_spots(
    app: Flask, vendor_a: Any, login: Callable[..., None], make_review: Any, make_respondent: Any
) -> None:
    review = review_with(app, vendor_a, make_review, make_respondent, {"vendor": 2, "client": 3})
    with app.app_context():
        row = db.session.get(Review, review.id)
        comparison = build_comparison(row, "vendor")  # type: ignore[arg-type]
        rates = {d.id: d.rates for d in comparison.result.dimensions}
        lists = comparison.gap_lists()
        cut = comparison.quadrant_cut
    assert all(rates[d["id"]] == "vendor" for d in lists["blind"] + lists["hidden"])
    assert all(rates[d["id"]] == "client" for d in lists["customer"])
    page = outputs(app, review, vendor_a, login)[("vendor", "page")]
    blind_list = page[page.index("<h3>Blind spots</h3>") : page.index("<h3>Hidden strengths</h3>")]
    assert [d["id"] for d in lists["customer"]] == ["good-customer"]  # a blind spot, turned
    assert 'data-customer-gap="good-customer"' in page
    assert comparison.dimension_titles["good-customer"] not in blind_list
    # the quadrant's caption names the cut the chart is drawn at, not a fixed 50
    assert f"cut at importance {cut[0]:.1f} and score {cut[1]:.1f}." in page
