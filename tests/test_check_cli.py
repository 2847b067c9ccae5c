"""`survey check` through the installed console script, as an author would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "questionnaires"


def survey_script() -> str:
    """The `survey` console script of this virtualenv (next to the interpreter), else PATH."""
    beside = Path(sys.executable).parent / "survey"
    if beside.exists():
        return str(beside)
    found = shutil.which("survey")
    if found is None:
        pytest.fail("the `survey` console script is not installed (pip install -e .)")
    return found


def run_check(*files: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `survey check` in a folder with no app, no database, no questionnaires."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "SURVEY_"))}
    env["SURVEY_QUESTIONNAIRES"] = str(cwd / "no-such-folder")
    env["SURVEY_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/none"
    return subprocess.run(
        [survey_script(), "check", *map(str, files)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_passes_a_valid_file(tmp_path: Path) -> None:
    result = run_check(DATA / "valid.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "ok: 1 file(s)"


def test_check_prints_one_line_per_problem_and_fails(tmp_path: Path) -> None:
    text = (DATA / "valid.yaml").read_text(encoding="utf-8")
    shape = tmp_path / "shape.yaml"
    shape.write_text(text.replace("version: 1", "version: 0"), encoding="utf-8")
    reference = tmp_path / "reference.yaml"
    reference.write_text(text.replace("scale: agreement", "scale: agreemnt"), encoding="utf-8")
    missing = tmp_path / "nope.yaml"
    result = run_check(DATA / "valid.yaml", shape, reference, missing, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{shape}:2:10: the questionnaire: 'version' must be more than 0",
        f"{reference}:23:16: section 'basics', question 'knows-priorities': unknown scale"
        " 'agreemnt' (did you mean 'agreement'?)",
        f"{missing}:1:1: no such file",
    ]
    assert result.stderr.strip() == "3 problem(s) in 3 of 4 file(s)"


def test_check_of_a_folder_checks_the_files_the_app_would_load(tmp_path: Path) -> None:
    """`survey check questionnaires/` checks the folder's questionnaire files, not subfolders."""
    shipped = Path(__file__).resolve().parent.parent / "questionnaires"
    result = run_check(shipped, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == "ok: 2 file(s)"
    folder = tmp_path / "qs"
    (folder / "examples").mkdir(parents=True)
    (folder / "examples" / "ignored.yaml").write_text("not: [a questionnaire", encoding="utf-8")
    text = (DATA / "valid.yaml").read_text(encoding="utf-8")
    (folder / "bad.yaml").write_text(text.replace("version: 1", "version: 0"), encoding="utf-8")
    result = run_check(folder, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{folder / 'bad.yaml'}:2:10: the questionnaire: 'version' must be more than 0"
    ]
