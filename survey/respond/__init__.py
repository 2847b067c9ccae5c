"""The respondent journey: from a shared link to a submitted response, losing nothing."""

from survey.respond.views import bp

__all__ = ["bp"]
