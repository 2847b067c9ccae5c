"""SQLite is configured for a multi-threaded server: WAL, busy timeout, short immediate writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from survey.database import (
    BUSY_TIMEOUT_MS,
    WriteOutsideOperation,
    configure_sqlite,
    write_operation,
    writing,
)
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


def _second_connection_can_take_the_write_lock(engine: sa.Engine) -> bool:
    """Whether another connection can begin writing right now (without waiting)."""
    second = engine.raw_connection()
    try:
        second.isolation_level = None  # type: ignore[attr-defined]
        second.execute("PRAGMA busy_timeout=50")
        try:
            second.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            assert "locked" in str(error)
            return False
        second.execute("ROLLBACK")
        return True
    finally:
        second.close()


@pytest.fixture
def own_engine(app: Flask) -> Iterator[sa.Engine]:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings")
        engine = sa.create_engine(db.engine.url)
        configure_sqlite(engine)
        yield engine
        engine.dispose()


def test_a_read_transaction_does_not_block_a_writer(own_engine: sa.Engine) -> None:
    """A page that reads (and renders for seconds) holds no write lock."""
    with own_engine.connect() as reader:
        reader.begin()
        reader.exec_driver_sql("SELECT count(*) FROM review").scalar()
        assert _second_connection_can_take_the_write_lock(own_engine)


def test_a_write_transaction_takes_the_lock_at_its_first_statement(
    own_engine: sa.Engine,
) -> None:
    """Inside writing(), BEGIN IMMEDIATE: the checks a write makes see the latest state."""
    with writing(), own_engine.connect() as writer:
        writer.begin()
        writer.exec_driver_sql("SELECT 1")
        assert not _second_connection_can_take_the_write_lock(own_engine)


@pytest.fixture
def scratch(app: Flask) -> Iterator[None]:
    """A table of the test's own, dropped after it (PostgreSQL keeps one database for all)."""
    with app.app_context():
        db.session.execute(sa.text("CREATE TABLE IF NOT EXISTS scratch (n INTEGER)"))
        db.session.commit()
    yield
    with app.app_context():
        db.session.rollback()
        db.session.execute(sa.text("DROP TABLE IF EXISTS scratch"))
        db.session.commit()


@pytest.mark.usefixtures("scratch")
def test_a_write_operation_commits_and_releases_the_lock(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings")
        seen: list[bool] = []

        @write_operation
        def insert_a_row() -> None:
            db.session.execute(sa.text("INSERT INTO scratch VALUES (1)"))
            seen.append(_second_connection_can_take_the_write_lock(db.engine))

        insert_a_row()
        assert seen == [False]  # held while writing
        assert _second_connection_can_take_the_write_lock(db.engine)  # released after
        assert db.session.execute(sa.text("SELECT count(*) FROM scratch")).scalar() == 1


@pytest.mark.usefixtures("scratch")
def test_a_failed_write_operation_rolls_back_everything(app: Flask) -> None:
    with app.app_context():

        @write_operation
        def half_then_fail() -> None:
            db.session.execute(sa.text("INSERT INTO scratch VALUES (2)"))
            raise ValueError("refused")

        with pytest.raises(ValueError, match="refused"):
            half_then_fail()
        assert db.session.execute(sa.text("SELECT count(*) FROM scratch")).scalar() == 0


@pytest.mark.usefixtures("scratch")
def test_nested_write_operations_are_one_transaction(app: Flask) -> None:
    with app.app_context():

        @write_operation
        def inner() -> None:
            db.session.execute(sa.text("INSERT INTO scratch VALUES (3)"))

        @write_operation
        def outer() -> None:
            inner()
            raise ValueError("the outer step fails")

        with pytest.raises(ValueError):
            outer()
        assert db.session.execute(sa.text("SELECT count(*) FROM scratch")).scalar() == 0


@pytest.mark.usefixtures("scratch")
def test_a_request_that_writes_outside_an_operation_is_refused_in_tests(app: Flask) -> None:
    """The guard that keeps the write lock short: every write goes through write_operation."""
    with app.test_request_context("/"):
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the guard is SQLite's")
        with pytest.raises(WriteOutsideOperation):
            db.session.execute(sa.text("INSERT INTO scratch VALUES (4)"))
        db.session.rollback()
