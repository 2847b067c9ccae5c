"""Forms of the workspace: start a review, set its due date, confirm a button action."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError


def not_in_the_past(form: FlaskForm, field: DateField) -> None:
    """WTForms validator: a due date of today or later."""
    if field.data is not None and field.data < date.today():
        raise ValidationError("Choose today or a later date.")


def _due_field() -> DateField:
    return DateField(
        "Answers due by (optional)",
        validators=[Optional(), not_in_the_past],
        description="Shown to respondents and in the invitation text.",
    )


class NewReviewForm(FlaskForm):
    questionnaire = SelectField(
        "Questionnaire",
        validators=[DataRequired("Choose a questionnaire.")],
        validate_choice=True,
        # A select always has an option chosen; HTML forbids `required` without an
        # empty placeholder option, so the server-side check is the one that counts.
        render_kw={"required": False},
    )
    client_name = StringField(
        "Client",
        validators=[DataRequired("Enter the client's name."), Length(max=200)],
        description="An existing client of yours, or a new one. Questions use this name.",
        render_kw={"list": "known-clients", "autocomplete": "off"},
    )
    due_on = _due_field()


class DueDateForm(FlaskForm):
    due_on = _due_field()


class ConfirmForm(FlaskForm):
    """A form with nothing but the CSRF token, behind each action button."""
