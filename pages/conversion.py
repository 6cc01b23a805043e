"""Conversion: which channels, segments, owners and months bring leads that convert, and
is marketing (Lead -> MQL) or sales (MQL -> SQL, SQL -> Won) the bottleneck?"""

from __future__ import annotations

import streamlit as st

from components.funnel.rate_views import (
    BREAKDOWNS,
    min_age_inputs,
    render_breakdown,
    render_key_rates,
    render_month_heatmap,
    steps_in_view,
)
from components.shell.analytics import load_scope, render_scope_caption
from components.shell.app_shell import require_app_shell


def main() -> None:
    st.title("Conversion")
    scope = load_scope()
    if scope is None:
        return
    steps = steps_in_view(scope.filters)
    if not steps:
        return
    min_age = min_age_inputs(steps)
    st.subheader("The three rates both teams argue about")
    render_key_rates(scope, steps, min_age)
    st.subheader("Broken down")
    tabs = st.tabs([*BREAKDOWNS.values(), "Cohort month"])
    for tab, by in zip(tabs, BREAKDOWNS, strict=False):
        with tab:
            render_breakdown(scope, steps, min_age, by)
    with tabs[-1]:
        render_month_heatmap(scope, steps, min_age)
    render_scope_caption(scope)


require_app_shell()
main()
