"""Bring a database to the latest schema: `upgrade(engine_or_url)` or `python -m db.migrate`.

The app and the CLI call `upgrade` on start; at head it costs one query, and Alembic (half a
second of imports) is only loaded when there is something to migrate.
"""

from __future__ import annotations

import argparse
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from db.engine import get_engine
from db.errors import SchemaTooNewError, describe

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any fixed number: replicas starting together on PostgreSQL migrate one at a time.
_PG_MIGRATION_LOCK = 0x0BA7_0001
# The newest migration's revision. A test compares it with the migrations folder, so a new
# migration that forgets to update it fails there.
HEAD = frozenset({"0005"})


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@lru_cache(maxsize=1)
def head_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(r.revision for r in script.walk_revisions())


def current_revisions(connection: Connection) -> frozenset[str]:
    """What the database's `alembic_version` table says (empty for a new database)."""
    if not inspect(connection).has_table("alembic_version"):
        return frozenset()
    rows = connection.execute(text("SELECT version_num FROM alembic_version"))
    return frozenset(row[0] for row in rows)


def upgrade(engine_or_url: Engine | str | None = None) -> None:
    """Migrate to head; a no-op (one query) when already there."""
    engine = _engine(engine_or_url)
    with engine.connect() as connection:
        current = current_revisions(connection)
        if current == HEAD:
            return
        from alembic import command

        if current - known_revisions():
            raise SchemaTooNewError(current, head_revisions())
        connection.rollback()  # end the implicit read transaction before migrating
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK}
                )
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")


def _engine(engine_or_url: Engine | str | None) -> Engine:
    if isinstance(engine_or_url, Engine):
        return engine_or_url
    return get_engine(engine_or_url)


def main(argv: list[str] | None = None) -> None:
    """The command line; a failure is one line on stderr and exit status 2."""
    try:
        _main(argv)
    except (SQLAlchemyError, SchemaTooNewError, ValueError, OSError) as exc:
        print(f"error: {describe(exc)}", file=sys.stderr)
        raise SystemExit(2) from None


def _main(argv: list[str] | None) -> None:
    parser = argparse.ArgumentParser(prog="python -m db.migrate", description=__doc__)
    parser.add_argument("action", choices=["upgrade", "current", "revision"])
    parser.add_argument("-m", "--message", help="revision message (for `revision`)")
    parser.add_argument("--url", help="database URL (default: DATABASE_URL)")
    args = parser.parse_args(argv)
    if args.action == "upgrade":
        upgrade(args.url)
        return
    engine = _engine(args.url)
    if args.action == "current":
        with engine.connect() as connection:
            print(", ".join(sorted(current_revisions(connection))) or "(empty)")
        return
    # Autogenerate compares against a database at head, so migrate it first.
    upgrade(engine)
    from alembic import command

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    command.revision(config, message=args.message or "change", autogenerate=True)


if __name__ == "__main__":
    main()
