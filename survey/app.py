"""The web application of Rapport: :func:`create_app` is its table of contents.

Kept apart from ``survey/__init__.py`` so that importing the package (as the pure domain
and the questionnaire commands do) does not import Flask's web stack and the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, render_template, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from survey.config import check_start_up, development_key, load_config
from survey.database import configure_sqlite
from survey.extensions import csrf, db, limiter, login_manager, migrate
from survey.faults import register_database_faults
from survey.logs import register_logging
from survey.resources import default_instance_dir, resource_dir
from survey.static_files import register_static_files


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, questionnaires, blueprints, CLI."""
    app = Flask(
        "survey",  # the package, not this module: the app's logger is "survey"
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
        instance_path=str(default_instance_dir()),
    )
    app.config.update(load_config())
    app.config.update(config or {})
    for warning in check_start_up(app.config):
        app.logger.warning(warning)
    Path(app.config["SURVEY_INSTANCE"]).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):  # development only: production refuses to start
        app.config["SECRET_KEY"] = development_key(Path(app.config["SURVEY_INSTANCE"]))
    register_logging(app)
    register_extensions(app)
    register_questionnaires(app)
    register_login(app)
    register_blueprints(app)
    register_template_filters(app)
    register_error_handlers(app)
    register_database_faults(app)
    register_security_headers(app)
    register_static_files(app, SECURITY_HEADERS)
    register_proxy_settings(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions created unbound in :mod:`survey.extensions`."""
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)


def register_proxy_settings(app: Flask) -> None:
    """Trust SURVEY_PROXY_HOPS proxies' X-Forwarded-*; pin links to SURVEY_BASE_URL.

    The base URL is also Flask's SERVER_NAME and scheme, so links made outside a request
    (the CLI) start with it too.
    """
    from survey.proxy import base_url_settings, wrap_for_proxies

    base_url = app.config.get("SURVEY_BASE_URL")
    if base_url:
        app.config.update(base_url_settings(base_url))
    app.wsgi_app = wrap_for_proxies(  # type: ignore[method-assign,assignment]
        app.wsgi_app, app.config.get("SURVEY_PROXY_HOPS", 0), base_url
    )


def register_questionnaires(app: Flask) -> None:
    """Load every questionnaire file at start; an invalid one stops start-up."""
    from survey.domain.loader import load_folder

    app.extensions["questionnaires"] = load_folder(Path(app.config["SURVEY_QUESTIONNAIRES"]))


def register_login(app: Flask) -> None:
    """Flask-Login: the session holds a user's public id and session version (never the key)."""
    from survey.models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see this page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The user of a session cookie, unless its session version has been ended or the
        user has been removed from the organisation."""
        public_id, _, version = session_id.rpartition(".")
        user = db.session.scalar(sa.select(User).where(User.public_id == public_id))
        if user is None or user.is_removed:
            return None
        return user if str(user.session_version) == version else None


def register_blueprints(app: Flask) -> None:
    """Attach the feature blueprints."""
    from survey.auth import bp as auth_bp
    from survey.health import bp as health_bp
    from survey.respond import bp as respond_bp
    from survey.results.views import bp as results_bp
    from survey.results.views import link_bp as shared_results_bp
    from survey.workspace import bp as workspace_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(workspace_bp)
    app.register_blueprint(respond_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(shared_results_bp)


def register_template_filters(app: Flask) -> None:
    """Words every feature's templates share: dates, who sees what, and the vocabulary of
    statuses, quadrants, plan states and owners (:mod:`survey.domain.vocabulary`)."""
    from survey.dates import long_date
    from survey.disclosure import promises, setting_words
    from survey.domain.vocabulary import FILTERS

    app.add_template_filter(long_date)
    app.add_template_filter(setting_words)
    app.add_template_filter(promises)
    for name, words in FILTERS.items():
        app.add_template_filter(words, name)


#: Friendly words for the error pages, by status code.
ERROR_PAGES: dict[int, tuple[str, str]] = {
    400: ("Something was wrong with that request", "Go back, reload the page and try again."),
    403: ("You cannot open this page", "Your account does not have access to it."),
    404: ("Page not found", "The address may be mistyped, or the page no longer exists."),
    410: ("This link no longer works", "Ask the person who sent it for a new link."),
    413: ("That was too much to send at once", "Shorten the longest answers and try again."),
    429: ("Too many attempts", "Wait a minute, then try again."),
    500: ("Something went wrong on our side", "Nothing you did caused this. Try again shortly."),
}


def register_error_handlers(app: Flask) -> None:
    """Render the error pages in the site's layout (no stack traces to visitors)."""

    def render_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        if code >= 500:
            db.session.rollback()
        title, advice = ERROR_PAGES.get(code, ERROR_PAGES[500])
        return render_template("error.html", code=code, title=title, advice=advice), code

    for code in ERROR_PAGES:
        app.register_error_handler(code, render_error)


#: Strict CSP: no inline script or style anywhere, so injected markup cannot run.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def register_security_headers(app: Flask) -> None:
    """Add the security headers to every response; a view may set its own (e.g. no-referrer).

    Any route with a ``<token>`` in its path is a capability page: it also gets the link
    headers (no Referer, no indexing, no caching), whichever blueprint it belongs to. Every
    page for a logged-in user is ``no-store`` too: some show raw links (the review page,
    the Team page's invitation), and ``private`` would still let the browser keep them.
    :class:`~survey.guard.ResponseGuard` keeps them on a response the server would refuse,
    and bounds chunked bodies.
    """
    from survey.guard import FormRequest, ResponseGuard
    from survey.links import LINK_HEADERS

    app.request_class = FormRequest
    app.wsgi_app = ResponseGuard(  # type: ignore[method-assign]
        app.wsgi_app, SECURITY_HEADERS, lambda: app.config.get("MAX_CONTENT_LENGTH")
    )

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        if request.view_args and "token" in request.view_args:
            response.headers.update(LINK_HEADERS)
        elif request.endpoint != "static" and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"  # a logged-in page: never kept
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
