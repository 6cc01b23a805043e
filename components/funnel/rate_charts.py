"""Conversion-rate charts: small multiples per step by group, and a cohort-month heatmap.

Every bar and cell shows the count behind the rate; small samples are drawn pale and
hatched with a warning sign, never dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from components.common.heatmap import build_heatmaps
from components.common.literal import READABLE_BAR_TEXT, chart_text
from components.common.tables import arrows
from domain.common.numbers import count, percent
from domain.funnel.cohorts import SMALL_SAMPLE

SMALL_MARK = "⚠"


def rate_text(rate: float, converted: int, cohort: int, small: bool) -> str:
    """'25.0% · 12/48', with a warning sign for a small sample; '– · 0/0' with nobody."""
    shown = "–" if math.isnan(rate) else percent(rate)
    return f"{shown} · {count(converted)}/{count(cohort)}{' ' + SMALL_MARK if small else ''}"


def build_rate_bars(
    rates: Mapping[str, tuple[pd.DataFrame, str]], steps: Sequence[str], group_title: str
) -> go.Figure:
    """One panel per step, a horizontal bar per group (and per definition) of
    `cohort_rates(..., by=...)` frames: {label: (frame, colour)}."""
    groups: list[str] = sorted({g for frame, _ in rates.values() for g in frame["group"]})
    figure = go.Figure()
    for column, step in enumerate(steps, start=1):
        for label, (frame, color) in rates.items():
            part = frame[frame["rate"] == step].set_index("group").reindex(groups)
            bars = _bars(part, label, color, show_legend=column == 1)
            figure.add_trace(bars.update(xaxis=_axis("x", column), yaxis="y"))
    figure.update_layout(
        **side_by_side([arrows(s) for s in steps]),
        barmode="group",
        height=max(260, 70 + 34 * len(groups) * len(rates)),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        showlegend=len(rates) > 1,
        legend={"orientation": "h", "y": -0.12, "x": 0},
        uniformtext=READABLE_BAR_TEXT,
    )
    figure.update_yaxes(autorange="reversed", title=group_title)
    return figure


def side_by_side(titles: Sequence[str], gap: float = 0.04) -> dict[str, object]:
    """Layout for panels side by side sharing one y axis (make_subplots costs ~30 ms)."""
    width = (1 - gap * (len(titles) - 1)) / max(len(titles), 1)
    layout: dict[str, object] = {}
    annotations = []
    for column, title in enumerate(titles, start=1):
        start = (column - 1) * (width + gap)
        layout[_axis("xaxis", column)] = {
            "domain": [round(start, 6), min(round(start + width, 6), 1.0)],
            "anchor": "y",
            "tickformat": ".0%",
            "rangemode": "tozero",
        }
        annotations.append(
            {"text": title, "x": start + width / 2, "xref": "paper", "y": 1.0, "yref": "paper",
             "yanchor": "bottom", "showarrow": False, "font": {"size": 14}}
        )  # fmt: skip
    return {**layout, "annotations": annotations}


def build_rate_heatmap(
    rates: Mapping[str, pd.DataFrame], steps: Sequence[str], x_title: str
) -> go.Figure:
    """Rates by cohort month (columns) and step (rows) of `cohort_rates(..., by=STAGE_MONTH)`
    frames, one panel per definition; each cell shows the rate and the counts behind it."""
    panels = {label: _heatmap_panel(frame, steps) for label, frame in rates.items()}
    return build_heatmaps(panels, x_title=x_title, zmax=1.0, tickformat=".0%")


def _heatmap_panel(frame: pd.DataFrame, steps: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    months = sorted(frame["group"].unique())
    pivot = {
        name: frame.pivot(index="rate", columns="group", values=name).reindex(
            index=list(steps), columns=months
        )
        for name in ("conversion", "converted", "from", "small_sample")
    }
    texts = pd.DataFrame(
        [[_cell(pivot, step, month) for month in months] for step in steps],
        index=[arrows(s) for s in steps],
        columns=months,
    )
    values = pivot["conversion"].astype(float)
    values.index = texts.index
    return values, texts


def _bars(part: pd.DataFrame, label: str, color: str, show_legend: bool) -> go.Bar:
    cohort = part["from"].fillna(0).astype(int)
    converted = part["converted"].fillna(0).astype(int)
    small = part["small_sample"].fillna(True).astype(bool)
    rate = part["conversion"].astype(float)
    text = [
        rate_text(r, c, n, s) for r, c, n, s in zip(rate, converted, cohort, small, strict=True)
    ]
    return go.Bar(
        name=label,
        legendgroup=label,
        showlegend=show_legend,
        orientation="h",
        y=[chart_text(g) for g in part.index],
        x=rate.fillna(0).to_numpy(),
        text=text,
        textposition="auto",
        # Pale small-sample bars need dark text inside them.
        insidetextfont={"color": ["#1f2d3d" if s else "white" for s in small]},
        marker=small_sample_marker(color, small),
        hovertemplate=(
            "%{y}: %{text}<br>(converted/cohort"
            f"; {SMALL_MARK} fewer than {SMALL_SAMPLE})<extra>{label}</extra>"
        ),
    )


def small_sample_marker(color: str, small: list[bool]) -> dict[str, object]:
    """Bars on fewer than SMALL_SAMPLE leads drawn pale and hatched: read them with care."""
    return {
        "color": color,
        "opacity": [0.45 if s else 1.0 for s in small],
        "pattern": {"shape": ["/" if s else "" for s in small]},
    }


def _cell(pivot: dict[str, pd.DataFrame], step: str, month: str) -> str:
    rate = pivot["conversion"].at[step, month]
    cohort = pivot["from"].at[step, month]
    if pd.isna(cohort):
        return ""
    small = bool(pivot["small_sample"].at[step, month])
    converted = int(pivot["converted"].at[step, month])
    return rate_text(float(rate), converted, int(cohort), small).replace(" · ", "<br>")


def _axis(prefix: str, column: int) -> str:
    return prefix if column == 1 else f"{prefix}{column}"
