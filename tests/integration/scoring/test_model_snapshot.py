"""The scored model stored on disk: a restart restores it, and it is never served stale."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

import db.scoring.scoring_source as source
from db import repository as repo
from db.meta_repo import data_token
from domain.definitions.defaults import default_definition
from domain.follow_up.actions import LogTouch, Reassign
from tests.counting import count_calls
from tests.integration.builders import insert_two_leads, make_leads

HOUR = pd.Timedelta(hours=1)


def scored(model: source.ScoringModel) -> pd.DataFrame:
    return model.score(default_definition()).frame.drop(columns="mql_reason")


def stored_model(engine: Engine, folder: Path) -> source.ScoringModel:
    """What a server does: load (storing the inputs), score, then store the model."""
    token = data_token(engine)
    version = repo.sales_version(engine)
    sales = source.load_stored_sales(engine, version, folder)
    model = source.load_model(engine, cache_dir=folder, sales=sales)
    scored(model)
    assert source.save_model(folder, token, version, model, sales)
    return model


def restore(engine: Engine, folder: Path, max_age: pd.Timedelta = HOUR):
    return source.restore_model(engine, folder, repo.sales_version(engine), max_age)


def test_a_restart_restores_the_scored_model_without_building_it(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    insert_two_leads(engine)
    model = stored_model(engine, tmp_path)
    builds = count_calls(monkeypatch, source, "model_from")
    aggregations = count_calls(monkeypatch, source, "load_activity_counts")

    restored = restore(engine, tmp_path)

    assert restored is not None
    assert builds == [] and aggregations == []
    pd.testing.assert_frame_equal(scored(restored[0]), scored(model))


def test_sales_actions_after_it_was_stored_show_after_a_restart(
    engine: Engine, tmp_path: Path
) -> None:
    insert_two_leads(engine)
    stored_model(engine, tmp_path)
    first, second = repo.lead_id_for(engine, "L1"), repo.lead_id_for(engine, "L2")
    repo.apply_action(engine, lead_id=first, action=Reassign("omar"), actor="rita")
    repo.apply_action(engine, lead_id=second, action=LogTouch("call"), actor="rita")

    restored = restore(engine, tmp_path)

    assert restored is not None
    model, sales = restored
    assert model.leads["owner"].tolist() == ["omar", "rita"]
    assert sales.touches["lead_id"].tolist() == [second]
    fresh = source.load_model(engine, model.as_of)
    assert scored(model)["first_touch_at"].equals(scored(fresh)["first_touch_at"])


def test_an_import_after_it_was_stored_is_never_hidden_by_it(
    engine: Engine, tmp_path: Path
) -> None:
    insert_two_leads(engine)
    stored_model(engine, tmp_path)
    repo.insert_leads(engine, make_leads("L3"))  # a new data version

    assert restore(engine, tmp_path) is None
    # The next load stores the new data's inputs and drops the old model with them.
    stored_model(engine, tmp_path)
    restored = restore(engine, tmp_path)
    assert restored is not None and restored[0].n_leads == 3
    assert len(list(tmp_path.glob("*.model.pickle"))) == 1


def test_a_model_older_than_the_rebuild_interval_is_built_again(
    engine: Engine, tmp_path: Path
) -> None:
    insert_two_leads(engine)
    stored_model(engine, tmp_path)

    assert restore(engine, tmp_path, max_age=pd.Timedelta(0)) is None


def test_a_model_stored_by_other_code_is_not_read(engine: Engine, tmp_path: Path) -> None:
    insert_two_leads(engine)
    stored_model(engine, tmp_path)
    marker = next(tmp_path.glob("*.model.json"))
    meta = json.loads(marker.read_text())
    marker.write_text(json.dumps({**meta, "code": "an older release"}))

    assert restore(engine, tmp_path) is None


def test_a_model_in_a_folder_others_can_write_is_not_read(engine: Engine, tmp_path: Path) -> None:
    insert_two_leads(engine)
    stored_model(engine, tmp_path)
    tmp_path.chmod(0o777)

    assert restore(engine, tmp_path) is None


def test_a_damaged_model_file_is_built_again_not_trusted(engine: Engine, tmp_path: Path) -> None:
    insert_two_leads(engine)
    stored_model(engine, tmp_path)
    pickled = next(tmp_path.glob("*.model.pickle"))
    pickled.write_bytes(pickled.read_bytes()[:100])

    assert restore(engine, tmp_path) is None
