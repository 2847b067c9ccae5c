"""Forms for accounts: sign-up, log-in, invitation and its acceptance, the team, the account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from survey.choices import SelectChoice, options
from survey.domain.vocabulary import ROLE_WORDS
from survey.emails import email_address
from survey.models import ROLES

MIN_PASSWORD = 10


def _email_field(label: str = "Email") -> EmailField:
    return EmailField(
        label,
        validators=[DataRequired("Enter your email address."), Length(max=254), email_address],
        render_kw={"autocomplete": "email"},
    )


def _new_password_fields(label: str = "Password") -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        label,
        validators=[
            DataRequired("Choose a password."),
            Length(min=MIN_PASSWORD, max=200, message=f"Use at least {MIN_PASSWORD} characters."),
        ],
        description=f"At least {MIN_PASSWORD} characters.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[
            DataRequired("Repeat the password."),
            EqualTo("password", "The two passwords are not the same."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )


class SignupForm(FlaskForm):
    organisation = StringField(
        "Your organisation",
        validators=[DataRequired("Enter your organisation's name."), Length(max=200)],
        description="The vendor's name as clients know it; questions use it.",
        render_kw={"autocomplete": "organization"},
    )
    name = StringField(
        "Your name",
        validators=[DataRequired("Enter your name."), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field()
    password, confirm = _new_password_fields()


class InviteForm(FlaskForm):
    email = _email_field("Colleague's email")


class AcceptInvitationForm(FlaskForm):
    name = StringField(
        "Your name",
        validators=[DataRequired("Enter your name."), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    password, confirm = _new_password_fields()


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = _new_password_fields("New password")


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields("New password")


class EndSessionsForm(FlaskForm):
    """Only the CSRF token, behind "Log out on every device"."""


class NameForm(FlaskForm):
    """The user's own name, on the Account page."""

    name = StringField(
        "Your name",
        validators=[DataRequired("Enter your name."), Length(max=200)],
        description="Colleagues see it on the Team page and beside what you do in reviews.",
        render_kw={"autocomplete": "name"},
    )


class RoleForm(FlaskForm):
    """The role a team button gives a colleague ("Make admin", "Make member")."""

    role = RadioField(
        "Role",
        choices=options(SelectChoice(role, ROLE_WORDS[role]) for role in ROLES),
        validators=[DataRequired("Choose a role.")],
    )


class TeamActionForm(FlaskForm):
    """Only the CSRF token, behind "Withdraw" and "Remove" on the Team page."""
