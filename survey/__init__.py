"""Rapport: a guided, two-sided review of a business relationship.

Importing the package is kept light: the pure domain (``survey.domain``) and the
questionnaire commands live under it and need none of the web stack. The web app's
table of contents is :func:`survey.app.create_app`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the web app (see :func:`survey.app.create_app`); gunicorn may name this one."""
    from survey.app import create_app as build

    return build(config)
