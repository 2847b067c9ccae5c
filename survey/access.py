"""Lookups with the access check built in, shared by the vendor-side blueprints."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from survey.extensions import db
from survey.models import Review


def review_in_my_organisation(public_id: str) -> Review:
    """The review with this public id in the user's organisation; another's is a 404.

    A 404 rather than a 403, so that a vendor cannot even learn that another
    organisation's review exists.
    """
    review: Review | None = db.session.scalar(
        sa.select(Review).where(
            Review.public_id == public_id,
            Review.organisation_id == current_user.organisation_id,
        )
    )
    if review is None:
        abort(404)
    return review
