"""A small seeded SQLite database, built once per test run, copied for tests that write."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from data.seed import ensure_seeded
from db.engine import get_engine
from tests.sqlite_copy import copy_sqlite

SMALL_SEED = 1_500


@lru_cache(maxsize=1)
def _template(directory: str) -> Path:
    path = Path(directory) / "follow-up-template.db"
    engine = get_engine(f"sqlite:///{path}")
    ensure_seeded(engine, n_leads=SMALL_SEED)
    engine.dispose()
    return path


def seeded_copy(base: Path, target: Path) -> str:
    """A private copy of the seeded database at `target`; returns its URL."""
    return copy_sqlite(_template(str(base)), target)
