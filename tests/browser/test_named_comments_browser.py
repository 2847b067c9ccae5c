"""In Chromium: the client signs a comment with its name, which the next comment remembers,
and the vendor's page shows who wrote it; the client sees its own side's names and only
"someone at Acme Analytics" for the vendor's people (issue 11, points 1 and 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from survey.extensions import db
from survey.models import Review, User
from survey.results import operations

from .conftest import LiveServer
from .test_results_browser import EMAIL, PASSWORD, submitted_review

pytestmark = pytest.mark.browser


def test_client_signs_a_comment_and_the_vendor_reads_the_name(
    live_server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    public_id, client_token = submitted_review(live_server)
    with live_server.app.app_context():
        review = db.session.scalar(db.select(Review).where(Review.public_id == public_id))
        user = db.session.scalar(db.select(User).where(User.email == EMAIL))
        assert review is not None and user is not None
        operations.add_action(review, operations.Actor(user), {"title": "Benchmark report"})

    client = browser.new_context()
    page = client.new_page()
    page.goto(f"{live_server.url}/r/{client_token}/results")
    words = page.locator("#verbatims").inner_text()
    assert "Hiro (head of operations)" in words  # the own side's names
    assert "Dana (account director)" not in words and "someone at Acme Analytics" in words
    item = page.locator(".plan-item").first
    item.get_by_label("Comment").fill("Can we start in March?")
    item.get_by_label("Your name (optional)").fill("Hiro")
    item.get_by_role("button", name="Add comment").click()
    expect(page.locator(".comments").first).to_contain_text("Hiro,")
    expect(page.locator(".plan-item").first.get_by_label("Your name (optional)")).to_have_value(
        "Hiro"
    )
    page.screenshot(path=str(artifacts / "named-comment-client.png"), full_page=True)
    client.close()

    vendor = browser.new_context()
    page = vendor.new_page()
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/reviews/{public_id}/results")
    expect(page.locator(".comments").first).to_contain_text("Can we start in March?")
    expect(page.locator(".comments").first).to_contain_text("Hiro,")
    assert "Hiro (head of operations)" not in page.locator("#verbatims").inner_text()
    vendor.close()
