"""Heatmap small multiples: one panel per definition, the same colour scale for all."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from components.common.literal import CHART_TEXT_PX, chart_text

LIGHT_TO_BLUE = [[0.0, "#f4f7fb"], [1.0, "#2a5fa8"]]
LIGHT_TO_AMBER = [[0.0, "#fbf7f1"], [1.0, "#c8742b"]]


def build_heatmaps(
    panels: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]],
    *,
    x_title: str,
    colorscale: list[list[object]] = LIGHT_TO_BLUE,
    zmax: float | None = None,
    tickformat: str = "",
) -> go.Figure:
    """{title: (values, cell texts)}, both frames indexed by row label with column labels;
    a missing value is a blank cell. Panels stack vertically and share the colour scale."""
    titles = list(panels)
    figure = go.Figure()
    highest = zmax
    if highest is None:
        highest = max((float(v.max(axis=None)) for v, _ in panels.values() if v.size), default=1)
    scale: dict[str, object] = {
        "colorscale": colorscale,
        "zmax": highest if highest and highest == highest else 1,
    }
    for row, (values, texts) in enumerate(panels.values(), start=1):
        figure.add_trace(_panel(values, texts, row, scale, tickformat))
    figure.update_layout(**_stacked(titles))
    figure.update_xaxes(type="category")
    # Only the bottom panel names its axis: above, the title would run into the next panel.
    figure.update_layout({f"{_name('xaxis', len(titles))}_title_text": x_title})
    figure.update_yaxes(type="category", autorange="reversed")
    rows = max((len(v.index) for v, _ in panels.values()), default=1)
    figure.update_layout(
        height=60 + len(titles) * (70 + 46 * rows),
        margin={"l": 10, "r": 10, "t": 40 if len(titles) > 1 else 10, "b": 10},
    )
    return figure


def _panel(
    values: pd.DataFrame, texts: pd.DataFrame, row: int, scale: dict[str, object], tickformat: str
) -> go.Heatmap:
    return go.Heatmap(
        z=values.to_numpy(dtype=float),
        x=[str(c) for c in values.columns],
        y=[chart_text(i) for i in values.index],
        text=texts.to_numpy(dtype=object),
        texttemplate="%{text}",
        textfont={"size": CHART_TEXT_PX},  # never auto-shrunk below a readable size
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        zmin=0,
        **scale,
        showscale=row == 1,
        colorbar={"tickformat": tickformat, "len": 0.8},
        xgap=2,
        ygap=2,
        xaxis=_name("x", row),
        yaxis=_name("y", row),
    )


def _stacked(titles: list[str], gap: float = 0.14) -> dict[str, object]:
    """Layout for panels stacked top to bottom (make_subplots costs ~30 ms a call)."""
    n = max(len(titles), 1)
    gap = gap if n > 1 else 0.0
    height = (1 - gap * (n - 1)) / n
    layout: dict[str, object] = {}
    annotations = []
    for row, title in enumerate(titles, start=1):
        top = 1 - (row - 1) * (height + gap)
        layout[_name("xaxis", row)] = {"domain": [0, 1], "anchor": _name("y", row)}
        bottom = max(round(top - height, 6), 0.0)  # float error must not dip below 0
        layout[_name("yaxis", row)] = {"domain": [bottom, round(top, 6)], "anchor": _name("x", row)}
        if n > 1:
            annotations.append(
                {"text": title, "x": 0.5, "xref": "paper", "y": top, "yref": "paper",
                 "yanchor": "bottom", "showarrow": False, "font": {"size": 14}}
            )  # fmt: skip
    return {**layout, "annotations": annotations}


def _name(prefix: str, row: int) -> str:
    return prefix if row == 1 else f"{prefix}{row}"
