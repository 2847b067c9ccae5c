"""Autosave in the browser: honest status, and nothing lost when the page is left early."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import BrowserContext, Page, expect

from survey.extensions import db
from survey.models import Answer, Respondent, hash_token

from .conftest import LiveServer

pytestmark = pytest.mark.browser


def seeded_resume_token(live_server: LiveServer) -> tuple[str, int, str]:
    """A client respondent of a fresh flagship review: (resume token, page, text question id)."""
    from a11y_tools import seed

    site = seed(live_server.app)
    page, question = site.first_text["client"]
    return site.empty["client"], page, question


def stored_answer(live_server: LiveServer, token: str, question: str) -> object:
    with live_server.app.app_context():
        respondent = db.session.scalar(
            sa.select(Respondent).where(Respondent.resume_token_hash == hash_token(token))
        )
        assert respondent is not None
        answer = db.session.scalar(
            sa.select(Answer).where(
                Answer.respondent_id == respondent.id, Answer.question_id == question
            )
        )
        return None if answer is None else answer.value


def type_into_first_text_answer(
    live_server: LiveServer, context: BrowserContext, words: str
) -> tuple[Page, str, str]:
    """Open a fresh respondent's page with a text question and type; (tab, token, question)."""
    token, number, question = seeded_resume_token(live_server)
    tab = context.new_page()
    tab.goto(f"{live_server.url}/r/resume/{token}/page/{number}")
    tab.locator(
        f"[data-question='{question}'] textarea, [data-question='{question}'] input[type=text]"
    ).fill(words)
    return tab, token, question


def test_status_says_not_saved_until_the_change_is_stored(
    live_server: LiveServer, context: BrowserContext
) -> None:
    tab, token, question = type_into_first_text_answer(live_server, context, "Fewer surprises")
    status = tab.locator("[data-save-status]")
    expect(status).to_have_attribute("data-state", "pending")
    expect(status).to_have_attribute("data-state", "saved")
    assert stored_answer(live_server, token, question) == "Fewer surprises"


def test_a_waiting_change_is_sent_when_the_page_is_left(
    live_server: LiveServer, context: BrowserContext
) -> None:
    words = "Call before you visit"
    tab, token, question = type_into_first_text_answer(live_server, context, words)
    expect(tab.locator("[data-save-status]")).to_have_attribute("data-state", "pending")
    tab.goto(f"{live_server.url}/login")  # leave before the debounced save fires
    expect(tab.get_by_role("heading", name="Log in")).to_be_visible()
    for _ in range(50):
        if stored_answer(live_server, token, question) == words:
            break
        tab.wait_for_timeout(100)
    assert stored_answer(live_server, token, question) == words
