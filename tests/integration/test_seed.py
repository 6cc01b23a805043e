"""First-run seeding: the demo arrives once, on a new database, and never comes back."""

from __future__ import annotations

from sqlalchemy import Engine

from data.seed import ensure_seeded
from db import repository as repo


def test_a_new_database_is_seeded_once(sqlite_engine: Engine) -> None:
    assert ensure_seeded(sqlite_engine, n_leads=50) is True
    assert repo.count_rows(sqlite_engine)["lead"] == 50
    assert ensure_seeded(sqlite_engine, n_leads=50) is False
    assert repo.count_rows(sqlite_engine)["lead"] == 50


def test_deleted_demo_data_does_not_come_back_on_restart(sqlite_engine: Engine) -> None:
    ensure_seeded(sqlite_engine, n_leads=50)
    repo.delete_all_data(sqlite_engine)
    assert ensure_seeded(sqlite_engine, n_leads=50) is False
    assert repo.count_rows(sqlite_engine)["lead"] == 0
    assert repo.get_published(sqlite_engine) is not None


def test_a_database_the_command_line_opened_still_gets_the_demo(sqlite_engine: Engine) -> None:
    from data.seed import ensure_usable

    ensure_usable(sqlite_engine)  # what every CLI command does first
    assert repo.get_published(sqlite_engine)[0] == 1
    assert ensure_seeded(sqlite_engine, n_leads=50) is True
    assert repo.list_versions(sqlite_engine)["version"].tolist() == [1]


def test_a_database_that_had_imports_never_gets_the_demo(sqlite_engine: Engine) -> None:
    from domain.importing import Mapping, read_csv_source

    mapping = Mapping(kind="leads", fields={"external_id": "id"})
    repo.import_csv(sqlite_engine, read_csv_source(b"id\nA\n"), mapping)
    repo.delete_all_data(sqlite_engine)
    assert ensure_seeded(sqlite_engine, n_leads=50) is False
    assert repo.count_rows(sqlite_engine)["lead"] == 0
