"""`survey worker`: deliver queued mail in the background, until stopped."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from survey.mail.transport import mail_folder
from survey.tasks import run_worker


@click.command("worker")
@click.option("--workers", default=1, show_default=True, help="Threads taking tasks.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Deliver queued mail (and run the schedule) until stopped with Ctrl-C."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("SURVEY_MAIL_URL"):
        click.echo("Mail worker: sending through SURVEY_MAIL_URL.")
    else:
        click.echo(
            f"Mail worker: no SURVEY_MAIL_URL, so mails are written to {mail_folder(app.config)}/"
        )
    run_worker(app, workers)
