"""Forms of the results pages: the plan's items, comments, proposals, the next review date."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from survey.choices import SelectChoice, options
from survey.dates import bounded_date_field
from survey.domain.vocabulary import OWNER_WORDS, PLAN_STATUS_WORDS, capitalised
from survey.models import ACTION_OWNERS, ACTION_STATUSES, AUTHOR_NAME_MAX, ActionItem

OWNER_CHOICES = [SelectChoice(o, capitalised(OWNER_WORDS[o])) for o in ACTION_OWNERS]
STATUS_CHOICES = [SelectChoice(s, capitalised(PLAN_STATUS_WORDS[s])) for s in ACTION_STATUSES]
TITLE_MAX = 300
TEXT_MAX = 2000


def _title() -> StringField:
    return StringField(
        "Action",
        validators=[DataRequired("Say what is to be done."), Length(max=TITLE_MAX)],
    )


def _detail() -> TextAreaField:
    return TextAreaField("Detail (optional)", validators=[Optional(), Length(max=TEXT_MAX)])


class ActionForm(FlaskForm):
    """Add an action, edit one, or adjust a suggestion while accepting it."""

    title = _title()
    detail = _detail()
    owner = SelectField("Owner", choices=options(OWNER_CHOICES), default="joint")
    due_on = bounded_date_field("Due by (optional)")
    status = SelectField("Status", choices=options(STATUS_CHOICES), default="planned")

    def fields_dict(self) -> dict[str, object]:
        """The values the plan operations take."""
        return {
            "title": self.title.data,
            "detail": self.detail.data,
            "owner": self.owner.data,
            "due_on": self.due_on.data,
            "status": self.status.data,
        }


def _author_name() -> StringField:
    return StringField(
        "Your name (optional)",
        validators=[Optional(), Length(max=AUTHOR_NAME_MAX)],
        description="Shown with what you write. Left empty, it says someone at your organisation.",
        render_kw={"autocomplete": "name"},
    )


class ProposeForm(FlaskForm):
    """The client proposes a new action through its link."""

    title = _title()
    detail = _detail()
    author_name = _author_name()


class CommentForm(FlaskForm):
    text = TextAreaField(
        "Comment",
        validators=[DataRequired("Write a comment first."), Length(max=TEXT_MAX)],
    )


class LinkCommentForm(CommentForm):
    """A comment through the client's link, signed with the name the person gives."""

    author_name = _author_name()


def link_comment_form(item_public_id: str, author_name: str | None = None) -> LinkCommentForm:
    """The client's comment form of one plan item (prefixed as :func:`comment_form`)."""
    form = LinkCommentForm(prefix=f"c-{item_public_id}-")
    if not form.is_submitted() and author_name:
        form.author_name.data = author_name
    return form


def comment_form(item_public_id: str) -> CommentForm:
    """The comment form of one plan item; its box is always named ``c-<item id>-text``.

    The prefix ends in "-" itself: WTForms adds a separator only when the prefix does not
    already end in one, and a random public id may end in "-" or "_".
    """
    return CommentForm(prefix=f"c-{item_public_id}-")


class ResponseForm(FlaskForm):
    """The vendor's response to a client proposal; empty removes it."""

    response = TextAreaField(
        "Our response",
        validators=[Optional(), Length(max=TEXT_MAX)],
    )


def response_form(item: ActionItem, formdata: Any = None) -> ResponseForm:
    """The response form of one client proposal, its box named ``r-<item id>-response``."""
    form = ResponseForm(prefix=f"r-{item.public_id}-", formdata=formdata)
    if formdata is None:
        form.response.data = item.vendor_response
    return form


class NextReviewForm(FlaskForm):
    next_review_on = bounded_date_field("Next relationship review")


class ConfirmForm(FlaskForm):
    """Only the CSRF token, behind the share and stop-sharing buttons."""
