"""The app's shared caches after a follow-up action: reused where valid, dropped where not."""

from __future__ import annotations

import gc
import weakref

import pytest

import db.scoring.scoring_source as source
from components.shell import state
from db import repository as repo
from db.engine import get_engine
from domain.follow_up.actions import LogTouch
from tests.counting import count_calls


def test_an_action_keeps_the_activity_aggregate_and_drops_the_older_scored_tables(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state.scored_table()
    model = state.get_model()
    lead_id = int(before.index[0])
    old_table = weakref.ref(before)
    aggregations = count_calls(monkeypatch, source, "load_activity_counts")
    del before
    repo.apply_action(get_engine(url), lead_id=lead_id, action=LogTouch("call"), actor="rita")

    after = state.scored_table()
    gc.collect()

    assert aggregations == []
    assert state.get_model().history is model.history  # shared, not rebuilt
    assert after["first_touch_at"].notna()[lead_id]
    assert old_table() is None  # nothing holds the previous version's table any more
