"""Home: the funnel under the one shared definition, with the sidebar filters applied."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.common.kpis import compute_kpis, render_kpis
from components.common.literal import md
from components.funnel.funnel_chart import render_funnel
from components.shell import state
from components.shell.analytics import NO_DEFINITION, NO_LEADS, warn_missing_attributes
from components.shell.app_shell import require_app_shell
from domain.common.numbers import COLUMN_PERCENT_POINTS, count
from domain.definitions.definition import Definition
from domain.funnel.metrics import apply_filters, conversion_rates, funnel

TITLE = "Baton — one shared definition of a qualified lead"
NO_MATCH = (
    "No leads match these filters — widen the date range or clear the source and owner "
    "filters (**Clear filters** in the sidebar)."
)


def main() -> None:
    st.title(TITLE)
    published = state.get_published()
    if published is None:
        st.info(NO_DEFINITION, icon=":material/info:")
        return
    version, definition = published
    show_definition(version, definition)
    # Checked before scoring: with no leads there are no custom attribute columns either,
    # and a fit rule on one (e.g. seniority) would refuse to score.
    if state.get_model().n_leads == 0:
        st.info(NO_LEADS, icon=":material/info:")
        return
    warn_missing_attributes(definition, "published")
    table = state.scored_table(definition)
    view = apply_filters(table, state.current_filters())
    if view.empty:
        st.info(NO_MATCH, icon=":material/filter_alt_off:")
        return
    as_of = state.get_model().as_of
    touches = state.get_touches()
    render_kpis(compute_kpis(view, touches, definition.sla_hours, as_of, all_leads=len(table)))
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("Funnel")
        render_funnel(funnel(view), key="funnel_chart")
    with right:
        st.subheader("Conversion")
        show_conversion(view)
    st.caption(
        f"{count(len(view))} of {count(len(table))} leads in view "
        f"· scored as of {as_of:%Y-%m-%d %H:%M} UTC"
    )


def show_definition(version: int, definition: Definition) -> None:
    st.markdown(f"Everyone is looking at numbers under published definition **v{version}**.")
    criteria = definition.sql_criteria
    hand_raisers = md(", ".join(h.replace("_", " ") for h in definition.hand_raisers) or "none")
    st.caption(
        f"MQL: score ≥ {definition.mql_threshold:g} points, or a hand-raiser "
        f"({hand_raisers}) · SQL: a rep's conversation and at least {criteria.min_bant} of "
        f"4 BANT answers · follow-up SLA {definition.sla_hours:g} h"
    )


def show_conversion(view: pd.DataFrame) -> None:
    rates = conversion_rates(view).drop(columns=["group"])
    # Shown as percent with one decimal, like the KPI tiles; the arrow reads better.
    rates = rates.assign(
        rate=rates["rate"].str.replace("->", "→", regex=False),
        conversion=rates["conversion"] * 100,
    )
    st.dataframe(
        rates,
        key="conversion_table",
        hide_index=True,
        width="stretch",
        column_config={
            "rate": st.column_config.TextColumn("Step"),
            "from": st.column_config.NumberColumn("From", format="localized"),
            "converted": st.column_config.NumberColumn("Converted", format="localized"),
            "conversion": st.column_config.NumberColumn("Rate", format=COLUMN_PERCENT_POINTS),
        },
    )
    st.caption("From: leads that reached the first stage. Converted: of those, reached the next.")


require_app_shell()
main()
