"""`survey check FILE...`: validate questionnaire files the way the app loads them.

It needs no database and no app, so authors can check a file before it is deployed. A
folder stands for the questionnaire files directly in it, the files the app would load
from it (so `survey check questionnaires/` checks what start-up checks).
"""

from __future__ import annotations

from pathlib import Path

import click

from survey.domain.loader import check_files, questionnaire_files


def expand(paths: tuple[str, ...]) -> list[Path]:
    """The files to check: each file as given, each folder as its questionnaire files."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        files.extend(questionnaire_files(path) if path.is_dir() else [path])
    return files


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
def check_command(files: tuple[str, ...]) -> None:
    """Check questionnaire files (or the files in a folder); print FILE:LINE:COL: message."""
    paths = expand(files)
    problems = check_files(paths)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        bad = len({p.file for p in problems})
        click.echo(f"{len(problems)} problem(s) in {bad} of {len(paths)} file(s)", err=True)
        raise SystemExit(1)
    click.echo(f"ok: {len(paths)} file(s)", err=True)
