"""`survey score QUESTIONNAIRE ANSWERS`: score an answers file offline, as the web app would.

Needs no database and no app: it reads the two files, runs the pure scoring engine and
prints the report (text) or the contract's JSON. A problem in either file is one message
on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click

from survey.domain.answers import AnswersError, load_answers
from survey.domain.report import render_json, render_text
from survey.domain.scoring import score


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    raise click.exceptions.Exit(1)


@click.command("score")
@click.argument("questionnaire", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A readable report, or the JSON of the questionnaire format.",
)
def score_command(questionnaire: Path, answers: Path, output_format: str) -> None:
    """Score ANSWERS (a YAML or JSON answers file, such as the export) against QUESTIONNAIRE."""
    from survey.domain import loader

    try:
        loaded = loader.load_file(questionnaire)
    except loader.QuestionnaireError as error:
        _fail(str(error))
    try:
        review = load_answers(str(answers), loaded.questionnaire)
    except AnswersError as error:
        _fail(str(error))
    result = score(loaded.questionnaire, review)
    if output_format == "json":
        click.echo(render_json(result))
    else:
        click.echo(render_text(result, loaded.questionnaire, review), nl=False)
