"""The portfolio table (issue 13 point 4): sorting, filtering, value at risk, the attention
strip; first on plain rows (survey.domain.portfolio_table), then through the clients page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import test_portfolio
from flask import Flask
from flask.testing import FlaskClient
from test_portfolio import client_id, engine, low_people, page, row_cells
from test_results import example_people

from survey.domain.portfolio_table import (
    PortfolioRow,
    attention,
    filter_rows,
    sort_rows,
    value_at_risk,
)
from survey.extensions import db
from survey.models import Client, Review
from survey.results.operations import Actor, add_action, set_next_review

TODAY = date(2026, 12, 2)

#: test_portfolio's fixtures: vendor A logged in, and reviews made on a given day.
acme = test_portfolio.acme
reviewed = test_portfolio.reviewed


def rows() -> list[PortfolioRow]:
    """Four clients made by hand: falling, relevance warning, rising, no results."""
    return [
        PortfolioRow(
            "g",
            "Globex",
            "Vendor",
            1,
            "down",
            nps=-20.0,
            last_review=date(2026, 11, 1),
            next_due=date(2026, 11, 30),
            open_actions=3,
            overdue_actions=1,
            yearly_value=120_000,
        ),
        PortfolioRow(
            "i",
            "initech",
            "Consultant",
            3,
            "same",
            nps=40.0,
            last_review=date(2026, 6, 1),
            next_due=date(2027, 3, 1),
            warnings=("Business relevance is falling while trust holds",),
            relevance_warning=True,
            yearly_value=80_000,
        ),
        PortfolioRow(
            "h",
            "Hooli",
            "Confidant",
            2,
            "up",
            nps=10.0,
            last_review=date(2026, 9, 1),
            next_due=date(2026, 12, 5),
            open_actions=2,
            due_this_week_actions=2,
            yearly_value=50_000,
        ),
        PortfolioRow("s", "Soylent", waiting_on=("Soylent",), last_review=date(2026, 11, 20)),
    ]


# --- pure rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "descending", "expected"),
    [
        ("client", False, ["Globex", "Hooli", "initech", "Soylent"]),  # case folded
        ("client", True, ["Soylent", "initech", "Hooli", "Globex"]),
        ("level", False, ["Globex", "Hooli", "initech", "Soylent"]),
        ("level", True, ["initech", "Hooli", "Globex", "Soylent"]),  # no level stays last
        ("nps", False, ["Globex", "Hooli", "initech", "Soylent"]),
        ("nps", True, ["initech", "Hooli", "Globex", "Soylent"]),
        ("next", False, ["Globex", "Hooli", "initech", "Soylent"]),
        ("last", True, ["Soylent", "Globex", "Hooli", "initech"]),
        ("actions", True, ["Globex", "Hooli", "initech", "Soylent"]),  # overdue counts first
        ("value", True, ["Globex", "initech", "Hooli", "Soylent"]),
        ("no-such-key", False, ["Globex", "Hooli", "initech", "Soylent"]),
    ],
)
def test_sorting_puts_rows_without_a_value_last_either_way(
    key: str, descending: bool, expected: list[str]
) -> None:
    assert [row.name for row in sort_rows(rows(), key, descending)] == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("all", {"Globex", "initech", "Hooli", "Soylent"}),
        ("at-risk", {"Globex", "initech"}),
        ("falling", {"Globex"}),
        ("warnings", {"initech"}),
        ("overdue", {"Globex"}),  # its next review (30 Nov) and one action are overdue
        ("waiting", {"Soylent"}),
        ("bogus", {"Globex", "initech", "Hooli", "Soylent"}),
    ],
)
def test_filters_keep_exactly_their_rows(name: str, expected: set[str]) -> None:
    assert {row.name for row in filter_rows(rows(), name, TODAY)} == expected


def test_value_at_risk_sums_falling_levels_and_relevance_warnings_only() -> None:
    # Globex fell (120 000) + initech carries a relevance warning (80 000); Hooli rose.
    assert value_at_risk(rows()) == 200_000
    unvalued = [PortfolioRow("x", "X", level_change="down")]
    assert value_at_risk(unvalued) == 0
    other_warning = [
        PortfolioRow("y", "Y", warnings=("Time to start the next S-curve",), yearly_value=9)
    ]
    assert value_at_risk(other_warning) == 0  # only the relevance warning puts value at risk


def test_attention_lists_what_is_due_this_week_most_urgent_first() -> None:
    found = [(item.kind, item.client, item.text) for item in attention(rows(), TODAY)]
    assert found == [
        ("review", "Globex", "review overdue since 30 Nov 2026"),
        ("review", "Hooli", "review due 5 Dec 2026"),
        ("actions", "Globex", "action: 1 overdue"),
        ("actions", "Hooli", "actions: 2 due this week"),
        ("warning", "initech", "Business relevance is falling while trust holds"),
        ("waiting", "Soylent", "review waiting on answers from Soylent"),
    ]
    # eight days ahead is not this week's business: Hooli's review on 5 Dec, seen on 27 Nov
    early = attention(rows(), date(2026, 11, 27))
    assert ("review", "Hooli") not in [(item.kind, item.client) for item in early]
    assert ("review", "Hooli") in [
        (i.kind, i.client) for i in attention(rows(), date(2026, 11, 28))
    ]


# --- through the clients page ----------------------------------------------------------------


def _set(app: Flask, review: Any, **fields: Any) -> None:
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        for name, value in fields.items():
            setattr(row, name, value)
        db.session.commit()


@pytest.fixture
def portfolio_of_three(
    app: Flask,
    client: FlaskClient,
    acme: Any,
    reviewed: Callable[..., Any],
) -> dict[str, Any]:
    """Globex rising, Initrode falling (its next review overdue, an overdue action), Hooli
    only started; values set through the client page's form."""
    reviewed(acme, "2024-03-04", low_people(), client_name="Globex")
    globex = reviewed(acme, "2025-03-10", example_people(), client_name="Globex")
    reviewed(acme, "2024-03-04", example_people(), client_name="Initrode")
    initrode = reviewed(acme, "2025-03-10", low_people(), client_name="Initrode")
    reviewed(acme, "2025-03-10", [], client_name="Hooli")
    yesterday = date.today() - timedelta(days=1)
    with app.app_context():
        row = db.session.get(Review, initrode.id)
        assert row is not None
        user = row.created_by
        set_next_review(row, Actor(user), yesterday)
        add_action(row, Actor(user), {"title": "Call the sponsor", "due_on": yesterday})
        add_action(row, Actor(user), {"title": "Send the summary"})
    for name, value in (("Globex", "300000"), ("Initrode", "120000")):
        response = client.post(
            f"/clients/{client_id(app, name)}/value", data={"yearly_value": value}
        )
        assert response.status_code == 302
    return {"globex": globex, "initrode": initrode}


def test_value_form_records_and_clears_the_yearly_value(
    app: Flask,
    client: FlaskClient,
    acme: Any,
    reviewed: Callable[..., Any],
) -> None:
    reviewed(acme, "2025-03-10", example_people(), client_name="Globex")
    path = f"/clients/{client_id(app)}/value"
    assert client.post(path, data={"yearly_value": "-5"}).status_code == 400
    assert client.post(path, data={"yearly_value": "250000"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Client.yearly_value)) == 250_000
    assert 'value="250000"' in page(client, f"/clients/{client_id(app)}")
    assert client.post(path, data={"yearly_value": ""}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Client.yearly_value)) is None


def test_clients_page_is_a_table_with_value_at_risk_and_overdue_marks(
    app: Flask, client: FlaskClient, portfolio_of_three: dict[str, Any]
) -> None:
    html = page(client, "/")
    initrode = row_cells(html, client_id(app, "Initrode"))
    globex = row_cells(html, client_id(app, "Globex"))
    hooli = row_cells(html, client_id(app, "Hooli"))
    assert initrode["level"].startswith(engine(app, portfolio_of_three["initrode"])["level"])
    assert "down" in initrode["level"] and "up" in globex["level"]
    assert initrode["next"].endswith("overdue")
    assert initrode["actions"] == "2 1 overdue"
    assert initrode["value"] == "120,000" and globex["value"] == "300,000"
    assert hooli["level"] == "No results yet"
    assert "waiting on Acme Analytics and Hooli" in hooli["last"]
    # the client's NPS and the vendor's prediction, as the engine rounded them
    with app.app_context():
        from survey.reveal import review_result

        row = db.session.get(Review, portfolio_of_three["globex"].id)
        assert row is not None
        nps = review_result(row).nps[0].to_dict()
    assert globex["nps"] == f"{nps['client']:.1f} (predicted {nps['vendor']:.1f})"
    # value at risk: only Initrode's level fell
    risk = re.search(r'data-key="value-at-risk">(.*?)</p>', html, re.S)
    assert risk and "<strong>120,000</strong> a year of 420,000 valued" in risk.group(1)
    strip = re.search(r'id="attention-title".*?</section>', html, re.S)
    assert strip is not None
    assert "Initrode</a>: review overdue since" in strip.group(0)
    assert "Initrode</a>: action: 1 overdue" in strip.group(0)
    assert "Hooli</a>: review waiting on answers from Acme Analytics and Hooli" in strip.group(0)
    assert "Globex</a>" not in strip.group(0)


def test_sorting_and_filtering_work_from_the_query_string(
    app: Flask, client: FlaskClient, portfolio_of_three: dict[str, Any]
) -> None:
    def order(query: str) -> list[str]:
        html = page(client, f"/?{query}")
        ids = re.findall(r'<tr data-client="([^"]+)">', html)
        names = {client_id(app, n): n for n in ("Globex", "Initrode", "Hooli")}
        return [names[i] for i in ids]

    assert order("") == ["Globex", "Hooli", "Initrode"]
    assert order("sort=value&dir=desc") == ["Globex", "Initrode", "Hooli"]
    assert order("sort=value&dir=asc") == ["Initrode", "Globex", "Hooli"]  # none last
    assert order("sort=actions&dir=desc")[0] == "Initrode"
    assert order("show=at-risk") == ["Initrode"]
    assert order("show=overdue") == ["Initrode"]
    assert order("show=waiting") == ["Hooli"]
    assert order("show=nonsense&sort=nonsense") == ["Globex", "Hooli", "Initrode"]
    html = page(client, "/?sort=value&dir=desc")
    assert 'aria-sort="descending"' in html
    # the active column's link reverses the order, keeping the filter
    assert 'href="/?sort=value&amp;dir=asc&amp;show=all"' in html


def test_portfolio_shows_only_my_organisations_clients(
    app: Flask,
    client: FlaskClient,
    acme: Any,
    vendor_b: Any,
    reviewed: Callable[..., Any],
) -> None:
    reviewed(vendor_b, "2025-03-10", example_people(), client_name="Umbrella")
    reviewed(acme, "2025-03-10", example_people(), client_name="Globex")
    html = page(client, "/")
    assert "Umbrella" not in html
    assert (
        client.post(
            f"/clients/{client_id(app, 'Umbrella')}/value", data={"yearly_value": "1"}
        ).status_code
        == 404
    )


def test_portfolio_shows_no_numbers_before_the_reveal_rule_is_met(
    app: Flask,
    client: FlaskClient,
    acme: Any,
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
) -> None:
    """Only the client has submitted: its NPS and scores stay hidden (survey.reveal), and
    the row says whom the review waits on."""
    review = make_review(acme, client_name="Globex")
    for party, name, answers in example_people():
        if party == "client":
            make_respondent(review, party, name=name, answers=answers, submit=True)
    cells = row_cells(page(client, "/"), client_id(app))
    assert cells["level"] == "No results yet"
    assert cells["nps"] == "—" and cells["warnings"] == "—"
    assert cells["last"].endswith("waiting on Acme Analytics")
