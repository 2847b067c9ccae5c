"""The README's "Backup and restore" commands, run as written against a test database."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from factories import Persona
from flask import Flask

from survey.extensions import db
from survey.models import User

README = Path(__file__).resolve().parent.parent / "README.md"
README_PG_URL = "postgresql://survey:secret@db.internal/survey"
README_SQLITE_FILE = "instance/survey.db"


def backup_commands(tool: str) -> list[str]:
    """The command lines of the README's backup section that start with ``tool``."""
    section = README.read_text().split("## Backup and restore", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith(tool)]


def _run(command: str, cwd: Path) -> None:
    done = subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _lose_and_restore(app: Flask, user: Persona, restore: list[str], cwd: Path) -> None:
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.id == user.id))
        db.session.commit()
        assert db.session.get(User, user.id) is None
        db.session.remove()
        db.engine.dispose()
    for command in restore:
        _run(command, cwd)
    with app.app_context():
        db.engine.dispose()
        restored = db.session.get(User, user.id)
        assert restored is not None and restored.email == user.email


def test_readme_sqlite_backup_and_restore_bring_the_data_back(
    app: Flask, vendor_a: Persona, tmp_path: Path
) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite") or not shutil.which("sqlite3"):
        pytest.skip("the SQLite commands need a SQLite test database and sqlite3")
    database = url.removeprefix("sqlite:///")
    backup, restore = [c.replace(README_SQLITE_FILE, database) for c in backup_commands("sqlite3")]
    assert ".backup" in backup and ".restore" in restore
    _run(backup, tmp_path)
    assert (tmp_path / "survey-backup.db").stat().st_size > 0
    _lose_and_restore(app, vendor_a, [restore], tmp_path)


def test_readme_postgres_backup_and_restore_bring_the_data_back(
    app: Flask, vendor_a: Persona, tmp_path: Path
) -> None:
    url = os.environ.get("SURVEY_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql") or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL (SURVEY_TEST_DATABASE_URL) and pg_dump")
    plain = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    dump = [c.replace(README_PG_URL, plain) for c in backup_commands("pg_dump")]
    restore = [c.replace(README_PG_URL, plain) for c in backup_commands("pg_restore")]
    assert len(dump) == 1 and len(restore) == 1
    _run(dump[0], tmp_path)
    _lose_and_restore(app, vendor_a, restore, tmp_path)
