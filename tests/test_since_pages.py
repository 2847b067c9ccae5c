"""Since last review and the warnings on the pages (issue 13, points 2 and 3).

Two reviews of Globex with the small curve questionnaire of test_since_last_review, whose
numbers were worked out by hand there: relevance 65 → 53 and trust 60 → 67 on the
client's side, so the relevance drop fires. Every number is a side's combined score;
what the client page shows keeps to survey/disclosure.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from test_since_last_review import answers, curve_text

from survey.extensions import db
from survey.models import Client, Review

WARNINGS = (
    "warnings:\n  relevance_drop: {dimension: relevance, trust: [trust]}\n"
    "  next_curve: {level: consultant}\n"
)


def _file(tmp_path: Path, name: str, **options: Any) -> Path:
    """The curve questionnaire, with both warnings on, as a file."""
    path = tmp_path / name
    path.write_text(curve_text(warnings=WARNINGS, **options), encoding="utf-8")
    return path


def _dated(app: Flask, review: Any, day: datetime) -> None:
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        row.created_at = day
        db.session.commit()


@pytest.fixture
def two_reviews(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Callable,
    make_respondent: Callable,
    tmp_path: Path,
) -> tuple[Any, Any]:
    """Review 1 (3 March 2026) and review 2 (9 September 2026) of Globex, both with results.

    The client's two people are named and below the anonymity threshold of 3.
    """
    path = _file(tmp_path, "curve.yaml")
    first = make_review(vendor_a, questionnaire_path=path)
    make_respondent(first, "vendor", answers=answers(4, 80, 60, 8), submit=True)
    make_respondent(first, "client", "Zed Secret", answers=answers(3, 71, 50, 9), submit=True)
    make_respondent(first, "client", "Yan Hidden", answers=answers(4, 59, 70, 6), submit=True)
    second = make_review(vendor_a, questionnaire_path=path)
    make_respondent(second, "vendor", answers=answers(5, 80, 70, 6), submit=True)
    make_respondent(second, "client", "Zed Secret", answers=answers(4, 50, 70, 10), submit=True)
    make_respondent(second, "client", "Yan Hidden", answers=answers(4, 56, 64, 9), submit=True)
    _dated(app, first, datetime(2026, 3, 3, 10, tzinfo=UTC))
    _dated(app, second, datetime(2026, 9, 9, 10, tzinfo=UTC))
    return first, second


def _cells(html: str, row: str) -> dict[str, str]:
    """The since table's cells of one row, by data-key, as text."""
    match = re.search(rf'<tr data-row="{row}">(.*?)</tr>', html, re.S)
    assert match, row
    cells = re.findall(r'<td[^>]*data-key="(\w+)"[^>]*>(.*?)</td>', match.group(1), re.S)
    return {key: " ".join(re.sub(r"<[^>]+>", "", text).split()) for key, text in cells}


def test_results_page_shows_the_hand_computed_changes(
    client: FlaskClient, two_reviews: tuple[Any, Any]
) -> None:
    _, second = two_reviews
    html = unescape(client.get(f"/reviews/{second.public_id}/results").get_data(as_text=True))
    assert "Compared with the review of 3 March 2026" in html
    assert _cells(html, "dimension-relevance") == {
        "vendor": "80.0 → 80.0 (unchanged)",
        "client": "65.0 → 53.0 (down 12.0)",
    }
    assert _cells(html, "dimension-listening")["client"] == "62.5 → 75.0 (up 12.5)"
    assert _cells(html, "overall")["client"] == "62.5 → 65.0 (up 2.5)"
    assert _cells(html, "level") == {
        "vendor": "Consultant → Consultant (unchanged)",
        "client": "Consultant → Confidant (down 1 level)",
    }
    assert _cells(html, "agreed") == {"agreed": "Consultant → Confidant (down 1 level)"}
    assert _cells(html, "nps-recommend") == {
        "vendor": "0.0 → -100.0 (down 100.0)",
        "client": "0.0 → 100.0 (up 100.0)",
    }
    assert 'data-warning="relevance_drop"' in html
    assert "Globex's score for Relevance fell 12.0 points since the last review" in html
    assert "begin climbing another S-curve" in html
    assert 'data-warning="next_curve"' not in html  # the agreed level fell to confidant


def test_the_first_review_has_nothing_to_compare_and_prompts_the_next_curve(
    client: FlaskClient, two_reviews: tuple[Any, Any]
) -> None:
    first, _ = two_reviews
    html = unescape(client.get(f"/reviews/{first.public_id}/results").get_data(as_text=True))
    assert 'data-key="since-none"' in html
    assert 'data-warning="next_curve"' in html and 'data-warning="relevance_drop"' not in html
    assert "Both sides now agree on Consultant, level 3 of 4 on the curve." in html


def test_client_page_shows_since_warnings_and_a_trend_per_dimension(
    app: Flask, client: FlaskClient, two_reviews: tuple[Any, Any]
) -> None:
    with app.app_context():
        globex = db.session.scalar(sa.select(Client.public_id))
    html = unescape(client.get(f"/clients/{globex}").get_data(as_text=True))
    assert _cells(html, "dimension-trust")["client"] == "60.0 → 67.0 (up 7.0)"
    assert 'data-warning="relevance_drop"' in html
    svgs = re.findall(r'<svg [^>]*class="chart chart-dimension-trend"', html)
    assert len(svgs) == 3  # relevance, trust, listening
    assert "Relevance over time in words" in html
    assert "<li>3 Mar 2026: Acme Analytics 80.0, Globex 65.0.</li>" in html
    assert "<li>9 Sep 2026: Acme Analytics 80.0, Globex 53.0.</li>" in html


def test_client_page_keeps_to_the_disclosure_rule(
    app: Flask, client: FlaskClient, two_reviews: tuple[Any, Any]
) -> None:
    # Globex has 2 submitted people, below the threshold of 3: no names, no one person's
    # score (71 and 59 were single answers; only their mean 65 may show).
    with app.app_context():
        globex = db.session.scalar(sa.select(Client.public_id))
    html = unescape(client.get(f"/clients/{globex}").get_data(as_text=True))
    for private in ("Zed Secret", "Yan Hidden", "71.0", "59.0", "56.0"):
        assert private not in html, private
    assert "65.0" in html and "53.0" in html


def test_the_pdf_carries_the_section_and_the_client_sees_only_shared_reviews(
    app: Flask,
    two_reviews: tuple[Any, Any],
    share_results: Callable,
) -> None:
    from survey.results.data import build_comparison
    from survey.results.views import _report_html

    first, second = two_reviews
    share_results(second)
    with app.app_context(), app.test_request_context():
        review = db.session.get(Review, second.id)
        assert review is not None
        vendor = unescape(_report_html(review, build_comparison(review, "vendor")))
        client_only = unescape(_report_html(review, build_comparison(review, "client")))
    assert "Compared with the review of 3 March 2026" in vendor
    assert "3 Mar 2026: Acme Analytics 80.0, Globex 65.0." in vendor
    assert vendor.count('class="chart chart-dimension-trend"') == 3
    assert 'data-warning="relevance_drop"' in vendor
    # the first review was never shared with Globex: its numbers stay out of Globex's PDF
    assert "Compared with the review of" not in client_only
    assert 'data-key="since-none"' in client_only
    assert client_only.count('class="chart chart-dimension-trend"') == 3
    assert "9 Sep 2026: Acme Analytics" in client_only
    assert "3 Mar 2026: Acme Analytics" not in client_only  # its trend starts at review 2
    share_results(first)
    with app.app_context(), app.test_request_context():
        review = db.session.get(Review, second.id)
        assert review is not None
        shared = unescape(_report_html(review, build_comparison(review, "client")))
    assert "Compared with the review of 3 March 2026" in shared


def test_across_versions_the_page_says_only_shared_dimensions_are_compared(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Callable,
    make_respondent: Callable,
    tmp_path: Path,
) -> None:
    first = make_review(vendor_a, questionnaire_path=_file(tmp_path, "v1.yaml"))
    make_respondent(first, "vendor", answers=answers(4, 80, 60, 8), submit=True)
    make_respondent(first, "client", answers=answers(3, 70, 50, 9), submit=True)
    newer = _file(tmp_path, "v2.yaml", version=2, listening=False)
    second = make_review(vendor_a, questionnaire_path=newer)
    make_respondent(second, "vendor", answers=answers(None, 80, 70, 6), submit=True)
    make_respondent(second, "client", answers=answers(None, 55, 70, 9), submit=True)
    _dated(app, first, datetime(2026, 3, 3, 10, tzinfo=UTC))
    html = unescape(
        vendor_client.get(f"/reviews/{second.public_id}/results").get_data(as_text=True)
    )
    assert "The questionnaire changed from version 1 to version 2" in html
    assert "Not compared: Listening." in html
    assert 'data-row="overall"' not in html and 'data-row="dimension-listening"' not in html
    assert _cells(html, "dimension-relevance")["client"] == "70.0 → 55.0 (down 15.0)"
    assert 'data-warning="relevance_drop"' in html


def test_the_portfolio_gets_each_clients_warnings_and_level_change(
    app: Flask, two_reviews: tuple[Any, Any]
) -> None:
    from survey import since

    with app.app_context():
        globex = db.session.scalar(sa.select(Client))
        assert globex is not None
        assert [w.code for w in since.client_warnings(globex)] == ["relevance_drop"]
        found = since.client_since(globex)
        assert found is not None
        assert (found.comparison.level("agreed").steps, found.previous_words) == (
            -1,
            "the review of 3 March 2026",
        )
