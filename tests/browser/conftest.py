"""Browser fixtures: the real app served on loopback, driven by Debian's Chromium.

Playwright's own browser download does not work here, so Chromium is launched from
/usr/bin/chromium with the flags that keep it off the (closed) network.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import make_server

from survey import create_app
from survey.extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class LiveServer:
    """A running app: its base URL and the app object for setting up data."""

    url: str
    app: Flask


def _database_url(folder: Path) -> str:
    import os

    return os.environ.get("SURVEY_TEST_DATABASE_URL") or f"sqlite:///{folder / 'live.db'}"


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The app on a fresh database, served by a threaded werkzeug server on a free port."""
    app = create_app(
        {
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
            "SURVEY_INSTANCE": tmp_path / "instance",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile (cookies, storage) for one test."""
    context = browser.new_context(accept_downloads=True)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots and rendered PDFs a person can look at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
