"""Configuration read from the environment through small strict parsers.

A malformed value, or a missing secret in production, stops start-up with a message
that names the variable: better a loud failure at deploy time than a quiet wrong setting.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from survey.resources import default_instance_dir, resource_dir

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
    secret = env.get("SURVEY_SECRET_KEY")  # development: None, then development_key()
    if not secret and production:
        raise ConfigError("SURVEY_SECRET_KEY must be set when SURVEY_ENV=production")
    storage = env.get("SURVEY_RATELIMIT_STORAGE")
    if not storage and production:
        raise ConfigError(
            "SURVEY_RATELIMIT_STORAGE must be set when SURVEY_ENV=production: redis://… "
            "counts across workers (memory:// counts in each worker on its own)"
        )
    https = env_bool(env, "SURVEY_HTTPS", production)
    instance = Path(env.get("SURVEY_INSTANCE", default_instance_dir()))
    implicit_database = f"sqlite:///{instance / 'survey.db'}"
    database = env.get("SURVEY_DATABASE_URL") or implicit_database
    return {
        "SURVEY_PRODUCTION": production,
        "SURVEY_IMPLICIT_DATABASE": implicit_database,
        "SURVEY_PROXY_HOPS": env_proxy_hops(env),
        "SURVEY_BASE_URL": env_base_url(env),
        "SECRET_KEY": secret or None,
        "SQLALCHEMY_DATABASE_URI": database,
        "SURVEY_QUESTIONNAIRES": Path(
            env.get("SURVEY_QUESTIONNAIRES", resource_dir("questionnaires"))
        ),
        "SURVEY_INSTANCE": instance,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=env_int(env, "SURVEY_SESSION_DAYS", 14)),
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "MAX_CONTENT_LENGTH": env_int(env, "SURVEY_MAX_POST_BYTES", 512 * 1024),
        "RATELIMIT_STORAGE_URI": storage or "memory://",
        "RATELIMIT_ENABLED": env_bool(env, "SURVEY_RATELIMIT", True),
        "WTF_CSRF_TIME_LIMIT": env_int(env, "SURVEY_CSRF_SECONDS", 3600 * 8),
        "SURVEY_SIGNUP": env_bool(env, "SURVEY_SIGNUP", True),
        "SURVEY_PDF_TIMEOUT": env_int(env, "SURVEY_PDF_TIMEOUT", 60),
        **operations_config(env),
        **mail_config(env),
    }


def env_proxy_hops(env: Mapping[str, str]) -> int:
    """SURVEY_PROXY_HOPS: how many reverse proxies in front of the app set X-Forwarded-*."""
    hops = env_int(env, "SURVEY_PROXY_HOPS", 0)
    if hops < 0:
        raise ConfigError(f"SURVEY_PROXY_HOPS={hops} must be 0 or more")
    return hops


def env_base_url(env: Mapping[str, str]) -> str | None:
    """SURVEY_BASE_URL: the scheme and host every link the app prints or sends starts with.

    >>> env_base_url({"SURVEY_BASE_URL": "https://rapport.example/"})
    'https://rapport.example'
    """
    raw = env.get("SURVEY_BASE_URL", "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"SURVEY_BASE_URL={raw!r} must look like https://rapport.example")
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
        raise ConfigError(f"SURVEY_BASE_URL={raw!r} must be a scheme and host only, no path")
    return f"{parts.scheme}://{parts.netloc}"


def check_start_up(config: Mapping[str, Any]) -> list[str]:
    """Refuse settings production must not run with; return warnings for the log.

    Checked on the final settings (environment plus any given to ``create_app``), so that
    only the *implicit* SQLite file is refused, never a database named on purpose.
    """
    if not config.get("SURVEY_PRODUCTION"):
        return []
    if config["SQLALCHEMY_DATABASE_URI"] == config.get("SURVEY_IMPLICIT_DATABASE"):
        raise ConfigError(
            "SURVEY_DATABASE_URL must be set when SURVEY_ENV=production (for example "
            "postgresql+psycopg://user:password@host/rapport); the SQLite file in the "
            "instance folder is for development only"
        )
    warnings = []
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        warnings.append(
            "SURVEY_RATELIMIT_STORAGE is memory://: each worker counts rate limits on its "
            "own, so several workers let several times the limit through; use redis://"
        )
    return warnings


MAIL_SCHEMES = ("smtp", "smtps")
QUEUE_SCHEMES = ("redis", "rediss", "sqlite", "memory")


def mail_config(env: Mapping[str, str]) -> dict[str, Any]:
    """Mail and background-work settings.

    - `SURVEY_MAIL_URL`: ``smtp://user:pass@host:587`` (STARTTLS, required) or
      ``smtps://user:pass@host:465`` (TLS from the first byte). Without it, mails are
      written as ``.eml`` files under the instance folder's ``mail/`` (development).
    - `SURVEY_MAIL_FROM`: the sender address; required with a mail URL.
    - `SURVEY_MAIL_CA_FILE`: a CA bundle to trust for a private relay (optional).
    - `SURVEY_QUEUE_URL`: where the worker's queue lives: ``redis://…`` in production,
      ``sqlite:///path`` (the default, ``queue.db`` in the instance folder) or ``memory://``.
    """
    url = env.get("SURVEY_MAIL_URL", "").strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme not in MAIL_SCHEMES or not parts.hostname:
            raise ConfigError(
                "SURVEY_MAIL_URL must look like smtp://user:password@host:587 (STARTTLS) "
                "or smtps://user:password@host:465"
            )
    sender = env.get("SURVEY_MAIL_FROM", "").strip()
    if url and "@" not in sender:
        raise ConfigError("SURVEY_MAIL_FROM must be set to an address when SURVEY_MAIL_URL is")
    queue = env.get("SURVEY_QUEUE_URL", "").strip()
    if queue and urlsplit(queue).scheme not in QUEUE_SCHEMES:
        raise ConfigError(
            f"SURVEY_QUEUE_URL={queue!r} must start with redis://, sqlite:/// or memory://"
        )
    return {
        "SURVEY_MAIL_URL": url or None,
        "SURVEY_MAIL_FROM": sender or "Rapport <rapport@localhost>",
        "SURVEY_MAIL_CA_FILE": env.get("SURVEY_MAIL_CA_FILE") or None,
        "SURVEY_MAIL_FOLDER": None,  # None: mail/ in the instance folder
        "SURVEY_QUEUE_URL": queue or None,  # None: queue.db in the instance folder
    }


LOG_FORMATS = ("text", "json")
#: Seconds to wait for Redis before the rate limits fall back to in-memory counting.
REDIS_TIMEOUT = 2


def operations_config(env: Mapping[str, str]) -> dict[str, Any]:
    """Settings for faults and logs: pooled connections checked, no query values logged.

    Rate limiting falls back to in-memory counts (with a warning in the log) when Redis
    is unreachable, so a Redis outage never turns a page into a 500.
    """
    log_format = env.get("SURVEY_LOG_FORMAT", "text").strip().lower()
    if log_format not in LOG_FORMATS:
        raise ConfigError(f"SURVEY_LOG_FORMAT={log_format!r} is not one of: text, json")
    settings: dict[str, Any] = {
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "SURVEY_LOG_FORMAT": log_format,
    }
    if env.get("SURVEY_RATELIMIT_STORAGE", "").startswith(("redis://", "rediss://")):
        timeouts = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
        settings["RATELIMIT_STORAGE_OPTIONS"] = timeouts
    return settings


DEVELOPMENT_KEY_FILE = "secret_key"


def development_key(instance: Path) -> str:
    """The development secret: made at random once, then kept in the instance folder.

    No key is written in the source, so nobody can sign a session or derive a shared link
    of a development server from reading the code. The file is made atomically (a hard
    link, which fails if another process made it first), readable by its owner only.
    """
    path = instance / DEVELOPMENT_KEY_FILE
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        draft = instance / f".{DEVELOPMENT_KEY_FILE}.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(48))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
