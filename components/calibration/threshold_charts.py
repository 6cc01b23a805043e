"""The threshold trade-off curve: wins captured against MQL volume for every threshold.

`build_threshold_spec` is pure (the domain's `threshold_curve` frame in, a Vega-Lite spec
out). Both lines carry points with a click selection on the threshold (`PICK`), so a click
on or near either line picks it (`threshold_from_selection`). Vega-Lite, not Plotly: the
browser draws it several times cheaper.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from components.common.literal import CHART_TEXT_PX
from components.common.vega import (
    CAPACITY_COLOR,
    DRAFT_COLOR,
    PUBLISHED_COLOR,
    WON_COLOR,
    Spec,
    svg_spec,
)

BEST_COLOR = "#b9770e"
CHOSEN_COLOR = "#111111"
PICK = "pick"  # the point selection's name: Streamlit reports clicks under it
_HEIGHT = 400
# One label row per mark above the plot, in pixels: taller than a line of CHART_TEXT_PX
# text, so stacked labels never touch.
MARK_ROW_PX = CHART_TEXT_PX + 10
MAX_MARKS = 4  # draft, published, fills capacity, best trade-off
CAPTURED_LABELS = {"won": "Wins captured (share of all wins)", "sql": "SQLs captured (share)"}
VOLUME_LABEL = "Leads made MQL (share of judged leads)"
_MARK_STYLE: dict[str, tuple[str, list[int]]] = {  # kind: (colour, dash)
    "draft": (DRAFT_COLOR, [6, 4]),
    "published": (PUBLISHED_COLOR, [2, 3]),
    "fills capacity": (CAPACITY_COLOR, [6, 4]),
    "best trade-off": (BEST_COLOR, []),
}


def volume_share(curve: pd.DataFrame) -> pd.Series:
    """The share of judged leads made MQL at each threshold (0 where it cannot be told)."""
    return curve["volume_share"].astype(float).fillna(0)


def build_threshold_spec(
    curve: pd.DataFrame,
    *,
    outcome: str = "won",
    marks: Mapping[str, float | None] | None = None,
    chosen: float | None = None,
) -> Spec:
    """Wins captured and MQL volume (shares) by threshold, with labelled vertical marks
    ({"draft": 60, "fills capacity": 72, "best trade-off": 55}) and the chosen point."""
    captured = CAPTURED_LABELS.get(outcome, "Captured")
    lines = curve_rows(curve, captured)
    x = {
        "field": "threshold",
        "type": "quantitative",
        "title": "MQL threshold (click a point to pick it)",
        "scale": {"zero": False},
    }
    y = {
        "field": "share",
        "type": "quantitative",
        "title": "Share",
        "axis": {"format": ".0%"},
        "scale": {"domain": [0, 1.05]},
    }
    color = {
        "field": "series",
        "type": "nominal",
        "scale": {"domain": [captured, VOLUME_LABEL], "range": [WON_COLOR, DRAFT_COLOR]},
        "legend": {"orient": "bottom", "title": None, "direction": "vertical", "labelLimit": 0},
    }
    stage = "SQLs" if outcome == "sql" else "Wins"
    points = {
        "data": {"name": "curve"},
        "mark": {"type": "point", "filled": True, "size": 50, "cursor": "pointer"},
        "params": [
            {"name": PICK, "select": {"type": "point", "fields": ["threshold"], "nearest": True}}
        ],
        "encoding": {
            "x": x,
            "y": y,
            "color": color,
            "tooltip": [
                {"field": "threshold", "title": "Threshold", "format": "~g"},
                {"field": "mqls", "title": "MQLs", "format": ",d"},
                {"field": "per_week", "title": "MQLs per week", "format": ".1f"},
                {"field": "captured", "title": f"{stage} captured", "format": ",.0f"},
            ],
        },
    }
    line = {
        "data": {"name": "curve"},
        "mark": {"type": "line", "strokeWidth": 2},
        "encoding": {"x": x, "y": y, "color": color},
    }
    ring = {
        "data": {"name": "chosen"},
        "mark": {"type": "point", "filled": False, "size": 240, "strokeWidth": 3},
        "encoding": {
            "x": x,
            "y": y,
            "stroke": {
                "field": "label",
                "type": "nominal",
                "scale": {"range": [CHOSEN_COLOR]},
                "legend": {"orient": "bottom", "title": None},
            },
        },
    }
    shown = mark_rows(marks or {}, float(curve["threshold"].astype(float).median()))
    spec = {
        "height": _HEIGHT,
        "datasets": {
            "curve": lines,
            "chosen": chosen_rows(curve, chosen),
            "marks": shown,
        },
        "layer": [line, points, ring, *_mark_layers(x)],
    }
    return svg_spec(spec)


def curve_rows(curve: pd.DataFrame, captured: str) -> pd.DataFrame:
    """Both lines, one row per threshold and line, with the figures a tooltip shows."""
    common = pd.DataFrame(
        {
            "threshold": curve["threshold"].astype(float),
            "mqls": curve["mqls"].astype(int),
            "per_week": curve["mqls_per_week"].astype(float).fillna(0),
            "captured": curve["wins_captured"].astype(float),
        }
    )
    shares = ((captured, curve["wins_captured_share"]), (VOLUME_LABEL, volume_share(curve)))
    return pd.concat(
        [common.assign(series=name, share=share.astype(float).fillna(0)) for name, share in shares],
        ignore_index=True,
    )


def chosen_rows(curve: pd.DataFrame, chosen: float | None) -> pd.DataFrame:
    """The chosen threshold's point on both lines (none before a choice)."""
    columns = ["threshold", "share", "label"]
    if chosen is None or curve.empty:
        return pd.DataFrame(columns=columns).astype({"threshold": float, "share": float})
    row = curve.iloc[(curve["threshold"].astype(float) - chosen).abs().argsort()[:1]]
    threshold = float(row["threshold"].iloc[0])
    shares = [float(row["wins_captured_share"].fillna(0).iloc[0]), float(volume_share(row).iloc[0])]
    return pd.DataFrame(
        [(threshold, share, f"Chosen: {chosen:g}") for share in shares], columns=columns
    )


def mark_rows(marks: Mapping[str, float | None], middle: float) -> pd.DataFrame:
    """One row per shown mark: x, label, kind, its label row above the plot (one row each,
    so close marks never overprint) and the side its label runs to (towards the middle of
    the chart, so it never runs off an edge)."""
    shown = [(label, float(x)) for label, x in marks.items() if x is not None and not math.isnan(x)]
    rows = [
        (x, f"{label} {x:g}", label, row, "left" if x > middle else "right")
        for row, (label, x) in enumerate(shown[:MAX_MARKS])
    ]
    return pd.DataFrame(rows, columns=["x", "label", "kind", "row", "side"]).astype({"x": float})


def threshold_from_selection(points: Sequence[Mapping[str, Any]]) -> float | None:
    """The threshold of the first clicked point (Streamlit's `selection[PICK]`)."""
    for point in points:
        try:
            picked = float(point.get("threshold"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if not math.isnan(picked):
            return picked
    return None


def _mark_layers(x: Spec) -> list[Spec]:
    """A rule per kind of mark and a label per row and side, above the plot: fixed layers,
    so that the spec never changes with the values (Streamlit then swaps the data in)."""
    layers: list[Spec] = []
    for kind, (color, dash) in _MARK_STYLE.items():
        layers.append(
            {
                "data": {"name": "marks"},
                "transform": [{"filter": f"datum.kind === '{kind}'"}],
                "mark": {"type": "rule", "color": color, "strokeDash": dash, "strokeWidth": 2},
                "encoding": {"x": {**x, "field": "x"}},
            }
        )
    colors = {
        "field": "kind",
        "type": "nominal",
        "scale": {"domain": list(_MARK_STYLE), "range": [c for c, _ in _MARK_STYLE.values()]},
        "legend": None,
    }
    for row in range(MAX_MARKS):
        for side in ("left", "right"):
            # Text runs to `side` of its line: it starts there (align left) or ends there.
            layers.append(
                {
                    "data": {"name": "marks"},
                    "transform": [{"filter": f"datum.row === {row} && datum.side === '{side}'"}],
                    "mark": {
                        "type": "text", "fontSize": CHART_TEXT_PX, "baseline": "bottom",
                        "align": "left" if side == "right" else "right",
                        "dx": 3 if side == "right" else -3, "y": -4 - MARK_ROW_PX * row,
                    },
                    "encoding": {
                        "x": {**x, "field": "x"}, "text": {"field": "label"}, "fill": colors,
                    },
                }
            )  # fmt: skip
    return layers
