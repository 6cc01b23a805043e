"""The activity aggregate read part by part is the same frame as read at once."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

import db.leads.activities_repo as activities
from db import repository as repo
from tests.integration.builders import make_activities, make_leads


def test_counts_read_in_parts_equal_counts_read_at_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.insert_leads(engine, make_leads("L1", "L2"))
    repo.insert_activities(
        engine,
        make_activities(
            [
                ("L1", "page_view", "2024-03-02", None),
                ("L1", "page_view", "2024-03-02", None),
                ("L1", "webinar", "2024-03-05", "consideration"),
                ("L2", "demo_request", "2024-03-03", None),
            ]
        ),
    )
    whole = activities.load_activity_counts(engine)
    monkeypatch.setattr(activities, "_ROWS_PER_PART", 1)

    parts = activities.load_activity_counts(engine)

    assert len(parts) == 3
    pd.testing.assert_frame_equal(parts, whole)


def test_no_activities_read_in_parts_is_an_empty_frame_of_the_same_columns(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = activities.load_activity_counts(engine)
    monkeypatch.setattr(activities, "_ROWS_PER_PART", 1)

    parts = activities.load_activity_counts(engine)

    assert parts.empty
    pd.testing.assert_frame_equal(parts, whole)
