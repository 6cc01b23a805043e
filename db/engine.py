"""Engines (one per URL, shared by the process) and a transactional session helper."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from db.settings import get_settings, normalise_database_url

SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_CACHE_KIB = 64 * 1024


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: DATABASE_URL or the local SQLite file)."""
    resolved = normalise_database_url(url) if url else get_settings().database_url
    return _engine_for(resolved)


@lru_cache(maxsize=16)
def _engine_for(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    return create_engine(url, pool_pre_ping=True, json_serializer=json_dumps)


def _sqlite_engine(url: str, database: str | None) -> Engine:
    in_memory = database is None or database in ("", ":memory:") or "mode=memory" in url
    if database and not in_memory:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, json_serializer=json_dumps)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets Streamlit sessions read while an import writes; the busy timeout makes
        # a second writer wait instead of failing with "database is locked".
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            # Safe with WAL (a crash can lose the last commits, never corrupt the file)
            # and much faster for bulk imports than the default FULL.
            cursor.execute("PRAGMA synchronous=NORMAL")
        # A bigger page cache (KiB when negative) keeps index inserts of big imports in memory.
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def json_dumps(value: Any) -> str:
    """JSON text for the database; NaN becomes null (PostgreSQL rejects the NaN literal)."""
    return json.dumps(jsonable(value), separators=(",", ":"))


def jsonable(value: Any) -> Any:
    """`value` made of plain JSON types: numpy/pandas scalars unwrapped, NaN -> None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if value is pd.NaT or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalar
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
