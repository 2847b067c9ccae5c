"""Health probes for load balancers and orchestrators: ``/healthz`` and ``/readyz``.

``/healthz`` says the process answers (it touches nothing else). ``/readyz`` says this
instance can serve: the database answers, its schema is at the newest migration, and the
rate-limit Redis answers when one is configured. Both need no login, are exempt from rate
limits, and are left out of gunicorn's access log (:class:`survey.logs.AccessLogger`).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from survey.extensions import db, limiter

bp = Blueprint("health", __name__)
limiter.exempt(bp)

OK = "ok"
VERSION_TABLE = "alembic_version"


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """The process is up."""
    return jsonify(status=OK)


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """Database reachable, migrations at head, Redis reachable when configured: 200, else 503."""
    checks = {"database": database_check(), "redis": redis_check()}
    ready = all(value in (OK, "not configured") for value in checks.values())
    return jsonify(status=OK if ready else "unavailable", checks=checks), (200 if ready else 503)


def migration_heads() -> set[str]:
    """The head revisions of the app's migrations folder (read once per app)."""
    heads = current_app.extensions.get("survey.migration_heads")
    if heads is None:
        directory = Path(current_app.extensions["migrate"].directory)
        heads = set(ScriptDirectory(str(directory)).get_heads())
        current_app.extensions["survey.migration_heads"] = heads
    return set(heads)


def applied_revisions(connection: sa.Connection) -> set[str]:
    """The revisions stamped in the database (none before the first `survey db upgrade`)."""
    if not sa.inspect(connection).has_table(VERSION_TABLE):
        return set()
    return set(connection.scalars(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")))


def database_check() -> str:
    """``ok``, ``unreachable``, or ``migrations behind`` when the schema is not at head."""
    try:
        with db.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            current = applied_revisions(connection)
    except sa.exc.SQLAlchemyError:
        current_app.logger.warning("readyz: the database is unreachable")
        return "unreachable"
    if current != migration_heads():
        return "migrations behind"
    return OK


def redis_check() -> str:
    """``ok``, ``unreachable``, or ``not configured`` (limits in memory, or turned off)."""
    uri = str(current_app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    enabled = current_app.config.get("RATELIMIT_ENABLED", True)
    if not enabled or not uri.startswith(("redis://", "rediss://", "redis+")):
        return "not configured"
    return OK if limiter.storage.check() else "unreachable"
