"""The database is unreachable: every page says so with a 503, never a bare 500.

The respondent pages have their own handler, which also gives back what was posted
(:func:`survey.respond.views.database_unavailable`); this one covers the rest. Neither
touches the database, nor the logged-in user (loading them needs the database).
"""

from __future__ import annotations

import contextlib

import sqlalchemy as sa
from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue

from survey.extensions import db, login_manager

#: The errors of a database that cannot be reached (or whose connection just died).
DATABASE_FAULTS: tuple[type[sa.exc.DBAPIError], ...] = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
)
#: Seconds a client is asked to wait before trying again.
RETRY_AFTER = "30"
NOT_KEPT = {"Retry-After": RETRY_AFTER, "Cache-Control": "no-store"}


def forget_failed_transaction(error: Exception) -> None:
    """Roll the session back (if it can be) and log the fault with the request's id."""
    with contextlib.suppress(sa.exc.SQLAlchemyError):
        db.session.rollback()
    # The rest of this response treats the visitor as anonymous: loading the user (for
    # the header, or the after-request hooks) would ask the unreachable database again.
    login_manager._update_request_context_with_user()
    current_app.logger.error(
        "Database unavailable on %s %s", request.method, request.endpoint, exc_info=error
    )


def database_unavailable(error: Exception) -> ResponseReturnValue:
    """A 503 page in the site's layout, drawn without the database."""
    forget_failed_transaction(error)
    return render_template("unavailable.html"), 503, NOT_KEPT


def register_database_faults(app: Flask) -> None:
    """Answer 503 instead of 500 when the database is unreachable."""
    for fault in DATABASE_FAULTS:
        app.register_error_handler(fault, database_unavailable)
