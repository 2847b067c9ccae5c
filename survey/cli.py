"""The `survey` command: Flask's click group plus the project's own commands.

The questionnaire commands (`check`, `score`) work without a database or a valid
questionnaire folder: they are added to the group directly, so Flask does not build the
app to find them.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from survey import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Rapport: a guided, two-sided review of a business relationship."""


def _register_commands() -> None:
    """Attach each feature's commands (one import per feature module)."""
    # Each feature adds its own line here.
    from survey.commands.check import check_command

    main.add_command(check_command)
    from survey.commands.score import score_command

    main.add_command(score_command)
    from survey.commands.accounts import create_user_command

    main.add_command(create_user_command)
    from survey.commands.demo import demo_command

    main.add_command(demo_command)
    from survey.commands import operator

    for command in (
        operator.reset_password_command,
        operator.export_org_command,
        operator.delete_review_command,
        operator.delete_client_command,
    ):
        main.add_command(command)


_register_commands()
