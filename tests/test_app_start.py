"""Start-up loads every questionnaire file; an invalid one stops it with FILE:LINE:COL messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from survey import create_app
from survey.domain.loader import QuestionnaireError

QUESTIONNAIRES = Path(__file__).resolve().parent.parent / "questionnaires"


def test_every_questionnaire_in_the_folder_is_loaded(tmp_path: Path) -> None:
    app = create_app({"SURVEY_INSTANCE": tmp_path, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert set(app.extensions["questionnaires"]) == {"vendor-value-review", "quarterly-pulse"}


def test_an_invalid_file_stops_start_up_with_its_position(tmp_path: Path) -> None:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(QUESTIONNAIRES / "vendor-value-review.yaml", folder)
    text = (QUESTIONNAIRES / "quarterly-pulse.yaml").read_text()
    broken = text.replace("dimension: basics", "dimension: basic", 1)
    (folder / "pulse.yaml").write_text(broken)
    line = broken.splitlines().index(
        next(x for x in broken.splitlines() if "dimension: basic" in x)
    )

    with pytest.raises(QuestionnaireError) as raised:
        create_app(
            {
                "SURVEY_INSTANCE": tmp_path,
                "SURVEY_QUESTIONNAIRES": folder,
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
            }
        )
    message = str(raised.value)
    assert f"pulse.yaml:{line + 1}:" in message
    assert "unknown dimension 'basic' (did you mean 'basics'?)" in message
