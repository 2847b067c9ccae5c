"""Benchmark of the respondent journey under load (issue 15, points 3 and 8).

Serves the app with gunicorn (the settings of survey/gunicorn_conf.py) on a fresh SQLite
database, and a hello-world WSGI app with the same settings as the baseline. Then 50
respondents at once go through the journey (welcome, start, every page saved with the
flagship's example answers, submit) for a fixed time, from this process's threads, all on
127.0.0.1. Prints, beside the hello-world figures and as ratios: throughput, p95 latency,
server CPU per request, errors, and whether every acknowledged answer is stored.

The targets: CPU at most 2 ms a request, throughput at least 0.2x the hello-world's, no
errors, every acknowledged submission stored. No pass or fail here: `make bench` prints.
Run alone with ``.venv/bin/python bench/bench_journey.py [seconds] [respondents]``.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "questionnaires" / "examples" / "acme-globex.yaml"
HELLO = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]
"""
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Tally:
    """What the load saw, shared by its threads."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    submitted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, ok: bool) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.errors += 0 if ok else 1


class Visitor:
    """One browser: its cookies, no redirects followed, every request timed."""

    def __init__(self, base: str, tally: Tally) -> None:
        self.base = base
        self.tally = tally
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )

    def request(self, path: str, data: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                status, text, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as answer:  # 3xx (not followed) and 4xx/5xx
            status, text = answer.code, answer.read().decode("utf-8", "replace")
            location = answer.headers.get("Location", "")
        except OSError:
            self.tally.add(time.perf_counter() - started, ok=False)
            return 0, "", ""
        self.tally.add(time.perf_counter() - started, ok=status < 500)
        return status, text, urllib.parse.urlsplit(location).path


def form_fields(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """The example's answers as a page form posts them: a scale's value rather than its
    label ("4", not "Agree"), and one field per picked choice."""
    from survey.questionnaires import catalogue
    from survey.respond.operations import CLEAR, canonical_answer

    questionnaire = catalogue()["vendor-value-review"].questionnaire
    fields: list[tuple[str, str]] = []
    for qid, raw in answers.items():
        value = canonical_answer(questionnaire, questionnaire.question(qid), raw)
        if value is CLEAR or value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            fields.append((qid, str(item)))
    return fields


def journey(visitor: Visitor, link: str, answers: list[tuple[str, str]], pages: int) -> None:
    """One respondent from the shared link to the submitted response."""
    status, html, _ = visitor.request(f"/r/{link}")
    token = CSRF.search(html)
    if status != 200 or token is None:
        return
    status, _, location = visitor.request(f"/r/{link}", [("csrf_token", token[1])])
    found = re.match(r"/r/resume/([^/]+)/page/1$", location)
    if found is None:
        return
    resume = found[1]
    for number in range(1, pages + 1):
        status, html, _ = visitor.request(f"/r/resume/{resume}/page/{number}")
        token = CSRF.search(html)
        if token is None:
            return
        visitor.request(
            f"/r/resume/{resume}/page/{number}",
            [("csrf_token", token[1]), ("nav", "next"), *answers],
        )
    status, html, _ = visitor.request(f"/r/resume/{resume}/review")
    token = CSRF.search(html)
    if token is None:
        return
    status, _, location = visitor.request(f"/r/resume/{resume}/review", [("csrf_token", token[1])])
    if status == 302 and location.endswith("/done"):
        with visitor.tally.lock:
            visitor.tally.submitted += 1


def run_load(work: Any, seconds: float, users: int) -> Tally:
    """`users` threads each calling work(tally) until the time is up."""
    tally = Tally()
    deadline = time.monotonic() + seconds

    def user() -> None:
        while time.monotonic() < deadline:
            work(tally)

    threads = [threading.Thread(target=user) for _ in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def cpu_seconds(master: int) -> float:
    """User and system CPU of a gunicorn master and its workers, so far."""
    total = 0.0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in [str(master), *children]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def serve(target: str, folder: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            "python:survey.gunicorn_conf",
            target,
        ],
        cwd=folder,
        env={**os.environ, **env, "SURVEY_BIND": f"127.0.0.1:{port}", "PYTHONPATH": str(folder)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz" if "survey" in target else base, timeout=1)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.1)
    time.sleep(1.0)  # let every worker boot
    return process, base


@dataclass(frozen=True)
class Figures:
    requests: int
    seconds: float
    p95_ms: float
    cpu_ms: float
    errors: int

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


def measure(
    process: subprocess.Popen[bytes], work: Any, seconds: float, users: int
) -> tuple[Figures, Tally]:
    before = cpu_seconds(process.pid)
    started = time.monotonic()
    tally = run_load(work, seconds, users)
    elapsed = time.monotonic() - started
    used = cpu_seconds(process.pid) - before
    count = len(tally.latencies)
    p95 = statistics.quantiles(tally.latencies, n=20)[-1] * 1000 if count > 1 else 0.0
    return Figures(count, elapsed, p95, 1000 * used / max(count, 1), tally.errors), tally


def setup_database(
    folder: Path, example: dict[str, Any]
) -> tuple[str, dict[str, str], list[tuple[str, str]]]:
    """A fresh SQLite database with one flagship review: its client link, the settings, and
    the example's answers as the page forms post them."""
    env = {
        "SURVEY_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
        "SURVEY_SECRET_KEY": "bench-secret",
        "SURVEY_INSTANCE": str(folder / "instance"),
        "SURVEY_QUEUE_URL": "memory://",
    }
    os.environ.update(env)
    from survey import create_app
    from survey.auth import operations as auth_ops
    from survey.extensions import db
    from survey.questionnaires import catalogue
    from survey.workspace import operations as workspace_ops

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["SURVEY_DATABASE_URL"]})
    with app.app_context():
        db.create_all()
        user = auth_ops.create_account(
            "Bench Vendor", "Bench", "bench@example.com", "a long password"
        )
        loaded = catalogue()["vendor-value-review"]
        _, tokens = workspace_ops.start_review(
            user.organisation, user, loaded.questionnaire, loaded.source, "Bench Client"
        )
        pages = len(loaded.questionnaire.sections_for("client"))
        fields = form_fields(example)
    return tokens["client"], {**env, "SURVEY_PAGES": str(pages)}, fields


def stored_submissions(folder: Path) -> int:
    import sqlite3

    with sqlite3.connect(folder / "bench.db") as connection:
        row = connection.execute(
            "SELECT count(*) FROM respondent WHERE submitted_at IS NOT NULL"
        ).fetchone()
    return int(row[0])


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 15.0
    users = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    client = yaml.safe_load(EXAMPLE.read_text())["client"]["respondents"][0]["answers"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "hello.py").write_text(HELLO)
        link, env, answers = setup_database(folder, client)
        pages = int(env.pop("SURVEY_PAGES"))

        hello, hello_base = serve("hello:app", folder, env)
        try:
            baseline, _ = measure(
                hello, lambda tally: Visitor(hello_base, tally).request("/"), seconds, users
            )
        finally:
            hello.send_signal(signal.SIGTERM)
            hello.wait(30)

        app, base = serve("survey.wsgi:app", folder, env)
        try:
            run_load(lambda t: journey(Visitor(base, t), link, answers, pages), 3.0, 4)  # warm
            before = stored_submissions(folder)
            figures, tally = measure(
                app, lambda t: journey(Visitor(base, t), link, answers, pages), seconds, users
            )
        finally:
            app.send_signal(signal.SIGTERM)
            app.wait(30)
        stored = stored_submissions(folder) - before

    print(f"respondent journey, {users} at once for {seconds:g} s (hello-world in brackets)")
    print(
        f"  throughput {figures.throughput:7.1f} req/s ({baseline.throughput:.1f})"
        f"  ratio {figures.throughput / baseline.throughput:.3f}  target >= 0.2"
    )
    print(f"  p95        {figures.p95_ms:7.1f} ms    ({baseline.p95_ms:.1f})")
    print(f"  server CPU {figures.cpu_ms:7.2f} ms/request ({baseline.cpu_ms:.2f})  target <= 2 ms")
    print(f"  errors     {figures.errors} of {figures.requests} ({baseline.errors})  target 0")
    print(
        f"  submissions acknowledged {tally.submitted}, stored {stored}"
        f"  {'all stored' if stored >= tally.submitted else 'LOST ANSWERS'}"
    )


if __name__ == "__main__":
    main()
