"""Copies of SQLite test databases: far cheaper than migrating or seeding another one."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def copy_sqlite(source: Path, target: Path) -> str:
    """Copy the database at `source` to `target`; returns the copy's URL.

    Through SQLite's backup API: the databases run in WAL mode, so copying the file alone
    could miss the latest writes.
    """
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)
    return f"sqlite:///{target}"
