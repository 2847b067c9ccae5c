"""The PDF report: made in a child process, holds the engine's numbers, the levels, the plan
and the verbatims; WeasyPrint reads only the app's static files; pages kept as PNG."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from test_results import example_people, make_scored, survey_score

from survey.extensions import db
from survey.models import Review, User
from survey.results import operations
from survey.results.data import build_comparison, pending_items
from survey.results.operations import Actor
from survey.results.pdf import render_pdf
from survey.results.pdf_worker import (
    BASE_URL,
    RefusedURL,
    StaticOnlyFetcher,
    html_to_pdf,
    static_path,
)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "pdf"


@pytest.fixture
def scored(app: Flask, vendor_a: Any, make_review: Any, make_respondent: Any) -> Any:
    return make_scored(app, vendor_a, make_review, make_respondent)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def keep_pages(pdf: bytes, name: str) -> list[Path]:
    """Render every page to PNG under test-artifacts/pdf/ for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(source), str(ARTIFACTS / name)],
        check=True,
        timeout=120,
    )
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


RIGHT_MARGIN_PT = 18 / 25.4 * 72  # pdf.css @page margin


def words_with_boxes(pdf: Path) -> list[tuple[int, float, float, float, float, str, float]]:
    """Every word as (page, xMin, yMin, xMax, page width, text, height), from poppler's -bbox."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    words: list[tuple[int, float, float, float, float, str, float]] = []
    page, width = 0, 0.0
    for line in out.splitlines():
        if found := re.search(r'<page width="([\d.]+)"', line):
            page, width = page + 1, float(found.group(1))
        elif found := re.search(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line
        ):
            x0, y0, x1, y1 = (float(found.group(i)) for i in (1, 2, 3, 4))
            words.append((page, x0, y0, x1, width, found.group(5), y1 - y0))
    return words


#: Words shorter than this (pt) are a chart's labels, drawn small inside its SVG: their
#: spacing is the chart's business (tests/browser checks labels stay inside their SVG).
TEXT_HEIGHT_PT = 7.0


def assert_fits_the_page(pdf: Path) -> None:
    """No word runs into the right margin, and no two words of text on one line overlap: a
    table too wide for A4 shows as labels past the edge and ranges touching the next column."""
    words = words_with_boxes(pdf)
    past = [(p, t) for p, _, _, x1, w, t, _ in words if x1 > w - RIGHT_MARGIN_PT + 0.5]
    assert not past, past
    lines: dict[tuple[int, float], list[tuple[float, float, str]]] = {}
    for p, x0, y0, x1, _, t, height in words:
        if height >= TEXT_HEIGHT_PT:
            lines.setdefault((p, round(y0, 1)), []).append((x0, x1, t))
    for (p, _), line in lines.items():
        line.sort()
        for (_, end, left), (start, _, right) in zip(line, line[1:], strict=False):
            assert start - end >= 1.5, (p, left, right)


def plan_something(app: Flask, scored: Any, vendor_a: Any) -> str:
    """Accept the top suggestion and set the next review date; the accepted title."""
    with app.app_context():
        review = db.session.get(Review, scored.id)
        assert review is not None
        dana = Actor(db.session.get(User, vendor_a.id))
        first = pending_items(review, build_comparison(review, "vendor").result)[0]
        operations.accept_action(
            review, first, dana, {"owner": "joint", "due_on": date(2031, 4, 30)}
        )
        operations.set_next_review(review, dana, date(2031, 10, 1))
        return first.title


def test_vendor_pdf_holds_levels_numbers_actions_and_verbatims(
    app: Flask, vendor_client: FlaskClient, vendor_a: Any, scored: Any, tmp_path: Path
) -> None:
    title = plan_something(app, scored, vendor_a)
    response = vendor_client.get(f"/reviews/{scored.public_id}/results/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    pdf = response.get_data()
    text = " ".join(pdf_text(pdf).split())

    export = vendor_client.get(f"/reviews/{scored.public_id}/results/export.json").get_data(
        as_text=True
    )
    expected = survey_score(app, scored.id, export, tmp_path)
    titles = {
        "vendor": "Vendor",
        "confidant": "Confidant",
        "consultant": "Consultant",
        "virtual-partner": "Virtual partner",
    }
    assert f"Agreed level: {titles[expected['levels']['agreed']]}" in text
    with app.app_context():
        dimension_titles = build_comparison(
            db.session.get(Review, scored.id), "vendor"
        ).dimension_titles
    for d in expected["dimensions"]:
        n = d["n"]  # respondents counted per side, beside each side's score
        row = (
            f"{dimension_titles[d['id']]} {d['vendor']:.1f} {n['vendor']} {d['client']:.1f} "
            f"{n['client']} {d['gap']:+.1f}"
        )
        assert row in text, row
    assert f"overall {expected['overall']['vendor']:.1f}" in text
    assert " ".join(title.split()) in text
    assert "30 Apr 2031" in text and "1 October 2031" in text  # due date, next review
    assert "Close partners" in text and "Teammates" in text
    assert "The March data feed broke" in text
    assert "Acme Analytics" in text and "Globex" in text
    assert "Page 2 of" in text

    # charts pair up two to a page: no chart is left alone on a mostly empty page
    page_texts = [
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    ]
    stands = next(t for t in page_texts if "Where the relationship stands" in t)
    assert "What matters to Globex" in stands
    scores = next(t for t in page_texts if "Dimension scores" in t)
    assert "Where the two views differ" in scores
    # importance questions stay on the results page (issue 13: at most 8 pages): the PDF
    # points there from the dimension table, whose importance column holds them
    assert "the 4 questions behind it are on the results page" in text
    assert "How much does it matter to you that Acme Analytics" not in text

    pages = keep_pages(pdf, "vendor-report")
    assert len(pages) >= 6
    assert "100.0–100.0" in text  # the widest range is there to be squeezed
    assert_fits_the_page(ARTIFACTS / "vendor-report.pdf")
    assert PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width == pytest.approx(595.3, abs=1)


def test_client_downloads_the_pdf_through_its_link(app: Flask, scored: Any) -> None:
    shared = FlaskClient(app)
    response = shared.get(f"/r/{scored.results_token}/results/report.pdf")
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    keep_pages(response.get_data(), "client-report")
    assert_fits_the_page(ARTIFACTS / "client-report.pdf")


def test_hostile_text_is_printed_not_obeyed(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Any,
    make_review: Any,
    make_respondent: Any,
) -> None:
    review = make_review(vendor_a, client_name="Globex")
    for party, name, answers in example_people()[:3]:
        make_respondent(review, party, name=name, answers=answers, submit=True)
    evil = '<img src="file:///etc/passwd"><style>body{display:none}</style>'
    base = next(a for party, _, a in example_people() if party == "client")
    make_respondent(review, "client", name="Eve", answers={**base, "stop": evil}, submit=True)
    pdf = vendor_client.get(f"/reviews/{review.public_id}/results/report.pdf").get_data()
    squeezed = "".join(pdf_text(pdf).split())  # lines may break anywhere in the markup
    assert "".join(evil.split()) in squeezed


def test_timeout_gives_a_clear_page(app: Flask, vendor_client: FlaskClient, scored: Any) -> None:
    app.config["SURVEY_PDF_TIMEOUT"] = 0.05
    response = vendor_client.get(f"/reviews/{scored.public_id}/results/report.pdf")
    assert response.status_code == 503
    assert "took too long" in response.get_data(as_text=True)


# --- the URL fetcher -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/secret",
        "https://example.com/static/css/pdf.css",
        "data:text/css,body{color:red}",
        BASE_URL + "static/../../../../etc/passwd",
        BASE_URL + "static/%2e%2e/%2e%2e/etc/passwd",
        BASE_URL + "instance/survey.db",
        BASE_URL + "static/css/",
    ],
)
def test_fetcher_refuses_anything_but_static_files(url: str) -> None:
    fetcher = StaticOnlyFetcher(ROOT / "static")
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    with pytest.raises(RefusedURL):
        fetcher.open(url)


def test_fetcher_serves_the_static_folder() -> None:
    response = StaticOnlyFetcher(ROOT / "static").fetch(BASE_URL + "static/css/pdf.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    assert static_path(BASE_URL + "static/css/pdf.css", ROOT / "static").name == "pdf.css"


def test_rendered_document_cannot_pull_in_files_or_network(tmp_path: Path) -> None:
    """A stylesheet from file:// or http:// would add words; only the static one may."""
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "ok.css").write_text('body::after { content: "STATIC-OK"; }')
    evil = tmp_path / "evil.css"
    evil.write_text('body::before { content: "INJECTED"; }')
    shutil.copy(evil, static.parent / "outside.css")
    html = (
        "<html><head>"
        '<link rel="stylesheet" href="/static/css/ok.css">'
        f'<link rel="stylesheet" href="file://{evil}">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
        '<link rel="stylesheet" href="/static/../outside.css">'
        '<link rel="stylesheet" href="data:text/css,body::before{content:%22INJECTED%22}">'
        "</head><body><p>Body text</p></body></html>"
    )
    text = pdf_text(html_to_pdf(html, static))
    assert "STATIC-OK" in text and "Body text" in text
    assert "INJECTED" not in text


def test_child_process_renders_and_reports_failure(tmp_path: Path) -> None:
    pdf = render_pdf("<p>Hello from the child</p>", tmp_path)
    assert "Hello from the child" in pdf_text(pdf)


# --- the child dies with its parent (a gunicorn worker killed mid-render) ----------------------

SLOW_PARENT = """
import sys
from pathlib import Path
from survey.results.pdf import render_pdf

rows = "<tr><td>cell</td><td>more text here</td></tr>" * 8000
render_pdf("<table>" + rows + "</table>", Path(sys.argv[1]), timeout=300)
"""


def _children(pid: int, marker: str) -> list[int]:
    """The pids whose parent is ``pid`` and whose command line holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid and marker in command:
            found.append(int(entry.name))
    return found


def _is_running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie may wait for a reaper that never comes)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(check: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_pdf_child_dies_when_its_parent_is_killed_mid_render(tmp_path: Path) -> None:
    """SIGKILL the process that renders (as gunicorn kills a stuck worker): no renderer stays."""
    (tmp_path / "parent.py").write_text(SLOW_PARENT)
    parent = subprocess.Popen([sys.executable, str(tmp_path / "parent.py"), str(tmp_path)])
    child = 0
    try:
        assert _wait_for(lambda: _children(parent.pid, "pdf_worker"), 30), "no child started"
        (child,) = _children(parent.pid, "pdf_worker")
        time.sleep(4)  # past its imports and stdin: the child is rendering (~15 s of work)
        assert _is_running(child)
        parent.kill()
        parent.wait(timeout=10)
        assert _wait_for(lambda: not _is_running(child), 3), "the PDF child outlived its parent"
    finally:
        parent.kill()
        parent.wait(timeout=10)
        if child and _is_running(child):
            os.kill(child, signal.SIGKILL)  # only this test's own child
