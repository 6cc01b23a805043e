"""The engine's inputs stored per data version survive a restart and are never stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

import db.scoring.scoring_source as source
from db import repository as repo
from db.scoring.engine_cache import cache_dir_for
from domain.definitions.defaults import default_definition
from domain.follow_up.actions import Reassign
from tests.counting import count_calls
from tests.integration.builders import insert_two_leads, make_activities, utc

NOW = utc("2024-04-01T12:00:00")
LATER = utc("2024-04-02T12:00:00")


def count_aggregations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    return count_calls(monkeypatch, source, "load_activity_counts")


def stages(model: source.ScoringModel) -> list[str]:
    return model.score(default_definition()).frame["stage"].astype(str).tolist()


def test_a_restart_reads_the_stored_inputs_instead_of_aggregating_again(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    insert_two_leads(engine)
    calls = count_aggregations(monkeypatch)
    first = source.load_model(engine, NOW, cache_dir=tmp_path)
    # A reassign does not change the data version: the stored leads' owner is replaced.
    lead_id = repo.lead_id_for(engine, "L1")
    repo.apply_action(engine, lead_id=lead_id, action=Reassign("omar"), actor="rita")

    again = source.load_model(engine, LATER, cache_dir=tmp_path)

    assert calls == [1]
    assert again.leads.drop(columns="owner").equals(first.leads.drop(columns="owner"))
    assert again.leads["owner"].tolist() == ["omar", "rita"]
    assert stages(again) == stages(source.load_model(engine, LATER))


def test_a_data_write_or_activity_newer_than_the_stored_moment_loads_again(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    insert_two_leads(engine)
    calls = count_aggregations(monkeypatch)
    source.load_model(engine, NOW, cache_dir=tmp_path)
    # Imported earlier, dated in the future: it counts once its moment has come.
    repo.insert_activities(engine, make_activities([("L1", "webinar", "2024-04-02", None)]))
    source.load_model(engine, NOW, cache_dir=tmp_path)  # a new data version: loaded again
    source.load_model(engine, NOW, cache_dir=tmp_path)  # stored: nothing new up to NOW

    model = source.load_model(engine, LATER, cache_dir=tmp_path)

    assert calls == [1, 1, 1]
    assert "webinar" in model.activity_types
    assert len(list(tmp_path.glob("*.json"))) == 1  # only the current version is kept


def test_an_unreadable_store_is_rebuilt_not_trusted(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    insert_two_leads(engine)
    source.load_model(engine, NOW, cache_dir=tmp_path)
    for stored in tmp_path.glob("*.parquet"):
        stored.write_bytes(b"not parquet")
    calls = count_aggregations(monkeypatch)

    model = source.load_model(engine, NOW, cache_dir=tmp_path)

    assert calls == [1] and model.n_leads == 2


def test_the_store_sits_beside_a_sqlite_file_and_never_names_a_password() -> None:
    beside = cache_dir_for("sqlite:////data/baton.db")
    elsewhere = cache_dir_for("postgresql+psycopg://app:s3cret@db:5432/baton")

    assert beside == Path("/data/baton.db.engine-cache")
    assert elsewhere is not None and "s3cret" not in str(elsewhere)
    assert cache_dir_for("sqlite://") is None
