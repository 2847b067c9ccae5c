"""Every respondent, results and workspace page is valid HTML (the Nu HTML Checker).

The pages are rendered with the Flask test client into files, then vnu.jar (npm
`vnu-jar`, installed by `make tools`) checks them all in one run: the JVM takes seconds
to start, so one run for all pages keeps the test fast.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from a11y_tools import EMAIL, PASSWORD, VNU_JAR, pages, require, seed
from flask import Flask


def java() -> str:
    found = shutil.which("java")
    assert found, "Java is missing: run `make system-deps` (installs default-jre-headless)"
    return found


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def render_all(app: Flask, folder: Path) -> dict[str, str]:
    """Render every checked page to `folder`; return page name by file URL."""
    site = seed(app)
    anonymous, vendor = app.test_client(), app.test_client()
    login = vendor.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 302
    names = {}
    for spec in pages(site):
        client = vendor if spec.login else anonymous
        if spec.data is not None:
            response = client.post(spec.path, data=spec.data)
        else:
            response = client.get(spec.path)
        assert response.status_code == spec.status, f"{spec.name}: {response.status}"
        assert response.mimetype == "text/html", spec.name
        target = folder / f"{slug(spec.name)}.html"
        target.write_bytes(response.data)
        names[target.resolve().as_uri()] = spec.name
    return names


def readable(messages: list[dict[str, object]], names: dict[str, str]) -> str:
    lines = []
    for m in messages:
        where = names.get(str(m.get("url", "")).replace("file:/", "file:///", 1), m.get("url"))
        lines.append(
            f"- {where}, line {m.get('lastLine')}: {m.get('message')}\n"
            f"    {str(m.get('extract', '')).strip()}"
        )
    return "\n".join(lines)


def test_every_page_is_valid_html(app: Flask, tmp_path: Path) -> None:
    jar = require(VNU_JAR)
    folder = tmp_path / "pages"
    folder.mkdir()
    names = render_all(app, folder)
    assert len(names) >= 40  # every section page of both parties is among them
    files = sorted(str(path) for path in folder.glob("*.html"))
    run = subprocess.run(
        [java(), "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stderr or run.stdout)
    problems = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    if problems:
        pytest.fail(f"{len(problems)} markup errors:\n" + readable(problems, names), pytrace=False)
    assert run.returncode == 0, run.stderr
