"""Where the app finds the folders it reads at run time, installed or in a checkout.

A wheel carries ``templates/``, ``static/``, ``migrations/`` and ``questionnaires/`` inside
the package as ``survey/bundled/<folder>`` (pyproject.toml maps them there); a checkout, or an
editable install of it, keeps them at the top level of the repository.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLED_DIR = PACKAGE_DIR / "bundled"
CHECKOUT_DIR = PACKAGE_DIR.parent
#: The folders a wheel must carry for the app to run.
RESOURCE_FOLDERS = ("templates", "static", "migrations", "questionnaires")


def is_installed_wheel() -> bool:
    """Whether this package came from a wheel (its folders are bundled inside it)."""
    return BUNDLED_DIR.is_dir()


def resource_dir(name: str) -> Path:
    """One of :data:`RESOURCE_FOLDERS`: bundled in the wheel, else at the checkout's top."""
    return (BUNDLED_DIR if is_installed_wheel() else CHECKOUT_DIR) / name


def default_instance_dir() -> Path:
    """The instance folder when SURVEY_INSTANCE is not set.

    A checkout keeps it beside the code (``instance/``); an installed wheel uses Flask's
    own rule for installed packages, ``<prefix>/var/survey-instance``, never site-packages.
    """
    if is_installed_wheel():
        return Path(sys.prefix) / "var" / "survey-instance"
    return CHECKOUT_DIR / "instance"
