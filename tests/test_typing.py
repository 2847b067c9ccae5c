"""The models' closed vocabularies are types: mypy refuses a status, owner or source
that the app does not know, so a typo fails `make lint` rather than a page at run time."""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]

WRONG = """
from survey.models import ActionItem, Review, Respondent

def wrong(item: ActionItem, review: Review, person: Respondent) -> None:
    item.status = "finished"
    item.owner = "nobody"
    item.source = "guess"
    review.status = "archived"
    person.party = "supplier"
"""

RIGHT = """
from survey.models import ActionItem, Review, Respondent

def right(item: ActionItem, review: Review, person: Respondent) -> None:
    item.status = "in_progress"
    item.owner = "joint"
    item.source = "custom"
    review.status = "closed"
    person.party = "client"
"""


def _mypy(tmp_path: Path, source: str) -> tuple[str, int]:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(source)
    out, err, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(snippet),
        ]
    )
    return out + err, status


def test_mypy_refuses_values_outside_the_models_vocabularies(tmp_path: Path) -> None:
    out, status = _mypy(tmp_path, WRONG)
    assert status == 1
    for line in (5, 6, 7, 8, 9):
        assert f"snippet.py:{line}: error: Incompatible types in assignment" in out, out


def test_mypy_accepts_the_values_the_app_uses(tmp_path: Path) -> None:
    out, status = _mypy(tmp_path, RIGHT)
    assert status == 0, out


def test_forms_are_checked_against_the_wtforms_stubs(tmp_path: Path) -> None:
    """types-WTForms is installed and used: a wrong argument to a field is an error."""
    out, status = _mypy(
        tmp_path,
        "from wtforms import StringField\n"
        "from wtforms.validators import Length\n"
        "title = StringField('Title', validators=[Length(max='long')])\n",
    )
    assert status == 1
    assert "snippet.py:3: error:" in out and "Length" in out, out
