"""Database failures as one sentence a user can act on (never a traceback).

SQLite lets one writer at a time: an import holds the write lock for its write phase,
and another writer gives up after the busy timeout with "database is locked". A
PostgreSQL server that restarts or drops the connection gives "server closed the
connection". Both leave the database unchanged (each write is one transaction).
"""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

LOCKED = (
    "the database is busy: another import or save is writing to it right now. Nothing "
    "was changed; try again in a minute."
)
LOST = (
    "the connection to the database was lost. Nothing was changed; check that the "
    "database server is running and reachable, then try again."
)
_LOCK_WORDS = ("database is locked", "database table is locked", "lock timeout")
UNREACHABLE = (
    "Baton could not reach the database server. Check DATABASE_URL (host, port, "
    "database name, password) and that the server is running"
)
_UNREACHABLE_WORDS = ("connection refused", "could not connect", "connection failed")
_LOST_WORDS = (
    "server closed the connection", "terminating connection", "connection is closed",
    "connection timed out", "ssl syscall error", "no connection to the server",
)  # fmt: skip


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer Baton than this one."""

    def __init__(self, found: frozenset[str], known: frozenset[str]) -> None:
        self.found = found
        super().__init__(
            f"this database was written by a newer version of Baton (schema "
            f"{', '.join(sorted(found))}; this version knows up to {', '.join(sorted(known))})"
            ": update Baton, or point DATABASE_URL at another database"
        )


def describe(exc: BaseException) -> str:
    """One sentence saying what happened and what to do."""
    if isinstance(exc, ValidationError):  # the settings: DATABASE_URL
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    text = str(getattr(exc, "orig", None) or exc).casefold()
    if any(word in text for word in _LOCK_WORDS):
        return LOCKED
    if any(word in text for word in _UNREACHABLE_WORDS):
        return UNREACHABLE + "."
    if (isinstance(exc, DBAPIError) and exc.connection_invalidated) or any(
        word in text for word in _LOST_WORDS
    ):
        return LOST
    if isinstance(exc, SchemaTooNewError):
        return str(exc) + "."
    if isinstance(exc, SQLAlchemyError):
        cause = getattr(exc, "orig", None) or exc
        first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        return f"the database refused the change ({first}). Nothing was changed."
    return str(exc)
