"""The threshold trade-off curve: wins captured against MQL volume for every threshold.

`build_threshold_figure` is pure (the domain's `threshold_curve` frame in, go.Figure out).
Both lines carry markers with the threshold as customdata, so a click on either picks it
(`threshold_from_selection`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from components.impact_charts import CAPACITY_COLOR, DRAFT_COLOR, PUBLISHED_COLOR, WON_COLOR
from components.literal import CHART_TEXT_PX

BEST_COLOR = "#b9770e"
CHOSEN_COLOR = "#111111"
_HEIGHT = 340
# One label row per mark above the plot, in pixels (a paper fraction shrinks with the
# plot): taller than a line of CHART_TEXT_PX text, so stacked labels never touch.
MARK_ROW_PX = CHART_TEXT_PX + 10
CAPTURED_LABELS = {"won": "Wins captured (share of all wins)", "sql": "SQLs captured (share)"}
VOLUME_LABEL = "Leads made MQL (share of judged leads)"


def volume_share(curve: pd.DataFrame) -> pd.Series:
    """The share of judged leads made MQL at each threshold (0 where it cannot be told)."""
    return curve["volume_share"].astype(float).fillna(0)


def build_threshold_figure(
    curve: pd.DataFrame,
    *,
    outcome: str = "won",
    marks: Mapping[str, float | None] | None = None,
    chosen: float | None = None,
) -> go.Figure:
    """Wins captured and MQL volume (shares) by threshold, with labelled vertical marks
    ({"draft": 60, "fills capacity": 72, "best trade-off": 55}) and the chosen point."""
    thresholds = curve["threshold"].astype(float).tolist()
    volume = volume_share(curve).tolist()
    wins = curve["wins_captured_share"].astype(float).fillna(0).tolist()
    custom = [
        [t, int(m), float(w), float(p)]
        for t, m, w, p in zip(
            thresholds,
            curve["mqls"],
            curve["wins_captured"],
            curve["mqls_per_week"].fillna(0),
            strict=True,
        )
    ]
    captured = "SQLs" if outcome == "sql" else "wins"
    hover = (
        "Threshold %{customdata[0]:g}: %{customdata[1]:,} MQLs (%{customdata[3]:.1f}/week), "
        f"%{{customdata[2]:,.0f}} {captured} captured<extra></extra>"
    )
    lines = [
        _line(thresholds, wins, custom, CAPTURED_LABELS.get(outcome, "Captured"), WON_COLOR, hover),
        _line(thresholds, volume, custom, VOLUME_LABEL, DRAFT_COLOR, hover),
    ]
    shapes, notes = _marks(marks or {})
    if chosen is not None:
        lines.append(_chosen_point(curve, chosen))
    layout = {
        "height": _HEIGHT,
        # Room above the plot for one label row per mark: close marks must not overlap.
        "margin": {"l": 10, "r": 10, "t": 20 + MARK_ROW_PX * len(shapes), "b": 10},
        "xaxis": {"title": {"text": "MQL threshold (click a point to pick it)"}},
        "yaxis": {"title": {"text": "Share"}, "tickformat": ".0%", "range": [0, 1.05]},
        "legend": {"orientation": "h", "y": -0.3, "yanchor": "top", "x": 0},
        "hovermode": "closest",
        "clickmode": "event+select",
        "dragmode": False,
        "shapes": shapes,
        "annotations": notes,
    }
    return go.Figure(data=lines, layout=layout)


def threshold_from_selection(points: Sequence[Mapping[str, Any]]) -> float | None:
    """The threshold of the first clicked point (customdata[0], else its x)."""
    for point in points:
        custom = point.get("customdata")
        value = custom[0] if isinstance(custom, list | tuple) and custom else point.get("x")
        try:
            picked = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if not math.isnan(picked):
            return picked
    return None


def _line(
    x: list[float], y: list[float], custom: list[list[float]], name: str, color: str, hover: str
) -> go.Scatter:
    return go.Scatter(
        x=x,
        y=y,
        customdata=custom,
        mode="lines+markers",
        name=name,
        line={"color": color, "width": 2},
        marker={"size": 7, "color": color},
        hovertemplate=hover,
        # Keep every point at full strength after a click (plotly dims unselected ones).
        unselected={"marker": {"opacity": 1}},
    )


def _chosen_point(curve: pd.DataFrame, chosen: float) -> go.Scatter:
    row = curve.iloc[(curve["threshold"].astype(float) - chosen).abs().argsort()[:1]]
    return go.Scatter(
        x=[float(row["threshold"].iloc[0])] * 2,
        y=[float(row["wins_captured_share"].fillna(0).iloc[0]), float(volume_share(row).iloc[0])],
        mode="markers",
        name=f"Chosen: {chosen:g}",
        marker={"size": 15, "color": "rgba(0,0,0,0)", "line": {"color": CHOSEN_COLOR, "width": 3}},
        hoverinfo="skip",
    )


_MARK_STYLE: dict[str, tuple[str, str]] = {
    "draft": (DRAFT_COLOR, "dash"),
    "published": (PUBLISHED_COLOR, "dot"),
    "fills capacity": (CAPACITY_COLOR, "dash"),
    "best trade-off": (BEST_COLOR, "solid"),
}


def _marks(marks: Mapping[str, float | None]) -> tuple[list[object], list[object]]:
    shapes: list[object] = []
    notes: list[object] = []
    shown = [(label, float(x)) for label, x in marks.items() if x is not None and not math.isnan(x)]
    for row, (label, x) in enumerate(shown):
        color, dash = _MARK_STYLE.get(label, (CHOSEN_COLOR, "dot"))
        shapes.append(
            {"type": "line", "x0": x, "x1": x, "yref": "paper", "y0": 0, "y1": 1,
             "line": {"color": color, "dash": dash, "width": 2}}
        )  # fmt: skip
        notes.append(
            {"x": x, "yref": "paper", "y": 1, "yshift": MARK_ROW_PX * row,
             "text": f"{label} {x:g}", "showarrow": False, "yanchor": "bottom",
             "font": {"color": color, "size": CHART_TEXT_PX}}
        )  # fmt: skip
    return shapes, notes
