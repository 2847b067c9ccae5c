"""Every chart is readable on a 375 px phone (issue 13, point 6): on the demo's vendor
results, the client's results and the client page, no chart is wider than the screen and
no label of any chart falls outside its drawing (where it would be cut off)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page

from survey.cli import main
from survey.commands.demo import DEMO_EMAIL, DEMO_PASSWORD
from survey.extensions import db
from survey.models import Review

from .conftest import LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
TOLERANCE = 0.5  # px: rounding of the text boxes

#: For every <svg> chart: its box and its texts' boxes that leave it.
OUTSIDE = """
(tol) => Array.from(document.querySelectorAll("svg.chart")).map((svg) => {
  const box = svg.getBoundingClientRect();
  const out = Array.from(svg.querySelectorAll("text"))
    .map((t) => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && (r.left < box.left - tol || r.right > box.right + tol
      || r.top < box.top - tol || r.bottom > box.bottom + tol))
    .map(([words, r]) => `${words} [${r.left.toFixed(1)}..${r.right.toFixed(1)}]`);
  return {chart: svg.getAttribute("class"), left: box.left, right: box.right,
          width: box.width, texts: svg.querySelectorAll("text").length, out: out};
})
"""


def demo_pages(server: LiveServer) -> dict[str, str]:
    """`survey demo` on the live app: the paths of the three pages that draw charts."""
    result = server.app.test_cli_runner().invoke(
        main, ["demo", "--base-url", server.url], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    review_id = lines[1].rsplit("/", 1)[1]
    with server.app.app_context():
        review = db.session.scalar(sa.select(Review).where(Review.public_id == review_id))
        assert review is not None
        client_id = review.client.public_id
    return {
        "vendor results": f"/reviews/{review_id}/results",
        "client results": lines[4].split(server.url, 1)[1],
        "client page": f"/clients/{client_id}",
    }


def charts_on(page: Page, url: str) -> list[dict[str, Any]]:
    page.goto(url)
    charts: list[dict[str, Any]] = page.evaluate(OUTSIDE, TOLERANCE)
    return charts


def test_every_chart_fits_a_phone_with_no_label_cut(
    live_server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    paths = demo_pages(live_server)
    phone = browser.new_context(viewport=PHONE)
    page = phone.new_page()
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    problems = []
    counted = {}
    for name, path in paths.items():
        charts = charts_on(page, f"{live_server.url}{path}")
        for number, chart in enumerate(page.locator("svg.chart").all()):
            chart.scroll_into_view_if_needed()
            shot = artifacts / f"narrow-{name.replace(' ', '-')}-{number + 1}.png"
            chart.screenshot(path=str(shot))
        counted[name] = len(charts)
        for chart in charts:
            assert chart["texts"] > 0, (name, chart["chart"])
            if chart["left"] < -TOLERANCE or chart["right"] > PHONE["width"] + TOLERANCE:
                problems.append(f"{name}: {chart['chart']} is {chart['width']:.0f} px wide")
            problems += [f"{name}: {chart['chart']}: {words} is cut" for words in chart["out"]]
    phone.close()
    # the vendor's and the client's results draw the four charts; the client page its trends
    assert counted["vendor results"] >= 4 and counted["client results"] >= 4, counted
    assert counted["client page"] >= 2, counted
    assert not problems, "\n".join(problems)
