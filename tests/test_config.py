"""Configuration fails loudly: malformed values and a missing production secret stop start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.config import ConfigError, load_config


def test_defaults_use_sqlite_in_instance_and_the_questionnaires_folder() -> None:
    config = load_config({})
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["SQLALCHEMY_DATABASE_URI"].endswith("instance/survey.db")
    assert Path(config["SURVEY_QUESTIONNAIRES"]).name == "questionnaires"
    assert config["SESSION_COOKIE_SECURE"] is False


def test_environment_overrides_database_and_questionnaires() -> None:
    config = load_config(
        {"SURVEY_DATABASE_URL": "postgresql+psycopg://x@h/db", "SURVEY_QUESTIONNAIRES": "/q"}
    )
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://x@h/db"
    assert str(config["SURVEY_QUESTIONNAIRES"]) == "/q"


def test_production_without_secret_stops_start_up() -> None:
    with pytest.raises(ConfigError, match="SURVEY_SECRET_KEY must be set"):
        load_config({"SURVEY_ENV": "production"})


def test_production_is_https_by_default() -> None:
    config = load_config(
        {
            "SURVEY_ENV": "production",
            "SURVEY_SECRET_KEY": "s" * 40,
            "SURVEY_RATELIMIT_STORAGE": "redis://localhost:6379",  # required in production
        }
    )
    assert config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SURVEY_HTTPS", "maybe", "SURVEY_HTTPS='maybe' is not a yes/no value"),
        ("SURVEY_PDF_TIMEOUT", "soon", "SURVEY_PDF_TIMEOUT='soon' is not a whole number"),
        ("SURVEY_SIGNUP", "2", "SURVEY_SIGNUP='2' is not a yes/no value"),
    ],
)
def test_malformed_values_are_named(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config({name: value})
