"""From a submitted review to the downloaded PDF, in Chromium, as the vendor and as the client."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from survey.auth import operations as auth_ops
from survey.extensions import db
from survey.models import Review
from survey.questionnaires import catalogue, questionnaire_for
from survey.respond import operations as respond_ops
from survey.results import operations as results_ops
from survey.workspace import operations as workspace_ops

from .conftest import LiveServer

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "questionnaires" / "examples" / "acme-globex.yaml"
EMAIL, PASSWORD = "dana@acme.example", "correct horse battery"


def submitted_review(server: LiveServer, shared: bool = True) -> tuple[str, str]:
    """A review with the example's answers all submitted and (unless `shared` is False)
    shared with the client: (public id, the client's results-link token)."""
    document = yaml.safe_load(EXAMPLE.read_text())
    with server.app.app_context():
        user = auth_ops.create_account("Acme Analytics", "Dana Vendor", EMAIL, PASSWORD)
        loaded = catalogue()["vendor-value-review"]
        review, tokens = workspace_ops.start_review(
            user.organisation, user, loaded.questionnaire, loaded.source, "Globex"
        )
        questionnaire = questionnaire_for(review)
        for party in ("vendor", "client"):
            link = review.current_link(party)
            assert link is not None
            for person in document[party]["respondents"]:
                respondent, _ = respond_ops.start_response(link, person.get("name"), None)
                respond_ops.save_answers(respondent, questionnaire, person["answers"])
                respond_ops.submit_response(respondent, questionnaire)
        if shared:
            results_ops.share_results(review, results_ops.Actor(user=user))
        public_id = db.session.get(Review, review.id).public_id  # type: ignore[union-attr]
        return public_id, tokens["results"]


def download_pdf(page: Page, folder: Path, name: str) -> bytes:
    with page.expect_download(timeout=90_000) as info:
        page.get_by_role("link", name="Download the PDF report").click()
    target = folder / name
    info.value.save_as(target)
    return target.read_bytes()


def test_vendor_and_client_download_the_report(
    live_server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    public_id, client_token = submitted_review(live_server)
    folder = artifacts / "pdf"
    folder.mkdir(parents=True, exist_ok=True)

    vendor = browser.new_context(accept_downloads=True)
    page = vendor.new_page()
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/reviews/{public_id}")
    page.get_by_role("link", name="See results").click()
    page.wait_for_url(f"**/reviews/{public_id}/results")
    assert page.get_by_role("heading", name="Joint action plan").is_visible()
    assert page.locator("svg.chart-radar").count() == 1
    # accept the first suggestion so the report carries a plan
    page.locator(".pending-item").first.get_by_role("button", name="Accept").click()
    assert page.locator(".plan-item").count() == 1
    page.screenshot(path=str(artifacts / "results-vendor.png"), full_page=True)
    pdf = download_pdf(page, folder, "browser-vendor.pdf")
    assert pdf.startswith(b"%PDF")
    vendor.close()

    client = browser.new_context(accept_downloads=True)
    page = client.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live_server.url}/r/{client_token}/results")
    assert page.get_by_role("heading", name="Joint action plan").is_visible()
    page.get_by_label("Comment").first.fill("Can we start in March?")
    page.get_by_role("button", name="Add comment").first.click()
    assert page.get_by_text("Can we start in March?").is_visible()
    pdf = download_pdf(page, folder, "browser-client.pdf")
    assert pdf.startswith(b"%PDF") and not dialogs
    client.close()


def test_narrow_screen_keeps_charts_readable_and_the_confirmation_in_view(
    live_server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    public_id, _ = submitted_review(live_server)
    phone = browser.new_context(viewport={"width": 375, "height": 740})
    page = phone.new_page()
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/reviews/{public_id}/results")

    # charts fit the screen (no sideways scroll) and keep a readable size
    for kind in ("levels", "radar", "gaps", "quadrant"):
        box = page.locator(f"svg.chart-{kind}").evaluate(
            "e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.width]; }"
        )
        natural = float(page.locator(f"svg.chart-{kind}").get_attribute("width") or 0)
        assert box[0] >= 0 and box[1] <= 375, kind
        assert 13 * box[2] / natural >= 10, kind  # 13-unit text drawn at 10 px or more
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # the dimension table shows its Gap column within the screen
    for key in ("gap", "status"):
        cell = page.locator("#dimension-table tbody tr").first.locator(f'[data-key="{key}"]')
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 375, key
    page.locator("#dimensions").screenshot(path=str(artifacts / "results-375-dimensions.png"))
    page.locator("#quadrant").screenshot(path=str(artifacts / "results-375-quadrant.png"))
    page.locator("#questions").screenshot(path=str(artifacts / "results-375-questions.png"))

    # accepting a suggestion shows its confirmation next to the new plan item, on screen
    page.locator(".pending-item").first.get_by_role("button", name="Accept").click()
    notice = page.locator(".plan-item .plan-notice")
    assert notice.is_visible() and notice.get_attribute("role") == "status"
    assert notice.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    page.screenshot(path=str(artifacts / "results-375-accepted.png"))
    # on a wide screen a chart is shown no wider than 30rem: its words stay small print
    page.set_viewport_size({"width": 1280, "height": 800})
    for kind in ("levels", "radar", "gaps", "quadrant"):
        width = page.locator(f"svg.chart-{kind}").evaluate("e => e.getBoundingClientRect().width")
        assert 400 <= width <= 480, kind
    phone.close()
