"""Forms of the respondent journey.

The survey questions themselves are not WTForms fields: a page's questions come from the
pinned questionnaire and are read by :func:`survey.respond.fields.read_page`, which keeps
each kind's rules in one registry. These forms carry the CSRF token and the few fixed
inputs.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional


class StartForm(FlaskForm):
    """Optional name and role, asked on the welcome page before the first section."""

    name = StringField("Your name (optional)", validators=[Optional(), Length(max=200)])
    role = StringField("Your role (optional)", validators=[Optional(), Length(max=200)])


class PageForm(FlaskForm):
    """A survey page: the CSRF token; questions are read from the post by kind."""


class SubmitForm(FlaskForm):
    """The final submit on the review page."""
