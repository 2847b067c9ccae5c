"""`survey score` through the installed console script, as a consultant would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data" / "scoring"
SURVEY = Path(sys.executable).parent / "survey"
QUESTIONNAIRE = DATA / "small.yaml"
ANSWERS = DATA / "answers.yaml"


def survey(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the console script with no database or app configuration around it."""
    return subprocess.run(
        [str(SURVEY), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )


def test_json_output_is_the_contract_document(tmp_path: Path) -> None:
    done = survey("score", QUESTIONNAIRE, ANSWERS, "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads((DATA / "expected.json").read_text())
    assert done.stderr == ""
    assert not (tmp_path / "instance").exists()  # no database was made


def test_text_output_is_the_default_report(tmp_path: Path) -> None:
    done = survey("score", QUESTIONNAIRE, ANSWERS, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for section in ("LEVELS", "DIMENSIONS", "ACTIONS", "PROPOSALS"):
        assert f"\n{section}\n" in out
    assert out.startswith(
        "Small review (small, version 3)\n"
        "Vendor: Acme Analytics, 1 respondent, indicative\n"
        "Client: Globex, 2 respondents, indicative\n"
    )
    assert "  Agreed:   Confidant" in out
    assert "  Listening        85.0    50.0  35.0  blind spot" in out
    assert "because Globex (2 respondents) scores Communicating 50.0, under 60" in out
    assert (
        "  - Vendor, Dana, on 'How could we be a more valued vendor to Globex?':\n"
        "      Visit more often" in out
    )


def test_misfit_answer_exits_1_naming_respondent_and_question(tmp_path: Path) -> None:
    bad = tmp_path / "answers.yaml"
    bad.write_text(
        "client:\n  org: Globex\n  respondents:\n"
        "    - answers: {hears-us: 3}\n"
        "    - name: Eve\n      answers: {knows-priorities: Agre}\n",
        encoding="utf-8",
    )
    done = survey("score", QUESTIONNAIRE, bad)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == (
        f"{bad}: client respondent 2 (Eve), question 'knows-priorities': "
        "'Agre' is not a choice of scale 'agreement' (did you mean 'Agree'?)"
    )


def test_invalid_questionnaire_exits_1_with_file_line_col(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(QUESTIONNAIRE.read_text().replace("title: Small review", "titel: Small"))
    done = survey("score", broken, ANSWERS)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{broken}:")


def test_missing_answers_file_exits_1_without_traceback(tmp_path: Path) -> None:
    done = survey("score", QUESTIONNAIRE, tmp_path / "none.yaml")
    assert done.returncode == 1
    assert done.stderr.strip() == f"{tmp_path / 'none.yaml'}: no such file"
