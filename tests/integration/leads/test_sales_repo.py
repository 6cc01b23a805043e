from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from db import repository as repo
from domain.engine.frames import SALES_FACT_COLUMNS, TOUCH_COLUMNS
from tests.integration.builders import make_leads, utc


def make_touches(*rows: tuple[str, str, str, str | None], **columns: list[object]) -> pd.DataFrame:
    """Touches from (lead_external_id, touched_at ISO, channel, outcome)."""
    frame = pd.DataFrame(
        {
            "lead_external_id": [r[0] for r in rows],
            "touched_at": [utc(r[1]) for r in rows],
            "rep": ["rita"] * len(rows),
            "channel": [r[2] for r in rows],
            "outcome": [r[3] for r in rows],
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def test_touches_round_trip_with_utc_timestamps(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1", "L2"))
    touches = make_touches(
        ("L1", "2024-03-01T21:30:00-05:00", "call", "connected"),
        ("L2", "2024-03-02T09:00:00", "email", None),
    )

    assert repo.insert_touches(engine, touches) == 2
    loaded = repo.load_touches(engine)

    assert list(loaded.columns) == [*TOUCH_COLUMNS, "touch_id"]
    assert str(loaded["touched_at"].dtype) == "datetime64[ns, UTC]"
    assert loaded["touched_at"].tolist() == [utc("2024-03-02T02:30"), utc("2024-03-02T09:00")]
    assert loaded["channel"].tolist() == ["call", "email"]
    assert loaded["outcome"].iloc[0] == "connected" and pd.isna(loaded["outcome"].iloc[1])
    assert loaded["touch_id"].is_unique


def test_a_touch_whose_idempotency_key_is_stored_is_not_inserted_twice(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1"))
    touch = make_touches(("L1", "2024-03-02T09:00:00", "call", None), idempotency_key=["k-1"])

    assert repo.insert_touches(engine, touch) == 1
    assert repo.insert_touches(engine, touch) == 0

    assert len(repo.load_touches(engine)) == 1


def test_touches_without_an_idempotency_key_are_all_kept(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1"))
    touch = make_touches(("L1", "2024-03-02T09:00:00", "call", None))

    repo.insert_touches(engine, touch)
    repo.insert_touches(engine, touch)

    assert len(repo.load_touches(engine)) == 2


def test_sales_facts_round_trip_with_utc_timestamps_and_nullable_bant_answers(
    engine: Engine,
) -> None:
    repo.insert_leads(engine, make_leads("L1", "L2"))
    facts = pd.DataFrame(
        {
            "lead_external_id": ["L1", "L2"],
            "accepted_at": [utc("2024-03-02T01:00:00+01:00"), None],
            "budget": [True, None],
            "need": [False, True],
            "won_at": [utc("2024-04-01T12:00"), None],
            "amount": [12_000.5, None],
            "reason": [None, "no budget"],
        }
    )

    assert repo.upsert_sales_facts(engine, facts) == 2
    loaded = repo.load_sales_facts(engine)

    assert list(loaded.columns) == list(SALES_FACT_COLUMNS)
    first, second = loaded.iloc[0], loaded.iloc[1]
    assert first["accepted_at"] == utc("2024-03-02T00:00") and pd.isna(second["accepted_at"])
    assert str(loaded["won_at"].dtype) == "datetime64[ns, UTC]"
    assert loaded["budget"].dtype == "boolean"
    assert bool(first["budget"]) is True and pd.isna(second["budget"])
    assert bool(first["need"]) is False and pd.isna(first["timeline"])
    assert first["amount"] == 12_000.5 and second["reason"] == "no budget"


def test_upserting_facts_overwrites_only_the_columns_given(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1"))
    repo.upsert_sales_facts(
        engine, pd.DataFrame({"lead_external_id": ["L1"], "won_at": [utc("2024-04-01")]})
    )

    repo.upsert_sales_facts(
        engine, pd.DataFrame({"lead_external_id": ["L1"], "accepted_at": [utc("2024-03-05")]})
    )

    loaded = repo.load_sales_facts(engine)
    assert len(loaded) == 1
    assert loaded[["accepted_at", "won_at"]].iloc[0].tolist() == [
        utc("2024-03-05"),
        utc("2024-04-01"),
    ]


def test_facts_for_an_unknown_lead_are_refused_and_nothing_is_written(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("L1"))
    facts = pd.DataFrame({"lead_external_id": ["L1", "NOPE"], "budget": [True, True]})

    with pytest.raises(repo.UnknownLeadsError, match="NOPE"):
        repo.upsert_sales_facts(engine, facts)

    assert repo.count_rows(engine)["sales_fact"] == 0


def test_touches_can_name_their_lead_by_id(sqlite_engine: Engine) -> None:
    repo.insert_leads(sqlite_engine, make_leads("L1"))
    lead_id = int(repo.load_leads(sqlite_engine)["lead_id"].iloc[0])
    touch = make_touches(("L1", "2024-03-02T09:00:00", "call", None)).drop(
        columns=["lead_external_id"]
    )

    repo.insert_touches(sqlite_engine, touch.assign(lead_id=[lead_id]))

    assert repo.load_touches(sqlite_engine)["lead_id"].tolist() == [lead_id]
