"""Operator commands: reset a password, export an organisation, delete a review or a client.

Deleting asks before it deletes (``--yes`` skips the question, for scripts); nothing is
undone afterwards except by restoring a backup (see the README's "Backup and restore").
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from survey.auth.forms import MIN_PASSWORD
from survey.auth.operations import find_user_by_email, set_password
from survey.extensions import db
from survey.models import Client, Organisation, Review
from survey.results.exports import export_organisation
from survey.workspace.operations import delete_client, delete_review


def _check_password(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value is not None and len(value) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters")
    return value


@click.command("reset-password")
@click.argument("email")
@click.option(
    "--password",
    prompt="New password",
    hide_input=True,
    confirmation_prompt=True,
    callback=_check_password,
    help=f"At least {MIN_PASSWORD} characters; asked for (hidden) when not given.",
)
@with_appcontext
def reset_password_command(email: str, password: str) -> None:
    """Set a user's password; every session of that user ends."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email {email}.")
    set_password(user, password)
    click.echo(f"New password set for {user.email}; their other sessions have ended.")


def _organisation(name_or_id: str) -> Organisation:
    """The organisation with this public id, else the one organisation of this name."""
    by_id: Organisation | None = db.session.scalar(
        sa.select(Organisation).where(Organisation.public_id == name_or_id)
    )
    if by_id is not None:
        return by_id
    named = db.session.scalars(sa.select(Organisation).where(Organisation.name == name_or_id))
    matches = list(named)
    if len(matches) != 1:
        problem = "No organisation" if not matches else f"{len(matches)} organisations"
        raise click.ClickException(f"{problem} named {name_or_id!r}; give its public id.")
    return matches[0]


#: Public ids may start with "-" (URL-safe base64): read such a word as the id, not an option.
ID_ARGUMENT = {"ignore_unknown_options": True}


@click.command("export-org", context_settings=ID_ARGUMENT)
@click.argument("organisation")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the zip archive (default: <organisation id>-export.zip).",
)
@with_appcontext
def export_org_command(organisation: str, output: Path | None) -> None:
    """Write every review of an organisation (answers file and plan, as JSON) into one zip."""
    found = _organisation(organisation)
    target = output or Path(f"{found.public_id}-export.zip")
    target.write_bytes(export_organisation(found))
    count = db.session.scalar(
        sa.select(sa.func.count(Review.id)).where(Review.organisation_id == found.id)
    )
    click.echo(f"Wrote {count} reviews of {found.name} to {target}.")


def _find(model: type[Review] | type[Client], public_id: str) -> Review | Client:
    row = cast(
        "Review | Client | None",
        db.session.scalar(sa.select(model).where(model.public_id == public_id)),
    )
    if row is None:
        raise click.ClickException(f"No {model.__tablename__} has the id {public_id}.")
    return row


@click.command("delete-review", context_settings=ID_ARGUMENT)
@click.argument("public_id")
@click.option("--yes", is_flag=True, help="Do not ask before deleting.")
@with_appcontext
def delete_review_command(public_id: str, yes: bool) -> None:
    """Delete a review with its respondents, answers, links and plan (asks first)."""
    review = _find(Review, public_id)
    assert isinstance(review, Review)
    people = len(review.respondents)
    question = (
        f"Delete the review of {review.client_name} ({review.questionnaire_id}, "
        f"{people} respondents) for good?"
    )
    if not yes:
        click.confirm(question, abort=True)
    delete_review(review)
    click.echo(f"Deleted review {public_id}.")


@click.command("delete-client", context_settings=ID_ARGUMENT)
@click.argument("public_id")
@click.option("--yes", is_flag=True, help="Do not ask before deleting.")
@with_appcontext
def delete_client_command(public_id: str, yes: bool) -> None:
    """Delete a client with all its reviews (asks first)."""
    client = _find(Client, public_id)
    assert isinstance(client, Client)
    question = f"Delete the client {client.name} and its {len(client.reviews)} reviews for good?"
    if not yes:
        click.confirm(question, abort=True)
    name = client.name
    count = delete_client(client)
    click.echo(f"Deleted client {name} and {count} reviews.")
