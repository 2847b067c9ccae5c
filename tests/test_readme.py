"""The README's worked example is what `survey score` really prints."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(
    r"<!-- worked-example: survey (?P<args>[^>]*?) -->\n```text\n\$ [^\n]*\n(?P<out>.*?)```", re.S
)


def survey_command() -> str:
    found = Path(sys.executable).parent / "survey"
    return str(found) if found.exists() else (shutil.which("survey") or "survey")


def test_readme_worked_example_matches_the_command_output() -> None:
    match = MARKER.search((ROOT / "README.md").read_text())
    assert match, "README.md lost its worked example"
    result = subprocess.run(
        [survey_command(), *match["args"].split()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.rstrip("\n") == match["out"].rstrip("\n")


def test_readme_shows_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    assert "make run" in text and "make test" in text
