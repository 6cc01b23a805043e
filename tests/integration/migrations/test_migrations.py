from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables)
from db import repository as repo
from db.engine import get_engine
from db.migrate import HEAD, current_revisions, head_revisions, upgrade
from tests.integration.builders import make_leads

TABLES = {
    "lead",
    "activity",
    "sales_touch",
    "sales_fact",
    "definition_version",
    "definition_draft",
    "audit_log",
    "meta",
    "import_mapping",
    "custom_attribute",
    "app_user",
}


def test_migrating_an_empty_database_creates_every_table(empty_url: str) -> None:
    engine = get_engine(empty_url)
    assert not TABLES & set(inspect(engine).get_table_names())

    upgrade(empty_url)

    assert TABLES | {"alembic_version"} == set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert current_revisions(connection) == head_revisions() == HEAD


def test_upgrading_a_database_at_head_again_changes_nothing(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1"))
    version = repo.data_version(engine)

    upgrade(engine)
    upgrade(engine)

    assert repo.count_rows(engine)["lead"] == 1
    assert repo.data_version(engine) == version


def test_the_migrations_build_exactly_the_tables_the_models_describe(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_a_new_database_starts_at_data_version_zero(engine: Engine) -> None:
    assert repo.data_version(engine) == 0


def test_the_head_the_app_checks_on_start_is_the_newest_migration() -> None:
    # The start-up check compares the database with HEAD without loading Alembic; a new
    # migration must update it.
    assert head_revisions() == HEAD
