"""Vendor accounts: sign up, log in and out, invite colleagues into the organisation."""

from survey.auth.views import bp

__all__ = ["bp"]
