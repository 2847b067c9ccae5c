"""Confidentiality kept as promised (issue 11, point 1): every sentence the welcome page
promises about who sees what is read from the rendered page and checked against every
output that reaches the other side: its results page, the PDF (its HTML), the CSV and
the JSON exports, and the vendor's review page.

Who reads what: the vendor reads its results page (login), the vendor's review page, the
vendor PDF and both exports; the client reads its results page through its link and the
client PDF. The other side of a client respondent is therefore everything the vendor
reads, and the other side of a vendor respondent everything the client reads.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from test_results import example_people

from survey.disclosure import Confidentiality, Disclosure, promises
from survey.extensions import db
from survey.models import Review
from survey.results import operations
from survey.results.data import build_comparison

#: Names and roles no questionnaire text contains, so finding one in an output means a
#: person was named there.
PEOPLE = {
    "vendor": [("Vera Quillfeather", "Vrole Alpha"), ("Sami Quillfeather", "Vrole Beta")],
    "client": [("Hiro Zendaya", "Crole Gamma"), ("Maria Zendaya", "Crole Delta")],
}


@dataclass(frozen=True)
class World:
    review: Any
    vendor_client: FlaskClient


def build(
    app: Flask,
    vendor_a: Any,
    login: Callable[..., None],
    make_review: Callable[..., Any],
    make_respondent: Callable[..., Any],
    **setting: Any,
) -> World:
    """A review with the example's answers, two people a side, under `setting`."""
    review = make_review(vendor_a, client_name="Globex", **setting)
    seen = {"vendor": 0, "client": 0}
    for party, _, answers in example_people():
        if seen[party] == len(PEOPLE[party]):
            continue  # two a side: under the default threshold of 3
        name, role = PEOPLE[party][seen[party]]
        seen[party] += 1
        make_respondent(review, party, name=name, role=role, answers=answers, submit=True)
    accept_everything(app, review, vendor_a)
    with app.app_context():  # the staged reveal's last step: the vendor shares
        row = db.session.get(Review, review.id)
        operations.share_results(row, operations.Actor(user=row.created_by))  # type: ignore[arg-type,union-attr]
    vendor = app.test_client()
    login(vendor, vendor_a)
    return World(review, vendor)


def accept_everything(app: Flask, review: Any, vendor_a: Any) -> None:
    """Put every suggestion and proposal in the plan: their reasons then reach both sides."""
    from survey.models import User
    from survey.results import operations
    from survey.results.data import pending_items
    from survey.reveal import review_result

    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None
        actor = operations.Actor(db.session.get(User, vendor_a.id))
        pending = pending_items(row, review_result(row))
        assert any(p.source == "proposal" and p.proposed_by == "vendor" for p in pending)
        for target in pending:
            operations.accept_action(row, target, actor)


def text_of(html: str) -> str:
    """The page's words, tags dropped and entities read, blanks collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def promise_sentence(app: Flask, token: str, code: str) -> str:
    """The sentence of one promise as the welcome page at `token` shows it."""
    html = app.test_client().get(f"/r/{token}").get_data(as_text=True)
    found = re.search(rf'<li data-promise="{code}">(.*?)</li>', html, re.S)
    assert found, f"the welcome page makes no {code!r} promise"
    return text_of(found.group(1))


def pdf_html(app: Flask, review_id: int, audience: str) -> str:
    """The HTML the PDF of `audience` is made from (the same function the PDF route calls)."""
    from survey.results.views import _report_html

    with app.test_request_context():
        review = db.session.get(Review, review_id)
        assert review is not None
        return _report_html(review, build_comparison(review, audience))  # type: ignore[arg-type]


def vendor_outputs(app: Flask, world: World) -> dict[str, str]:
    """Everything the vendor reads of a review, by name."""
    base = f"/reviews/{world.review.public_id}"
    get = world.vendor_client.get
    outputs = {
        "vendor page": get(f"{base}/results").get_data(as_text=True),
        "vendor review page": get(base).get_data(as_text=True),
        "vendor CSV": get(f"{base}/results/answers.csv").get_data(as_text=True),
        "vendor JSON": get(f"{base}/results/export.json").get_data(as_text=True),
        "vendor PDF": pdf_html(app, world.review.id, "vendor"),
    }
    assert "Joint action plan" in outputs["vendor page"]
    return outputs


def client_outputs(app: Flask, world: World) -> dict[str, str]:
    """Everything the client reads of a review, by name."""
    base = f"/r/{world.review.results_token}/results"
    get = app.test_client().get
    page = get(base)
    assert page.status_code == 200
    return {
        "client page": page.get_data(as_text=True),
        "client CSV": get(f"{base}/answers.csv").get_data(as_text=True),
        "client JSON": get(f"{base}/export.json").get_data(as_text=True),
        "client PDF": pdf_html(app, world.review.id, "client"),
    }


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))[2:]


# --- names ------------------------------------------------------------------------------------


def test_names_hidden_promise_holds_in_every_output_of_the_other_side(
    app: Flask, vendor_a: Any, login: Any, make_review: Any, make_respondent: Any
) -> None:
    world = build(app, vendor_a, login, make_review, make_respondent)
    client_says = promise_sentence(app, world.review.client_token, "names-hidden")
    assert client_says.startswith("Acme Analytics never sees your name or role")
    for where, output in vendor_outputs(app, world).items():
        for name, role in PEOPLE["client"]:
            assert name not in output and role not in output, where
    vendor_says = promise_sentence(app, world.review.vendor_token, "names-hidden")
    assert vendor_says.startswith("Globex never sees your name or role")
    for where, output in client_outputs(app, world).items():
        for name, role in PEOPLE["vendor"]:
            assert name not in output and role not in output, where
    # ... and written answers still reach the other side, signed as the promise says
    assert "as written by someone at Globex" in client_says
    assert "someone at Globex" in text_of(vendor_outputs(app, world)["vendor page"])


def test_own_names_promise_holds_on_the_own_side(
    app: Flask, vendor_a: Any, login: Any, make_review: Any, make_respondent: Any
) -> None:
    world = build(app, vendor_a, login, make_review, make_respondent)
    says = promise_sentence(app, world.review.client_token, "own-names")
    assert says == (
        "People at Globex who see the results may see your name and role with your answers."
    )
    client_page = text_of(client_outputs(app, world)["client page"])
    assert all(name in client_page for name, _ in PEOPLE["client"])
    vendor = vendor_outputs(app, world)
    for name, role in PEOPLE["vendor"]:
        assert name in text_of(vendor["vendor page"]) and name in vendor["vendor CSV"]
        assert role in vendor["vendor CSV"]


def test_names_shown_promise_when_the_setting_is_on(
    app: Flask, vendor_a: Any, login: Any, make_review: Any, make_respondent: Any
) -> None:
    world = build(
        app,
        vendor_a,
        login,
        make_review,
        make_respondent,
        names_to_other_side=True,
        anonymity_threshold=2,
    )
    says = promise_sentence(app, world.review.client_token, "names-shown")
    assert says == "Acme Analytics sees your name and role with your written answers."
    vendor = vendor_outputs(app, world)
    assert "Hiro Zendaya" in text_of(vendor["vendor page"])
    assert "Crole Gamma" in vendor["vendor CSV"] and "Hiro Zendaya" in vendor["vendor JSON"]
    assert "Vera Quillfeather" in text_of(client_outputs(app, world)["client page"])


# --- the threshold ------------------------------------------------------------------------------


def range_cells(html: str, party: str) -> list[str]:
    return [
        text_of(cell) for cell in re.findall(rf'data-key="{party}-range">(.*?)</td>', html, re.S)
    ]


def test_threshold_promise_holds_below_it_in_every_output_of_the_other_side(
    app: Flask, vendor_a: Any, login: Any, make_review: Any, make_respondent: Any
) -> None:
    world = build(app, vendor_a, login, make_review, make_respondent)  # 2 a side, N = 3
    says = promise_sentence(app, world.review.client_token, "threshold")
    assert says.startswith("Until at least 3 people at Globex have submitted, Acme Analytics")
    assert "no ranges, and no scores of one person" in says
    vendor = vendor_outputs(app, world)
    cells = range_cells(vendor["vendor page"], "client")
    assert cells and all(cell == "–" for cell in cells)
    assert any(re.search(r"\d–\d", cell) for cell in range_cells(vendor["vendor page"], "vendor"))
    assert 'data-hidden-ranges="client"' in vendor["vendor page"]
    assert 'data-hidden-ranges="client"' in vendor["vendor PDF"]
    assert all(row[0] == "vendor" for row in csv_rows(vendor["vendor CSV"]))
    document = json.loads(vendor["vendor JSON"])
    assert document["client"]["respondents"] == [] and len(document["vendor"]["respondents"]) == 2
    assert any("Globex: left out" in line for line in document["includes"])
    client = client_outputs(app, world)
    assert all(cell == "–" for cell in range_cells(client["client page"], "vendor"))


def test_reasons_speak_of_the_side_below_the_threshold(
    app: Flask, vendor_a: Any, login: Any, make_review: Any, make_respondent: Any
) -> None:
    world = build(app, vendor_a, login, make_review, make_respondent)
    outputs = {**vendor_outputs(app, world), **client_outputs(app, world)}
    for where, output in outputs.items():
        words = text_of(output)
        assert not re.search(
            r"respondents?\)|the one \w+ respondent|of \d+ \w+ respondents", words
        ), where
        assert "Globex (2 respondents)" not in words, where
    assert "Globex scores" in text_of(outputs["vendor page"])


def test_at_the_threshold_ranges_and_rows_reach_the_other_side_still_without_names(
    app: Flask, vendor_a: Any, login: Any, make_review: Any, make_respondent: Any
) -> None:
    world = build(app, vendor_a, login, make_review, make_respondent, anonymity_threshold=2)
    says = promise_sentence(app, world.review.client_token, "threshold")
    assert says.startswith("Until at least 2 people at Globex have submitted")
    vendor = vendor_outputs(app, world)
    assert any(re.search(r"\d–\d", c) for c in range_cells(vendor["vendor page"], "client"))
    rows = [row for row in csv_rows(vendor["vendor CSV"]) if row[0] == "client"]
    assert rows and all(row[2] == "" and row[3] == "" for row in rows)
    assert "Globex (2 respondents)" in text_of(vendor["vendor page"])


def test_told_apart_warning_is_on_the_welcome_page(
    app: Flask, vendor_a: Any, make_review: Any
) -> None:
    review = make_review(vendor_a)
    for token, own in ((review.client_token, "Globex"), (review.vendor_token, "Acme Analytics")):
        says = promise_sentence(app, token, "told-apart")
        assert says.startswith(f"With few people answering for {own}, your answers may")


def test_every_promise_made_is_one_these_tests_check() -> None:
    """A new promise on the welcome page needs a test above that checks the outputs."""
    checked = {"own-names", "names-hidden", "names-shown", "threshold", "told-apart"}
    orgs = {"vendor": "A", "client": "G"}
    for names in (False, True):
        for n in (1, 3):
            for party in ("vendor", "client"):
                made = {p.code for p in promises(Confidentiality(names, n), party, orgs)}
                assert made <= checked


def test_disclosure_rules() -> None:
    below = Disclosure("client", Confidentiality(False, 3), {"vendor": 2, "client": 5})
    assert below.shows_people_of("client") and not below.shows_people_of("vendor")
    assert below.label("vendor", "Vera", "Acme") == "someone at Acme"
    assert below.label("client", "Hiro", "Globex") == "Hiro"
    assert below.label("client", None, "Globex") == "someone at Globex"
    assert below.side_worded() == {"vendor"}
    with pytest.raises(ValueError):
        Confidentiality(False, 11)


# --- choosing, showing and locking the setting ------------------------------------------------


def test_new_review_form_takes_the_setting(app: Flask, vendor_client: FlaskClient) -> None:
    form = vendor_client.get("/reviews/new").get_data(as_text=True)
    assert 'name="names_to_other_side"' in form and 'name="anonymity_threshold"' in form
    data = {"questionnaire": "vendor-value-review", "client_name": "Globex"}
    done = vendor_client.post(
        "/reviews/new", data={**data, "names_to_other_side": "y", "anonymity_threshold": "5"}
    )
    assert done.status_code == 302
    with app.app_context():
        review = db.session.scalar(sa.select(Review))
        assert review is not None
        assert (review.names_to_other_side, review.anonymity_threshold) == (True, 5)
    page = text_of(vendor_client.get(done.headers["Location"]).get_data(as_text=True))
    assert "Acme Analytics and Globex see each other's names and roles" in page
    assert "Anonymity threshold: 5." in page


@pytest.mark.parametrize("threshold", ["0", "11", "three", "<script>alert(1)</script>"])
def test_new_review_refuses_a_threshold_out_of_bounds(
    app: Flask, vendor_client: FlaskClient, threshold: str
) -> None:
    data = {"questionnaire": "vendor-value-review", "client_name": "Globex"}
    refused = vendor_client.post("/reviews/new", data={**data, "anonymity_threshold": threshold})
    assert refused.status_code == 200
    html = refused.get_data(as_text=True)
    assert "Not a valid choice" in html or "Invalid Choice" in html
    assert "<script>alert(1)</script>" not in html
    with app.app_context():
        assert db.session.scalar(sa.select(Review)) is None


def test_setting_is_editable_until_someone_answers_then_locked(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Any,
    make_respondent: Any,
) -> None:
    review = make_review(vendor_a)
    url = f"/reviews/{review.public_id}/confidentiality"
    saved = vendor_client.post(url, data={"confidentiality-anonymity_threshold": "4"})
    assert saved.status_code == 302
    assert "Until at least 4 people at Globex" in text_of(
        app.test_client().get(f"/r/{review.client_token}").get_data(as_text=True)
    )
    refused = vendor_client.post(url, data={"confidentiality-anonymity_threshold": "99"})
    assert refused.status_code == 400
    make_respondent(review, "client")  # started: gave a name under the welcome page's promise
    locked = vendor_client.post(
        url,
        data={
            "confidentiality-anonymity_threshold": "1",
            "confidentiality-names_to_other_side": "y",
        },
        follow_redirects=True,
    )
    page = text_of(locked.get_data(as_text=True))
    assert "Confidentiality can no longer change" in page and "Locked:" in page
    assert 'action="/reviews/' + review.public_id + '/confidentiality"' not in locked.get_data(
        as_text=True
    )
    with app.app_context():
        row = db.session.get(Review, review.id)
        assert row is not None and (row.names_to_other_side, row.anonymity_threshold) == (False, 4)


# --- one way of naming an unnamed person ---------------------------------------------------------


def test_unnamed_people_are_someone_at_their_organisation_everywhere(
    app: Flask, vendor_a: Any, login: Any, make_review: Any, make_respondent: Any
) -> None:
    review = make_review(vendor_a, names_to_other_side=True)
    for party, _, answers in example_people():
        make_respondent(review, party, answers=answers, submit=True)
    vendor = app.test_client()
    login(vendor, vendor_a)
    outputs = vendor_outputs(app, World(review, vendor))
    words = text_of(outputs["vendor page"]) + text_of(outputs["vendor review page"])
    assert "someone at Globex" in words and "someone at Acme Analytics" in words
    for output in (*outputs.values(), *client_outputs(app, World(review, vendor)).values()):
        assert "Anonymous" not in output and not re.search(r"[Rr]espondent \d", output)


def test_vendor_review_page_names_the_clients_people_only_as_the_setting_says(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Any,
    make_respondent: Any,
) -> None:
    hidden, shown = make_review(vendor_a), make_review(vendor_a, names_to_other_side=True)
    for review in (hidden, shown):
        make_respondent(review, "client", name="Hiro Zendaya", role="Crole Gamma")
        make_respondent(review, "vendor", name="Vera Quillfeather", role="Vrole Alpha")
    page = text_of(vendor_client.get(f"/reviews/{hidden.public_id}").get_data(as_text=True))
    assert "Hiro Zendaya" not in page and "Crole Gamma" not in page
    assert "Vera Quillfeather Vrole Alpha" in page
    # and not even one by one as "someone at Globex": counts only (see listed_one_by_one)
    assert "someone at Globex" not in page and "Globex: 1 started, 0 submitted." in page
    page = text_of(vendor_client.get(f"/reviews/{shown.public_id}").get_data(as_text=True))
    assert "Hiro Zendaya Crole Gamma" in page


def test_exports_made_for_the_client_keep_the_vendors_names_and_small_side_out(
    app: Flask, vendor_a: Any, login: Any, make_review: Any, make_respondent: Any
) -> None:
    """What an export for the client would hold (the functions take the audience)."""
    from survey.results import exports

    world = build(app, vendor_a, login, make_review, make_respondent, anonymity_threshold=2)
    with app.app_context():
        review = db.session.get(Review, world.review.id)
        assert review is not None
        made = {
            "csv": exports.export_csv(review, "client"),
            "json": exports.export_json(review, "client"),
        }
    for where, output in made.items():
        for name, role in PEOPLE["vendor"]:
            assert name not in output and role not in output, where
        assert "Hiro Zendaya" in output, where
    assert made["csv"].startswith('"# Includes: Made for Globex.')
    vendor_rows = [row for row in csv_rows(made["csv"]) if row[0] == "vendor"]
    assert vendor_rows and all(row[2:5] == ["", "", ""] for row in vendor_rows)


def test_the_clients_pages_never_speak_as_the_vendor(
    app: Flask, vendor_a: Any, login: Any, make_review: Any, make_respondent: Any
) -> None:
    """The footer every page carries was the vendor's question ("a more valued vendor?")."""
    world = build(app, vendor_a, login, make_review, make_respondent)
    visitor = app.test_client()
    for url in (f"/r/{world.review.client_token}", f"/r/{world.review.results_token}/results"):
        html = visitor.get(url).get_data(as_text=True)
        footer = html[html.index("<footer") : html.index("</footer>")]
        assert "a more valued vendor" not in footer and "better partner" in footer, url
