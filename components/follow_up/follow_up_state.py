"""Cached follow-up data for the queue and lead pages, keyed like `components.shell.state`.

Keys are explicit ids (database URL, data and sales versions, as-of moment, definition
fingerprint): every action bumps the sales version, so every page sees it on its next
run. Cached values are shared by all sessions and must be treated as read-only.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.shell import state
from domain.definitions.definition import Definition
from domain.engine.scoring import ScoringModel
from domain.follow_up.queue import FollowUp, follow_up
from gateways.follow_up import draft_definition

_ENTRIES = 2  # the current versions and the ones before: each holds frames per lead


def follow_up_data(definition: Definition) -> FollowUp:
    url, version, model = state.current()
    table = state.scored_table(definition)
    return _follow_up_data(
        url, version, model.as_of.value, definition.fingerprint(), model, table, definition
    )


def lead_versions() -> pd.Series:
    """Every lead's version (what an action carries), for the current data version."""
    return state.get_sales_records().versions


def get_draft_definition() -> Definition | None:
    """The working draft, read fresh (a save must show at once; one small query)."""
    return draft_definition(state.get_engine_cached())


@st.cache_resource(max_entries=_ENTRIES, show_spinner=False)
def _follow_up_data(
    url: str,
    version: state.Versions,
    as_of_ns: int,
    fingerprint: str,
    _model: ScoringModel,
    _table: pd.DataFrame,
    _definition: Definition,
) -> FollowUp:
    return follow_up(_model, _definition, state.get_touches(), table=_table)


state.forget_on_new_version(_follow_up_data)
