"""Sales records brought up to date by reading again only the leads an action moved."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sqlalchemy import Engine

import db.scoring.scoring_source as source
from db import meta_repo
from db import repository as repo
from db.scoring.scoring_source import (
    SalesRecords,
    load_sales_records,
    load_stored_sales,
    sales_records_since,
)
from domain.follow_up.actions import Accept, Disqualify, LogTouch, Qualify, Reassign
from tests.integration.builders import make_leads

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def leads(engine: Engine, n: int) -> list[int]:
    external = [f"L{i}" for i in range(n)]
    repo.insert_leads(engine, make_leads(*external))
    ids = [repo.lead_id_for(engine, e) for e in external]
    return [int(i) for i in ids if i is not None]


def act(engine: Engine, lead_id: int, action):
    return repo.apply_action(engine, lead_id=lead_id, action=action, actor="rita", now=NOW)


def assert_same(patched: SalesRecords | None, full: SalesRecords) -> None:
    assert patched is not None
    assert_frame_equal(patched.touches, full.touches)
    assert_frame_equal(patched.facts, full.facts)
    assert_frame_equal(patched.leads, full.leads)


def test_patching_the_moved_leads_gives_what_a_full_reload_gives(engine: Engine) -> None:
    ids = leads(engine, 5)
    act(engine, ids[0], LogTouch("call"))
    act(engine, ids[1], Accept())
    since = repo.sales_version(engine)
    before = load_sales_records(engine)

    act(engine, ids[0], LogTouch("email", "replied"))
    act(engine, ids[2], LogTouch("meeting"))
    act(engine, ids[1], Qualify(budget=True, conversation=True))
    reassigned = act(engine, ids[3], Reassign("sam"))
    act(engine, ids[4], Disqualify("no budget"))
    repo.undo_action(engine, audit_id=int(reassigned.audit_id), actor="rita")
    repo.insert_touches(
        engine, pd.DataFrame({"lead_id": [ids[4]], "touched_at": [NOW], "channel": ["call"]})
    )

    upto = repo.sales_version(engine)
    assert_same(sales_records_since(engine, before, since, upto), load_sales_records(engine))


def test_undoing_the_only_touch_removes_it_from_the_patched_records(engine: Engine) -> None:
    (lead_id,) = leads(engine, 1)
    touched = act(engine, lead_id, LogTouch("call"))
    since = repo.sales_version(engine)
    before = load_sales_records(engine)

    repo.undo_action(engine, audit_id=int(touched.audit_id), actor="rita")

    patched = sales_records_since(engine, before, since, repo.sales_version(engine))
    assert patched is not None and patched.touches.empty
    assert_same(patched, load_sales_records(engine))


def test_nothing_moved_keeps_the_records(engine: Engine) -> None:
    leads(engine, 1)
    records = load_sales_records(engine)
    version = repo.sales_version(engine)
    assert sales_records_since(engine, records, version, version) is records


def test_a_write_that_does_not_say_which_leads_moved_means_reload_all(engine: Engine) -> None:
    (lead_id,) = leads(engine, 1)
    since = repo.sales_version(engine)
    act(engine, lead_id, LogTouch("call"))
    with engine.begin() as connection:
        meta_repo.bump_sales_version(connection)  # any lead may have moved
    assert meta_repo.sales_changes(engine, since, since + 1) == frozenset({lead_id})
    assert meta_repo.sales_changes(engine, since, since + 2) is None


def test_versions_no_longer_recorded_mean_reload_all(engine: Engine) -> None:
    (lead_id,) = leads(engine, 1)
    since = repo.sales_version(engine)
    for _ in range(meta_repo.CHANGES_KEPT + 1):
        with engine.begin() as connection:
            meta_repo.bump_sales_version(connection, [lead_id])
    upto = repo.sales_version(engine)
    assert meta_repo.sales_changes(engine, upto - 1, upto) == frozenset({lead_id})
    assert meta_repo.sales_changes(engine, since, since + 1) is None
    assert meta_repo.sales_changes(engine, since, upto) is None


def test_a_restart_reads_the_stored_sales_and_only_the_leads_moved_since(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = leads(engine, 3)
    act(engine, ids[0], LogTouch("call"))
    load_stored_sales(engine, repo.sales_version(engine), tmp_path)  # stores them
    act(engine, ids[1], Reassign("sam"))
    act(engine, ids[2], Accept())
    asked: list[object] = []
    real = source.load_touches
    monkeypatch.setattr(
        source, "load_touches", lambda e, lead_ids=None: asked.append(lead_ids) or real(e, lead_ids)
    )

    restarted = load_stored_sales(engine, repo.sales_version(engine), tmp_path)

    assert [sorted(a) for a in asked] == [ids[1:]]  # the moved leads' touches only
    assert_same(restarted, load_sales_records(engine))


def test_stored_sales_of_other_data_are_never_read(engine: Engine, tmp_path: Path) -> None:
    ids = leads(engine, 2)
    load_stored_sales(engine, repo.sales_version(engine), tmp_path)
    repo.insert_leads(engine, make_leads("L9"))  # a new data version
    act(engine, ids[0], LogTouch("call"))

    restarted = load_stored_sales(engine, repo.sales_version(engine), tmp_path)

    assert_same(restarted, load_sales_records(engine))
    assert len(restarted.leads) == 3
