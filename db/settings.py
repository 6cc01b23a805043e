"""Where the database lives: one `Settings` object read from the environment."""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'baton.db'}"

# The driver is pinned so `postgresql://` never silently falls back to psycopg2.
_SCHEME_REWRITES = {
    "sqlite": "sqlite",
    "postgresql+psycopg": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
}


class UnsupportedDatabaseURLError(ValueError):
    """DATABASE_URL names a database Baton does not support."""


def normalise_database_url(url: str) -> str:
    """`url` with its scheme mapped to a supported driver, or a loud error."""
    scheme, sep, rest = url.strip().partition("://")
    if not sep or scheme.lower() not in _SCHEME_REWRITES:
        raise UnsupportedDatabaseURLError(
            f"DATABASE_URL scheme {scheme!r} is not supported. Use sqlite:///path/to/baton.db "
            "or postgresql+psycopg://user:password@host:5432/dbname "
            "(postgresql:// and postgres:// are accepted too)."
        )
    return f"{_SCHEME_REWRITES[scheme.lower()]}://{rest}"


class Settings(BaseSettings):
    """Environment-driven settings; the default is a local SQLite file under data/."""

    # hide_input_in_errors: a bad URL must not print its password into logs.
    model_config = SettingsConfigDict(extra="ignore", hide_input_in_errors=True)

    database_url: str = DEFAULT_DATABASE_URL

    @field_validator("database_url")
    @classmethod
    def _supported_scheme(cls, value: str) -> str:
        return normalise_database_url(value)


def get_settings() -> Settings:
    """Fresh settings (cheap), so a changed environment is seen by the next call."""
    return Settings()
