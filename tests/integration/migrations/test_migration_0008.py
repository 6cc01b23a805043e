"""Migration 0008 (sales facts' `qualified_at`) keeps every existing row."""

from __future__ import annotations

from sqlalchemy import inspect, text

from db import repository as repo
from db.engine import get_engine
from db.migrate import upgrade
from tests.integration.migrations.test_migration_0003 import migrate


def test_upgrading_keeps_the_facts_and_a_downgrade_drops_only_the_new_column(empty_url):
    migrate(empty_url, "0003")
    engine = get_engine(empty_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO lead (id, external_id, created_at, custom, version) "
                "VALUES (1, 'L1', '2024-03-01 09:00:00', '{}', 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO sales_fact (lead_id, won_at, updated_at) "
                "VALUES (1, '2024-04-01 00:00:00', '2024-04-01 00:00:00')"
            )
        )

    upgrade(empty_url)

    facts = repo.load_sales_facts(engine)
    assert facts["won_at"].notna().tolist() == [True]
    assert facts["qualified_at"].isna().tolist() == [True]
    migrate(empty_url, "0003", down=True)
    assert "qualified_at" not in {c["name"] for c in inspect(engine).get_columns("sales_fact")}
    # Counted in SQL: count_rows lists every table of the models, some newer than 0003.
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM sales_fact")) == 1
