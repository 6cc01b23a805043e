"""Fresh, migrated databases: a temp-file SQLite, and a throwaway PostgreSQL database.

PostgreSQL tests skip when the server is unreachable, except under CI=true, where a
missing server must fail the run rather than silently shrink it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from db.engine import get_engine
from db.migrate import upgrade
from tests.sqlite_copy import copy_sqlite

PG_ADMIN_URL = os.environ.get(
    "BATON_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


# (fixture prefix, test id) of each supported database.
DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("pg", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'baton.db'}"


@pytest.fixture(scope="session")
def _sqlite_migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once per session; each test gets a copy (as on PostgreSQL)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "migrated.db"
    engine = get_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def sqlite_engine(sqlite_url: str, _sqlite_migrated_template: Path) -> Iterator[Engine]:
    copy_sqlite(_sqlite_migrated_template, Path(make_url(sqlite_url).database or ""))
    engine = get_engine(sqlite_url)
    upgrade(engine)  # at head already: exercises the fast path
    yield engine
    engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    with _pg_database() as url:
        yield url


@pytest.fixture(scope="session")
def _pg_migrated_template() -> Iterator[str]:
    """A database migrated once per session; each test gets a copy (faster than migrating)."""
    with _pg_database() as url:
        upgrade(url)
        get_engine(url).dispose()  # CREATE DATABASE ... TEMPLATE needs it idle
        yield make_url(url).database or ""


@pytest.fixture
def pg_engine(_pg_migrated_template: str) -> Iterator[Engine]:
    with _pg_database(template=_pg_migrated_template) as url:
        engine = get_engine(url)
        upgrade(engine)  # at head already: exercises the fast path
        yield engine


@pytest.fixture(params=DATABASES)
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each repository test runs on both supported databases."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture(params=DATABASES)
def empty_url(request: pytest.FixtureRequest) -> str:
    """A database URL with no tables yet, on each supported database."""
    return request.getfixturevalue(f"{request.param}_url")


@contextmanager
def _pg_database(template: str | None = None) -> Iterator[str]:
    """A uniquely named database (empty, or a copy of `template`), dropped on exit."""
    admin = _pg_admin_engine()
    name = f"baton_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@lru_cache(maxsize=1)
def _pg_admin_engine_or_reason() -> Engine | str:
    engine = create_engine(
        PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means "no server" here
        engine.dispose()
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return engine


def _pg_admin_engine() -> Engine:
    result = _pg_admin_engine_or_reason()
    if isinstance(result, Engine):
        return result
    url = make_url(PG_ADMIN_URL)
    message = f"PostgreSQL not reachable at {url.host}:{url.port or 5432}: {result}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
