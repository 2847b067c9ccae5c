"""The edges of the app: bounded bodies, no NUL in form text, no response a server refuses.

:class:`FormRequest` drops NUL characters from every form and query value: nobody types
one, and PostgreSQL refuses them in text columns (a name with one was a 500 there).

Two things a WSGI server otherwise decides on its own, without the app's headers:

- A header the server cannot send (a value outside Latin-1, a control character, a name
  that is no HTTP token). gunicorn then answers with its own bare 500 page, without the
  Content-Security-Policy. Here such a response becomes the app's plain 500 page with
  every security header, and the header's *name* is logged (never its value).
- A body of unknown length (``Transfer-Encoding: chunked``). Werkzeug checks
  ``MAX_CONTENT_LENGTH`` against the Content-Length, so a chunked body would be read up to
  the limit and processed as if it ended there. Here at most the limit plus one byte is
  read and handed on with its length, so the app's usual check answers 413.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items

logger = logging.getLogger("survey")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: What gunicorn accepts (RFC 9110 token; visible Latin-1 characters, space and tab).
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
HEADER_VALUE = re.compile(r"[ \t\x21-\x7e\x80-\xff]*")
READ_CHUNK = 64 * 1024

FALLBACK_PAGE = b"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Something went wrong on our side \xc2\xb7 Rapport</title>
<link rel="stylesheet" href="/static/css/app.css"></head>
<body><main id="main" class="narrow"><p class="eyebrow">Error 500</p>
<h1>Something went wrong on our side</h1>
<p>Nothing you did caused this. Try again shortly.</p></main></body>
</html>
"""


def sendable(name: str, value: str) -> bool:
    """Whether a WSGI server can send this header as it is."""
    return bool(HEADER_NAME.fullmatch(name) and HEADER_VALUE.fullmatch(value))


class ResponseGuard:
    """WSGI middleware around the Flask app (see the module docstring).

    `headers` are the security headers every response carries; `max_body` gives the
    body limit of the moment (the app's ``MAX_CONTENT_LENGTH``, None for no limit).
    """

    def __init__(
        self, app: WSGIApp, headers: Mapping[str, str], max_body: Callable[[], int | None]
    ) -> None:
        self.app = app
        self.headers = dict(headers)
        self.max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self._bound_chunked_body(environ)
        refused: list[str] = []

        def checked(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            refused.extend(name for name, value in headers if not sendable(name, value))
            if refused:
                return lambda _data: None
            return start_response(status, headers, exc_info)

        body = self.app(environ, checked)  # Flask answers its own errors (with the headers)
        if not refused:
            return body
        getattr(body, "close", lambda: None)()
        logger.error("response refused: header(s) %s cannot be sent", ", ".join(refused))
        return self._server_error(start_response)

    def _server_error(self, start_response: Callable[..., Any]) -> Any:
        headers = {
            **self.headers,
            "Content-Type": "text/html; charset=utf-8",
            "Content-Length": str(len(FALLBACK_PAGE)),
            "Cache-Control": "no-store",
        }
        start_response("500 INTERNAL SERVER ERROR", list(headers.items()))
        return [FALLBACK_PAGE]

    def _bound_chunked_body(self, environ: dict[str, Any]) -> None:
        """Give a body of unknown length a length, reading at most the limit plus one byte."""
        limit = self.max_body()
        if limit is None or environ.get("CONTENT_LENGTH"):
            return
        if "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            return
        stream = environ["wsgi.input"]
        data = bytearray()
        while len(data) <= limit:
            chunk = stream.read(min(READ_CHUNK, limit + 1 - len(data)))
            if not chunk:
                break
            data += chunk
        environ["wsgi.input"] = io.BytesIO(bytes(data))
        environ["CONTENT_LENGTH"] = str(len(data))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ["wsgi.input_terminated"] = False


class _WithoutNul(ImmutableMultiDict[str, Any]):
    """Request parameters whose text values hold no NUL character."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is not None:
            mapping = [
                (key, value.replace("\x00", "") if isinstance(value, str) else value)
                for key, value in iter_multi_items(mapping)
            ]
        super().__init__(mapping)


class FormRequest(Request):
    """Flask's request, with form and query values free of NUL characters."""

    parameter_storage_class = _WithoutNul
