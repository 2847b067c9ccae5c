"""Concurrent saves against a real threaded server: no answer lost, one submission recorded.

The SIGKILL-and-restart durability test (issue 6, point 5) is not here yet.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from factories import MadeRespondent, MadeReview, Persona
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from survey.extensions import db
from survey.models import Respondent
from survey.respond import operations as ops

QUESTIONNAIRE = Path(__file__).parent / "data" / "respond" / "respond-test.yaml"


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    """The app served by a threaded development server on a free local port."""
    httpd: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def respondent(
    vendor_a: Persona,
    make_review: Callable[..., MadeReview],
    make_respondent: Callable[..., MadeRespondent],
) -> MadeRespondent:
    review = make_review(vendor_a, questionnaire_path=QUESTIONNAIRE)
    return make_respondent(review, "client")


def post(url: str, data: dict[str, str]) -> int:
    body = urllib.parse.urlencode(data).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def stored(app: Flask, respondent: MadeRespondent) -> tuple[dict[str, object], int]:
    with app.app_context():
        row = db.session.get(Respondent, respondent.id)
        assert row is not None
        return ops.answers_of(row), int(row.submitted_at is not None)


def test_concurrent_page_saves_from_two_tabs_all_kept(
    app: Flask, server: str, respondent: MadeRespondent
) -> None:
    base = f"{server}/r/resume/{respondent.resume_token}"
    saves = [
        (f"{base}/autosave", {"_page": "1", "knows-priorities": str(1 + i % 5)}) for i in range(10)
    ] + [(f"{base}/autosave", {"_page": "2", "recommend": str(i)}) for i in range(10)]
    saves += [(f"{base}/page/3", {"renew": "No"}), (f"{base}/page/3", {"more-valued": "Call"})]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda s: post(*s), saves))
    assert all(status in (200, 302) for status in statuses), statuses
    answers, _ = stored(app, respondent)
    assert set(answers) == {"knows-priorities", "recommend", "renew", "more-valued"}
    assert answers["renew"] == "No" and answers["more-valued"] == "Call"


def test_concurrent_submits_record_once(
    app: Flask, server: str, respondent: MadeRespondent
) -> None:
    base = f"{server}/r/resume/{respondent.resume_token}"
    post(f"{base}/page/1", {"knows-priorities": "4", "last-contacts": "Adding value"})
    post(f"{base}/page/2", {"recommend": "8", "main-channel": "Email"})
    post(f"{base}/page/3", {"renew": "No"})
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda _: post(f"{base}/review", {}), range(6)))
    assert all(status == 200 for status in statuses), statuses  # redirects followed
    _, submitted = stored(app, respondent)
    assert submitted == 1
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count()).where(Respondent.submitted_at.is_not(None))
        )
    assert count == 1
