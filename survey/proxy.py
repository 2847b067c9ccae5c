"""Running behind reverse proxies, and links that do not depend on the Host header.

- ``SURVEY_PROXY_HOPS`` = n > 0: Werkzeug's ProxyFix takes the client address, scheme and
  host from the last n entries of X-Forwarded-For, -Proto and -Host, so rate limits key on
  the real client. With 0 (the default) those headers are ignored: anyone can forge them.
- ``SURVEY_BASE_URL``: every request is seen with that scheme and host, so every link the
  app builds (shared links, resume links, invitations) starts with it, whatever Host says.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class BaseURLFix:
    """WSGI middleware: the request's scheme and host are those of a fixed base URL."""

    def __init__(self, app: WSGIApplication, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.app = app
        self.scheme = parts.scheme
        self.host = parts.netloc

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ["wsgi.url_scheme"] = self.scheme
        environ["HTTP_HOST"] = self.host
        return self.app(environ, start_response)


def base_url_settings(base_url: str) -> dict[str, str]:
    """Flask's settings for links built outside a request (SERVER_NAME does not route)."""
    parts = urlsplit(base_url)
    return {"SERVER_NAME": parts.netloc, "PREFERRED_URL_SCHEME": parts.scheme}


def wrap_for_proxies(app: WSGIApplication, hops: int, base_url: str | None) -> WSGIApplication:
    """The app behind ProxyFix (when hops > 0), then the base URL (when set), which wins."""
    if base_url:
        app = BaseURLFix(app, base_url)
    if hops > 0:
        app = ProxyFix(app, x_for=hops, x_proto=hops, x_host=hops)
    return app
