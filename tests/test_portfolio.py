"""The portfolio over time: a client's trend (the engine's numbers), repeating a review, and
the dashboard's latest level with its direction."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from html import unescape
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from flask import Flask
from flask.testing import FlaskClient
from test_results import ROOT, cells, example_people

from survey.domain.loader import load_file
from survey.extensions import db
from survey.models import Client, Review
from survey.results.data import build_comparison

FLAGSHIP = "vendor-value-review"
PULSE = "quarterly-pulse"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def acme(vendor_client: FlaskClient, vendor_a: Any) -> Any:
    """Vendor A, logged in on `client`."""
    return vendor_a


def low_people() -> list[tuple[str, str | None, dict[str, Any]]]:
    """The example's people, with every scale answer at the bottom of its scale."""
    flagship = load_file(ROOT / "questionnaires" / f"{FLAGSHIP}.yaml").questionnaire
    scales = {q.id for q in flagship.questions() if q.kind == "scale"}
    return [
        (party, name, {k: 1 if k in scales else v for k, v in answers.items()})
        for party, name, answers in example_people()
    ]


def pulse_people() -> list[tuple[str, str | None, dict[str, Any]]]:
    document = yaml.safe_load((ROOT / "questionnaires" / "examples" / "pulse.yaml").read_text())
    return [
        (party, person.get("name"), person["answers"])
        for party in ("vendor", "client")
        for person in document[party]["respondents"]
    ]


@pytest.fixture
def reviewed(
    app: Flask, make_review: Callable[..., Any], make_respondent: Callable[..., Any]
) -> Callable[..., Any]:
    """Factory: a review of `client_name` started on `day`, answered by `people` (submitted)."""

    def make(
        user: Any,
        day: str,
        people: list[tuple[str, str | None, dict[str, Any]]],
        client_name: str = "Globex",
        questionnaire_id: str = FLAGSHIP,
    ) -> Any:
        review = make_review(user, questionnaire_id=questionnaire_id, client_name=client_name)
        for party, name, answers in people:
            make_respondent(review, party, name=name, answers=answers, submit=True)
        with app.app_context():
            row = db.session.get(Review, review.id)
            assert row is not None
            row.created_at = datetime.fromisoformat(day).replace(tzinfo=UTC)
            db.session.commit()
        return review

    return make


def engine(app: Flask, review: Any) -> dict[str, Any]:
    """What the results page shows for a review: the engine's numbers and level titles."""
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        comparison = build_comparison(row, "vendor")
        agreed = comparison.levels["agreed"]
        return {"level": comparison.level_titles[agreed], **comparison.numbers["overall"]}


def client_id(app: Flask, name: str = "Globex") -> str:
    with app.app_context():
        found = db.session.scalar(sa.select(Client).where(Client.name == name))
        assert found is not None
        return found.public_id


def page(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def row_cells(html: str, public_id: str) -> dict[str, str]:
    """The portfolio table's row of one client: data-key -> cell text, as plain words."""
    found = re.search(rf'<tr data-client="{public_id}">(.*?)</tr>', html, re.S)
    assert found, public_id
    cells = re.findall(r'<t[hd][^>]*data-key="([^"]+)"[^>]*>(.*?)</t[hd]>', found.group(1), re.S)
    return {key: unescape(" ".join(re.sub(r"<[^>]+>", " ", text).split())) for key, text in cells}


def summary(html: str, public_id: str) -> str:
    """The portfolio's agreed level cell for one client, as plain words."""
    return row_cells(html, public_id)["level"]


def trend_svg(html: str) -> ET.Element:
    found = re.search(r"<svg .*?</svg>", html, re.S)
    assert found, "no chart on the page"
    return ET.fromstring(found.group(0))


# --- the client's trend ---------------------------------------------------------------------


def test_trend_table_shows_the_engines_numbers_for_two_reviews(
    app: Flask, client: FlaskClient, acme: Any, reviewed: Callable[..., Any]
) -> None:
    first = reviewed(acme, "2024-03-04", low_people())
    second = reviewed(acme, "2025-03-10", example_people())
    html = page(client, f"/clients/{client_id(app)}")
    table = cells(html, "review")
    shown = {}
    for review in (first, second):
        expected = engine(app, review)
        shown[review.public_id] = expected
        assert table[(review.public_id, "level")] == expected["level"]
        assert table[(review.public_id, "vendor")] == f"{expected['vendor']:.1f}"
        assert table[(review.public_id, "client")] == f"{expected['client']:.1f}"
    assert table[(first.public_id, "when")] == "4 Mar 2024"
    assert table[(second.public_id, "when")] == "10 Mar 2025"
    assert table[(first.public_id, "questionnaire")] == "Vendor value review v2"
    # the two reviews really differ, so a table showing one review's numbers twice fails
    assert shown[first.public_id] != shown[second.public_id]
    # oldest first (the repeat button above the table names the latest review too)
    rows = [html.index(f'data-review="{r.public_id}"') for r in (first, second)]
    assert rows[0] < rows[1]


def test_trend_chart_draws_the_engines_numbers(
    app: Flask, client: FlaskClient, acme: Any, reviewed: Callable[..., Any]
) -> None:
    from survey.domain.charts import trend_x, trend_y

    first = reviewed(acme, "2024-03-04", low_people())
    second = reviewed(acme, "2025-03-10", example_people())
    html = page(client, f"/clients/{client_id(app)}")
    svg = trend_svg(html)
    assert svg.get("role") == "img"
    vendor = [e for e in svg.iter(SVG + "circle") if "point-vendor" in (e.get("class") or "")]
    expected = [engine(app, r) for r in (first, second)]
    assert [(float(e.get("cx", "")), float(e.get("cy", ""))) for e in vendor] == [
        (trend_x(i), round(trend_y(numbers["vendor"]), 1)) for i, numbers in enumerate(expected)
    ]
    lines = [e for e in svg.iter(SVG + "polyline")]
    assert {e.get("data-series") for e in lines} == {FLAGSHIP}
    assert len(lines) == 2  # one per party
    # the text alternative tells the same numbers
    assert f"overall Acme Analytics {expected[1]['vendor']:.1f}" in unescape(html)
    assert "Overall scores over time in words" in html
    assert "style=" not in html


def test_chart_joins_only_reviews_of_the_same_questionnaire(
    app: Flask, client: FlaskClient, acme: Any, reviewed: Callable[..., Any]
) -> None:
    first = reviewed(acme, "2024-03-04", low_people())
    pulse = reviewed(acme, "2024-09-01", pulse_people(), questionnaire_id=PULSE)
    reviewed(acme, "2025-03-10", example_people())
    html = page(client, f"/clients/{client_id(app)}")
    assert f"Up from {engine(app, first)['level']} (4 Mar 2024)" in unescape(html)
    svg = trend_svg(html)
    vendor_points = [e for e in svg.iter() if "point-vendor" in (e.get("class") or "")]
    assert len(vendor_points) == 3  # the pulse is shown ...
    vendor_lines = [e for e in svg.iter(SVG + "polyline") if "series-vendor" in e.get("class", "")]
    assert [e.get("data-series") for e in vendor_lines] == [FLAGSHIP]  # ... but not joined
    assert len(vendor_lines[0].get("points", "").split()) == 2
    desc = svg.find(SVG + "desc")
    assert desc is not None and "Lines join only reviews of the same questionnaire" in (
        desc.text or ""
    )
    table = cells(html, "review")
    assert table[(pulse.public_id, "questionnaire")] == "Quarterly relationship pulse v2"
    assert table[(pulse.public_id, "level")] == engine(app, pulse)["level"]


def test_reviews_without_results_are_listed_as_no_results_yet(
    app: Flask,
    client: FlaskClient,
    acme: Any,
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
) -> None:
    nobody = make_review(acme)
    one_side = make_review(acme)
    party, name, answers = next(p for p in example_people() if p[0] == "client")
    make_respondent(one_side, party, name=name, answers=answers, submit=True)
    html = page(client, f"/clients/{client_id(app)}")
    table = cells(html, "review")
    for review in (nobody, one_side):
        assert table[(review.public_id, "no-results")] == "no results yet"
        assert (review.public_id, "vendor") not in table
    assert "<svg" not in html
    assert "has results yet" in html
    assert "No results yet" in page(client, "/")


def test_client_page_is_scoped_to_the_organisation(
    app: Flask,
    client: FlaskClient,
    acme: Any,
    vendor_b: Any,
    make_review: Callable[..., Any],
) -> None:
    make_review(vendor_b, client_name="Umbrella")
    theirs = client_id(app, "Umbrella")
    assert client.get(f"/clients/{theirs}").status_code == 404
    assert client.get("/clients/no-such-client").status_code == 404
    make_review(acme, client_name="Globex")
    assert client.get(f"/clients/{client_id(app)}").status_code == 200
    anonymous = app.test_client()
    assert anonymous.get(f"/clients/{client_id(app)}").status_code == 302


# --- repeating a review -----------------------------------------------------------------------


def test_repeat_prefills_client_and_questionnaire(
    app: Flask, client: FlaskClient, acme: Any, make_review: Callable[..., Any]
) -> None:
    review = make_review(acme, questionnaire_id=PULSE, client_name="Globex")
    globex = client_id(app)
    repeat = (
        f"/reviews/new?client={globex}&amp;questionnaire={PULSE}&amp;previous={review.public_id}"
    )
    assert f'href="{repeat}"' in page(client, f"/reviews/{review.public_id}")
    assert f'href="{repeat}"' in page(client, f"/clients/{globex}")
    form = page(client, unescape(repeat))
    assert re.search(r'<option selected value="quarterly-pulse">', form)
    assert re.search(r'name="client_name"[^>]*value="Globex"', form)
    with app.app_context():  # opening the form starts nothing: the vendor confirms
        assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 1
    response = client.post("/reviews/new", data={"questionnaire": PULSE, "client_name": "Globex"})
    assert response.status_code == 302
    with app.app_context():
        assert [c.name for c in db.session.scalars(sa.select(Client))] == ["Globex"]
        assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 2


def test_repeat_does_not_prefill_another_organisations_client(
    app: Flask, client: FlaskClient, acme: Any, vendor_b: Any, make_review: Callable[..., Any]
) -> None:
    make_review(vendor_b, client_name="Umbrella")
    form = page(client, f"/reviews/new?client={client_id(app, 'Umbrella')}&questionnaire=nope")
    assert "Umbrella" not in form
    assert 'value="nope"' not in form


# --- the dashboard ----------------------------------------------------------------------------


def test_dashboard_shows_latest_level_and_direction_in_words(
    app: Flask, client: FlaskClient, acme: Any, reviewed: Callable[..., Any]
) -> None:
    reviewed(acme, "2024-03-04", low_people(), client_name="Globex")
    rising = reviewed(acme, "2025-03-10", example_people(), client_name="Globex")
    reviewed(acme, "2024-03-04", example_people(), client_name="Initrode")
    falling = reviewed(acme, "2025-03-10", low_people(), client_name="Initrode")
    reviewed(acme, "2024-03-04", example_people(), client_name="Hooli")
    reviewed(acme, "2025-03-10", example_people(), client_name="Hooli")
    reviewed(acme, "2025-03-10", example_people(), client_name="Soylent")
    html = page(client, "/")
    low, high = engine(app, falling)["level"], engine(app, rising)["level"]
    assert low != high
    lines = {
        name: summary(html, client_id(app, name))
        for name in ("Globex", "Initrode", "Hooli", "Soylent")
    }
    assert lines["Globex"].startswith(high)
    assert re.search(r"up \d levels? since 4 Mar 2024", lines["Globex"])
    assert lines["Initrode"].startswith(low)
    assert re.search(r"down \d levels? since 4 Mar 2024", lines["Initrode"])
    assert "unchanged since 4 Mar 2024" in lines["Hooli"]
    assert lines["Soylent"].endswith("first results")
    assert html.count('aria-hidden="true">↑') == 1  # the arrow is decoration only
    assert row_cells(html, client_id(app, "Globex"))["last"] == "10 Mar 2025"


def test_dashboard_compares_only_reviews_of_the_same_questionnaire(
    app: Flask, client: FlaskClient, acme: Any, reviewed: Callable[..., Any]
) -> None:
    first = reviewed(acme, "2024-03-04", low_people())
    reviewed(acme, "2024-09-01", pulse_people(), questionnaire_id=PULSE)
    latest = reviewed(acme, "2025-03-10", example_people())
    line = summary(page(client, "/"), client_id(app))
    high, low = engine(app, latest)["level"], engine(app, first)["level"]
    assert high != low
    assert line.startswith(high)
    # the pulse in between is skipped
    assert re.search(r"up \d levels? since 4 Mar 2024", line)
