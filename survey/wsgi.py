"""The WSGI entry point of an installed app, from any working directory.

``gunicorn -c python:survey.gunicorn_conf survey.wsgi:app`` (the checkout's top-level
``wsgi.py`` imports this one).
"""

from __future__ import annotations

from survey import create_app

app = create_app()
