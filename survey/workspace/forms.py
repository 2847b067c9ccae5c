"""Forms of the workspace: start a review, set its due date, a link's expiry, confirm a button
action."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from survey.choices import SelectChoice, options
from survey.dates import bounded_date_field
from survey.disclosure import THRESHOLD_DEFAULT, THRESHOLD_MAX, THRESHOLD_MIN, Confidentiality
from survey.domain.vocabulary import STAKE_WORDS, capitalised
from survey.emails import email_address
from survey.invitations import REMIND_DAYS_CHOICES
from survey.reveal import DEFAULT_MIN_RESPONDENTS, MIN_RESPONDENT_CHOICES


def not_in_the_past(form: FlaskForm, field: DateField) -> None:
    """WTForms validator: a due date of today or later."""
    if field.data is not None and field.data < date.today():
        raise ValidationError("Choose today or a later date.")


def _due_field() -> DateField:
    return bounded_date_field(
        "Answers due by (optional)",
        not_in_the_past,
        description="Shown to respondents and in the invitation text.",
    )


THRESHOLD_CHOICES = [
    SelectChoice(n, "1 person (no threshold)" if n == 1 else f"{n} people")
    for n in range(THRESHOLD_MIN, THRESHOLD_MAX + 1)
]


class ConfidentialityForm(FlaskForm):
    """Who sees what: names to the other side, and the anonymity threshold."""

    names_to_other_side = BooleanField(
        "Show names and roles to the other side",
        description="Off: each side sees written answers of the other side without names; "
        "its own side's names it always sees.",
    )
    anonymity_threshold = SelectField(
        "Anonymity threshold",
        choices=options(THRESHOLD_CHOICES),
        coerce=int,
        default=THRESHOLD_DEFAULT,
        validate_choice=True,
        description="Until this many people on a side have submitted, the other side sees "
        "only that side's combined scores: no ranges, no one person's scores.",
    )

    def setting(self) -> Confidentiality:
        """The chosen setting (validated: the threshold is one of the choices)."""
        return Confidentiality(
            bool(self.names_to_other_side.data), int(self.anonymity_threshold.data)
        )


class NewReviewForm(ConfidentialityForm):
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
    min_respondents = SelectField(
        "Results open once each side has",
        choices=options(
            SelectChoice(n, f"{n} submitted respondent{'' if n == 1 else 's'}")
            for n in MIN_RESPONDENT_CHOICES
        ),
        coerce=int,
        default=DEFAULT_MIN_RESPONDENTS,
        validate_choice=True,
        render_kw={"required": False},
        description=(
            "The results then open to you first; the client sees them once you share them."
        ),
    )

    # Repeating a review (issue 13): the review repeated, by public id, and what to do with it.
    previous = HiddenField()
    carry_over = BooleanField("Carry over its plan items that are not done", default=True)
    close_previous = BooleanField("Close it: its links stop taking answers", default=True)


class DueDateForm(FlaskForm):
    due_on = _due_field()


def not_before_today_utc(form: FlaskForm, field: DateField) -> None:
    """WTForms validator: a link's last day is today (UTC) or later; an earlier one would
    switch the link off at once, which "Revoke link" already does more plainly."""
    if field.data is not None and field.data < datetime.now(UTC).date():
        raise ValidationError("Choose today or a later date.")


class LinkExpiryForm(FlaskForm):
    """The last day a party's shared link opens (empty: no expiry).

    One per link panel on the review page, so each is made with the party as `prefix`:
    the field ids (``client-expires_on``) stay unique on the page.
    """

    expires_on = bounded_date_field(
        "Link works until (optional)",
        not_before_today_utc,
        description="The link works through the end of this day (UTC). Leave empty for no expiry.",
    )


class ConfirmForm(FlaskForm):
    """A form with nothing but the CSRF token, behind each action button."""


#: The largest yearly value accepted (fits a BigInteger with room to sum a portfolio).
YEARLY_VALUE_MAX = 10**12


class ClientValueForm(FlaskForm):
    """A client's optional yearly value (seed 004's lifetime value), in whole units."""

    yearly_value = IntegerField(
        "Yearly value (optional)",
        validators=[
            Optional(),
            NumberRange(0, YEARLY_VALUE_MAX, "Enter a whole amount from 0 to 1,000,000,000,000."),
        ],
        description="What this client is worth to you in a year, in whole units of your "
        "currency. The portfolio sums it into the value at risk. Leave empty to clear.",
        render_kw={"inputmode": "numeric", "min": 0},
    )


class InviteeForm(FlaskForm):
    """One person to invite to a side: name, address and the part they play.

    One per side on the review page, made with the party as `prefix` so ids stay unique.
    """

    name = StringField("Name", validators=[DataRequired("Enter their name."), Length(max=200)])
    email = StringField(
        "E-mail",
        validators=[
            DataRequired("Enter their e-mail address."),
            email_address,
            Length(max=254),
        ],
        render_kw={"type": "email", "autocomplete": "off"},
    )
    stake = SelectField(
        "Role in the relationship",
        choices=options(SelectChoice(code, capitalised(w)) for code, w in STAKE_WORDS.items()),
        default="other",
        validate_choice=True,
        render_kw={"required": False},
    )


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


#: "off" or a number of days, as the schedule form offers them.
REMIND_OFF = "off"


class ReminderScheduleForm(FlaskForm):
    """Automatic reminders before the due date and on it, or none."""

    days_before = SelectField(
        "Automatic reminders",
        choices=options(
            [SelectChoice(REMIND_OFF, "Off")]
            + [
                SelectChoice(str(n), f"{_days(n)} before the due date, and on it")
                for n in REMIND_DAYS_CHOICES
            ]
        ),
        default=REMIND_OFF,
        validate_choice=True,
        render_kw={"required": False},
        description="Reminders go to invitees who have not submitted, once a day at most.",
    )

    def chosen(self) -> int | None:
        """The days before the due date, or None for off."""
        value = self.days_before.data
        return None if value in (None, REMIND_OFF) else int(value)
