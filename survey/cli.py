"""The `survey` command: Flask's click group plus the project's own commands.

Each command is named below with its one line of help, and imported only when it runs.
So `survey --help` lists the commands without building the app or importing the database
layer, and `survey check` and `survey score` import only the pure domain: they work
without a database or a valid questionnaire folder.
"""

from __future__ import annotations

import importlib

import click
from flask import Flask
from flask.cli import FlaskGroup

#: name: (where the command lives, its line in `survey --help`). A test checks each line
#: against the command's own help, so the list cannot drift from the commands.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "survey.commands.check:check_command",
        "Check questionnaire files (or the files in a folder); print FILE:LINE:COL: message.",
    ),
    "score": (
        "survey.commands.score:score_command",
        "Score ANSWERS (a YAML or JSON answers file, such as the export) against QUESTIONNAIRE.",
    ),
    "create-user": (
        "survey.commands.accounts:create_user_command",
        "Create a vendor user (and its organisation when new).",
    ),
    "demo": (
        "survey.commands.demo:demo_command",
        "Create (once) a demo account and a fully answered review; print how to open them.",
    ),
    "reset-password": (
        "survey.commands.operator:reset_password_command",
        "Set a user's password; every session of that user ends.",
    ),
    "export-org": (
        "survey.commands.operator:export_org_command",
        "Write every review of an organisation (answers file and plan, as JSON) into one zip.",
    ),
    "delete-review": (
        "survey.commands.operator:delete_review_command",
        "Delete a review with its respondents, answers, links and plan (asks first).",
    ),
    "delete-client": (
        "survey.commands.operator:delete_client_command",
        "Delete a client with all its reviews (asks first).",
    ),
    "worker": (
        "survey.commands.worker:worker_command",
        "Deliver queued mail (and run the schedule) until stopped with Ctrl-C.",
    ),
    "db": ("flask_migrate.cli:db", "Perform database migrations."),
}


def _create_app() -> Flask:
    from survey import create_app

    return create_app()


def command_at(where: str) -> click.Command:
    """The command object at ``module:attribute``, imported now."""
    module, attribute = where.split(":")
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    return command


class RapportGroup(FlaskGroup):
    """Flask's group, with the project's commands imported only when they run.

    Flask's own group builds the app to list its commands; every command of this project
    (Flask-Migrate's ``db`` included) is named in :data:`COMMANDS`, so listing needs no app.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*click.Group.list_commands(self, ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            return command_at(COMMANDS[cmd_name][0])
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their lines, as click writes them, from :data:`COMMANDS`."""
        listed: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            if name in COMMANDS:  # a stand-in carrying the line, so nothing is imported
                listed.append((name, click.Command(name, help=COMMANDS[name][1])))
                continue
            command = click.Group.get_command(self, ctx, name)  # Flask's own: run, shell…
            if command is not None and not command.hidden:
                listed.append((name, command))
        limit = formatter.width - 6 - max(len(name) for name, _ in listed)
        with formatter.section("Commands"):
            formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in listed])


@click.group(cls=RapportGroup, create_app=_create_app)
def main() -> None:
    """Rapport: a guided, two-sided review of a business relationship."""
