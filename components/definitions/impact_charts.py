"""Charts of a draft's impact: score histogram, weekly MQLs against capacity, score bands.

`build_*` functions are pure (frames in, a go.Figure or a Vega-Lite spec out) and
unit-testable; `render_*` draw them. Charts are small: the domain hands over pre-binned
counts, never leads. The two charts redrawn on every slider move (histogram, workload) are
Vega-Lite: Streamlit swaps their data in place, where a Plotly chart is drawn anew.
"""

from __future__ import annotations

from itertools import pairwise

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.common.literal import CHART_TEXT_PX
from components.common.vega import (
    CAPACITY_COLOR,
    DRAFT_COLOR,
    PUBLISHED_COLOR,
    WON_COLOR,
    Spec,
    svg_spec,
)
from domain.funnel.impact import SCORE_BAND_EDGES

THRESHOLD_BAND_COLOR = "rgba(42, 95, 168, 0.12)"
_CONFIG = {"displayModeBar": False}
_HEIGHT = 260


def build_histogram_spec(
    histogram: pd.DataFrame, published_threshold: float, draft_threshold: float
) -> Spec:
    """Leads per score bin under both definitions, with both MQL thresholds drawn."""
    bins = pd.concat(
        [
            pd.DataFrame(
                {
                    "start": histogram["bin_start"].astype(float),
                    "end": histogram["bin_end"].astype(float),
                    "scores": [
                        f"{start:g} to {end:g}"
                        for start, end in zip(
                            histogram["bin_start"], histogram["bin_end"], strict=True
                        )
                    ],
                    "leads": histogram[column].astype(int),
                    "definition": name,
                }
            )
            for column, name in (("published", "Published"), ("draft", "Draft"))
        ],
        ignore_index=True,
    )
    bars = {
        "data": {"name": "bins"},
        "mark": {"type": "rect", "opacity": 0.55},
        "encoding": {
            "x": {"field": "start", "type": "quantitative", "title": "Score today"},
            "x2": {"field": "end"},
            "y": {"field": "leads", "type": "quantitative", "title": "Leads"},
            "y2": {"datum": 0},
            "color": _definition_colors(),
            "tooltip": [
                {"field": "definition", "title": "Definition"},
                {"field": "scores", "title": "Score"},
                {"field": "leads", "title": "Leads", "format": ",d"},
            ],
        },
    }
    middle = (float(bins["start"].min()) + float(bins["end"].max())) / 2 if len(bins) else 0.0
    marks = threshold_marks(published_threshold, draft_threshold, middle)
    return _spec(
        {"bins": bins, "marks": marks},
        [bars, *_mark_layers("marks", "x", ("published", "draft"), vertical=True)],
    )


def threshold_marks(published: float, draft: float, middle: float = 0.0) -> pd.DataFrame:
    """One row per threshold line: x, label, its colour and dash, and the side its label
    runs to. Each label runs away from the other line (the lower one's to its left), so two
    close thresholds never overprint, whichever of them is higher. One line's label runs
    towards the middle of the chart (`middle`), so it never runs off an edge."""
    if published == draft:
        side = "left" if draft > middle else "right"
        rows = [(draft, f"threshold (both) {draft:g}", "draft", side)]
    else:
        lower = "left" if published < draft else "right"
        higher = "right" if lower == "left" else "left"
        rows = [
            (published, f"published {published:g}", "published", lower),
            (draft, f"draft {draft:g}", "draft", higher),
        ]
    return pd.DataFrame(rows, columns=["x", "label", "kind", "side"]).astype({"x": float})


def build_workload_spec(weekly: pd.DataFrame, capacity: float) -> Spec:
    """New MQLs per recent week under both definitions, against sales capacity."""
    weeks = [f"{stamp:%b %d}" for stamp in weekly["week_start"]]
    bars = pd.concat(
        [
            pd.DataFrame({"week": weeks, "mqls": weekly[column].astype(int), "definition": name})
            for column, name in (("published", "Published"), ("draft", "Draft"))
        ],
        ignore_index=True,
    )
    layer = {
        "data": {"name": "weeks"},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "week", "type": "ordinal", "sort": None, "title": None},
            "xOffset": {"field": "definition", "sort": ["Published", "Draft"]},
            "y": {"field": "mqls", "type": "quantitative", "title": "New MQLs"},
            "color": _definition_colors(),
            "tooltip": [
                {"field": "week", "title": "Week of"},
                {"field": "definition", "title": "Definition"},
                {"field": "mqls", "title": "New MQLs", "format": ",d"},
            ],
        },
    }
    line = pd.DataFrame(
        [(float(capacity), f"capacity {capacity:g}/week", "capacity", "right")]
        if capacity > 0
        else [],
        columns=["y", "label", "kind", "side"],
    ).astype({"y": float})
    return _spec(
        {"weeks": bars, "capacity": line},
        [layer, *_mark_layers("capacity", "y", ("capacity",), vertical=False)],
    )


def build_score_band_figure(bands: pd.DataFrame, threshold_band: str) -> go.Figure:
    """Share of each score band's leads that reached SQL and Won (under the draft).

    The x axis is the score itself, ticked at the band edges ("0", "20", ...): band names
    such as "80–100" under seven grouped pairs overprinted (or turned sideways) in a
    one-third-width column. The threshold's band is shaded.
    """
    edges = list(SCORE_BAND_EDGES)
    step = edges[1] - edges[0]
    middles = [edges[0] - step / 2, *((lo + hi) / 2 for lo, hi in pairwise(edges))]
    middles.append(edges[-1] + step / 2)
    names = bands["band"].tolist()
    custom = [
        [name, *counts]
        for name, counts in zip(
            names, bands[["leads", "sqls", "won"]].to_numpy().tolist(), strict=True
        )
    ]
    bars = [
        go.Bar(
            x=middles,
            y=bands[column].fillna(0).tolist(),
            name=name,
            marker={"color": color},
            customdata=custom,
            hovertemplate=(
                f"Score %{{customdata[0]}}: %{{y:.1%}} {name.lower()} "
                f"(%{{customdata[{index}]:,}} of %{{customdata[1]:,}} leads)<extra></extra>"
            ),
        )
        for column, name, color, index in (
            ("sql_rate", "Reached SQL", DRAFT_COLOR, 2),
            ("won_rate", "Won", WON_COLOR, 3),
        )
    ]
    shaded = middles[names.index(threshold_band)] if threshold_band in names else None
    layout = {
        "barmode": "group",
        "xaxis": {
            "title": {"text": "Draft score (the threshold's band shaded)"},
            "tickvals": edges,
            "ticktext": [f"{edge:g}" for edge in edges],
            "tickangle": 0,
            "range": [edges[0] - step, edges[-1] + step],
        },
        "yaxis": {"title": {"text": "Share of leads"}, "tickformat": ".0%"},
        "shapes": [] if shaded is None else [_band_shade(shaded, step)],
        **_layout(),
    }
    return go.Figure(data=bars, layout=layout)


def _band_shade(middle: float, width: float) -> dict[str, object]:
    return {
        "type": "rect",
        "x0": middle - width / 2,
        "x1": middle + width / 2,
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "fillcolor": THRESHOLD_BAND_COLOR,
        "line": {"width": 0},
        "layer": "below",
    }


def render_figure(figure: go.Figure, key: str) -> None:
    st.plotly_chart(figure, key=key, width="stretch", config=_CONFIG)


_MARK_STYLE = {  # kind: (colour, dash)
    "published": (PUBLISHED_COLOR, [6, 4]),
    "draft": (DRAFT_COLOR, []),
    "capacity": (CAPACITY_COLOR, [6, 4]),
}


def _mark_layers(
    dataset: str, channel: str, kinds: tuple[str, ...], *, vertical: bool
) -> list[Spec]:
    """Labelled lines from `dataset` (columns: channel, label, kind, side), one rule and
    one text layer per kind and side, so that the spec never changes with the values."""
    layers: list[Spec] = []
    for kind in kinds:
        color, dash = _MARK_STYLE[kind]
        only = {"filter": f"datum.kind === '{kind}'"}
        layers.append(
            {
                "data": {"name": dataset},
                "transform": [only],
                "mark": {"type": "rule", "color": color, "strokeDash": dash, "strokeWidth": 2},
                "encoding": {channel: {"field": channel, "type": "quantitative"}},
            }
        )
        for side in ("left", "right"):
            # Text runs to `side` of its line: it starts there (align left) or ends there.
            text = {
                "type": "text",
                "color": color,
                "fontSize": CHART_TEXT_PX,
                "align": "left" if side == "right" else "right",
            }
            if vertical:  # at the top of the plot, a little off the line
                text.update(baseline="top", dx=4 if side == "right" else -4, y=2)
            else:  # just above the line, at the left edge
                text.update(baseline="bottom", x=4, dy=-2)
            layers.append(
                {
                    "data": {"name": dataset},
                    "transform": [
                        {"filter": f"datum.kind === '{kind}' && datum.side === '{side}'"}
                    ],
                    "mark": text,
                    "encoding": {
                        channel: {"field": channel, "type": "quantitative"},
                        "text": {"field": "label"},
                    },
                }
            )
    return layers


def _definition_colors() -> Spec:
    return {
        "field": "definition",
        "type": "nominal",
        "scale": {"domain": ["Published", "Draft"], "range": [PUBLISHED_COLOR, DRAFT_COLOR]},
        "legend": {"orient": "top", "title": None},
    }


def _spec(datasets: dict[str, pd.DataFrame], layers: list[Spec]) -> Spec:
    return svg_spec({"height": _HEIGHT, "datasets": datasets, "layer": layers})


def _layout() -> dict[str, object]:
    return {
        "height": _HEIGHT,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "legend": {"orientation": "h", "y": 1.12, "x": 1, "xanchor": "right"},
        "bargap": 0.1,
    }
