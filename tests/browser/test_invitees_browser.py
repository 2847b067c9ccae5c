"""Invitations by e-mail in Chromium (issue 12, point 5): a vendor invites two client people
on the review page; each answers through the link in the mail the SMTP server received;
the review page then reads 2 of 2.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from smtp_box import SmtpServer, links_in

from survey.mail.outbox import deliver_due

from .conftest import LiveServer
from .test_journey import RESUME_PAGE, fill_pages, profile, sign_up_and_start_review, submit

pytestmark = pytest.mark.browser

PEOPLE = (
    ("Ana Lopez", "ana@globex.example", "decision_maker"),
    ("Ben Ode", "ben@globex.example", "user"),
)


def invite(page: Page, name: str, email: str, stake: str) -> None:
    side = page.locator("#invitees-client")
    side.get_by_label("Name").fill(name)
    side.get_by_label("E-mail").fill(email)
    side.get_by_label("Role in the relationship").select_option(stake)
    side.get_by_role("button", name="Invite to the client side").click()
    expect(page.get_by_text(f"Invitation sent to {name} ({email}).")).to_be_visible()


def test_two_invited_client_people_answer_through_their_mails(
    live_server: LiveServer, browser: Browser, page: Page, smtp_server: SmtpServer, artifacts
) -> None:
    live_server.app.config.update(smtp_server.settings)
    review_url, _links = sign_up_and_start_review(page, live_server.url)
    for name, email, stake in PEOPLE:
        invite(page, name, email, stake)
    rate = page.locator('[data-rate="client"]')
    expect(rate).to_contain_text("0 of 2 invited submitted (0%)")
    with live_server.app.app_context():
        assert deliver_due().sent == 2  # what the worker does after the commit

    for name, email, _stake in PEOPLE:
        [message] = smtp_server.mailbox.to(email)
        [link] = links_in(message)
        assert urlsplit(link).netloc == urlsplit(live_server.url).netloc
        with profile(browser) as theirs:
            tab = theirs.new_page()
            tab.goto(link)
            expect(tab.get_by_label("Your name (optional)")).to_have_value(name)
            expect(tab.locator('[data-promise="invited"]')).to_be_visible()
            tab.get_by_role("button", name="Start").click()
            tab.wait_for_url(RESUME_PAGE)
            fill_pages(tab, choice=2)
            submit(tab)

    page.goto(review_url)
    expect(rate).to_contain_text("2 of 2 invited submitted (100%)")
    expect(page.locator("#invitees-client tbody tr .badge", has_text="submitted")).to_have_count(2)
    page.locator("#invitees").screenshot(path=str(artifacts / "invitees.png"))
