"""`survey create-user`: make a vendor account from the command line (e.g. the first one)."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from survey.auth.forms import MIN_PASSWORD
from survey.auth.operations import AccountError, add_user, create_account
from survey.extensions import db
from survey.models import Organisation


def _check_password(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value is not None and len(value) < MIN_PASSWORD:
        raise click.BadParameter(f"use at least {MIN_PASSWORD} characters")
    return value


@click.command("create-user")
@click.option("--email", required=True, help="Login email of the new user.")
@click.option("--name", required=True, help="The user's name, as colleagues see it.")
@click.option(
    "--organisation",
    required=True,
    help="Vendor organisation; joined if exactly one of this name exists, else created.",
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    callback=_check_password,
    help=f"At least {MIN_PASSWORD} characters; asked for when not given.",
)
@click.option(
    "--admin",
    is_flag=True,
    help="Joining an existing organisation as an admin, not a member (a new one's first "
    "user is always its admin).",
)
@with_appcontext
def create_user_command(
    email: str, name: str, organisation: str, password: str, admin: bool
) -> None:
    """Create a vendor user (and its organisation when new)."""
    matches = list(
        db.session.scalars(sa.select(Organisation).where(Organisation.name == organisation))
    )
    try:
        if len(matches) == 1:
            user = add_user(matches[0], name, email, password, "admin" if admin else "member")
            where = "existing"
        else:
            user = create_account(organisation, name, email, password)
            where = "new"
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Created {user.email} ({user.role}) in the {where} organisation {user.organisation.name}."
    )
