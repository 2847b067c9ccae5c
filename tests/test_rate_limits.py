"""Rate limits on the respondent links (issue 15, point 3): fifty people of one client
behind one address can all answer through one shared link, while guessing tokens stays
limited, over every token route together; the counters' keys never hold a token."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from factories import MadeReview, Persona
from flask import Flask
from test_respond import QUESTIONNAIRE, page

from survey.extensions import limiter
from survey.limits import TOKEN_MISSES_LIMIT

LIMITED = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}
NAT = {"REMOTE_ADDR": "203.0.113.7"}  # one company's public address
MISSES_A_MINUTE = int(TOKEN_MISSES_LIMIT.split()[0])


@pytest.fixture
def limited_app(app: Flask) -> Iterator[Flask]:
    limiter.reset()
    yield app
    limiter.reset()
    limiter.enabled = False  # the limiter is process-wide: leave it off for later apps


@pytest.fixture
def review(vendor_a: Persona, make_review: Callable[..., MadeReview]) -> MadeReview:
    return make_review(vendor_a, questionnaire_path=QUESTIONNAIRE)


@pytest.mark.parametrize("app", [LIMITED], indirect=True)
def test_fifty_people_behind_one_address_all_start_and_save(
    limited_app: Flask, review: MadeReview
) -> None:
    shared = f"/r/{review.client_token}"
    statuses = []
    for number in range(50):
        person = limited_app.test_client()
        statuses.append(person.get(shared, environ_base=NAT).status_code)
        started = person.post(shared, data={"name": f"P{number}"}, environ_base=NAT)
        statuses.append(started.status_code)
        resume = started.location.rsplit("/r/resume/", 1)[1].split("/")[0]
        for _ in range(3):  # a page shown, saved, shown again
            statuses.append(person.get(page(resume, 1), environ_base=NAT).status_code)
            saved = person.post(page(resume, 1), data={"knows-priorities": "4"}, environ_base=NAT)
            statuses.append(saved.status_code)
    assert 429 not in statuses
    assert statuses.count(302) >= 50 * 4


@pytest.mark.parametrize("app", [LIMITED], indirect=True)
def test_guessing_is_limited_over_every_token_route_together(
    limited_app: Flask, review: MadeReview
) -> None:
    guesser = limited_app.test_client()
    on_shared = [
        guesser.get(f"/r/{secrets.token_urlsafe(24)}", environ_base=NAT).status_code
        for _ in range(MISSES_A_MINUTE)
    ]
    assert on_shared == [404] * MISSES_A_MINUTE
    # the next miss is refused on another route too: the bucket is the address's
    resume = f"/r/resume/{secrets.token_urlsafe(24)}/page/1"
    assert guesser.get(resume, environ_base=NAT).status_code == 429
    # another address is not held back by this one's guessing
    other = {"REMOTE_ADDR": "198.51.100.20"}
    assert guesser.get(f"/r/{review.client_token}", environ_base=other).status_code == 200


@pytest.mark.parametrize("app", [LIMITED], indirect=True)
def test_a_respondents_own_requests_are_no_misses(limited_app: Flask, review: MadeReview) -> None:
    person = limited_app.test_client()
    shared = f"/r/{review.client_token}"
    for _ in range(MISSES_A_MINUTE + 10):
        assert person.get(shared, environ_base=NAT).status_code == 200
    assert person.get(f"/r/{'u' * 32}", environ_base=NAT).status_code == 404


@pytest.mark.parametrize("app", [LIMITED], indirect=True)
def test_the_counters_keys_hold_no_token(limited_app: Flask, review: MadeReview) -> None:
    person = limited_app.test_client()
    started = person.post(f"/r/{review.client_token}", data={"name": "Ann"}, environ_base=NAT)
    resume = started.location.rsplit("/r/resume/", 1)[1].split("/")[0]
    person.get(page(resume, 1), environ_base=NAT)
    keys = " ".join(str(key) for key in limiter.storage.storage)  # type: ignore[attr-defined]
    assert "resume:" in keys and "link:" in keys
    assert review.client_token not in keys and resume not in keys


def test_the_welcome_page_never_loads_the_reviews_respondents(
    app: Flask, client: Any, review: MadeReview, make_respondent: Callable[..., Any]
) -> None:
    """A welcome page of a review of hundreds costs what one person's does (issue 15, 3)."""
    import sqlalchemy as sa

    from survey.models import Respondent

    for n in range(30):
        make_respondent(review, "client", name=f"P{n}")
    loaded: list[object] = []

    def count(target: object, _context: object) -> None:
        loaded.append(target)

    sa.event.listen(Respondent, "load", count)
    try:
        assert client.get(f"/r/{review.client_token}").status_code == 200
        started = client.post(f"/r/{review.client_token}", data={"name": "Ann"})
        assert started.status_code == 302
        assert client.get(started.location).status_code == 200  # her first page
    finally:
        sa.event.remove(Respondent, "load", count)
    assert len(loaded) <= 2, f"{len(loaded)} respondents loaded"
