"""The authorization matrix: every route of the app × every kind of visitor, one expected status
per cell (issue 6, point 2).

The table :data:`EXPECTED` has an entry for every endpoint in ``app.url_map`` (static aside);
:func:`test_every_route_has_an_entry` fails when someone adds a route without deciding who
may reach it. The world is built once per module and restored from a copy after every
state-changing request, so each cell sees the same data.

Personas. Session personas (anonymous, a vendor user of org A, a vendor user of org B) log
in or not and hold no capability token: token parameters get an unknown token, except the
invitation link, which anyone who received the email holds. Token personas (the client link
of X, the client link of Y, the vendor link of X, a revoked link) hold no session and put
their own token into every token parameter (a shared link where a shared link goes; the
resume token of a respondent who started through that link where a resume token goes).
Results-link personas hold the client's results link of a review in each state of the
staged reveal (survey.reveal): X and Y shared, one being prepared (open to the vendor
only), one no longer shared, one still collecting, and a revoked and a replaced results
link (410). The
respondent of a replaced link submitted through X's first client link, which the vendor then
replaced: they keep their own resume link (read-only now) and nothing else. Every
other parameter names review X's things (public id, action item, pending suggestion): an
attacker may learn those ids, so they must not matter.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from test_results import example_people
from werkzeug.routing import Rule

from survey import create_app, invitations, links
from survey.auth import operations as auth_ops
from survey.auth import recovery
from survey.database import WRITING_STATEMENT
from survey.domain.scoring import score
from survey.extensions import db, limiter
from survey.mail.outbox import deliver_due
from survey.models import Review, User, new_token
from survey.questionnaires import catalogue, questionnaire_for
from survey.respond import operations as respond_ops
from survey.results import operations as results_ops
from survey.results.data import pending_items
from survey.reveal import review_answers_for
from survey.workspace import operations as workspace_ops

FLAGSHIP = "vendor-value-review"
PASSWORD = "correct horse battery"

# --- the world ------------------------------------------------------------------------------


@dataclass
class World:
    """Ids and raw tokens of the fixture world (built once, restored between cells)."""

    user_a: str = ""  # session ids (public id and session version): the session holds these
    user_b: str = ""
    review_x: str = ""
    review_y: str = ""
    x_tokens: dict[str, str] = field(default_factory=dict)  # party -> shared-link token
    y_tokens: dict[str, str] = field(default_factory=dict)
    revoked: str = ""
    replaced: dict[str, str] = field(default_factory=dict)  # X's old client link, its respondent
    resume: dict[str, str] = field(default_factory=dict)  # "x-client" ... -> resume token
    invite: str = ""
    invitation_a: str = ""  # public id of that invitation (org A's, still open)
    member_a: str = ""  # public id of a member (not an admin) of org A
    reset: str = ""
    invited: str = ""  # the personal token of X's client invitee (not started)
    stop: str = ""  # the signed token that stops that invitee's reminders
    invitee_x: str = ""  # that invitee's public id
    results: dict[str, str] = field(default_factory=dict)  # results-link persona -> token
    client_of_x: str = ""  # public id of X's client organisation (in org A's portfolio)
    item_x: str = ""  # an action item of X (a client proposal)
    pending_x: str = ""  # a pending suggestion key of X


class SentMail:
    """A transport that takes every mail and keeps it (the world's invitation mail)."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


def _start(organisation_name: str, email: str) -> User:
    return auth_ops.create_account(
        organisation_name, f"User of {organisation_name}", email, PASSWORD
    )


def _review(owner: User, client_name: str) -> tuple[Review, dict[str, str]]:
    loaded = catalogue()[FLAGSHIP]
    return workspace_ops.start_review(
        owner.organisation, owner, loaded.questionnaire, loaded.source, client_name, None
    )


def _submit_everyone(review: Review) -> str:
    """Both parties submit (the example answers), so the results exist; a client's token."""
    questionnaire = questionnaire_for(review)
    client_token = ""
    for party, name, answers in example_people():
        link = review.current_link(party)
        assert link is not None
        respondent, token = respond_ops.start_response(link, name, None)
        respond_ops.save_answers(respondent, questionnaire, answers)
        respond_ops.submit_response(respondent, questionnaire)
        client_token = token if party == "client" else client_token
    return client_token


def _draft(review: Review, party: str) -> str:
    """A respondent who started through the party's link and has not submitted: its token."""
    link = review.current_link(party)
    assert link is not None
    _, token = respond_ops.start_response(link, "Draft", None)
    return token


def build_world() -> World:
    """Org A with review X, org B with review Y (both fully answered), a revoked link."""
    world = World()
    user_a = _start("Acme Analytics", "dana@acme.example")
    user_b = _start("Initech", "bill@initech.example")
    x, world.x_tokens = _review(user_a, "Globex")
    y, world.y_tokens = _review(user_b, "Umbrella")
    world.replaced = {"link": world.x_tokens["client"], "resume": _submit_everyone(x)}
    world.x_tokens["client"] = links.reissue_link(x, "client")
    _submit_everyone(y)
    for shared in (x, y):
        results_ops.share_results(shared, results_ops.Actor(user=shared.created_by))
    world.resume = {
        "x-client": _draft(x, "client"),
        "x-vendor": _draft(x, "vendor"),
        "y-client": _draft(y, "client"),
    }
    revoked, hooli = _review(user_a, "Hooli")
    world.revoked = _tokens_then_revoke(revoked)
    world.results = {"results_x": world.x_tokens["results"], "results_y": world.y_tokens["results"]}
    world.results.update(_reveal_states(user_a))
    world.results["results_revoked"] = hooli["results"]
    links.revoke_link(revoked, "results")
    invitation, world.invite = auth_ops.invite_colleague(user_a, "new@acme.example")
    world.invitation_a = invitation.public_id
    member = auth_ops.add_user(user_a.organisation, "Sam Member", "sam@acme.example", PASSWORD)
    world.member_a = member.public_id
    world.reset = recovery.reset_token(user_a)
    invitee = invitations.add_invitee(x, "client", "Ivy", "ivy@globex.example", "user", user_a)
    world.invited = invitations.personal_token(invitee)
    world.stop = invitations.stop_token(invitee)
    world.invitee_x = invitee.public_id
    deliver_due(SentMail())  # a sent mail keeps no body: the database holds no raw token
    item = results_ops.propose_action(x, results_ops.Actor.client_link(), "Meet monthly", None)
    world.item_x = item.public_id
    result = score(questionnaire_for(x), review_answers_for(x))
    world.pending_x = pending_items(x, result)[0].key
    world.user_a, world.user_b = user_a.get_id(), user_b.get_id()
    world.review_x, world.review_y = x.public_id, y.public_id
    world.client_of_x = x.client.public_id
    return world


def _reveal_states(owner: User) -> dict[str, str]:
    """Results links of reviews being prepared, no longer shared, still collecting; and a
    results link replaced by a newer one."""
    preparing, tokens = _review(owner, "Initrode")
    _submit_everyone(preparing)
    found = {"results_replaced": tokens["results"]}
    found["results_preparing"] = links.reissue_link(preparing, "results")
    withdrawn, tokens = _review(owner, "Vandelay")
    _submit_everyone(withdrawn)
    actor = results_ops.Actor(user=owner)
    results_ops.share_results(withdrawn, actor)
    results_ops.stop_sharing(withdrawn, actor)
    found["results_withdrawn"] = tokens["results"]
    collecting, tokens = _review(owner, "Soylent")
    _draft(collecting, "client")
    found["results_collecting"] = tokens["results"]
    return found


def _tokens_then_revoke(review: Review) -> str:
    link = review.current_link("client")
    assert link is not None
    token = links.link_token(link)
    links.revoke_link(review, "client")
    return token


# --- personas -------------------------------------------------------------------------------

PERSONAS = (
    "anonymous",
    "vendor_a",
    "vendor_b",
    "client_x",
    "client_y",
    "vendor_x",
    "revoked",
    "replaced",
    "results_x",
    "results_y",
    "results_preparing",
    "results_withdrawn",
    "results_collecting",
    "results_revoked",
    "results_replaced",
)
#: Results links that answer 410 wherever they go (revoked, or replaced by a newer one).
GONE_RESULTS = {"results_revoked": 410, "results_replaced": 410}
UNKNOWN = new_token()  # a well-formed token that opens nothing


def login_as(persona: str, world: World) -> str | None:
    """The user public id a session persona logs in as (None: no session)."""
    return {"vendor_a": world.user_a, "vendor_b": world.user_b}.get(persona)


def token_for(persona: str, kind: str, world: World) -> str:
    """The token a persona puts into a URL parameter of the given kind."""
    held: dict[str, dict[str, str]] = {
        "client_x": {"link": world.x_tokens["client"], "resume": world.resume["x-client"]},
        "client_y": {"link": world.y_tokens["client"], "resume": world.resume["y-client"]},
        "vendor_x": {"link": world.x_tokens["vendor"], "resume": world.resume["x-vendor"]},
        "revoked": {"link": world.revoked, "resume": world.revoked},
        "replaced": world.replaced,
    }
    if persona in held:
        return held[persona].get(kind, held[persona]["link"])
    if persona in world.results:
        return world.results[persona]
    mailed = {"invite": world.invite, "reset": world.reset, "invited": world.invited}
    return (mailed | {"stop": world.stop}).get(kind, UNKNOWN)


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """Expected statuses of one endpoint: per persona for GET and (if routed) POST.

    `token` says what kind of token the route's ``<token>`` parameter takes.
    """

    get: dict[str, int] | None = None
    post: dict[str, int] | None = None
    token: str = "link"


def every(status: int, **overrides: int) -> dict[str, int]:
    """A row where every persona gets `status`, except the named ones."""
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, unknown
    return {persona: overrides.get(persona, status) for persona in PERSONAS}


#: Workspace and vendor results: login first (302 to /login), org B and links never see X.
def vendor_only(ok: int) -> dict[str, int]:
    return every(302, vendor_a=ok, vendor_b=404)


#: Capability routes of the shared link: only a live link opens them, a session does not.
def link_only(**ok: int) -> dict[str, int]:
    return every(404, **ok)


EXPECTED: dict[str, Row] = {
    # health probes: no login, the same answer for everyone (the matrix's tables are made
    # from the models, never stamped by a migration, so it is never "ready")
    "health.healthz": Row(get=every(200)),
    "health.readyz": Row(get=every(503)),
    # accounts: public pages; a logged-in user is sent on to the workspace
    "auth.login": Row(
        get=every(200, vendor_a=302, vendor_b=302),
        post=every(200, vendor_a=302, vendor_b=302),
    ),
    "auth.logout": Row(post=every(302)),
    "auth.account": Row(
        get=every(302, vendor_a=200, vendor_b=200), post=every(302, vendor_a=200, vendor_b=200)
    ),
    "auth.end_sessions": Row(post=every(302)),
    "auth.signup": Row(
        get=every(200, vendor_a=302, vendor_b=302),
        post=every(200, vendor_a=302, vendor_b=302),
    ),
    "auth.change_name": Row(post=every(302, vendor_a=200, vendor_b=200)),  # empty: form again
    "auth.team": Row(
        get=every(302, vendor_a=200, vendor_b=200), post=every(302, vendor_a=200, vendor_b=200)
    ),
    # managing the team: org A's invitation and member, never found from org B (a member
    # of org A gets 403: tests/test_team.py); an empty role post is refused with a message
    "auth.revoke_invitation": Row(post=every(302, vendor_b=404)),
    "auth.remove_member": Row(post=every(302, vendor_b=404)),
    "auth.change_role": Row(post=every(302, vendor_b=404)),
    # the invitation opens for whoever holds it; a link token is not an invitation
    "auth.accept_invitation": Row(
        get=every(404, anonymous=200, vendor_a=200, vendor_b=200),
        post=every(404, anonymous=200, vendor_a=200, vendor_b=200),
        token="invite",
    ),
    # asking for a reset link: the same page for everyone (unknown addresses included)
    "auth.forgot_password": Row(get=every(200), post=every(200)),
    # a reset link opens for whoever holds it; nothing else does
    "auth.reset_password": Row(
        get=every(404, anonymous=200, vendor_a=200, vendor_b=200),
        post=every(404, anonymous=200, vendor_a=200, vendor_b=200),
        token="reset",
    ),
    # workspace
    "workspace.index": Row(get=every(302, vendor_a=200, vendor_b=200)),
    "workspace.client": Row(get=vendor_only(200)),
    "workspace.set_client_value": Row(post=vendor_only(302)),  # empty clears the value
    "workspace.new_review": Row(
        get=every(302, vendor_a=200, vendor_b=200), post=every(302, vendor_a=200, vendor_b=200)
    ),
    "workspace.review": Row(get=vendor_only(200)),
    "workspace.close": Row(get=vendor_only(200), post=vendor_only(302)),  # GET: confirm page
    "workspace.reopen": Row(post=vendor_only(302)),
    "workspace.revoke_link": Row(get=vendor_only(200), post=vendor_only(302)),  # GET: confirm
    "workspace.reissue_link": Row(get=vendor_only(200), post=vendor_only(302)),  # GET: confirm
    "workspace.set_link_expiry": Row(post=vendor_only(302)),
    "workspace.set_due": Row(post=vendor_only(302)),
    "workspace.set_confidentiality": Row(post=vendor_only(302)),
    # invitees: an empty form is shown again with what is missing (400)
    "workspace.add_invitee": Row(post=vendor_only(400)),
    "workspace.remove_invitee": Row(post=vendor_only(302)),
    "workspace.remind": Row(get=vendor_only(200), post=vendor_only(302)),  # GET: the preview
    "workspace.set_reminder_schedule": Row(post=vendor_only(302)),  # none chosen: off
    # an invitee's personal link, and the link that stops their reminders, open for whoever
    # holds them (they arrive by mail); a shared link or resume token is neither
    "respond.invited": Row(
        get=every(404, anonymous=200, vendor_a=200, vendor_b=200),
        post=every(404, anonymous=302, vendor_a=302, vendor_b=302),
        token="invited",
    ),
    "respond.stop_reminders": Row(
        get=every(404, anonymous=200, vendor_a=200, vendor_b=200),
        post=every(404, anonymous=200, vendor_a=200, vendor_b=200),
        token="stop",
    ),
    # respondent journey: shared link
    # (a revoked or replaced survey link answers 410; a results link opens no survey: 404)
    "respond.welcome": Row(
        get=link_only(client_x=200, client_y=200, vendor_x=200, revoked=410, replaced=410),
        post=link_only(client_x=302, client_y=302, vendor_x=302, revoked=410, replaced=410),
    ),
    # respondent journey: personal resume link (the replaced link's respondent has submitted:
    # their own pages are read-only and lead to the thank-you page)
    "respond.resume": Row(
        get=link_only(client_x=302, client_y=302, vendor_x=302, replaced=302), token="resume"
    ),
    "respond.page": Row(
        get=link_only(client_x=200, client_y=200, vendor_x=200, replaced=302),
        post=link_only(client_x=302, client_y=302, vendor_x=302, replaced=409),
        token="resume",
    ),
    "respond.autosave": Row(
        post=link_only(client_x=400, client_y=400, vendor_x=400, replaced=409), token="resume"
    ),
    "respond.review": Row(
        get=link_only(client_x=200, client_y=200, vendor_x=200, replaced=302),
        post=link_only(client_x=422, client_y=422, vendor_x=422, replaced=302),
        token="resume",
    ),
    "respond.thanks": Row(
        get=link_only(client_x=302, client_y=302, vendor_x=302, replaced=200), token="resume"
    ),
    # vendor results
    "results.page": Row(get=vendor_only(200)),
    "results.by_role": Row(get=vendor_only(200)),
    "results.decide_pending": Row(post=vendor_only(302)),
    # an empty post shows the form again with what is missing
    "results.edit_pending": Row(get=vendor_only(200), post=vendor_only(200)),
    "results.accept_suggested": Row(post=vendor_only(302)),
    "results.decline_rest": Row(post=vendor_only(302)),
    "results.decide_item": Row(post=vendor_only(302)),
    "results.add": Row(post=vendor_only(302)),
    "results.edit": Row(get=vendor_only(200), post=vendor_only(302)),
    "results.comment": Row(post=vendor_only(302)),
    "results.next_review": Row(post=vendor_only(302)),
    "results.respond": Row(post=vendor_only(302)),  # item X is a client proposal
    "results.share": Row(post=vendor_only(302)),
    "results.unshare": Row(post=vendor_only(302)),
    "results.vendor_pdf": Row(get=vendor_only(200)),
    "results.export_json": Row(get=vendor_only(200)),
    "results.export_csv": Row(get=vendor_only(200)),
    # client results through the client's results link, never a survey link: Y's link
    # reaches Y, never X's items. Before sharing, after it stops and while collecting, the
    # page says so (200) and nothing else opens; revoked or replaced results links: 410.
    "shared_results.shared_page": Row(
        get=link_only(
            results_x=200,
            results_y=200,
            results_preparing=200,
            results_withdrawn=200,
            results_collecting=200,
            **GONE_RESULTS,
        )
    ),
    "shared_results.shared_comment": Row(post=link_only(results_x=302, **GONE_RESULTS)),
    "shared_results.shared_propose": Row(
        post=link_only(results_x=302, results_y=302, **GONE_RESULTS)
    ),
    "shared_results.shared_pdf": Row(get=link_only(results_x=200, results_y=200, **GONE_RESULTS)),
    "shared_results.shared_export_json": Row(
        get=link_only(results_x=200, results_y=200, **GONE_RESULTS)
    ),
    "shared_results.shared_export_csv": Row(
        get=link_only(results_x=200, results_y=200, **GONE_RESULTS)
    ),
}


#: Parameters that are not tokens, filled from review X for every persona.
def fill_params(rule: Rule, persona: str, kind: str, world: World) -> dict[str, Any]:
    values = {
        "public_id": world.review_x,
        "client_public_id": world.client_of_x,
        "party": "client",
        "number": 1,
        "item_id": world.item_x,
        "key": world.pending_x,
        "invitation_id": world.invitation_a,
        "member_id": world.member_a,
        "invitee_id": world.invitee_x,
    }
    params = {}
    for name in rule.arguments:
        if name == "token":
            params[name] = token_for(persona, kind, world)
        else:
            params[name] = values[name]
    return params


# --- the app and its restorable world ---------------------------------------------------------


class Matrix:
    """One app for the module; the database is put back after every state-changing request."""

    def __init__(self, folder: Path, **overrides: Any) -> None:
        self.url = os.environ.get("SURVEY_TEST_DATABASE_URL") or f"sqlite:///{folder / 'matrix.db'}"
        self.file = folder / "matrix.db"
        self.snapshot = folder / "snapshot"
        self.app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "matrix-secret",
                "SQLALCHEMY_DATABASE_URI": self.url,
                "SURVEY_INSTANCE": folder / "instance",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "SERVER_NAME": "localhost",
                "SURVEY_PASSWORD_HASH": "pbkdf2:sha256:1000",
                **overrides,
            }
        )
        self.dirty = True
        self.world = World()

    @property
    def sqlite(self) -> bool:
        return self.url.startswith("sqlite:")

    def _files(self) -> list[str]:
        return ["", "-wal", "-shm"]

    def restore(self) -> None:
        """Put the world back as built (copy of the SQLite file; rebuilt elsewhere).

        Also hands the (process-wide) rate limiter back to this app's settings: another
        app made meanwhile may have switched it on or pointed it at another storage.
        """
        limiter.init_app(self.app)
        if not self.dirty:
            return
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
            if self.sqlite and self.snapshot.exists():
                for suffix in self._files():
                    saved = self.snapshot / f"matrix.db{suffix}"
                    live = Path(f"{self.file}{suffix}")
                    live.unlink(missing_ok=True)
                    if saved.exists():
                        shutil.copyfile(saved, live)
            else:
                self._build()
        self.dirty = False

    def rebuild(self) -> None:
        """Build the world afresh (new tokens, new ids) and take a new snapshot of it."""
        shutil.rmtree(self.snapshot, ignore_errors=True)
        self.dirty = True
        self.restore()

    def _build(self) -> None:
        db.drop_all()
        db.create_all()
        self.world = build_world()
        db.session.remove()
        db.engine.dispose()
        if self.sqlite:
            self.snapshot.mkdir(exist_ok=True)
            for suffix in self._files():
                live = Path(f"{self.file}{suffix}")
                if live.exists():
                    shutil.copyfile(live, self.snapshot / f"matrix.db{suffix}")

    def close(self) -> None:
        with self.app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    built = Matrix(tmp_path_factory.mktemp("authz"))
    yield built
    built.close()


def rules(app: Flask) -> dict[str, Rule]:
    return {r.endpoint: r for r in app.url_map.iter_rules() if r.endpoint != "static"}


@contextmanager
def writes_seen(app: Flask) -> Iterator[list[str]]:
    """The writing statements run on the app's database meanwhile (none: nothing changed)."""
    seen: list[str] = []

    def note(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if WRITING_STATEMENT.match(statement):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


def request_as(matrix: Matrix, endpoint: str, method: str, persona: str) -> int:
    """Make one request as a persona and return the status."""
    matrix.restore()
    world = matrix.world
    rule = rules(matrix.app)[endpoint]
    row = EXPECTED[endpoint]
    client: FlaskClient = matrix.app.test_client()
    user = login_as(persona, world)
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user
            session["_fresh"] = True
    with matrix.app.test_request_context():
        path = rule.build(fill_params(rule, persona, row.token, world), append_unknown=False)
    assert path is not None
    url = path[1]
    if method == "POST":
        with writes_seen(matrix.app) as writes:
            response = client.post(url, data={"probe": "1"})
        # Most refused posts write nothing: only a write makes the next cell rebuild the
        # world (on PostgreSQL a rebuild takes seconds, and most cells are refusals).
        matrix.dirty = matrix.dirty or bool(writes)
    else:
        response = client.get(url)
    return response.status_code


# --- the tests ------------------------------------------------------------------------------


def test_every_route_has_an_entry(matrix: Matrix) -> None:
    """A new route fails here until its row says who may reach it, for each of its methods."""
    routed = rules(matrix.app)
    assert set(routed) == set(EXPECTED), {
        "routes without an entry": sorted(set(routed) - set(EXPECTED)),
        "entries without a route": sorted(set(EXPECTED) - set(routed)),
    }
    for endpoint, rule in routed.items():
        methods = (rule.methods or set()) - {"HEAD", "OPTIONS"}
        row = EXPECTED[endpoint]
        assert ("GET" in methods) == (row.get is not None), endpoint
        assert ("POST" in methods) == (row.post is not None), endpoint
        assert not methods - {"GET", "POST"}, f"{endpoint}: add a column for {methods}"
        for cells in (row.get, row.post):
            assert cells is None or set(cells) == set(PERSONAS), endpoint


CELLS = [
    (endpoint, method, persona)
    for endpoint, row in sorted(EXPECTED.items())
    for method, cells in (("GET", row.get), ("POST", row.post))
    if cells is not None
    for persona in PERSONAS
]


@pytest.mark.parametrize(("endpoint", "method", "persona"), CELLS)
def test_cell(matrix: Matrix, endpoint: str, method: str, persona: str) -> None:
    row = EXPECTED[endpoint]
    cells = row.get if method == "GET" else row.post
    assert cells is not None
    assert request_as(matrix, endpoint, method, persona) == cells[persona]


@pytest.mark.parametrize(
    "endpoint", sorted(e for e, row in EXPECTED.items() if row.get and row.get["replaced"] < 400)
)
def test_respondent_of_a_replaced_link_learns_no_live_link(matrix: Matrix, endpoint: str) -> None:
    """The revocation rule: whatever the respondent of a replaced link opens, and wherever it
    redirects them, no live shared link (nor a way to the client's results) is in it."""
    matrix.restore()
    world = matrix.world
    rule = rules(matrix.app)[endpoint]
    with matrix.app.test_request_context():
        path = rule.build(fill_params(rule, "replaced", EXPECTED[endpoint].token, world))
    assert path is not None
    response = matrix.app.test_client().get(path[1], follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for live in (*world.x_tokens.values(), *world.y_tokens.values()):
        assert live not in page
    assert "/results" not in page


#: What the client's results page says in each state of the staged reveal.
REVEAL_WORDS = {
    "results_x": "Joint action plan",
    "results_preparing": "The results are being prepared",
    "results_withdrawn": "The results are not shared at the moment",
    "results_collecting": "The results are not ready yet",
    "results_revoked": "This link was withdrawn",
    "results_replaced": "This link was replaced",
}


@pytest.mark.parametrize("persona", sorted(REVEAL_WORDS))
def test_results_link_says_where_the_reveal_stands(matrix: Matrix, persona: str) -> None:
    """Each state's page says which it is, and only the shared one shows the comparison."""
    matrix.restore()
    token = matrix.world.results[persona]
    response = matrix.app.test_client().get(f"/r/{token}/results")
    page = response.get_data(as_text=True)
    assert REVEAL_WORDS[persona] in page
    assert ("dimension-table" in page) == (persona == "results_x")
    if persona == "results_preparing":
        assert "being prepared by User of Acme Analytics at Acme Analytics" in page
