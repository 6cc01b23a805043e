"""Streamlit's floor for the slider benchmark: one slider and one number, nothing else.

bench/browser_slider.py times it beside Baton's definitions workspace in the same run, on
the same machine, so the ratio says how far the meeting loop is from what Streamlit costs.
"""

import streamlit as st

threshold = st.slider("MQL threshold", 0, 100, 60, key="mql_threshold")
with st.container(key="draft_mql_count"):
    st.markdown(f"{threshold * 7:,} MQLs")
