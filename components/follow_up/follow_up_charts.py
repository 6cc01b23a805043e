"""Follow-up over time: the share of MQLs followed up within the SLA, by week and owner.

`build_*` functions are pure (frames in, figures out); `render_*` draws them.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.common.literal import CHART_TEXT_PX, chart_text
from domain.common.numbers import COLUMN_PERCENT_POINTS, D3_PERCENT_POINTS, percent_points
from domain.follow_up.report import follow_up_by, follow_up_by_week, share_pivot

RECENT_WEEKS = 12
_HEIGHT_PER_ROW = 34


def build_weekly_figure(weekly: pd.DataFrame) -> go.Figure:
    """Bars: MQLs per week; line: the share followed up within the SLA (right axis)."""
    figure = go.Figure()
    figure.add_bar(x=weekly["week"], y=weekly["mqls"], name="MQLs", marker_color="#c7d2e0")
    figure.add_scatter(
        x=weekly["week"],
        y=weekly["share_within_sla"] * 100,
        name="Followed up within SLA",
        mode="lines+markers",
        yaxis="y2",
        line={"color": "#1f6feb", "width": 3},
        hovertemplate=f"%{{y:{D3_PERCENT_POINTS}}}%<extra></extra>",
    )
    figure.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.15},
        yaxis={"title": "MQLs"},
        yaxis2={"title": "within SLA", "overlaying": "y", "side": "right", "range": [0, 100],
                "tickvals": [0, 25, 50, 75, 100], "ticksuffix": "%", "showgrid": False},
        xaxis={"title": None},
    )  # fmt: skip
    return figure


def build_owner_heatmap(pivot: pd.DataFrame) -> go.Figure:
    """Owners x recent weeks, coloured by the share followed up within the SLA."""
    values = pivot.to_numpy(dtype=float) * 100
    text = [["" if math.isnan(v) else percent_points(v) for v in row] for row in values]
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=[f"{pd.Timestamp(w):%d %b}" for w in pivot.columns],
            y=[chart_text(o) for o in pivot.index],
            text=text,
            texttemplate="%{text}",
            textfont={"size": CHART_TEXT_PX},
            colorscale="RdYlGn",
            zmin=0,
            zmax=100,
            colorbar={"title": "within SLA", "ticksuffix": "%"},
            hovertemplate="%{y}, week of %{x}: %{text}<extra></extra>",
        )
    )
    figure.update_layout(
        height=80 + _HEIGHT_PER_ROW * max(len(pivot), 1),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={"autorange": "reversed"},
    )
    return figure


def render_report(status: pd.DataFrame, table: pd.DataFrame, key: str) -> None:
    """By owner (worst first), the weekly trend, and owners x weeks."""
    if status.empty:
        st.info("No MQLs in view yet, so nothing to report.", icon=":material/info:")
        return
    st.subheader("By owner")
    st.caption(
        "Within SLA: share of MQLs whose SLA ran out that got a first touch in time. "
        "Never: share of MQLs with no touch after 30 days. Worst first."
    )
    by_owner = follow_up_by(status, table, "owner")
    st.dataframe(
        by_owner.assign(
            share_within_sla=by_owner["share_within_sla"] * 100,
            share_never=by_owner["share_never"] * 100,
        )[["owner", "mqls", "share_within_sla", "share_never", "never", "waiting", "median_hours"]],
        key=f"{key}_by_owner",
        hide_index=True,
        width="stretch",
        column_config={
            "owner": st.column_config.TextColumn("Owner"),
            "mqls": st.column_config.NumberColumn("MQLs", format="localized"),
            "share_within_sla": st.column_config.ProgressColumn(
                "Within SLA", format=COLUMN_PERCENT_POINTS, min_value=0, max_value=100
            ),
            "share_never": st.column_config.NumberColumn("Never", format=COLUMN_PERCENT_POINTS),
            "never": st.column_config.NumberColumn("Never (leads)", format="localized"),
            "waiting": st.column_config.NumberColumn("Waiting now", format="localized"),
            "median_hours": st.column_config.NumberColumn("Median h to 1st touch", format="%.1f"),
        },
    )
    st.subheader("By week")
    weekly = follow_up_by_week(status)
    st.plotly_chart(build_weekly_figure(weekly), key=f"{key}_weekly", width="stretch")
    st.caption(f"Share within SLA by owner, the last {RECENT_WEEKS} weeks (week of the MQL moment)")
    pivot = share_pivot(follow_up_by_week(status, table, "owner"), "owner", RECENT_WEEKS)
    st.plotly_chart(build_owner_heatmap(pivot), key=f"{key}_heatmap", width="stretch")
