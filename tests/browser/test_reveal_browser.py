"""The staged reveal in Chromium: the vendor prepares and shares, the client sees the shared
plan with the vendor's responses, then the vendor stops sharing and the client is told."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page

from survey.extensions import db
from survey.models import Review
from survey.results import operations as results_ops

from .conftest import LiveServer
from .test_results_browser import EMAIL, PASSWORD, submitted_review

pytestmark = pytest.mark.browser

RESPONSE = "Yes: a monthly steering meeting from May, chaired by our account lead."


def _client_proposes(server: LiveServer, public_id: str, title: str) -> None:
    """A proposal the client made through its results link earlier (while shared)."""
    with server.app.app_context():
        review = db.session.scalars(sa.select(Review).where(Review.public_id == public_id)).one()
        results_ops.propose_action(review, results_ops.Actor.client_link(), title, None)


def _log_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def test_vendor_prepares_shares_then_stops_sharing(
    live_server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    base = live_server.url
    public_id, results_token = submitted_review(live_server, shared=False)
    _client_proposes(live_server, public_id, "Meet every month")
    results_url = f"{base}/r/{results_token}/results"

    client = browser.new_context().new_page()
    client.goto(results_url)
    assert client.get_by_role("heading", name="The results are being prepared").is_visible()
    assert client.get_by_text("being prepared by Dana Vendor at Acme Analytics").is_visible()
    assert client.locator("#plan").count() == 0

    vendor_context = browser.new_context()
    vendor = vendor_context.new_page()
    _log_in(vendor, base)
    vendor.goto(f"{base}/reviews/{public_id}")
    assert vendor.get_by_label("Results link for Globex").input_value() == results_url
    assert vendor.locator('[data-copy-target="results-link"]').is_visible()  # script-enhanced
    vendor.goto(f"{base}/reviews/{public_id}/results")
    assert vendor.get_by_role("heading", name="Only you see these results").is_visible()
    # prepare: accept a suggestion, answer the client's proposal
    vendor.locator(".pending-item").first.get_by_role("button", name="Accept").click()
    proposal = vendor.locator(".plan-item", has_text="Meet every month")
    proposal.get_by_label("Our response").fill(RESPONSE)
    proposal.get_by_role("button", name="Save response").click()
    assert vendor.get_by_text("Response saved.").is_visible()
    vendor.get_by_role("button", name="Share with Globex").click()
    assert vendor.get_by_role("heading", name="Shared with Globex").is_visible()

    client.reload()
    assert client.get_by_role("heading", name="Joint action plan").is_visible()
    shared = client.locator(".plan-item", has_text="Meet every month")
    assert shared.get_by_role("heading", name="You said").is_visible()
    assert shared.get_by_role("heading", name="We propose").is_visible()
    assert shared.get_by_text(RESPONSE).is_visible()
    client.screenshot(path=str(artifacts / "reveal-client-shared.png"), full_page=True)

    vendor.get_by_role("button", name="Stop sharing with Globex").click()
    assert vendor.get_by_text("Globex no longer sees the results.").is_visible()
    client.reload()
    heading = "The results are not shared at the moment"
    assert client.get_by_role("heading", name=heading).is_visible()
    assert client.get_by_text("Dana Vendor at Acme Analytics has stopped sharing").is_visible()
    assert client.locator("#plan").count() == 0
    vendor_context.close()
