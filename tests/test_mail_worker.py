"""The worker `make run` starts: `survey worker`, a huey consumer delivering the outbox."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from flask import Flask
from test_mail_outbox import _queue_one, rows

from survey.tasks import queue_of

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def worker_env(app: Flask) -> dict[str, str]:
    return {
        **os.environ,
        "SURVEY_DATABASE_URL": str(app.config["SQLALCHEMY_DATABASE_URI"]),
        "SURVEY_INSTANCE": str(app.config["SURVEY_INSTANCE"]),
        "SURVEY_SECRET_KEY": str(app.config["SECRET_KEY"]),
    }


def wait_for(condition, seconds: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
def test_the_worker_process_delivers_what_the_app_queued(app: Flask) -> None:
    """A mail queued (and nudged) by the app is written by a separate worker process."""
    with app.test_request_context():
        _queue_one("dana@acme.example", "worker:1")  # the commit nudges the queue file
    folder = Path(app.config["SURVEY_INSTANCE"]) / "mail"
    worker = subprocess.Popen(
        [str(BIN / "survey"), "worker"],
        cwd=ROOT,
        env=worker_env(app),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_for(lambda: any(folder.glob("*.eml"))), "the worker wrote no mail"
    finally:
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=30)
    assert f"mails are written to {folder}/" in output.decode()
    assert [mail.status for mail in rows(app)] == ["sent"]


def test_the_minute_sweep_delivers_a_mail_whose_nudge_was_lost(app: Flask) -> None:
    with app.test_request_context():
        _queue_one("dana@acme.example", "worker:2")
    queue = queue_of(app)
    queue.huey.flush()  # the nudge lost (the queue emptied, a worker restarted)
    queue.sweep.call_local()
    assert [mail.status for mail in rows(app)] == ["sent"]
    assert any(task.name == "sweep_outbox" for task in queue.huey._registry.periodic_tasks)
