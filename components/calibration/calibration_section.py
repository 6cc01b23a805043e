"""The definitions workspace's compact calibration: does the draft's score still predict?

A fragment of its own: its inputs rerun only it, and the workspace reruns it after a rule
edit or a settings change that moves scores or outcomes (`affects_calibration`), not on
a threshold move (the ranking, hence AUC, lift and bands, does not depend on it).
"""

from __future__ import annotations

import streamlit as st

from components.calibration.calibration_view import (
    calibration_inputs,
    calibration_sides,
    render_calibration,
)
from components.definitions import draft_session as session
from components.definitions.definition_form import (
    HAND_RAISERS,
    NOTES,
    SLA_HOURS,
    THRESHOLD,
    changed_keys,
    widget_values,
)

FRAGMENT = "defs_calibration"
PREFIX = "defs_calib"
# Settings that change neither the scores nor who reached SQL / Won (hand-raisers only
# make MQLs).
_NOT_SCORING = frozenset({THRESHOLD, HAND_RAISERS, SLA_HOURS, *NOTES.values()})


def render_definitions_calibration(vocab: session.Vocabulary) -> None:
    """The compact calibration (a fragment) and a link to the Calibration page."""
    _calibration(vocab)
    # Outside the fragment: a page link cannot be drawn by a fragment's own rerun.
    st.page_link(
        "pages/calibration.py",
        label="Open Calibration: the band table, suggested weights and threshold",
        icon=":material/insights:",
    )


@st.fragment(key=FRAGMENT)
def _calibration(vocab: session.Vocabulary) -> None:
    session.sync(vocab, full_run=False)  # the draft as just edited, whichever reran first
    outcome, min_age = calibration_inputs(PREFIX)
    render_calibration(calibration_sides(outcome, min_age), key=PREFIX, compact=True)


def affects_calibration() -> bool:
    """In a settings callback: did the change move scores or outcomes (not only the
    threshold, SLA or a stage note)?"""
    state = st.session_state
    if session.LOADED not in state:
        return False
    definition = session.working_definition()
    values = {key: state[key] for key in widget_values(definition) if key in state}
    return bool(changed_keys(definition, values) - _NOT_SCORING)
