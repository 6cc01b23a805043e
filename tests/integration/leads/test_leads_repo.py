from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from db import repository as repo
from domain.engine.frames import LEAD_CORE_COLUMNS
from tests.integration.builders import make_leads, utc


def test_inserted_leads_load_with_the_core_columns_and_utc_timestamps(engine: Engine) -> None:
    leads = make_leads(
        "L1",
        "L2",
        company_size=[250.0, None],
        created_at=[utc("2024-03-01T23:30:00-05:00"), utc("2024-03-02T00:15:00")],
    )

    assert repo.insert_leads(engine, leads) == 2
    loaded = repo.load_leads(engine)

    assert list(loaded.columns) == list(LEAD_CORE_COLUMNS)
    assert loaded["lead_id"].dtype == "int64" and loaded["lead_id"].is_unique
    assert str(loaded["created_at"].dtype) == "datetime64[ns, UTC]"
    assert list(loaded["created_at"]) == [utc("2024-03-02T04:30:00"), utc("2024-03-02T00:15")]
    assert loaded["company_size"].dtype == "float64"
    assert loaded["company_size"].isna().tolist() == [False, True]
    pd.testing.assert_frame_equal(
        loaded.drop(columns=["lead_id", "created_at", "company_size"]),
        leads.drop(columns=["created_at", "company_size"]),
        check_dtype=False,
    )


def test_reinserting_the_same_leads_changes_nothing(engine: Engine) -> None:
    leads = make_leads("L1", "L2", custom=[{"seniority": "VP"}, {}])
    repo.insert_leads(engine, leads)
    before = repo.load_leads(engine)

    repo.insert_leads(engine, leads)

    pd.testing.assert_frame_equal(repo.load_leads(engine), before)


def test_leads_are_updated_in_place_by_external_id(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1", "L2"))
    ids = repo.load_leads(engine).set_index("external_id")["lead_id"]

    repo.insert_leads(engine, make_leads("L2", "L3", name=["Renamed", "New"]))

    loaded = repo.load_leads(engine).set_index("external_id")
    assert list(loaded.index) == ["L1", "L2", "L3"]
    assert loaded.loc["L2", "lead_id"] == ids["L2"]
    assert loaded.loc["L2", "name"] == "Renamed"
    assert loaded.loc["L1", "name"] == "Person L1"


def test_custom_attributes_come_back_as_one_column_each(engine: Engine) -> None:
    custom = [{"seniority": "VP", "employees_band": 3}, {"seniority": "Director"}, {}]
    repo.insert_leads(engine, make_leads("L1", "L2", "L3", custom=custom))

    loaded = repo.load_leads(engine)

    assert list(loaded.columns) == [*LEAD_CORE_COLUMNS, "employees_band", "seniority"]
    assert loaded["seniority"].tolist()[:2] == ["VP", "Director"]
    assert pd.isna(loaded["seniority"].iloc[2])
    assert loaded["employees_band"].iloc[0] == 3


def test_a_custom_attribute_named_like_a_core_column_is_prefixed(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1", custom=[{"email": "other@x.io"}]))

    loaded = repo.load_leads(engine)

    assert loaded["email"].iloc[0] == "l1@example.com"
    assert loaded["custom.email"].iloc[0] == "other@x.io"


def test_updating_leads_without_a_custom_column_keeps_their_custom_attributes(
    engine: Engine,
) -> None:
    repo.insert_leads(engine, make_leads("L1", custom=[{"seniority": "VP"}]))

    repo.insert_leads(engine, make_leads("L1", name=["Renamed"]))

    loaded = repo.load_leads(engine)
    assert loaded[["name", "seniority"]].iloc[0].tolist() == ["Renamed", "VP"]


def test_leads_repeated_in_one_input_are_refused(sqlite_engine: Engine) -> None:
    with pytest.raises(ValueError, match="external_id repeated in the input: L1"):
        repo.insert_leads(sqlite_engine, make_leads("L1", "L1"))
    assert repo.count_rows(sqlite_engine)["lead"] == 0


def test_lead_columns_the_table_does_not_have_are_refused(sqlite_engine: Engine) -> None:
    with pytest.raises(ValueError, match="unknown column.*seniority"):
        repo.insert_leads(sqlite_engine, make_leads("L1", seniority=["VP"]))


def test_an_empty_lead_table_loads_as_an_empty_frame_with_the_core_columns(
    engine: Engine,
) -> None:
    loaded = repo.load_leads(engine)

    assert loaded.empty
    assert list(loaded.columns) == list(LEAD_CORE_COLUMNS)
    assert str(loaded["created_at"].dtype) == "datetime64[ns, UTC]"
