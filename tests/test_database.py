"""SQLite is configured for a multi-threaded server: WAL, busy timeout, immediate writes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from survey.database import BUSY_TIMEOUT_MS
from survey.extensions import db


@pytest.fixture
def sqlite_only(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings")


@pytest.mark.usefixtures("sqlite_only")
def test_sqlite_runs_in_wal_mode_with_busy_timeout(app: Flask) -> None:
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.usefixtures("sqlite_only")
def test_transactions_take_the_write_lock_at_once(app: Flask) -> None:
    """A second connection cannot start writing while the first holds a transaction."""
    with app.app_context():
        engine = sa.create_engine(db.engine.url, connect_args={"timeout": 0.1})
        from survey.database import configure_sqlite

        configure_sqlite(engine)
        with engine.connect() as first:
            first.begin()
            first.exec_driver_sql("SELECT 1")
            second = engine.raw_connection()
            try:
                second.isolation_level = None
                second.execute("PRAGMA busy_timeout=50")
                with pytest.raises(Exception, match="locked"):
                    second.execute("BEGIN IMMEDIATE")
            finally:
                second.close()
        engine.dispose()
