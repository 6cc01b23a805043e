"""Charts of a draft's impact: score histogram, weekly MQLs against capacity, score bands.

`build_*` functions are pure (frames in, go.Figure out) and unit-testable; `render_*`
draw them. Figures are small: the domain hands over pre-binned counts, never leads.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

PUBLISHED_COLOR = "#9aa5b1"
DRAFT_COLOR = "#2a5fa8"
CAPACITY_COLOR = "#c0392b"
WON_COLOR = "#1e8449"
_CONFIG = {"displayModeBar": False}
_HEIGHT = 260


def build_histogram_figure(
    histogram: pd.DataFrame, published_threshold: float, draft_threshold: float
) -> go.Figure:
    """Leads per score bin under both definitions, with both MQL thresholds drawn."""
    middle = ((histogram["bin_start"] + histogram["bin_end"]) / 2).tolist()
    width = float((histogram["bin_end"] - histogram["bin_start"]).iloc[0]) if len(histogram) else 1
    bars = [
        go.Bar(
            x=middle,
            y=histogram[column].tolist(),
            width=width,
            name=name,
            marker={"color": color},
            opacity=0.55,
            hovertemplate=f"{name}: %{{y:,}} leads scoring %{{x:g}} ± {width / 2:g}<extra></extra>",
        )
        for column, name, color in (
            ("published", "Published", PUBLISHED_COLOR),
            ("draft", "Draft", DRAFT_COLOR),
        )
    ]
    if published_threshold == draft_threshold:
        lines = [_vertical(draft_threshold, "threshold (both)", DRAFT_COLOR, "solid", "left")]
    else:
        # Each label points away from the other line (the lower one's to its left), so two
        # close thresholds never overprint, whichever of them is higher.
        lower = "right" if published_threshold < draft_threshold else "left"
        higher = "left" if lower == "right" else "right"
        lines = [
            _vertical(published_threshold, "published", PUBLISHED_COLOR, "dash", lower),
            _vertical(draft_threshold, "draft", DRAFT_COLOR, "solid", higher),
        ]
    layout = {
        "barmode": "overlay",
        "xaxis": {"title": {"text": "Score today"}},
        "yaxis": {"title": {"text": "Leads"}},
        "shapes": [shape for shape, _ in lines],
        "annotations": [note for _, note in lines],
        **_layout(),
        # Inside the plot, top right (the thin tail): the threshold labels sit above it.
        "legend": {"x": 0.99, "y": 0.97, "xanchor": "right", "yanchor": "top"},
    }
    # One constructor call: plotly's add_vline is slow, and this runs on every slider move.
    return go.Figure(data=bars, layout=layout)


def build_workload_figure(weekly: pd.DataFrame, capacity: float) -> go.Figure:
    """New MQLs per recent week under both definitions, against sales capacity."""
    weeks = [f"{stamp:%b %d}" for stamp in weekly["week_start"]]
    bars = [
        go.Bar(
            x=weeks,
            y=weekly[column].tolist(),
            name=name,
            marker={"color": color},
            hovertemplate=f"Week of %{{x}}: %{{y:,}} MQLs ({column})<extra></extra>",
        )
        for column, name, color in (
            ("published", "Published", PUBLISHED_COLOR),
            ("draft", "Draft", DRAFT_COLOR),
        )
    ]
    layout: dict[str, object] = {
        "barmode": "group",
        "yaxis": {"title": {"text": "New MQLs"}},
        **_layout(),
    }
    if capacity > 0:
        layout["shapes"], layout["annotations"] = _capacity_line(capacity)
    return go.Figure(data=bars, layout=layout)


def build_score_band_figure(bands: pd.DataFrame, threshold_band: str) -> go.Figure:
    """Share of each score band's leads that reached SQL and Won (under the draft)."""
    labels = [
        f"<b>{band}</b>" if band == threshold_band else band for band in bands["band"].tolist()
    ]
    custom = bands[["leads", "sqls", "won"]].to_numpy().tolist()
    bars = [
        go.Bar(
            x=labels,
            y=bands[column].fillna(0).tolist(),
            name=name,
            marker={"color": color},
            customdata=custom,
            hovertemplate=(
                f"Score %{{x}}: %{{y:.1%}} {name.lower()} "
                f"(%{{customdata[{index}]:,}} of %{{customdata[0]:,}} leads)<extra></extra>"
            ),
        )
        for column, name, color, index in (
            ("sql_rate", "Reached SQL", DRAFT_COLOR, 1),
            ("won_rate", "Won", WON_COLOR, 2),
        )
    ]
    layout = {
        "barmode": "group",
        "xaxis": {"title": {"text": "Score band (draft; the threshold's band in bold)"}},
        "yaxis": {"title": {"text": "Share of leads"}, "tickformat": ".0%"},
        **_layout(),
    }
    return go.Figure(data=bars, layout=layout)


def render_figure(figure: go.Figure, key: str) -> None:
    st.plotly_chart(figure, key=key, width="stretch", config=_CONFIG)


def _capacity_line(capacity: float) -> tuple[list[object], list[object]]:
    """A dashed full-width line at `capacity`, labelled, as plain layout dicts."""
    shape = {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": capacity,
        "y1": capacity,
        "line": {"color": CAPACITY_COLOR, "dash": "dash", "width": 2},
    }
    note = {
        "xref": "paper",
        "x": 0,
        "y": capacity,
        "text": f"capacity {capacity:g}/week",
        "showarrow": False,
        "xanchor": "left",
        "yanchor": "bottom",
        "font": {"color": CAPACITY_COLOR},
    }
    return [shape], [note]


def _vertical(
    x: float, label: str, color: str, dash: str, side: str
) -> tuple[dict[str, object], dict[str, object]]:
    """A full-height line at `x` and its label, as plain layout dicts."""
    shape = {
        "type": "line",
        "x0": x,
        "x1": x,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": color, "dash": dash, "width": 2},
    }
    note = {
        "x": x,
        "yref": "paper",
        "y": 1,
        "text": f"{label} {x:g}",
        "showarrow": False,
        "xanchor": side,
        "yanchor": "bottom",
        "font": {"color": color},
    }
    return shape, note


def _layout() -> dict[str, object]:
    return {
        "height": _HEIGHT,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "legend": {"orientation": "h", "y": 1.12, "x": 1, "xanchor": "right"},
        "bargap": 0.1,
    }
