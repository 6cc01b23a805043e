"""Funnel: where do leads get stuck? Stage counts with a drill-down to the leads, the flows
between stages, and how long each step takes (speed-to-lead included)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components.common.tables import render_table
from components.funnel.flow_chart import render_flows
from components.funnel.funnel_drill import funnel_numbers, numbers_config, render_funnel_drill
from components.funnel.velocity_charts import render_velocity
from components.shell import state
from components.shell.analytics import Side, load_scope, render_scope_caption
from components.shell.app_shell import require_app_shell


def main() -> None:
    st.title("Funnel")
    scope = load_scope()
    if scope is None:
        return
    st.subheader("How far leads got")
    drill(scope.sides)
    render_table(
        funnel_numbers(scope.sides),
        key="funnel_numbers",
        file_name="funnel.csv",
        column_config=numbers_config(scope.sides),
    )
    st.subheader("How leads move between stages")
    render_flows(scope.sides)
    st.subheader("How long each step takes")
    render_velocity(scope.sides, state.get_touches(), scope.as_of)
    render_scope_caption(scope)


# A click on a bar reruns only this part of the page.
@st.fragment
def drill(sides: Sequence[Side]) -> None:
    render_funnel_drill(sides)


require_app_shell()
main()
