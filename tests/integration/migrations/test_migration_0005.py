"""Migration 0005 (users and roles) keeps every existing row and drops only its own table."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from db import repository as repo
from db.admin import users_repo
from db.engine import get_engine
from db.migrate import alembic_config, upgrade
from domain.admin.access import Role
from domain.definitions.defaults import default_definition
from tests.integration.builders import make_leads
from tests.integration.migrations.test_migration_0003 import migrate


def parent() -> str:
    """The revision 0005 follows (re-chained when migrations land in another order)."""
    down = ScriptDirectory.from_config(alembic_config()).get_revision("0005").down_revision
    assert isinstance(down, str)
    return down


def test_upgrading_keeps_the_data_and_adds_the_users_table(empty_url: str) -> None:
    migrate(empty_url, parent())
    engine = get_engine(empty_url)
    repo.insert_leads(engine, make_leads("L1"))
    repo.publish(engine, definition=default_definition(), author="maria", note="v1")

    upgrade(empty_url)

    assert "app_user" in inspect(engine).get_table_names()
    assert repo.count_rows(engine)["lead"] == 1 and len(repo.list_versions(engine)) == 1
    assert users_repo.sign_in(engine, email="a@acme.com", name=None).first_admin


def test_downgrading_drops_only_the_users(empty_url: str) -> None:
    upgrade(empty_url)
    engine = get_engine(empty_url)
    repo.insert_leads(engine, make_leads("L1"))
    users_repo.set_user(engine, email="a@acme.com", role=Role.admin, team=None, name=None, by="t")

    migrate(empty_url, parent(), down=True)

    assert "app_user" not in inspect(engine).get_table_names()
    assert repo.load_leads(engine)["external_id"].tolist() == ["L1"]
