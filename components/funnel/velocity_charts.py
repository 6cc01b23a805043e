"""Velocity: days between stages (distribution and median by group), and speed-to-lead."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.common.heatmap import LIGHT_TO_AMBER, build_heatmaps
from components.common.literal import READABLE_BAR_TEXT, chart_text
from components.common.tables import (
    arrows,
    count_column,
    number_column,
    rate_column,
    render_table,
    with_arrows,
)
from components.shell.analytics import Side
from domain.common.numbers import count
from domain.follow_up.sla import follow_up_status
from domain.funnel.speed import STEPS, speed_to_lead, step_days, velocity_by

BREAKDOWNS = {"source": "Source", "owner": "Owner"}
VELOCITY_BY = "velocity_by"


def build_step_boxes(durations: Mapping[str, tuple[pd.DataFrame, str]]) -> go.Figure:
    """The spread of days per step (box: quartiles, line: median), one box per definition;
    `step_days` frames, {label: (frame, colour)}. Days run on a log scale."""
    figure = go.Figure()
    for label, (frame, color) in durations.items():
        # Same-moment steps (0 days) cannot sit on a log axis: a minute stands in for them.
        days = frame["days"].clip(lower=1 / 1440)
        figure.add_trace(
            go.Box(
                name=label,
                x=days,
                y=frame["step"].map(arrows),
                orientation="h",
                marker={"color": color},
                boxpoints=False,
                hovertemplate="%{y}: %{x:.1f} days<extra>" + label + "</extra>",
            )
        )
    figure.update_xaxes(type="log", title="days (log scale)")
    order = [arrows(s) for s in STEPS[::-1]]
    figure.update_yaxes(categoryorder="array", categoryarray=order, title=None)
    figure.update_layout(
        boxmode="group",
        height=360,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        showlegend=len(durations) > 1,
        legend={"orientation": "h", "y": -0.2, "x": 0},
    )
    return figure


def build_velocity_heatmap(tables: Mapping[str, pd.DataFrame], group_title: str) -> go.Figure:
    """Median days per group (rows) and step (columns) of `velocity_by` frames, with the
    number of leads behind each median."""
    panels = {}
    for label, frame in tables.items():
        medians = frame.pivot(index="group", columns="step", values="median_days")
        leads = frame.pivot(index="group", columns="step", values="leads")
        columns = [s for s in STEPS if s in medians.columns]
        medians, leads = medians.reindex(columns=columns), leads.reindex(columns=columns)
        texts = medians.combine(leads, _velocity_cell)
        medians.columns = texts.columns = [arrows(c) for c in columns]
        panels[label] = (medians, texts)
    return build_heatmaps(panels, x_title="step", colorscale=LIGHT_TO_AMBER).update_yaxes(
        title=group_title
    )


def build_speed_bars(
    speeds: Mapping[str, tuple[pd.DataFrame, str]], sla_hours: float, group_title: str
) -> go.Figure:
    """Median hours from MQL to the first sales touch per group (`speed_to_lead` frames),
    with the SLA as a line; each bar says how many MQLs were followed up."""
    figure = go.Figure()
    for label, (frame, color) in speeds.items():
        text = [
            f"{h:.1f} h · {count(f)}/{count(m)} followed up"
            if h == h
            else f"– · 0/{count(m)} followed up"
            for h, f, m in zip(
                frame["median_hours"], frame["followed_up"], frame["mqls"], strict=True
            )
        ]
        figure.add_trace(
            go.Bar(
                name=label,
                orientation="h",
                y=frame["group"].map(chart_text),
                x=frame["median_hours"].fillna(0),
                text=text,
                textposition="auto",
                marker={"color": color},
                hovertemplate="%{y}: %{text}<extra>" + label + "</extra>",
            )
        )
    figure.add_vline(x=sla_hours, line_dash="dash", line_color="#b5473a")
    figure.add_annotation(x=sla_hours, y=1.02, yref="paper", text=f"SLA {sla_hours:g} h",
                          showarrow=False, font={"color": "#b5473a"})  # fmt: skip
    groups = max((len(f) for f, _ in speeds.values()), default=1)
    figure.update_xaxes(title="median hours to the first sales touch", rangemode="tozero")
    figure.update_yaxes(autorange="reversed", title=group_title)
    figure.update_layout(
        barmode="group",
        height=max(240, 80 + 30 * groups * len(speeds)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        showlegend=len(speeds) > 1,
        legend={"orientation": "h", "y": -0.15, "x": 0},
        uniformtext=READABLE_BAR_TEXT,
    )
    return figure


def render_velocity(sides: Sequence[Side], touches: pd.DataFrame, as_of: object) -> None:
    by = st.segmented_control(
        "Break down by", tuple(BREAKDOWNS), format_func=BREAKDOWNS.__getitem__,
        default="source", key=VELOCITY_BY, persist_state="session",
    ) or "source"  # fmt: skip
    title = BREAKDOWNS[by]
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**Days between stages** (leads in view that made the step)")
        boxes = {s.label: (step_days(s.table), s.color) for s in sides}
        st.plotly_chart(build_step_boxes(boxes), key="velocity_boxes", width="stretch")
    tables = {s.label: velocity_by(s.table, by) for s in sides}
    with right:
        st.markdown(f"**Median days per step, by {title.lower()}** (leads behind each)")
        figure = build_velocity_heatmap(tables, title)
        st.plotly_chart(figure, key="velocity_heatmap", width="stretch")
    render_table(
        _with_definition(tables), key="velocity_table", file_name=f"velocity-by-{by}.csv",
        column_config=_velocity_config(len(sides) > 1, title),
    )  # fmt: skip
    render_speed(sides, touches, as_of, by)


def render_speed(sides: Sequence[Side], touches: pd.DataFrame, as_of: object, by: str) -> None:
    title = BREAKDOWNS[by]
    st.markdown(f"**Speed-to-lead by {title.lower()}**: hours from MQL to the first sales touch")
    speeds = {}
    for side in sides:
        status = follow_up_status(side.table, touches, side.definition.sla_hours, as_of)
        speeds[side.label] = speed_to_lead(status, side.table[by], side.definition.sla_hours)
    sla = sides[0].definition.sla_hours
    bars = {
        label: (frame, side.color)
        for (label, frame), side in zip(speeds.items(), sides, strict=True)
    }
    st.plotly_chart(build_speed_bars(bars, sla, title), key="speed_bars", width="stretch")
    render_table(
        _with_definition(speeds), key="speed_table", file_name=f"speed-to-lead-by-{by}.csv",
        column_config=_speed_config(len(sides) > 1, title),
    )  # fmt: skip


def _velocity_cell(median: pd.Series, leads: pd.Series) -> pd.Series:
    return pd.Series(
        [
            "" if pd.isna(n) else f"{m:.1f} d<br>n={int(n)}"
            for m, n in zip(median, leads, strict=True)
        ],
        index=median.index,
    )


def _with_definition(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    parts = [frame.assign(definition=label) for label, frame in frames.items()]
    combined = pd.concat(parts, ignore_index=True)
    if "step" in combined:
        combined = with_arrows(combined, "step")
    return combined[["definition", *[c for c in combined.columns if c != "definition"]]]


def _velocity_config(compare: bool, title: str) -> dict[str, object]:
    return {
        "definition": "Definition" if compare else None,
        "group": title,
        "step": "Step",
        "leads": count_column("Leads"),
        "median_days": number_column("Median days"),
        "p25_days": number_column("25th pct days"),
        "p75_days": number_column("75th pct days"),
    }


def _speed_config(compare: bool, title: str) -> dict[str, object]:
    return {
        "definition": "Definition" if compare else None,
        "group": title,
        "mqls": count_column("MQLs"),
        "followed_up": count_column("Followed up"),
        "median_hours": number_column("Median hours to first touch"),
        "within_sla": count_column("Within SLA"),
        "share_within_sla": rate_column(
            "Share within SLA", help="Of the MQLs whose SLA has run out (waiting ones not judged)"
        ),
        "waiting": count_column("Waiting"),
        "never": count_column("Never followed up"),
        "share_never": rate_column("Share never"),
    }
