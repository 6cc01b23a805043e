from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from db import repository as repo
from domain.definitions.defaults import default_definition
from tests.integration.builders import make_activities, make_leads, utc


def fill(engine: Engine) -> None:
    """One lead with an activity, a touch and facts."""
    repo.insert_leads(engine, make_leads("L1"))
    repo.insert_activities(engine, make_activities([("L1", "page_view", "2024-03-01", None)]))
    touch = pd.DataFrame(
        {"lead_external_id": ["L1"], "touched_at": [utc("2024-03-02")], "channel": ["call"]}
    )
    repo.insert_touches(engine, touch)
    facts = pd.DataFrame({"lead_external_id": ["L1"], "accepted_at": [utc("2024-03-02")]})
    repo.upsert_sales_facts(engine, facts)


def test_lead_and_activity_writes_bump_the_data_version_and_sales_writes_the_sales_version(
    engine: Engine,
) -> None:
    versions = [repo.data_versions(engine)]
    repo.insert_leads(engine, make_leads("L1"))
    versions.append(repo.data_versions(engine))
    repo.insert_activities(engine, make_activities([("L1", "page_view", "2024-03-01", None)]))
    versions.append(repo.data_versions(engine))
    touch = pd.DataFrame(
        {"lead_external_id": ["L1"], "touched_at": [utc("2024-03-02")], "channel": ["call"]}
    )
    repo.insert_touches(engine, touch)
    versions.append(repo.data_versions(engine))
    repo.upsert_sales_facts(engine, pd.DataFrame({"lead_external_id": ["L1"], "need": [True]}))
    versions.append(repo.data_versions(engine))
    repo.delete_all_data(engine)
    versions.append(repo.data_versions(engine))

    assert versions == [(0, 0), (1, 0), (2, 0), (2, 1), (2, 2), (3, 2)]


def test_the_data_token_changes_with_every_data_write_and_never_repeats(engine: Engine) -> None:
    empty = repo.data_token(engine)
    assert empty == repo.data_token(engine)  # a database from before stamps gets one, once
    repo.insert_leads(engine, make_leads("L1"))
    first = repo.data_token(engine)
    repo.delete_all_data(engine)
    repo.insert_leads(engine, make_leads("L1"))
    second = repo.data_token(engine)

    assert empty.startswith("v0-")
    assert first.startswith("v1-") and second.startswith("v3-")
    assert first.split("-")[1] != second.split("-")[1]


def test_publishing_a_definition_leaves_the_data_version_alone(engine: Engine) -> None:
    repo.publish(engine, definition=default_definition(), author="maria")

    assert repo.data_version(engine) == 0


def test_a_refused_write_leaves_the_data_version_alone(engine: Engine) -> None:
    with pytest.raises(repo.UnknownLeadsError):
        repo.insert_activities(engine, make_activities([("X", "page_view", "2024-03-01", None)]))

    assert repo.data_version(engine) == 0


def test_delete_all_data_keeps_definitions_and_the_audit_log(engine: Engine) -> None:
    fill(engine)
    repo.publish(engine, definition=default_definition(), author="maria")
    repo.save_draft(engine, definition=default_definition(), expected_revision=None, author="m")

    repo.delete_all_data(engine, actor="admin")

    counts = repo.count_rows(engine)
    assert {t: counts[t] for t in ("lead", "activity", "sales_touch", "sales_fact")} == {
        "lead": 0,
        "activity": 0,
        "sales_touch": 0,
        "sales_fact": 0,
    }
    assert repo.get_published(engine) == (1, default_definition())
    assert repo.get_draft(engine) is not None
    assert repo.list_audit(engine)["action"].tolist() == ["delete_all_data", "publish"]


def test_count_rows_reports_every_table(engine: Engine) -> None:
    fill(engine)

    counts = repo.count_rows(engine)

    assert counts == {
        "lead": 1,
        "activity": 1,
        "sales_touch": 1,
        "sales_fact": 1,
        "definition_version": 0,
        "definition_draft": 0,
        "audit_log": 0,
        "import_mapping": 0,
        "custom_attribute": 0,
        "app_user": 0,
        "meta": 5,  # data version, its stamp, sales version, the leads each of 2 moved
    }


def test_an_audit_entry_logged_in_a_rolled_back_session_is_not_kept(engine: Engine) -> None:
    repo.log_audit(engine, actor="a", action="kept", entity="lead", entity_id=1, payload={})
    with Session(engine) as session:
        repo.log_audit(session, actor="a", action="lost", entity="lead", entity_id=2)
        session.rollback()

    audit = repo.list_audit(engine)

    assert audit["action"].tolist() == ["kept"]
    assert audit["entity_id"].tolist() == ["1"]
    assert audit["at"].dt.tz is not None
