"""The vendor's workspace: the client portfolio, reviews and their shared links."""

from survey.workspace.views import bp

__all__ = ["bp"]
