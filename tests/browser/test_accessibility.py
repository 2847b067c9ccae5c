"""axe-core finds no accessibility violation on any respondent, results or workspace page.

axe-core (npm, installed by `make tools`) is injected into each page as Chromium shows
it — with the site's CSS and scripts applied, so colour contrast, hidden follow-up
questions and focus order are judged as a person meets them. Error states are reached
by posting the real forms (with their CSRF token), not by rendering templates directly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from a11y_tools import (
    AXE_JS,
    EMAIL,
    PASSWORD,
    PageSpec,
    pages,
    require,
    seed,
)
from playwright.sync_api import Browser, BrowserContext, Page

from .conftest import LiveServer

pytestmark = pytest.mark.browser

#: Builds a form from a page's own CSRF token and posts it, as the page's form would.
POST_FORM = """([action, fields]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  const token = document.querySelector("input[name=csrf_token]");
  if (token) { fields.push(["csrf_token", token.value]); }
  for (const [name, value] of fields) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
}"""


@pytest.fixture
def contexts(browser: Browser) -> Iterator[dict[bool, BrowserContext]]:
    """An anonymous profile and a logged-in one; CSP bypassed only so axe can be injected."""
    made = {login: browser.new_context(bypass_csp=True) for login in (False, True)}
    for context in made.values():
        context.set_default_timeout(15_000)
    yield made
    for context in made.values():
        context.close()


def open_page(page: Page, base: str, spec: PageSpec) -> int:
    """Show the page (posting its form data when it has some); return the HTTP status."""
    if spec.data is None:
        response = page.goto(base + spec.path)
    else:
        page.goto(base + (spec.via or spec.path))
        with page.expect_navigation() as navigation:
            page.evaluate(POST_FORM, [base + spec.path, list(spec.data.items())])
        response = navigation.value
    assert response is not None
    page.wait_for_load_state("load")
    return response.status


def describe(name: str, violations: list[dict[str, Any]]) -> list[str]:
    lines = []
    for v in violations:
        lines.append(f"- {name}: [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {', '.join(map(str, node['target']))}: {summary}")
            lines.append(f"       {node['html'][:200]}")
    return lines


def test_no_axe_violations_on_any_page(
    live_server: LiveServer, contexts: dict[bool, BrowserContext]
) -> None:
    axe = require(AXE_JS)
    site = seed(live_server.app)
    tabs = {login: context.new_page() for login, context in contexts.items()}
    tabs[True].goto(f"{live_server.url}/login")
    tabs[True].get_by_label("Email").fill(EMAIL)
    tabs[True].get_by_label("Password").fill(PASSWORD)
    tabs[True].get_by_role("button", name="Log in").click()
    tabs[True].wait_for_url(f"{live_server.url}/")

    checked, report = 0, []
    for spec in pages(site):
        page = tabs[spec.login]
        status = open_page(page, live_server.url, spec)
        assert status == spec.status, f"{spec.name}: HTTP {status}, expected {spec.status}"
        page.add_script_tag(path=str(axe))
        result = page.evaluate("async () => await axe.run(document)")
        assert result["passes"], f"{spec.name}: axe ran no passing check (not injected?)"
        report += describe(spec.name, result["violations"])
        checked += 1
    assert checked >= 40
    if report:
        pytest.fail("axe-core found violations:\n" + "\n".join(report), pytrace=False)
