"""Logs: a request id on every line (taken from X-Request-ID when sane), text or JSON."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, current_app

from survey import create_app
from survey.config import ConfigError, load_config
from survey.extensions import db
from survey.logs import SurveyHandler

HEX_ID = re.compile(r"[0-9a-f]{32}")


def _app(tmp_path: Path, **config: object) -> Flask:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'logs.db'}",
            "SURVEY_INSTANCE": tmp_path / "instance",
            **config,
        }
    )

    @app.get("/_say")
    def say() -> str:
        current_app.logger.warning("first line\nsecond line")
        try:
            raise ValueError("boom")
        except ValueError:
            current_app.logger.exception("it failed")
        return "said"

    return app


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """What the app's log handler writes (the newest app's handler on the root logger)."""
    stream = io.StringIO()
    yield stream
    for handler in logging.getLogger().handlers:
        if isinstance(handler, SurveyHandler):
            logging.getLogger().removeHandler(handler)


def _capture(stream: io.StringIO) -> None:
    (handler,) = [h for h in logging.getLogger().handlers if isinstance(h, SurveyHandler)]
    handler.setStream(stream)


def test_a_sane_request_id_is_kept_and_returned(tmp_path: Path) -> None:
    client = _app(tmp_path).test_client()
    response = client.get("/healthz", headers={"X-Request-ID": "edge-7f3a.2"})
    assert response.headers["X-Request-ID"] == "edge-7f3a.2"


@pytest.mark.parametrize("sent", [None, "", "has space", "a" * 101, "-leading-dash", "semi;colon"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(
    tmp_path: Path, sent: str | None
) -> None:
    client = _app(tmp_path).test_client()
    headers = {} if sent is None else {"X-Request-ID": sent}
    first = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    second = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second) and first != second


def test_every_line_carries_the_request_id(tmp_path: Path, log_stream: io.StringIO) -> None:
    app = _app(tmp_path)
    _capture(log_stream)
    app.test_client().get("/_say", headers={"X-Request-ID": "req-123"})
    lines = [line for line in log_stream.getvalue().splitlines() if "WARNING" in line]
    assert lines and all("[req-123]" in line for line in lines)
    assert "ERROR [req-123] survey: it failed" in log_stream.getvalue()


def test_json_format_writes_one_object_per_line(tmp_path: Path, log_stream: io.StringIO) -> None:
    app = _app(tmp_path, SURVEY_LOG_FORMAT="json")
    _capture(log_stream)
    app.test_client().get("/_say", headers={"X-Request-ID": "req-json"})
    entries = [json.loads(line) for line in log_stream.getvalue().splitlines()]
    assert [e["message"] for e in entries] == ["first line\nsecond line", "it failed"]
    assert {e["request_id"] for e in entries} == {"req-json"}
    assert {e["level"] for e in entries} == {"WARNING", "ERROR"}
    assert "ValueError: boom" in entries[1]["exception"]
    assert all(e["logger"] == "survey" and e["time"] for e in entries)
    with app.app_context():
        db.engine.dispose()


def test_log_format_is_read_strictly() -> None:
    assert load_config({})["SURVEY_LOG_FORMAT"] == "text"
    assert load_config({"SURVEY_LOG_FORMAT": "JSON"})["SURVEY_LOG_FORMAT"] == "json"
    with pytest.raises(ConfigError, match="SURVEY_LOG_FORMAT"):
        load_config({"SURVEY_LOG_FORMAT": "xml"})
