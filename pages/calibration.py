"""Calibration: does the score predict? Judge the published and the draft definition on the
stored outcomes, let the data suggest weights and a threshold, and take them into the draft.

Every figure is computed on all stored leads old enough to be judged (the sidebar's
filters do not apply: a definition is judged on every lead it will score).
"""

from __future__ import annotations

import streamlit as st

from components.calibration.calibration_view import (
    calibration_inputs,
    calibration_sides,
    render_calibration,
)
from components.calibration.suggestion_panel import render_suggestion_panel
from components.calibration.threshold_panel import render_threshold_panel
from components.definitions import draft_session as session
from components.definitions.conflict_panel import render_conflict
from components.shell import state
from components.shell.app_shell import require_app_shell

TITLE = "Calibration"
NO_LEADS = (
    "The database has no leads yet, so there is nothing to judge. Run `python cli.py seed` "
    "to load the demo data (or import your leads), then reload this page."
)


def main() -> None:
    require_app_shell()
    st.title(TITLE)
    st.caption(
        "Does the score predict? The shared definition should rank the leads that later "
        "converted above the others. Judge it here, let the data suggest weights and a "
        "threshold, and take what you agree on into the working draft."
    )
    model = state.get_model()
    if model.n_leads == 0:
        st.info(NO_LEADS, icon=":material/info:")
        return
    session.sync(session.vocabulary(model), full_run=True)
    render_conflict()
    st.header("Does the score predict?", divider="gray")
    outcome, min_age = calibration_inputs("calib")
    render_calibration(calibration_sides(outcome, min_age), key="calib")
    st.header("Suggest weights from the outcomes", divider="gray")
    render_suggestion_panel()
    st.header("Suggest the MQL threshold", divider="gray")
    owners = model.leads["owner"].nunique() if "owner" in model.leads else 1
    render_threshold_panel(default_reps=int(owners))


main()
