"""How requests use the database: reads hold no lock, writes are short immediate transactions.

SQLite is the embedded default, and it has one writer at a time. WAL mode lets readers work
while that writer writes, and a busy timeout makes a second writer wait instead of failing
with "database is locked". A request that only reads (a page, the results, a PDF) runs in a
plain deferred transaction, which takes no write lock, however long it renders.

Every change goes through a function decorated with :func:`write_operation`. It ends the
request's read transaction, runs the function in a transaction opened with
``BEGIN IMMEDIATE`` (the write lock from its first statement, so two requests never both
read and then fail to upgrade to a write, the classic SQLITE_BUSY deadlock, and the checks
a write makes see the latest state), commits, and so releases the lock before the request
goes on to render anything. On PostgreSQL the decorator gives the same commit-or-roll-back
shape; row locks and constraints do the rest.

A write during a request outside a write operation is a bug: it would hold the lock until the
request ends. Under tests it fails loudly; in production it is logged and let through.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from flask import current_app, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine

from survey.extensions import db

BUSY_TIMEOUT_MS = 15_000
#: A statement that writes: what must run inside a write operation.
WRITING_STATEMENT = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)

log = logging.getLogger(__name__)
_writing: ContextVar[bool] = ContextVar("survey_writing", default=False)

P = ParamSpec("P")
R = TypeVar("R")


class WriteOutsideOperation(RuntimeError):
    """A request wrote to the database outside a :func:`write_operation`."""


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun in this block take the write lock at once (SQLite)."""
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


def write_operation(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` as one short write transaction, committed (or rolled back) at its end.

    The read transaction the request may have open is ended first, so the write starts on
    the latest data under the lock and the objects it was given reload their state there.
    Nested write operations run inside the outer one.
    """

    @functools.wraps(function)
    def in_a_write_transaction(*args: P.args, **kwargs: P.kwargs) -> R:
        if _writing.get():
            return function(*args, **kwargs)
        db.session.commit()  # end the read transaction (it has nothing to write)
        with writing():
            try:
                result = function(*args, **kwargs)
                db.session.commit()
            except BaseException:
                db.session.rollback()
                raise
        return result

    return in_a_write_transaction


def configure_sqlite(engine: Engine) -> None:
    """Turn on WAL, a busy timeout and foreign keys; immediate transactions for writes."""
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _begin)
    event.listen(engine, "before_cursor_execute", _check_write_is_in_an_operation)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() else "BEGIN")


def _check_write_is_in_an_operation(
    _connection: Any, _cursor: Any, statement: str, *_args: Any
) -> None:
    """Refuse (under tests) or log a request's write outside a write operation."""
    if _writing.get() or not has_request_context() or not WRITING_STATEMENT.match(statement):
        return
    if current_app.testing:
        raise WriteOutsideOperation(f"a request wrote outside a write operation: {statement}")
    log.warning("a request wrote outside a write operation: %s", statement.split("(")[0])
