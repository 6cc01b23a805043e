"""Migration 0004 (custom attribute types) keeps every stored attribute value."""

from __future__ import annotations

from sqlalchemy import inspect, text

from db import repository as repo
from db.engine import get_engine
from db.migrate import upgrade
from domain.importing import Mapping, read_csv_source
from tests.integration.migrations.test_migration_0003 import migrate


def test_attributes_stored_before_0004_read_as_before_and_a_re_import_types_them(empty_url):
    migrate(empty_url, "0003")
    engine = get_engine(empty_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO lead (external_id, created_at, custom, version) VALUES "
                '(\'L1\', \'2024-03-01 09:00:00\', \'{"visits": "7", "tier": "gold"}\', 0)'
            )
        )

    upgrade(empty_url)

    assert "custom_attribute" in inspect(engine).get_table_names()
    leads = repo.load_leads(engine)
    assert (leads["visits"].tolist(), leads["tier"].tolist()) == (["7"], ["gold"])
    source = read_csv_source(b"id,visits\nL2,9\n")
    repo.import_csv(engine, source, Mapping(kind="leads", fields={"external_id": "id"}))
    assert repo.load_leads(engine)["visits"].tolist() == [7.0, 9.0]


def test_downgrading_to_0008_drops_only_the_type_registry(empty_url):
    upgrade(empty_url)
    engine = get_engine(empty_url)
    source = read_csv_source(b"id,visits\nL1,9\n")
    repo.import_csv(engine, source, Mapping(kind="leads", fields={"external_id": "id"}))

    migrate(empty_url, "0008", down=True)

    assert "custom_attribute" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM lead")) == 1
