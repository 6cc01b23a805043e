"""Migration 0003 (import keys, saved mappings) keeps every existing row."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from db import repository as repo
from db.engine import get_engine
from db.migrate import alembic_config, upgrade
from domain.importing import Mapping, read_csv_source


def migrate(url: str, revision: str, *, down: bool = False) -> None:
    with get_engine(url).begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_upgrading_a_database_with_data_keeps_it_and_adds_the_key_and_table(empty_url):
    migrate(empty_url, "0002")
    engine = get_engine(empty_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO lead (id, external_id, created_at, custom, version) "
                "VALUES (1, 'L1', '2024-03-01 09:00:00', '{\"tier\": \"gold\"}', 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO activity (lead_id, activity_type, occurred_at, occurred_day) "
                "VALUES (1, 'page_view', '2024-03-01 10:00:00', 19783)"
            )
        )

    upgrade(empty_url)

    assert "import_key" in {c["name"] for c in inspect(engine).get_columns("activity")}
    assert repo.count_rows(engine)["activity"] == 1
    assert repo.load_leads(engine)["tier"].tolist() == ["gold"]
    # An activity logged before the migration has no key and never blocks an import.
    mapping = Mapping(
        kind="activities",
        fields={"lead_external_id": "lead", "activity_type": "type", "occurred_at": "at"},
    )
    source = read_csv_source(b"lead,type,at\nL1,page_view,2024-03-01 10:00:00\n")
    assert repo.import_csv(engine, source, mapping).inserted == 1


def test_downgrading_to_0002_drops_only_what_0003_added(empty_url):
    upgrade(empty_url)
    engine = get_engine(empty_url)
    leads = read_csv_source(b"id\nL1\n")
    repo.import_csv(engine, leads, Mapping(kind="leads", fields={"external_id": "id"}))
    repo.save_mapping(engine, "ids", Mapping(kind="leads", fields={"external_id": "id"}))

    migrate(empty_url, "0002", down=True)

    assert "import_mapping" not in inspect(engine).get_table_names()
    assert "import_key" not in {c["name"] for c in inspect(engine).get_columns("activity")}
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM lead")) == 1
