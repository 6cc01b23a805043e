"""The app after a restart: the stored scored model is restored, never a stale one."""

from __future__ import annotations

import pytest
import streamlit as st

import db.scoring.scoring_source as source
from components.shell import state
from db import repository as repo
from db.engine import get_engine
from domain.follow_up.actions import LogTouch
from tests.counting import count_calls
from tests.integration.builders import make_leads


def restart() -> None:
    """What a new server process starts from: nothing in memory, the files on disk."""
    state.wait_for_snapshots()
    st.cache_resource.clear()
    state._SNAPSHOTS.clear()
    state._SEEN.clear()
    state._NEWEST_SALES.clear()


def test_after_a_restart_the_scored_model_is_restored_with_the_touches_logged_since(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state.scored_table()
    lead_id = int(before.index[0])
    restart()
    repo.apply_action(get_engine(url), lead_id=lead_id, action=LogTouch("call"), actor="rita")
    builds = count_calls(monkeypatch, source, "model_from")

    after = state.scored_table()

    assert builds == []
    assert after["first_touch_at"].notna()[lead_id]
    assert after.drop(index=lead_id)["mql_at"].equals(before.drop(index=lead_id)["mql_at"])


def test_leads_imported_before_a_restart_are_scored_not_hidden_by_the_stored_model(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state.scored_table()
    restart()
    repo.insert_leads(get_engine(url), make_leads("NEW-1"))
    builds = count_calls(monkeypatch, source, "model_from")

    after = state.scored_table()

    assert builds == [1]
    assert len(after) == len(before) + 1
