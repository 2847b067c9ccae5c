"""The vendor's workspace: the client portfolio, reviews and their shared links."""

from survey.workspace import invitee_views  # noqa: F401  (its routes join bp)
from survey.workspace.views import bp

__all__ = ["bp"]
