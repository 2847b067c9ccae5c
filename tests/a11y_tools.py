"""Shared by the accessibility (axe-core) and markup (Nu HTML Checker) tests.

Both check the same pages, so the data behind them and the list of pages live here:
:func:`seed` fills a fresh database with one review in every state a page can show,
and :func:`pages` names each page (and the few error states reached by a POST) with
the status it must answer. The checkers come from npm (`make tools` puts them in
.tools/); a missing checker is a failure that says so, never a skip, because a skipped
accessibility test looks exactly like a passing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools" / "node_modules"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
EXAMPLE = ROOT / "questionnaires" / "examples" / "acme-globex.yaml"
FLAGSHIP = "vendor-value-review"
EMAIL, PASSWORD = "dana@acme.example", "correct horse battery"
TOO_LONG = "x" * 250  # the optional name on the welcome page allows 200


def require(tool: Path) -> Path:
    """The tool's path; fail (not skip) with the fix when `make tools` has not been run."""
    if not tool.is_file():
        pytest.fail(
            f"{tool.relative_to(ROOT)} is missing: run `make tools` (npm installs axe-core "
            "and vnu-jar into .tools/; `make test` does this for you)",
            pytrace=False,
        )
    return tool


@dataclass(frozen=True)
class PageSpec:
    """A page to check: GET `path`, or POST `data` to it after loading `via` (for CSRF)."""

    name: str
    path: str
    status: int = 200
    data: dict[str, str] | None = None
    via: str | None = None
    login: bool = False


@dataclass
class Site:
    """What :func:`seed` made: ids and raw tokens the page list is built from."""

    ready_review: str = ""  # both sides submitted: results exist, shared with the client
    open_review: str = ""  # collecting, nobody submitted, due by a date
    fresh_review: str = ""  # nobody has answered: its confidentiality can still change
    ready_client_token: str = ""  # the results link of the ready review
    open_client_token: str = ""  # the results link of the collecting review
    prepared_review: str = ""  # both sides submitted, open to the vendor only
    prepared_results_token: str = ""
    prepared_done: str = ""  # a client respondent's resume token there (submitted)
    withdrawn_results_token: str = ""  # shared, then the vendor stopped sharing
    replaced_results_token: str = ""  # a results link replaced by a newer one (410)
    revoked_results_token: str = ""  # a revoked results link (410)
    closed_vendor_token: str = ""
    open_tokens: dict[str, str] = field(default_factory=dict)  # party -> shared link token
    complete: dict[str, str] = field(default_factory=dict)  # party -> resume token, all answered
    empty: dict[str, str] = field(default_factory=dict)  # party -> resume token, nothing answered
    done: dict[str, str] = field(default_factory=dict)  # party -> resume token, submitted
    page_count: dict[str, int] = field(default_factory=dict)
    first_scale: dict[str, tuple[int, str]] = field(default_factory=dict)  # party -> page, id
    first_text: dict[str, tuple[int, str]] = field(default_factory=dict)
    plan_item: str = ""
    invitation_token: str = ""
    ready_client: str = ""  # public id of the client whose review has results (its trend)
    open_client: str = ""  # public id of a client whose only review has no results yet


def _example_answers() -> dict[str, list[dict[str, Any]]]:
    document = yaml.safe_load(EXAMPLE.read_text())
    return {party: [r["answers"] for r in document[party]["respondents"]] for party in document}


def _first(questionnaire: Any, party: str, kind: str) -> tuple[int, str]:
    """(page number, id) of the first always-shown question of a kind, for error states."""
    for number, (_, questions) in enumerate(questionnaire.sections_for(party), start=1):
        for q in questions:
            if q.kind == kind and q.show_if is None:
                return number, q.id
    raise AssertionError(f"the flagship asks the {party} no {kind} question")


def seed(app: Flask) -> Site:
    """Fill a fresh database with a review in every state the checked pages can show."""
    from survey import links
    from survey.auth import operations as auth_ops
    from survey.extensions import db
    from survey.models import User
    from survey.questionnaires import catalogue, questionnaire_for
    from survey.respond import operations as respond_ops
    from survey.results import operations as plan_ops
    from survey.results.data import build_comparison, pending_items
    from survey.workspace import operations as workspace_ops

    site = Site()
    answers = _example_answers()
    with app.app_context():
        user = auth_ops.create_account("Acme Analytics", "Dana Vendor", EMAIL, PASSWORD)
        with app.test_request_context():  # the invitation mail's link needs a host
            _, site.invitation_token = auth_ops.invite_colleague(user, "sam@acme.example")
        loaded = catalogue()[FLAGSHIP]

        def start(client: str, due: date | None = None) -> tuple[Any, dict[str, str]]:
            owner = db.session.scalar(sa.select(User).where(User.email == EMAIL))
            assert owner is not None
            return workspace_ops.start_review(
                owner.organisation, owner, loaded.questionnaire, loaded.source, client, due
            )

        def answer_all(review: Any) -> dict[str, str]:
            """Everyone of the example answers and submits; a resume token per party."""
            done = {}
            for party in ("vendor", "client"):
                link = review.current_link(party)
                assert link is not None
                for given in answers[party]:
                    respondent, token = respond_ops.start_response(link, "Kim Example", "Lead")
                    respond_ops.save_answers(respondent, questionnaire, given)
                    respond_ops.submit_response(respondent, questionnaire)
                    done[party] = token
            return done

        ready, tokens = start("Globex")
        questionnaire = questionnaire_for(ready)
        site.ready_review, site.ready_client_token = ready.public_id, tokens["results"]
        site.ready_client = ready.client.public_id
        site.done = answer_all(ready)
        result = build_comparison(ready, "vendor").result
        first, *rest = pending_items(ready, result)
        actor = plan_ops.Actor(user=db.session.get(User, user.id))
        item = plan_ops.accept_action(ready, first, actor)
        plan_ops.comment_on_action(item, actor, "We start with this one.")
        proposal = plan_ops.propose_action(
            ready, plan_ops.Actor.client_link("Hiro"), "Meet monthly", None
        )
        plan_ops.respond_to_proposal(proposal, actor, "Yes: every first Monday, from May.")
        plan_ops.share_results(ready, actor)
        site.plan_item = item.public_id

        prepared, tokens = start("Vandelay")
        site.prepared_review, site.prepared_results_token = prepared.public_id, tokens["results"]
        site.prepared_done = answer_all(prepared)["client"]
        plan_ops.propose_action(prepared, plan_ops.Actor.client_link(), "Fewer reports", None)

        withdrawn, tokens = start("Soylent")
        answer_all(withdrawn)
        plan_ops.share_results(withdrawn, actor)
        plan_ops.stop_sharing(withdrawn, actor)
        site.withdrawn_results_token = tokens["results"]

        collecting, tokens = start("Initrode", date(2031, 1, 17))
        site.open_review, site.open_tokens = collecting.public_id, tokens
        site.open_client = collecting.client.public_id
        site.open_client_token = tokens["results"]
        for party in ("vendor", "client"):
            link = collecting.current_link(party)
            assert link is not None
            respondent, site.complete[party] = respond_ops.start_response(link, "Ali", None)
            respond_ops.save_answers(respondent, questionnaire, answers[party][0])
            _, site.empty[party] = respond_ops.start_response(link, None, None)
            site.page_count[party] = len(questionnaire.sections_for(party))  # type: ignore[arg-type]
            site.first_scale[party] = _first(questionnaire, party, "scale")
            site.first_text[party] = _first(questionnaire, party, "text")

        site.fresh_review = start("Hooli")[0].public_id

        closed, tokens = start("Umbrella")
        workspace_ops.close_review(closed)
        site.closed_vendor_token = tokens["vendor"]
        site.replaced_results_token = tokens["results"]
        site.revoked_results_token = links.reissue_link(closed, "results")
        links.revoke_link(closed, "results")
    return site


def respondent_pages(site: Site) -> list[PageSpec]:
    """Welcome, every section page of both parties, errors, review, done, closed."""
    specs = []
    for party in ("vendor", "client"):
        shared = f"/r/{site.open_tokens[party]}"
        specs.append(PageSpec(f"{party} welcome", shared))
        specs.append(
            PageSpec(f"{party} welcome with errors", shared, data={"name": TOO_LONG}, via=shared)
        )
        # vendor pages with every answer given, client pages empty: both looks are checked
        token = site.complete[party] if party == "vendor" else site.empty[party]
        for number in range(1, site.page_count[party] + 1):
            specs.append(PageSpec(f"{party} page {number}", f"/r/resume/{token}/page/{number}"))
        number, scale = site.first_scale[party]
        path = f"/r/resume/{site.empty[party]}/page/{number}"
        bad = {"_page": str(number), scale: "not-a-point"}
        specs.append(PageSpec(f"{party} page with an error", path, 422, data=bad, via=path))
        number, text = site.first_text[party]
        path = f"/r/resume/{site.empty[party]}/page/{number}"
        long = {"_page": str(number), text: "y" * 5000}
        specs.append(PageSpec(f"{party} page with a cut answer", path, data=long, via=path))
        review = f"/r/resume/{site.complete[party]}/review"
        specs.append(PageSpec(f"{party} review, all answered", review))
        empty_review = f"/r/resume/{site.empty[party]}/review"
        specs.append(PageSpec(f"{party} review, all open", empty_review))
        specs.append(
            PageSpec(f"{party} submit refused", empty_review, 422, data={}, via=empty_review)
        )
        specs.append(PageSpec(f"{party} done", f"/r/resume/{site.done[party]}/done"))
    specs.append(
        PageSpec("client done, results being prepared", f"/r/resume/{site.prepared_done}/done")
    )
    specs.append(PageSpec("closed collection", f"/r/{site.closed_vendor_token}", 403))
    specs.append(PageSpec("unknown link", "/r/this-link-does-not-exist", 404))
    specs.append(PageSpec("revoked link", f"/r/{site.revoked_results_token}/results", 410))
    specs.append(PageSpec("replaced link", f"/r/{site.replaced_results_token}/results", 410))
    return specs


def results_pages(site: Site) -> list[PageSpec]:
    """The comparison for the vendor and the client, and their waiting pages."""
    ready, waiting = f"/reviews/{site.ready_review}/results", f"/reviews/{site.open_review}/results"
    return [
        PageSpec("vendor results", ready, login=True),
        PageSpec("vendor edit action", f"{ready}/plan/{site.plan_item}/edit", login=True),
        PageSpec("vendor results waiting", waiting, login=True),
        PageSpec("client results", f"/r/{site.ready_client_token}/results"),
        PageSpec("client results waiting", f"/r/{site.open_client_token}/results"),
        PageSpec(
            "vendor results being prepared",
            f"/reviews/{site.prepared_review}/results",
            login=True,
        ),
        PageSpec("client results being prepared", f"/r/{site.prepared_results_token}/results"),
        PageSpec("client results no longer shared", f"/r/{site.withdrawn_results_token}/results"),
    ]


def workspace_pages(site: Site) -> list[PageSpec]:
    """Account and workspace pages, logged in and not, with their error states."""
    return [
        PageSpec("login", "/login"),
        PageSpec("login refused", "/login", data={"email": EMAIL, "password": "no"}, via="/login"),
        PageSpec("signup", "/signup"),
        PageSpec("signup with errors", "/signup", data={"email": "nope"}, via="/signup"),
        PageSpec("accept invitation", f"/invite/{site.invitation_token}"),
        PageSpec("not found", "/no-such-page", 404),
        PageSpec("portfolio", "/", login=True),
        PageSpec("new review", "/reviews/new", login=True),
        PageSpec("new review with errors", "/reviews/new", data={}, via="/reviews/new", login=True),
        PageSpec("review collecting", f"/reviews/{site.open_review}", login=True),
        PageSpec("review with results", f"/reviews/{site.ready_review}", login=True),
        PageSpec("review nobody answered yet", f"/reviews/{site.fresh_review}", login=True),
        PageSpec(
            "confidentiality refused",
            f"/reviews/{site.fresh_review}/confidentiality",
            400,
            data={"confidentiality-anonymity_threshold": "99"},
            via=f"/reviews/{site.fresh_review}",
            login=True,
        ),
        PageSpec(
            "link expiry refused",
            f"/reviews/{site.open_review}/links/client/expiry",
            400,
            data={"client-expires_on": "2001-01-01"},
            via=f"/reviews/{site.open_review}",
            login=True,
        ),
        PageSpec("confirm closing", f"/reviews/{site.open_review}/close", login=True),
        PageSpec(
            "confirm revoking a link",
            f"/reviews/{site.open_review}/links/client/revoke",
            login=True,
        ),
        PageSpec(
            "confirm replacing a link",
            f"/reviews/{site.open_review}/links/vendor/reissue",
            login=True,
        ),
        PageSpec(
            "confirm revoking the results link",
            f"/reviews/{site.open_review}/links/results/revoke",
            login=True,
        ),
        PageSpec(
            "confirm replacing the results link",
            f"/reviews/{site.open_review}/links/results/reissue",
            login=True,
        ),
        PageSpec("review being prepared", f"/reviews/{site.prepared_review}", login=True),
        PageSpec("client with a trend", f"/clients/{site.ready_client}", login=True),
        PageSpec("client without results", f"/clients/{site.open_client}", login=True),
        PageSpec(
            "repeat a review",
            f"/reviews/new?client={site.ready_client}&questionnaire={FLAGSHIP}",
            login=True,
        ),
        PageSpec("team", "/team", login=True),
        PageSpec("account", "/account", login=True),
        PageSpec(
            "account with errors", "/account", data={"current": "no"}, via="/account", login=True
        ),
    ]


def pages(site: Site) -> list[PageSpec]:
    """Every page the accessibility and markup tests check."""
    return respondent_pages(site) + results_pages(site) + workspace_pages(site)
