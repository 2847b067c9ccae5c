"""Autosave in the browser while the database is unreachable: honest status, then saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, expect
from test_faults import database_gone

from .conftest import LiveServer
from .test_autosave import seeded_resume_token, stored_answer

pytestmark = pytest.mark.browser


def test_autosave_says_not_saved_yet_while_the_database_is_down_then_saves(
    live_server: LiveServer, context: BrowserContext
) -> None:
    token, number, question = seeded_resume_token(live_server)
    tab = context.new_page()
    tab.goto(f"{live_server.url}/r/resume/{token}/page/{number}")
    field = tab.locator(
        f"[data-question='{question}'] textarea, [data-question='{question}'] input[type=text]"
    )
    status = tab.locator("[data-save-status]")
    with database_gone(live_server.app):
        field.fill("Answer the phone")
        expect(status).to_contain_text("Not saved yet")
        expect(status).to_have_attribute("data-state", "error")
        expect(field).to_have_value("Answer the phone")  # still on the page
    expect(status).to_have_attribute("data-state", "saved", timeout=30_000)  # retried alone
    assert stored_answer(live_server, token, question) == "Answer the phone"
