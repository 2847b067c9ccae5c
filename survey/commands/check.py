"""`survey check FILE...`: validate questionnaire files the way the app loads them.

It needs no database and no app, so authors can check a file before it is deployed.
"""

from __future__ import annotations

import click

from survey.domain.loader import check_files


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
def check_command(files: tuple[str, ...]) -> None:
    """Check questionnaire files; print FILE:LINE:COL: message for each problem."""
    problems = check_files(files)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        bad = len({p.file for p in problems})
        click.echo(f"{len(problems)} problem(s) in {bad} of {len(files)} file(s)", err=True)
        raise SystemExit(1)
    click.echo(f"ok: {len(files)} file(s)", err=True)
