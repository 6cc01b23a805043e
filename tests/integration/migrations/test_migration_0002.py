"""Migration 0002 (lead versions, undoable audit entries) keeps every existing row."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from db import repository as repo
from db.engine import get_engine
from db.migrate import alembic_config, upgrade
from tests.integration.builders import make_activities, make_leads


def migrate_to(url: str, revision: str) -> None:
    engine = get_engine(url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_upgrading_a_database_with_data_keeps_it_and_adds_the_columns(empty_url: str) -> None:
    migrate_to(empty_url, "0001")
    engine = get_engine(empty_url)
    # Rows as the 0001 schema holds them (today's models know columns it lacks).
    with engine.begin() as connection:
        for number in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO lead (id, external_id, owner, created_at, custom) "
                    "VALUES (:id, :external_id, 'rita', '2024-03-01 09:00:00', '{}')"
                ),
                {"id": number, "external_id": f"L{number}"},
            )
        connection.execute(
            text(
                "INSERT INTO activity (lead_id, activity_type, occurred_at, occurred_day) "
                "VALUES (1, 'page_view', '2024-03-01 10:00:00', 19783)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO audit_log (at, actor, action, entity, entity_id, payload) "
                "VALUES ('2024-03-01 11:00:00', 'rita', 'publish', 'definition', '1', '{}')"
            )
        )

    upgrade(empty_url)

    columns = {c["name"] for c in inspect(engine).get_columns("lead")}
    assert "version" in columns
    assert repo.count_rows(engine)["lead"] == 2 and repo.count_rows(engine)["activity"] == 1
    assert repo.load_lead_versions(engine).tolist() == [0, 0]
    entry = repo.list_audit(engine).iloc[0]
    assert (entry["actor"], entry["action"]) == ("rita", "publish")


def test_downgrading_to_0001_drops_only_what_0002_added(empty_url: str) -> None:
    upgrade(empty_url)
    engine = get_engine(empty_url)
    repo.insert_leads(engine, make_leads("L1"))
    repo.insert_activities(engine, make_activities([("L1", "page_view", "2024-03-01", None)]))

    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")

    assert "version" not in {c["name"] for c in inspect(engine).get_columns("lead")}
    with engine.connect() as connection:  # count_rows would also count later tables
        activities = connection.scalar(text("SELECT count(*) FROM activity"))
    assert activities == 1  # no table rebuild, no cascade
