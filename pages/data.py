"""Data: import CRM exports (CSV), export scores, load the demo or delete everything."""

from __future__ import annotations

import streamlit as st

from components.data.data_export import render_export
from components.data.data_notices import show_notices
from components.data.data_reset import render_data_counts, render_demo, render_reset
from components.data.import_flow import render_import
from components.data.value_check import render_value_check
from components.shell import state
from components.shell.app_shell import require_app_shell
from components.shell.identity import author_name, can
from domain.admin.access import Capability
from gateways import data as gateway

TABS = ("Import", "Export", "Demo and reset")
ADMINS_ONLY = "Only admins {what}: ask one (the Admin page lists them)."
NO_DATA = (
    "There is no lead data yet. Upload your CRM's CSV export under **Import** (leads first), "
    "or load the demo data under **Demo and reset**."
)


def main() -> None:
    st.title("Data")
    show_notices()
    engine = state.get_engine_cached()
    counts = gateway.count_rows(engine)
    if not counts.get("lead", 0):
        st.info(NO_DATA, icon=":material/info:")
    importing, exporting, resetting = st.tabs(TABS, key="data_tab")
    with importing:
        if can(Capability.import_data):
            render_import(engine, actor())
            if counts.get("lead", 0):
                st.divider()
                render_value_check(engine)
        else:
            st.info(ADMINS_ONLY.format(what="import data"), icon=":material/lock:")
    with exporting:
        render_export()
    with resetting:
        render_data_counts(counts)
        if not can(Capability.reset_data):
            st.info(ADMINS_ONLY.format(what="load the demo or delete data"), icon=":material/lock:")
            return
        render_demo(engine, counts)
        st.divider()
        render_reset(engine, counts, actor())


def actor() -> str:
    """Who the audit log names (the writes record the checked actor themselves)."""
    return author_name()


require_app_shell()
main()
