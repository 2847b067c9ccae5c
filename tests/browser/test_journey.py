"""The whole two-sided journey in Chromium, as its users go through it (issue 4, point 9).

A vendor signs up through the web form, starts a review of the flagship questionnaire and
reads the two shared links off the review page. One vendor respondent (on a 375 px wide
phone screen) and two client respondents answer through those links, each in a browser
profile of their own. One client closes the browser halfway and comes back through the
personal resume link in a fresh profile; the other re-opens the shared link and is taken
back to their own answers by the cookie. All three submit, and the vendor's review page
shows three submissions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from survey.extensions import db
from survey.models import Respondent, Review
from survey.questionnaires import questionnaire_for
from survey.respond.operations import answers_of, missing_required

from .conftest import LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
RESUME_PAGE = re.compile(r"/r/resume/([A-Za-z0-9_-]+)/page/(\d+)$")


@contextmanager
def profile(browser: Browser, **options: object) -> Iterator[BrowserContext]:
    """A separate browser profile (its own cookies), as another person's browser."""
    context = browser.new_context(**options)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


# --- the vendor ----------------------------------------------------------------------------


def sign_up_and_start_review(page: Page, base: str) -> tuple[str, dict[str, str]]:
    """Create the account and a flagship review in the browser; return its URL and links."""
    page.goto(f"{base}/signup")
    page.get_by_label("Your organisation").fill("Acme Analytics")
    page.get_by_label("Your name").fill("Dana Vendor")
    page.get_by_label("Email").fill("dana@acme.example")
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_label("Repeat the password").fill("correct horse battery")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Next, log in with dana@acme.example")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("dana@acme.example")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="New review").click()
    page.get_by_label("Questionnaire").select_option("vendor-value-review")
    page.get_by_label("Client", exact=True).fill("Globex")
    page.get_by_role("button", name="Start the review").click()
    expect(page.get_by_role("heading", name="Vendor value review with Globex")).to_be_visible()
    links = {party: page.locator(f"#link-{party}").input_value() for party in ("vendor", "client")}
    for party, url in links.items():
        assert re.fullmatch(rf"{re.escape(base)}/r/[A-Za-z0-9_-]{{20,}}", url), (party, url)
    assert links["vendor"] != links["client"]
    return page.url, links


# --- respondents ---------------------------------------------------------------------------


def unanswered(question: Locator) -> bool:
    area = question.locator("textarea, input[type=text]")
    if area.count():
        return area.input_value() == ""
    return question.locator("input:checked").count() == 0


def answer(question: Locator, choice: int) -> None:
    """Answer one question as a person would: click a label, or type."""
    classes = question.get_attribute("class") or ""
    if "question-text" in classes:
        area = question.locator("textarea, input[type=text]")  # one line up to 80 chars
        limit = int(area.get_attribute("maxlength") or 40)
        area.fill(f"Candid answer {choice}"[:limit])
        return
    options = question.locator(".radio:not(.option-na) label")
    count = options.count()
    assert count, f"question {question.get_attribute('data-question')} has no options"
    # a multiple choice gets its first option (no firefighting follow-up) plus one more
    options.nth(choice % count).click()
    if question.locator("input[type=checkbox]").count() and count > 1:
        options.nth(0).check()


def answer_page(page: Page, choice: int) -> int:
    """Answer every visible question, including follow-ups revealed while answering."""
    answered = 0
    for _ in range(100):
        open_now = [
            q
            for q in page.locator("form.survey-page .question").all()
            if q.is_visible() and unanswered(q)
        ]
        if not open_now:
            return answered
        answer(open_now[0], choice + answered)
        answered += 1
    raise AssertionError("a page kept showing new questions")


def assert_fits(page: Page, width: int) -> None:
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"


def start(page: Page, link: str, name: str, role: str) -> str:
    """Open the shared link, give name and role, start; return the personal resume link."""
    page.goto(link)
    expect(page.get_by_role("heading", name="Vendor value review")).to_be_visible()
    page.get_by_label("Your name (optional)").fill(name)
    page.get_by_label("Your role (optional)").fill(role)
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(RESUME_PAGE)
    assert RESUME_PAGE.search(page.url)[2] == "1"  # type: ignore[index]
    return page.locator("#resume-url").input_value()


def page_number(page: Page) -> int:
    found = RESUME_PAGE.search(page.url)
    assert found, page.url
    return int(found[2])


def fill_pages(page: Page, choice: int, stop_before: int | None = None, width: int = 0) -> None:
    """Answer page after page with Save and continue, until the review (or `stop_before`)."""
    while "/review" not in page.url:
        number = page_number(page)
        if number == stop_before:
            return
        expect(page.locator("progress")).to_have_attribute("value", str(number))
        assert answer_page(page, choice + number) > 0, f"page {number} had nothing to answer"
        if width:
            assert_fits(page, width)
        page.locator("button[name=nav][value=next]").click()
        page.wait_for_url(lambda url, n=number: f"/page/{n}" not in url)
        assert page.locator(".error-summary").count() == 0, page.content()


def submit(page: Page, width: int = 0) -> None:
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert page.get_by_text("Not answered").count() == 0
    if width:
        assert_fits(page, width)
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url(re.compile(r"/done$"))
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()


def test_vendor_and_two_clients_complete_a_review(
    live_server: LiveServer, browser: Browser, page: Page
) -> None:
    review_url, links = sign_up_and_start_review(page, live_server.url)

    # the vendor respondent, on a phone
    with profile(browser, viewport=PHONE) as phone:
        tab = phone.new_page()
        start(tab, links["vendor"], "Dana Vendor", "Account director")
        assert_fits(tab, PHONE["width"])
        fill_pages(tab, choice=3, width=PHONE["width"])
        submit(tab, width=PHONE["width"])
        assert_fits(tab, PHONE["width"])

    # client 1 answers two pages, re-opens the shared link: the cookie resumes the response
    with profile(browser) as first:
        tab = first.new_page()
        resume = start(tab, links["client"], "Hiro Client", "Head of operations")
        fill_pages(tab, choice=1, stop_before=3)
        tab.goto(links["client"])
        tab.wait_for_url(RESUME_PAGE)
        assert f"/r/resume/{RESUME_PAGE.search(tab.url)[1]}" in resume  # type: ignore[index]
        assert page_number(tab) == 3
        fill_pages(tab, choice=1)
        submit(tab)

    # client 2 answers half, types on the next page until autosave says Saved, closes the browser
    with profile(browser) as second:
        tab = second.new_page()
        resume = start(tab, links["client"], "Mia Client", "Buyer")
        fill_pages(tab, choice=4, stop_before=4)
        answer_page(tab, choice=4)
        expect(tab.locator("[data-save-status]")).to_have_attribute("data-state", "saved")
    with profile(browser) as later:
        tab = later.new_page()
        tab.goto(resume)
        tab.wait_for_url(RESUME_PAGE)
        assert page_number(tab) == 5  # pages 1-3 were posted, page 4 was autosaved
        fill_pages(tab, choice=4)
        submit(tab)

    page.goto(review_url)
    expect(page.locator("#link-vendor-title").locator("..")).to_contain_text(
        "1 submitted, 0 in progress"
    )
    expect(page.locator("#link-client-title").locator("..")).to_contain_text(
        "2 submitted, 0 in progress"
    )
    # the vendor's own person one by one; the client's as counts (names are hidden)
    rows = page.locator("section[aria-labelledby=respondents-title] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.filter(has_text="in progress")).to_have_count(0)
    expect(page.locator('[data-counts-only="client"]')).to_contain_text("2 started, 2 submitted")

    with live_server.app.app_context():
        review = db.session.scalar(sa.select(Review))
        assert review is not None
        questionnaire = questionnaire_for(review)
        people = list(db.session.scalars(sa.select(Respondent).order_by(Respondent.id)))
        assert [(p.party, p.name) for p in people] == [
            ("vendor", "Dana Vendor"),
            ("client", "Hiro Client"),
            ("client", "Mia Client"),
        ]
        for person in people:
            assert person.is_submitted
            stored = answers_of(person)
            assert not missing_required(questionnaire, person.party, stored)  # type: ignore[arg-type]
            assert "continue" in stored
