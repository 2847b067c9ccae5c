"""In Chromium: the hostile corpus stored everywhere stays text on every page (issue 6, point 4).

The world of :mod:`test_hostile_input` (payloads in every name, answer, plan text and
questionnaire text) is served for real; Chromium opens the respondent pages, the vendor's
review page, the results and the plan, and the client's results. A payload that ran would
open a dialog, set ``window.__xss``, add an element whose id starts with ``xss``, or (if
escaping failed but the Content-Security-Policy held) make Chromium report a CSP violation:
every page is checked for all four, after the page script has run and a payload has been
typed into a text answer (autosave, character count).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Dialog, Page
from test_hostile_input import PASSWORD, Hostile, build_hostile, hostile_questionnaire
from xss_payloads import PAYLOADS

from survey.domain.loader import load_file

from .conftest import LiveServer

pytestmark = pytest.mark.browser


class Watch:
    """Everything a running payload could leave behind in one browser page."""

    def __init__(self, page: Page) -> None:
        self.dialogs: list[str] = []
        self.violations: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(message.text)

    def check(self, page: Page, where: str) -> None:
        page.wait_for_timeout(150)  # onerror, onload, autofocus handlers would have fired
        assert self.dialogs == [], (where, self.dialogs)
        assert self.violations == [], (where, self.violations)
        assert page.locator("[id^='xss']").count() == 0, where
        assert page.evaluate("typeof window.__xss") == "undefined", where
        scripts = page.evaluate("Array.from(document.scripts, s => s.getAttribute('src'))")
        assert all(src and src.startswith("/static/js/") for src in scripts), (where, scripts)
        frames = page.locator("iframe, object, embed, base, meta[http-equiv]").count()
        assert frames == 0, where


def visit(page: Page, watch: Watch, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    watch.check(page, url)


@pytest.fixture
def world(live_server: LiveServer, tmp_path: Path) -> Hostile:
    loaded = load_file(hostile_questionnaire(tmp_path))
    with live_server.app.app_context():
        return build_hostile(live_server.app, loaded)


def test_respondent_pages_stay_inert(
    live_server: LiveServer, world: Hostile, context: BrowserContext
) -> None:
    page = context.new_page()
    watch = Watch(page)
    base = live_server.url
    for party in ("vendor", "client"):
        visit(page, watch, f"{base}/r/{world.tokens[party]}")
        draft = world.drafts[party]
        for number in range(1, world.pages[party] + 1):
            visit(page, watch, f"{base}/r/resume/{draft}/page/{number}")
        visit(page, watch, f"{base}/r/resume/{draft}/review")
        visit(page, watch, f"{base}/r/resume/{world.submitted[party]}/done")
    # typing a payload runs the page script (character count, autosave) over it
    last = world.pages["client"]
    visit(page, watch, f"{base}/r/resume/{world.drafts['client']}/page/{last}")
    area = page.locator("textarea").first
    area.fill(PAYLOADS[0] + PAYLOADS[8] + PAYLOADS[26])
    page.locator("[data-save-status][data-state='saved']").wait_for(timeout=10_000)
    watch.check(page, "after typing")
    page.reload(wait_until="load")
    watch.check(page, "after reload")
    assert PAYLOADS[0] in area.input_value()


def test_vendor_and_client_results_and_plan_stay_inert(
    live_server: LiveServer, world: Hostile, context: BrowserContext
) -> None:
    page = context.new_page()
    watch = Watch(page)
    base = live_server.url
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill("eve@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")
    watch.check(page, "portfolio")
    review = f"{base}/reviews/{world.review}"
    for url in (
        review,
        f"{review}/results",
        f"{review}/results/plan/{world.item}/edit",
        f"{base}/team",
        f"{base}/reviews/new",
    ):
        visit(page, watch, url)
    client = context.browser.new_context() if context.browser else context
    try:
        client_page = client.new_page()
        client_watch = Watch(client_page)
        visit(client_page, client_watch, f"{base}/r/{world.tokens['results']}/results")
        visit(client_page, client_watch, f"{base}/invite/{world.invite}")
    finally:
        if client is not context:
            client.close()
