"""Logging: a request id on every line, plain text or one JSON object per line.

Each request gets an id: a sane ``X-Request-ID`` sent by the proxy is kept, anything else
is replaced by a fresh one, and the response carries it back, so one line in the proxy's
log leads to every line the app wrote for that request. ``SURVEY_LOG_FORMAT=json`` writes
one JSON object per line for log collectors. Query parameters never reach the log: the
engine runs with ``hide_parameters`` (see :func:`survey.config.operations_config`).

:class:`AccessLogger` is gunicorn's logger without the health probes' lines (``/healthz``,
``/readyz``), which a load balancer asks for every few seconds; ``--log-level debug``
shows them again. The gunicorn config names it with ``logger_class``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, has_request_context, request
from flask.logging import default_handler
from gunicorn.glogging import Logger as GunicornLogger

REQUEST_ID_HEADER = "X-Request-ID"
#: An id we pass on as it came: short, and only characters that cannot break a log line.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
NO_REQUEST = "-"
ENVIRON_KEY = "survey.request_id"
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
#: Paths of the health probes, left out of the access log at the default level.
HEALTH_PATHS = frozenset({"/healthz", "/readyz"})


def request_id_from(header: str | None) -> str:
    """The id to use for a request: the header when it is sane, else a new one.

    >>> request_id_from("edge-42.a")
    'edge-42.a'
    >>> len(request_id_from("bad id\\n")) == 32
    True
    """
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str:
    """The id of the request being handled (made at its first use), or ``-`` outside one."""
    if not has_request_context():
        return NO_REQUEST
    environ = request.environ
    if ENVIRON_KEY not in environ:
        environ[ENVIRON_KEY] = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    return str(environ[ENVIRON_KEY])


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record that passes through the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message (and traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", NO_REQUEST),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class SurveyHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The app's log handler on the root logger (one per process, replaced on a new app)."""


def make_handler(log_format: str) -> logging.Handler:
    """A stderr handler with the request-id filter and the chosen format."""
    handler = SurveyHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    return handler


def register_logging(app: Flask) -> None:
    """Log every line through one handler with the request id; tag each request and response."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, SurveyHandler)]:
        root.removeHandler(old)
    root.addHandler(make_handler(app.config.get("SURVEY_LOG_FORMAT", "text")))
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    app.logger.removeHandler(default_handler)  # its lines go up to the root handler

    @app.after_request
    def return_request_id(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = current_request_id()
        return response


class AccessLogger(GunicornLogger):
    """gunicorn's logger, without the lines of the health probes unless at debug level."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if environ.get("PATH_INFO") in HEALTH_PATHS and not self.error_log.isEnabledFor(
            logging.DEBUG
        ):
            return
        super().access(resp, req, environ, request_time)
