"""The `survey` command lists and runs its commands without importing what they don't use."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask

from survey import create_app
from survey.cli import COMMANDS, command_at, main

ROOT = Path(__file__).resolve().parent.parent


def modules_after(*args: str) -> set[str]:
    """The modules a fresh interpreter has imported after running ``survey ARGS``."""
    script = (
        "import sys\n"
        "from survey.cli import main\n"
        "try:\n"
        f"    main({list(args)!r}, prog_name='survey')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    return set(done.stderr.split())


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_listed_line_is_the_commands_own_help(name: str) -> None:
    where, line = COMMANDS[name]
    assert command_at(where).get_short_help_str(limit=1000) == line


def test_every_command_of_the_app_is_listed_without_the_app(app: Flask) -> None:
    built_in = {"run", "shell", "routes"}
    assert set(app.cli.list_commands(None)) <= set(COMMANDS)  # type: ignore[arg-type]
    assert set(main.list_commands(None)) == set(COMMANDS) | built_in  # type: ignore[arg-type]


def test_help_lists_every_command_without_building_the_app() -> None:
    loaded = modules_after("--help")
    assert "survey.cli" in loaded
    assert not {"survey.app", "sqlalchemy", "flask_sqlalchemy", "alembic"} & loaded


def test_score_and_check_import_the_domain_but_no_database_layer() -> None:
    pulse = ROOT / "questionnaires" / "quarterly-pulse.yaml"
    answers = ROOT / "questionnaires" / "examples" / "pulse.yaml"
    for args in (("score", str(pulse), str(answers)), ("check", str(pulse))):
        loaded = modules_after(*args)
        assert "survey.domain.loader" in loaded, args
        assert not {"survey.app", "sqlalchemy", "flask_sqlalchemy"} & loaded, args


def test_db_still_runs_through_flask_migrate(tmp_path: Path) -> None:
    database = tmp_path / "fresh.db"
    fresh = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SURVEY_INSTANCE": tmp_path,
        }
    )
    result = fresh.test_cli_runner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"alembic_version", "review", "respondent"} <= tables
