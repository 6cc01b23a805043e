"""Data: import CRM exports (CSV), export scores, load the demo or delete everything."""

from __future__ import annotations

import streamlit as st

from components import state
from components.app_shell import require_app_shell
from components.data_export import render_export
from components.data_notices import show_notices
from components.data_reset import render_data_counts, render_demo, render_reset
from components.identity import IDENTITY_NAME
from components.import_flow import render_import
from components.value_check import render_value_check
from db import repository as repo

TABS = ("Import", "Export", "Demo and reset")
NO_DATA = (
    "There is no lead data yet. Upload your CRM's CSV export under **Import** (leads first), "
    "or load the demo data under **Demo and reset**."
)


def main() -> None:
    st.title("Data")
    show_notices()
    engine = state.get_engine_cached()
    counts = repo.count_rows(engine)
    if not counts.get("lead", 0):
        st.info(NO_DATA, icon=":material/info:")
    importing, exporting, resetting = st.tabs(TABS, key="data_tab")
    with importing:
        render_import(engine, actor())
        if counts.get("lead", 0):
            st.divider()
            render_value_check(engine, actor())
    with exporting:
        render_export()
    with resetting:
        render_data_counts(counts)
        render_demo(engine, counts)
        st.divider()
        render_reset(engine, counts, actor())


def actor() -> str:
    """Who the audit log names: the sidebar's name, else the page."""
    return str(st.session_state.get(IDENTITY_NAME) or "").strip() or "data page"


require_app_shell()
main()
