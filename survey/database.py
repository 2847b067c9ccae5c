"""Database settings that make SQLite safe for a small multi-threaded server.

SQLite is the embedded default: WAL mode lets readers work while one writer writes, a
busy timeout makes a second writer wait instead of failing with "database is locked",
and `BEGIN IMMEDIATE` takes the write lock at the start of a transaction, so two requests
never both read and then fail to upgrade to a write (the classic SQLITE_BUSY deadlock).
PostgreSQL needs none of this.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 15_000


def configure_sqlite(engine: Engine) -> None:
    """Turn on WAL, a busy timeout, foreign keys and immediate transactions for SQLite."""
    if engine.dialect.name != "sqlite":
        return
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _begin_immediate)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
