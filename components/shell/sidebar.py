"""The shared sidebar: filters every page reads through `state.current_filters()`.

It is rendered by app.py on every run, so its widgets (and their values) survive page
switches; pages never create these widgets themselves.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from components.shell.state import (
    FILTER_CREATED,
    FILTER_DATE_STAGE,
    FILTER_KEYS,
    FILTER_OWNER,
    FILTER_SEGMENT,
    FILTER_SOURCE,
    FilterOptions,
)

# The date bounds the range widget was last drawn with (not a widget key).
CREATED_BOUNDS = "filter_created_bounds"
# What the date range can apply to: the creation date ("Suspect") or a stage's date.
DATE_STAGE_LABELS: dict[str, str] = {
    "Suspect": "Created",
    "Lead": "Became a lead",
    "MQL": "Became MQL",
    "SAL": "Accepted by sales (SAL)",
    "SQL": "Became SQL",
    "Opportunity": "Became an opportunity",
    "Won": "Won",
}
DATE_STAGE_HELP = (
    "Which date the range applies to. **Created** keeps the leads created in the range; "
    "a stage keeps the leads that reached it in the range (a lead that skipped the stage "
    "reached it with the next stage it did reach), e.g. this month's MQLs and how far they got."
)


def render_sidebar(options: FilterOptions) -> None:
    with st.sidebar:
        st.subheader("Filters")
        if options.first_day is not None and options.last_day is not None:
            bounds = (options.first_day, options.last_day)
            follow_new_bounds(bounds)
            stage = st.selectbox(
                "Date range applies to",
                tuple(DATE_STAGE_LABELS),
                format_func=DATE_STAGE_LABELS.__getitem__,
                key=FILTER_DATE_STAGE,
                help=DATE_STAGE_HELP,
            )
            st.date_input(
                f"{DATE_STAGE_LABELS[stage or 'Suspect']} between",
                value=bounds,
                min_value=bounds[0],
                max_value=bounds[1],
                key=FILTER_CREATED,
            )
        st.multiselect("Source", options.sources, key=FILTER_SOURCE, placeholder="All sources")
        st.multiselect("Segment", options.segments, key=FILTER_SEGMENT, placeholder="All segments")
        st.multiselect("Owner", options.owners, key=FILTER_OWNER, placeholder="All owners")
        st.button("Clear filters", key="filter_clear", on_click=clear_filters)


def follow_new_bounds(bounds: tuple[date, date]) -> None:
    """Widen the date range with the data unless the user narrowed it.

    A keyed widget keeps its value when its default changes, so after an import of newer
    leads a session would otherwise keep hiding them behind the old full range.
    """
    state = st.session_state
    previous = state.get(CREATED_BOUNDS)
    state[CREATED_BOUNDS] = bounds
    chosen = tuple(state.get(FILTER_CREATED) or ())
    if previous is None or previous == bounds or FILTER_CREATED not in state:
        return
    outside = any(day < bounds[0] or day > bounds[1] for day in chosen)
    if chosen == tuple(previous) or outside:
        state[FILTER_CREATED] = bounds


def clear_filters() -> None:
    # Dropping the keys (rather than writing values) lets each widget fall back to its
    # own default, e.g. the full date range of the current data.
    for key in FILTER_KEYS:
        st.session_state.pop(key, None)
