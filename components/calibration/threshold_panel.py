"""Suggest the MQL threshold: the one that fills sales' capacity, the best trade-off, and
any point the user clicks on the curve, with a button to use it in the draft.

Capacity reuses the definitions workspace's inputs and session keys (reps x MQLs a rep can
work per week), so both pages show the same capacity.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.calibration import cached
from components.calibration.suggestion_draft import flash, render_flash, write_into_draft
from components.calibration.threshold_charts import (
    PICK,
    build_threshold_spec,
    threshold_from_selection,
)
from components.definitions import draft_session as session
from components.definitions.impact_panel import capacity_inputs, current_capacity
from components.shell.identity import can
from domain.admin.access import Capability
from domain.calibration.quality import OUTCOME_STAGES
from domain.calibration.thresholds import (
    OBJECTIVES,
    ThresholdChoice,
    best_tradeoff,
    capacity_choice,
)
from domain.common.numbers import count, percent

PREFIX = "calib_threshold"
OUTCOME = f"{PREFIX}_outcome"
OBJECTIVE = f"{PREFIX}_objective"
CHART = f"{PREFIX}_curve"
CHOSEN = f"{PREFIX}_chosen"  # the picked threshold (not a widget): plain number
CHOSEN_VALUE = f"{PREFIX}_chosen_value"  # container key: a stable hook for browser tests


def render_threshold_panel(default_reps: int) -> None:
    draft = session.working_definition()
    outcome, objective = threshold_inputs(default_reps)
    curve = cached.get_threshold_curve(draft, outcome)
    if curve.empty:
        st.info("No leads to draw the curve from: seed or import leads first.")
        return
    capacity = current_capacity(default_reps)
    fills = capacity_choice(curve, capacity) if capacity > 0 else None
    best, why_not = _best(curve, objective)
    chosen = picked_threshold(curve, fills, best, draft.mql_threshold)
    render_choices(fills, best, why_not, capacity)
    if fills is not None and fills.threshold == float(curve["threshold"].min()):
        st.caption(
            "Even the loosest threshold makes fewer MQLs per week than sales can work: "
            "capacity does not limit the threshold, pick by the trade-off instead."
        )
    marks = {
        "draft": draft.mql_threshold,
        "fills capacity": None if fills is None else fills.threshold,
        "best trade-off": None if best is None else best.threshold,
    }
    st.vega_lite_chart(
        None, build_threshold_spec(curve, outcome=outcome, marks=marks, chosen=chosen),
        key=CHART, on_select=take_click, selection_mode=PICK, width="stretch",
    )  # fmt: skip
    render_chosen(curve, chosen, outcome)
    render_flash(PREFIX)


def threshold_inputs(default_reps: int) -> tuple[str, str]:
    left, right = st.columns(2)
    with left:
        outcome = st.segmented_control(
            "Wins are leads that reached", list(OUTCOME_STAGES), format_func=OUTCOME_STAGES.get,
            default="won", key=OUTCOME, persist_state="session",
        ) or "won"  # fmt: skip
        objective = st.selectbox(
            "Best trade-off maximises", list(OBJECTIVES), format_func=OBJECTIVES.get,
            key=OBJECTIVE, persist_state="session",
        )  # fmt: skip
    with right:
        st.markdown("**Sales capacity**: new MQLs the reps can work per week")
        capacity_inputs(default_reps=default_reps)
    return str(outcome), str(objective)


def picked_threshold(
    curve: pd.DataFrame,
    fills: ThresholdChoice | None,
    best: ThresholdChoice | None,
    draft_threshold: float,
) -> float:
    """The clicked threshold; before any click, the capacity's, the best, or the draft's."""
    clicked = st.session_state.get(CHOSEN)
    if clicked is not None and (curve["threshold"] == clicked).any():
        return float(clicked)
    for choice in (fills, best):
        if choice is not None:
            return choice.threshold
    return float(draft_threshold)


def take_click() -> None:
    """on_select: the clicked point's threshold becomes the chosen one."""
    event = st.session_state.get(CHART)
    points = event.selection.get(PICK) if event is not None else None
    picked = threshold_from_selection(points if isinstance(points, list) else [])
    if picked is not None:
        st.session_state[CHOSEN] = picked


def render_choices(
    fills: ThresholdChoice | None, best: ThresholdChoice | None, why_not: str, capacity: float
) -> None:
    left, right = st.columns(2)
    with left.container(key=f"{PREFIX}_fills"):
        if fills is None:
            st.metric("Fills the capacity", "—", border=True)
            st.caption("Set the sales reps and MQLs per rep to find it.")
        else:
            st.metric(
                f"Fills the capacity of {capacity:g}/week", f"{fills.threshold:g}", border=True
            )
            st.caption(fills.reason)
            st.button("Pick it", key=f"{PREFIX}_pick_fills", on_click=_pick, args=(fills,))
    with right.container(key=f"{PREFIX}_best"):
        if best is None:
            st.metric("Best trade-off", "—", border=True)
            st.caption(why_not)
        else:
            st.metric("Best trade-off", f"{best.threshold:g}", border=True)
            st.caption(best.reason)
            st.button("Pick it", key=f"{PREFIX}_pick_best", on_click=_pick, args=(best,))


def render_chosen(curve: pd.DataFrame, chosen: float, outcome: str) -> None:
    row = curve.iloc[int((curve["threshold"] - chosen).abs().argmin())]
    stage = "SQLs" if outcome == "sql" else "wins"
    share = row["wins_captured_share"]
    captured = percent(share)
    line = st.container(horizontal=True, vertical_alignment="center")
    with line.container(key=CHOSEN_VALUE, width="content"):
        st.markdown(f"{chosen:g}")
    line.markdown(
        f"← chosen threshold: **{count(int(row['mqls']))} MQLs**, about "
        f"**{row['mqls_per_week']:.1f} per week**, capturing **{captured}** of {stage} "
        f"({count(int(row['wins_captured']))})."
    )
    if can(Capability.edit_draft):
        line.button(
            f"Use threshold {chosen:g} in the draft", key=f"{PREFIX}_use", type="primary",
            on_click=use_threshold, args=(chosen,), icon=":material/tune:",
        )  # fmt: skip


def use_threshold(threshold: float) -> None:
    flash(
        PREFIX,
        write_into_draft(
            lambda draft: draft.replace(mql_threshold=float(threshold)),
            f"the MQL threshold {threshold:g}",
        ),
    )


def _pick(choice: ThresholdChoice) -> None:
    st.session_state[CHOSEN] = choice.threshold


def _best(curve: pd.DataFrame, objective: str) -> tuple[ThresholdChoice | None, str]:
    try:
        return best_tradeoff(curve, objective), ""
    except ValueError as exc:
        return None, f"Cannot tell: {exc}."
