from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, text

from db.engine import get_engine
from db.settings import PROJECT_ROOT, Settings, UnsupportedDatabaseURLError, get_settings


def test_the_default_database_is_the_sqlite_file_under_data_whatever_the_cwd(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)

    url = get_settings().database_url

    assert url == f"sqlite:///{PROJECT_ROOT / 'data' / 'baton.db'}"
    assert Path(url.removeprefix("sqlite:///")).is_absolute()


@pytest.mark.parametrize(
    "given",
    ["postgresql://u:p@db:5432/baton", "postgres://u:p@db:5432/baton"],
)
def test_postgres_urls_are_pinned_to_the_psycopg_driver(
    monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", given)

    assert get_settings().database_url == "postgresql+psycopg://u:p@db:5432/baton"


def test_an_unsupported_database_fails_loudly_without_echoing_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://admin:hunter2@db/baton")

    with pytest.raises(ValidationError) as raised:
        get_settings()

    message = str(raised.value)
    assert "'mysql' is not supported" in message and "postgresql+psycopg://" in message
    assert "hunter2" not in message


def test_get_engine_refuses_an_unsupported_url_directly() -> None:
    with pytest.raises(UnsupportedDatabaseURLError):
        get_engine("oracle://x@y/z")


def test_a_sqlite_engine_creates_its_folder_and_runs_in_wal_mode_with_foreign_keys(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'baton.db'}"

    engine = get_engine(url)
    with engine.connect() as connection:
        pragmas = [
            connection.scalar(text(f"PRAGMA {name}"))
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        ]

    assert (tmp_path / "nested" / "dir").is_dir()
    assert pragmas[0] == "wal" and pragmas[1] == 1 and pragmas[2] > 0
    assert get_engine(url) is engine
    engine.dispose()


def test_settings_read_database_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")

    assert Settings().database_url.endswith("x.db")
    assert isinstance(get_engine(), Engine)
    assert str(get_engine().url).endswith("x.db")
