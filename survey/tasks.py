"""The background worker: huey, on SQLite in development and on Redis in production.

huey (a small, well-kept task queue with a scheduler) runs what must not slow a request:
delivering the mail outbox, and every hour the automatic reminders of reviews whose
reminder day it is. The web app only nudges the worker after a commit that
queued mail; a sweep every minute delivers whatever a lost nudge (Redis away, a worker
restarting) left behind, so the outbox table, not the queue, is the record that loses
nothing. `survey worker` runs the consumer; `make run` starts it beside the web server.

The queue is built lazily, once per app, from `SURVEY_QUEUE_URL`: ``redis://…``,
``sqlite:///path`` (default: ``queue.db`` in the instance folder) or ``memory://``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from survey.config import REDIS_TIMEOUT

QUEUE_NAME = "rapport"
EXTENSION = "survey_queue"

log = logging.getLogger(__name__)


class Queue:
    """One app's huey instance and its tasks (registered on it, run in the app's context)."""

    def __init__(self, app: Flask) -> None:
        self.huey = huey_for(app.config)
        self.deliver_mail = self.huey.task(name="deliver_mail")(self._in_app(app, _deliver))
        self.sweep = self.huey.periodic_task(crontab(minute="*"), name="sweep_outbox")(
            self._in_app(app, _deliver)
        )
        self.remind = self.huey.periodic_task(crontab(minute="5"), name="due_reminders")(
            self._in_app(app, _remind)
        )

    @staticmethod
    def _in_app(app: Flask, work: Callable[[], Any]) -> Callable[[], None]:
        def in_app_context() -> None:
            with app.app_context():
                work()

        return in_app_context


def huey_for(config: Any) -> Huey:
    """The huey instance the settings name."""
    url = config.get("SURVEY_QUEUE_URL") or f"sqlite:///{Path(config['SURVEY_INSTANCE'])}/queue.db"
    scheme = urlsplit(url).scheme
    if scheme in ("redis", "rediss"):
        return RedisHuey(
            QUEUE_NAME,
            url=url,
            socket_connect_timeout=REDIS_TIMEOUT,
            socket_timeout=REDIS_TIMEOUT,
        )
    if scheme == "memory":
        return MemoryHuey(QUEUE_NAME)
    return SqliteHuey(QUEUE_NAME, filename=url.removeprefix("sqlite:///"))


def queue_of(app: Flask) -> Queue:
    """This app's queue, made on first use (a web process that never mails opens none)."""
    queue = app.extensions.get(EXTENSION)
    if queue is None:
        queue = app.extensions[EXTENSION] = Queue(app)
    assert isinstance(queue, Queue)
    return queue


def _deliver() -> None:
    from survey.mail.outbox import deliver_due

    delivery = deliver_due()
    if delivery.sent or delivery.retried or delivery.failed:
        log.info(
            "mail: %d sent, %d to retry, %d given up",
            delivery.sent,
            delivery.retried,
            delivery.failed,
        )


def _remind() -> None:
    from survey.invitations import send_due_reminders

    queued = send_due_reminders()
    if queued:
        log.info("reminders: %d queued", queued)


def nudge_worker() -> None:
    """Ask the worker to deliver now; never fails (the minute's sweep is the safety net)."""
    try:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        queue_of(app).deliver_mail()
    except Exception as error:  # the queue away: the sweep delivers within a minute
        log.warning("could not nudge the mail worker (%s); the sweep will", type(error).__name__)


def run_worker(app: Flask, workers: int = 1) -> None:
    """Run the consumer in this process until it is stopped (SIGINT or SIGTERM)."""
    consumer = queue_of(app).huey.create_consumer(workers=workers, periodic=True)
    consumer.run()
