"""Configuration read from the environment through small strict parsers.

A malformed value, or a missing secret in production, stops start-up with a message
that names the variable: better a loud failure at deploy time than a quiet wrong setting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """A setting in the environment is missing or malformed."""


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    """Read a yes/no variable; anything but the usual words is an error."""
    raw = env.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value (use 1 or 0)")


def env_int(env: Mapping[str, str], name: str, default: int) -> int:
    """Read a whole-number variable."""
    raw = env.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None


def load_config(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask settings from `SURVEY_*` variables."""
    env = os.environ if env is None else env
    production = env.get("SURVEY_ENV", "development") == "production"
    secret = env.get("SURVEY_SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("SURVEY_SECRET_KEY must be set when SURVEY_ENV=production")
        secret = "dev-only-not-secret"
    https = env_bool(env, "SURVEY_HTTPS", production)
    instance = Path(env.get("SURVEY_INSTANCE", PROJECT_ROOT / "instance"))
    database = env.get("SURVEY_DATABASE_URL") or f"sqlite:///{instance / 'survey.db'}"
    return {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database,
        "SURVEY_QUESTIONNAIRES": Path(
            env.get("SURVEY_QUESTIONNAIRES", PROJECT_ROOT / "questionnaires")
        ),
        "SURVEY_INSTANCE": instance,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "MAX_CONTENT_LENGTH": env_int(env, "SURVEY_MAX_POST_BYTES", 512 * 1024),
        "RATELIMIT_STORAGE_URI": env.get("SURVEY_RATELIMIT_STORAGE", "memory://"),
        "RATELIMIT_ENABLED": env_bool(env, "SURVEY_RATELIMIT", True),
        "WTF_CSRF_TIME_LIMIT": env_int(env, "SURVEY_CSRF_SECONDS", 3600 * 8),
        "SURVEY_SIGNUP": env_bool(env, "SURVEY_SIGNUP", True),
        "SURVEY_PDF_TIMEOUT": env_int(env, "SURVEY_PDF_TIMEOUT", 60),
    }
