"""Hostile input is inert everywhere (issue 6, point 4).

The corpus of :mod:`xss_payloads` goes into every name (organisation, user, client,
respondent name and role), every text answer, the plan (actions, proposals, comments) and
every text of a questionnaire (title, summary, party labels and intros, scale labels,
dimension, section and level titles, question wording and help, choice labels, actions),
loaded from a hostile file in a temporary ``SURVEY_QUESTIONNAIRES`` folder. Then every
page is parsed: no element, attribute, script or URL that a payload could have made. The
CSV export neutralises formulas and the PDF prints the payloads as text. Hostile YAML stops
start-up with a message; oversized posts get a 413 page; very long answers are cut.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from xss_payloads import EVALUATED, FORMULAS, PAYLOADS, PLAIN

from survey import create_app
from survey.auth import operations as auth_ops
from survey.disclosure import Confidentiality
from survey.domain.loader import LoadedQuestionnaire, QuestionnaireError, load_file
from survey.extensions import db
from survey.models import Respondent, Review, User
from survey.questionnaires import questionnaire_for
from survey.respond import operations as respond_ops
from survey.results import operations as results_ops
from survey.results.exports import FORMULA_STARTS
from survey.results.pdf import render_pdf
from survey.workspace import operations as workspace_ops

ROOT = Path(__file__).resolve().parent.parent
PULSE = ROOT / "questionnaires" / "quarterly-pulse.yaml"
PASSWORD = "correct horse battery"
ALL_PAYLOADS = "\n".join(PAYLOADS)

# --- a questionnaire whose every text is hostile ----------------------------------------------


class Cycle:
    """Hand out payloads in turn, so every field gets a different one."""

    def __init__(self, pool: tuple[str, ...]) -> None:
        self.pool = pool
        self.n = 0

    def __call__(self) -> str:
        value = self.pool[self.n % len(self.pool)]
        value = value if value.strip() else "blank"
        self.n += 1
        return value


def hostile_questionnaire(folder: Path) -> Path:
    """The quarterly pulse with every text replaced by a payload, and three more text questions."""
    data = yaml.safe_load(PULSE.read_text())
    plain = Cycle(PLAIN)
    data["id"] = "hostile"
    data["title"], data["summary"] = plain(), plain()
    for party in data["parties"].values():
        party["label"], party["intro"] = plain(), plain()
    for scale in data["scales"].values():
        if "choices" in scale:
            scale["choices"] = [f"{plain()} #{i}" for i, _ in enumerate(scale["choices"])]
        if "anchors" in scale:
            scale["anchors"] = {k: plain() for k in scale["anchors"]}
    for dimension in data["dimensions"]:
        dimension["title"], dimension["about"] = plain(), plain()
    for section in data["sections"]:
        section["title"], section["intro"] = plain(), plain()
        for question in section["questions"]:
            _hostile_question(question, plain)
    data["sections"][-1]["questions"] += [
        {"id": f"free-{n}", "kind": "text", "max_length": 10_000, "ask": plain(), "help": plain()}
        for n in range(3)
    ]
    for level in data["levels"]:
        level["title"], level["meaning"] = plain(), plain()
    referral = next(q for q in _questions(data) if q["id"] == "ask-for-referral")
    for action in data["actions"]:
        action["title"], action["detail"] = plain(), plain()
    data["actions"][-1]["when"]["all"][-1]["in"] = referral["choices"][1:]
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load_file(path)  # valid, or the test data is wrong
    return path


def _questions(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for s in data["sections"] for q in s["questions"]]


def _hostile_question(question: dict[str, Any], plain: Cycle) -> None:
    ask = question["ask"]
    if isinstance(ask, dict):
        question["ask"] = {party: f"{plain()} ({{client}})" for party in ask}
    else:
        question["ask"] = f"{plain()} ({{vendor}})"
    question["help"] = plain()
    if "choices" in question:
        question["choices"] = [f"{plain()} #{i}" for i, _ in enumerate(question["choices"])]
    if question.get("kind") == "text":
        question["max_length"] = 10_000


# --- the hostile world --------------------------------------------------------------------------


@dataclass
class Hostile:
    """Where the payloads live: ids, tokens and the app."""

    app: Flask
    review: str = ""
    tokens: dict[str, str] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)  # party -> resume token (draft)
    pages: dict[str, int] = field(default_factory=dict)  # party -> number of survey pages
    submitted: dict[str, str] = field(default_factory=dict)  # party -> resume token (done)
    item: str = ""
    invite: str = ""
    user: str = ""


def _answers(questionnaire: Any, party: str, n: int) -> dict[str, Any]:
    """A full set of answers: the middle of each scale, first choices, payloads in text
    (respondent 0 all of them in each text, respondent 1 a spreadsheet formula in each)."""
    answers: dict[str, Any] = {}
    texts = Cycle(FORMULAS[party == "client" :]) if n == 1 else Cycle(PAYLOADS[n:])
    for _, questions in questionnaire.sections_for(party):
        for question in questions:
            if question.kind == "text":
                answers[question.id] = ALL_PAYLOADS if n == 0 else texts()
            elif question.kind == "choice":
                answers[question.id] = question.choices[0].label
            else:
                values = questionnaire.scale_of(question).values()
                answers[question.id] = values[len(values) // 2]
    return answers


def build_hostile(app: Flask, loaded: LoadedQuestionnaire) -> Hostile:
    """Payloads in every name, answer and plan text of a review of `loaded` (both sides
    submitted, plus a draft each); call inside an app context."""
    world = Hostile(app)
    names = Cycle(PAYLOADS)
    user = auth_ops.create_account(names()[:200], names()[:200], "eve@acme.example", PASSWORD)
    # names and every answer reach the other side, so each page shows the most payloads
    everything_shown = Confidentiality(names_to_other_side=True, anonymity_threshold=1)
    review, world.tokens = workspace_ops.start_review(
        user.organisation,
        user,
        loaded.questionnaire,
        loaded.source,
        names()[:200],
        date(2031, 1, 17),
        everything_shown,
    )
    questionnaire = questionnaire_for(review)
    for party in ("vendor", "client"):
        link = review.current_link(party)
        assert link is not None
        world.pages[party] = len(questionnaire.sections_for(party))  # type: ignore[arg-type]
        for n in range(3):
            person, token = respond_ops.start_response(link, names(), names())
            respond_ops.save_answers(person, questionnaire, _answers(questionnaire, party, n))
            respond_ops.submit_response(person, questionnaire)
            world.submitted.setdefault(party, token)
        draft, world.drafts[party] = respond_ops.start_response(link, names(), names())
        respond_ops.save_answers(draft, questionnaire, _answers(questionnaire, party, 0))
    me = results_ops.Actor(user=user)
    item = results_ops.add_action(review, me, {"title": names()[:300], "detail": ALL_PAYLOADS})
    signed = results_ops.Actor.client_link(names())  # the name given through the link
    proposal = results_ops.propose_action(review, signed, names(), None)
    for target in (item, proposal):
        results_ops.comment_on_action(target, me, ALL_PAYLOADS)
        results_ops.comment_on_action(target, results_ops.Actor.client_link(names()), names())
    results_ops.respond_to_proposal(proposal, me, ALL_PAYLOADS)  # "we propose", to the client
    results_ops.share_results(review, me)
    with app.test_request_context():  # the invitation mail's link needs a host
        _, world.invite = auth_ops.invite_colleague(user, "pat@acme.example")
    world.review, world.item, world.user = review.public_id, item.public_id, user.get_id()
    return world


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    folder = tmp_path_factory.mktemp("hostile")
    questionnaires = folder / "questionnaires"
    questionnaires.mkdir()
    hostile_questionnaire(questionnaires)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "hostile-secret-k3y",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'hostile.db'}",
            "SURVEY_INSTANCE": folder / "instance",
            "SURVEY_QUESTIONNAIRES": questionnaires,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "localhost",
            "SURVEY_PASSWORD_HASH": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        db.create_all()
        world = build_hostile(app, load_file(questionnaires / "hostile.yaml"))
        db.session.remove()
    yield world
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def vendor_client(world: Hostile) -> FlaskClient:
    client = world.app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = world.user
        session["_fresh"] = True
    return client


# --- what "inert" means in a page -------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "poster"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "style", "marquee", "frame", "math"}


class Inspector(HTMLParser):
    """Collect everything in a page that only markup (not text) could have made."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not found.get("src", "").startswith("/static/js/"):
            self.problems.append(f"script {found}")
        if tag == "meta" and "http-equiv" in found:
            self.problems.append(f"meta {found}")
        if tag == "link" and not (
            found.get("href", "").startswith("/static/") or found.get("href") == "data:,"
        ):
            self.problems.append(f"link {found}")
        if found.get("id", "").startswith("xss"):
            self.problems.append(f"injected element <{tag} id={found['id']}>")
        for name, value in found.items():
            if name.startswith("on") or name == "style":
                self.problems.append(f"<{tag} {name}=…>")
            squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(("javascript:", "data:text")):
                self.problems.append(f"<{tag} {name}={value[:40]}>")


def assert_inert(html: str, where: str) -> None:
    """No markup a payload could have made; payloads with markup characters stay escaped."""
    inspector = Inspector()
    inspector.feed(html)
    assert not inspector.problems, (where, inspector.problems[:5])
    assert EVALUATED not in html, (where, "a template expression was evaluated")
    assert "xss-loop" * 2 not in html, where
    assert "hostile-secret-k3y" not in html, where  # {{ config.SECRET_KEY }} evaluated
    for payload in PAYLOADS:
        if any(ch in payload for ch in "<>\"'"):
            assert payload.strip() not in html, (where, payload)


def test_inspector_sees_what_a_payload_would_make() -> None:
    """The page check itself: each kind of injection is caught when it is not escaped."""
    for raw in (
        "<img src=x onerror=alert(1)>",
        "<b id=xss-1>",
        "<script>x</script>",
        "<a href=' javascript:x'>",
        "<style>b{}</style>",
        "<p style='x'>",
        "<iframe>",
        "<meta http-equiv=refresh content=0>",
    ):
        inspector = Inspector()
        inspector.feed(f"<p>{raw}</p>")
        assert inspector.problems, raw
    calm = Inspector()
    calm.feed('<p>&lt;img src=x onerror=alert(1)&gt;</p><input value="&quot; onfocus=x">')
    calm.feed('<script src="/static/js/respond.js" defer></script>')
    assert not calm.problems


# --- the pages ----------------------------------------------------------------------------------


def vendor_pages(world: Hostile) -> list[str]:
    base = f"/reviews/{world.review}"
    return [
        "/",
        "/reviews/new",
        base,
        "/team",
        f"{base}/results",
        f"{base}/results/plan/{world.item}/edit",
    ]


def link_pages(world: Hostile) -> list[str]:
    pages = []
    for party in ("vendor", "client"):
        draft = world.drafts[party]
        pages += [f"/r/{world.tokens[party]}", f"/r/resume/{draft}/review"]
        pages += [f"/r/resume/{draft}/page/{n}" for n in range(1, world.pages[party] + 1)]
        pages.append(f"/r/resume/{world.submitted[party]}/done")
    return [*pages, f"/r/{world.tokens['results']}/results", f"/invite/{world.invite}"]


def test_payloads_are_escaped_in_every_page(hostile: Hostile) -> None:
    vendor = vendor_client(hostile)
    checked = []
    for path in vendor_pages(hostile):
        response = vendor.get(path)
        assert response.status_code == 200, path
        assert_inert(response.get_data(as_text=True), path)
        checked.append(path)
    for path in link_pages(hostile):
        response = hostile.app.test_client().get(path)
        assert response.status_code == 200, path
        assert_inert(response.get_data(as_text=True), path)
        checked.append(path)
    results = vendor.get(vendor_pages(hostile)[4]).get_data(as_text=True)
    for payload in ("<script>window.__xss=1;alert(1)</script>", '" onmouseover="alert(34)"'):
        escaped = payload.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
        assert escaped in results, payload  # the words are there, as text
    assert len(checked) == 14 + sum(hostile.pages.values())


def test_payloads_posted_back_into_forms_stay_escaped(hostile: Hostile) -> None:
    """Pages that echo what was posted: a refused form, a survey page with a notice."""
    vendor = vendor_client(hostile)
    refused = vendor.post("/reviews/new", data={"client_name": ALL_PAYLOADS[:5000]})
    assert refused.status_code in (200, 400, 422)
    assert_inert(refused.get_data(as_text=True), "new review, refused")
    draft = hostile.drafts["client"]
    client = hostile.app.test_client()
    for n in range(1, 4):
        posted = {name: ALL_PAYLOADS * 3 for name in ("free-0", "free-1", "free-2", "one-change")}
        response = client.post(f"/r/resume/{draft}/page/{n}", data={**posted, "nav": "next"})
        if response.status_code != 302:
            assert_inert(response.get_data(as_text=True), f"page {n} posted")
    start = client.post(f"/r/{hostile.tokens['client']}", data={"name": "x" * 300, "role": "<b"})
    assert_inert(start.get_data(as_text=True), "welcome refused")


def test_respondent_names_are_stored_as_given_but_shown_as_text(hostile: Hostile) -> None:
    with hostile.app.app_context():
        names = set(db.session.scalars(sa.select(Respondent.name)))
        assert any(name and "<" in name for name in names)
        org = db.session.scalar(sa.select(User)).organisation.name  # type: ignore[union-attr]
        assert org == PAYLOADS[0]
        review = db.session.scalar(sa.select(Review))
        assert review is not None and review.client_name == PAYLOADS[2]


# --- exports and the PDF ------------------------------------------------------------------------


def test_csv_export_neutralises_every_formula(hostile: Hostile) -> None:
    response = vendor_client(hostile).get(f"/reviews/{hostile.review}/results/answers.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    cells = [cell for row in rows[1:] for cell in row]
    assert len(rows) > 20
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS), cell[:60]
    for formula in FORMULAS:
        assert any(cell == "'" + formula.strip() for cell in cells), formula
    assert any(cell == ALL_PAYLOADS.strip() for cell in cells)  # starts with '<': left alone


def test_json_export_keeps_the_payloads_as_data(hostile: Hostile) -> None:
    response = vendor_client(hostile).get(f"/reviews/{hostile.review}/results/export.json")
    document = json.loads(response.get_data(as_text=True))
    assert ALL_PAYLOADS.strip() in json.dumps(document, ensure_ascii=False) or (
        json.dumps(ALL_PAYLOADS.strip(), ensure_ascii=False)[1:-1]
        in json.dumps(document, ensure_ascii=False)
    )


def pdf_text(pdf: bytes) -> str:
    """The PDF's text; pypdf hands some runs back as UTF-16 with NULs between letters."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return "\n".join(page.extract_text() or "" for page in pages).replace("\x00", "")


def test_pdf_prints_payloads_as_text(hostile: Hostile) -> None:
    response = vendor_client(hostile).get(f"/reviews/{hostile.review}/results/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    squeezed = "".join(pdf_text(response.data).split())
    ascii_payloads = [p for p in PAYLOADS if p.isascii() and p.strip()]
    found = [p for p in ascii_payloads if in_pdf(p, squeezed)]
    assert len(found) >= 40, sorted(set(ascii_payloads) - set(found))[:5]
    assert "<script>window.__xss=1;alert(1)</script>" in found
    assert '<img src="file:///etc/passwd" id=xss-60>' in found


def in_pdf(payload: str, squeezed: str) -> bool:
    """Whether the payload's text is in the PDF's text (whitespace aside; a ligature such
    as "fi" comes back from pypdf as one or two odd characters)."""
    parts = [re.escape(part) for part in re.split("ff|fi|fl", "".join(payload.split()))]
    return re.search(".{1,3}".join(parts), squeezed) is not None


class Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        Counter.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b'body::before { content: "FETCHED"; }')

    def log_message(self, *args: Any) -> None:
        pass


def test_pdf_renderer_never_fetches_files_or_the_network(tmp_path: Path) -> None:
    """Real markup (what a payload would need to become) asking for a live local server and a
    local file: no request reaches the server, no byte of the file reaches the PDF."""
    server = http.server.HTTPServer(("127.0.0.1", 0), Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Counter.hits = []
    secret = tmp_path / "secret.css"
    secret.write_text('body::after { content: "FILE-READ"; }')
    there = f"http://127.0.0.1:{server.server_port}"
    html = f"""<html><head>
      <link rel="stylesheet" href="{there}/link.css">
      <link rel="stylesheet" href="file://{secret}">
      <style>@import url("{there}/import.css"); @import url("file://{secret}");
        @font-face {{ font-family: X; src: url("{there}/font.woff"); }}
        p {{ background: url("{there}/bg.png"); font-family: X; }}</style>
      </head><body><p>Body</p>
      <img src="{there}/img.png"><img src="file:///etc/passwd"><img src="file://{secret}">
      <object data="{there}/object"></object><iframe src="{there}/frame"></iframe>
      </body></html>"""
    try:
        text = pdf_text(render_pdf(html, tmp_path / "static", timeout=60))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert "Body" in text
    assert Counter.hits == []
    assert "FETCHED" not in text and "FILE-READ" not in text


# --- hostile questionnaire files ----------------------------------------------------------------

HOSTILE_FILES = {
    "python-tag.yaml": "id: evil\ntitle: !!python/object/apply:os.system ['touch {marker}']\n",
    "alias-bomb.yaml": "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ),
    "deep.yaml": "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
}


def test_hostile_questionnaire_folder_stops_start_up_with_a_message(tmp_path: Path) -> None:
    """Python tags, alias bombs, deep nesting and a 10 MB file: each named, none obeyed."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    marker = tmp_path / "pwned"
    for name, text in HOSTILE_FILES.items():
        (folder / name).write_text(text.replace("{marker}", str(marker)))
    (folder / "huge.yaml").write_text("title: " + "x" * (10 * 1024 * 1024) + "\n")
    started = time.perf_counter()
    with pytest.raises(QuestionnaireError) as caught:
        create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                "SURVEY_INSTANCE": tmp_path / "instance",
                "SURVEY_QUESTIONNAIRES": folder,
            }
        )
    assert time.perf_counter() - started < 5
    assert not marker.exists()
    message = "\n".join(str(p) for p in caught.value.problems)
    for name in (*HOSTILE_FILES, "huge.yaml"):
        assert name in message, message
    assert "tag" in message and "alias" in message and "nests deeper" in message
    assert "at most 1 MiB" in message


# --- size limits --------------------------------------------------------------------------------


def test_oversized_post_is_refused_with_a_friendly_413(hostile: Hostile) -> None:
    draft = hostile.drafts["vendor"]
    limit = hostile.app.config["MAX_CONTENT_LENGTH"]
    assert 0 < limit <= 1024 * 1024
    before = _stored_answers(hostile, draft)
    big = {"free-0": "y" * (limit + 10), "nav": "next"}
    for client, url in (
        (hostile.app.test_client(), f"/r/resume/{draft}/page/1"),
        (hostile.app.test_client(), f"/r/resume/{draft}/autosave"),
        (vendor_client(hostile), "/reviews/new"),
    ):
        response = client.post(url, data=big)
        assert response.status_code == 413, url
        if "autosave" not in url:
            assert "That was too much to send at once" in response.get_data(as_text=True)
    assert _stored_answers(hostile, draft) == before


def _stored_answers(world: Hostile, token: str) -> dict[str, Any]:
    from survey.models import hash_token

    with world.app.app_context():
        person = db.session.scalar(
            sa.select(Respondent).where(Respondent.resume_token_hash == hash_token(token))
        )
        assert person is not None
        answers = respond_ops.answers_of(person)
        db.session.remove()
        return answers


def test_extremely_long_answer_is_cut_at_max_length_with_a_message(hostile: Hostile) -> None:
    """400 000 characters (under the post limit) into a 10 000-character question."""
    draft = hostile.drafts["client"]
    long_text = "z" * 400_000
    client = hostile.app.test_client()
    number = next(
        n
        for n in range(1, 4)
        if 'name="free-0"' in client.get(f"/r/resume/{draft}/page/{n}").get_data(as_text=True)
    )
    response = client.post(f"/r/resume/{draft}/page/{number}", data={"free-0": long_text})
    assert response.status_code == 200
    assert "answers are limited to 10000" in response.get_data(as_text=True)
    assert _stored_answers(hostile, draft)["free-0"] == "z" * 10_000
