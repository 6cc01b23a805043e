"""Does the score predict? Conversion by score band, published and draft side by side.

`build_*` functions are pure (small frames in, go.Figure out); the domain hands over the
per-band counts of `domain.calibration.Calibration.bands` (band, leads, converted, rate).
Every bar shows the count behind it; small samples are drawn pale and hatched, as on the
conversion page, never dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from components.impact_charts import DRAFT_COLOR, PUBLISHED_COLOR
from components.literal import CHART_TEXT_PX
from components.rate_charts import SMALL_MARK, rate_text, small_sample_marker
from domain.cohorts import SMALL_SAMPLE

OUTCOME_LABELS: dict[str, str] = {"sql": "Reached SQL", "won": "Won"}
_HEIGHT = 280


def definition_colors(labels: list[str]) -> dict[str, str]:
    """Published grey, draft blue, in the order given."""
    palette = {"Published": PUBLISHED_COLOR, "Draft": DRAFT_COLOR}
    return {label: palette.get(label.split()[0], DRAFT_COLOR) for label in labels}


def band_texts(bands: pd.DataFrame) -> list[str]:
    """'25.0% · 12/48' per band, with the small-sample mark under SMALL_SAMPLE leads."""
    return [
        rate_text(_rate(rate), int(converted), int(leads), int(leads) < SMALL_SAMPLE)
        for rate, converted, leads in zip(
            bands["rate"], bands["converted"], bands["leads"], strict=True
        )
    ]


def build_band_figure(bands: Mapping[str, pd.DataFrame], outcome: str) -> go.Figure:
    """Grouped bars: per score band, the share of leads that reached `outcome`, one bar per
    definition ({"Published v3": frame, "Draft": frame}). Rising bars: the score separates."""
    colors = definition_colors(list(bands))
    traces = [_bars(frame, label, colors[label]) for label, frame in bands.items()]
    layout = {
        "barmode": "group",
        "height": _HEIGHT,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "xaxis": {"title": {"text": "Score band"}, "type": "category"},
        "yaxis": {
            "title": {"text": f"{OUTCOME_LABELS.get(outcome, outcome)} (share of leads)"},
            "tickformat": ".0%",
            "rangemode": "tozero",
        },
        "legend": {"orientation": "h", "y": 1.12, "x": 1, "xanchor": "right"},
        "bargap": 0.15,
        "uniformtext": {"minsize": CHART_TEXT_PX, "mode": "hide"},
    }
    return go.Figure(data=traces, layout=layout)


def _bars(bands: pd.DataFrame, label: str, color: str) -> go.Bar:
    small = [int(n) < SMALL_SAMPLE for n in bands["leads"]]
    return go.Bar(
        name=label,
        x=[str(band) for band in bands["band"]],
        y=[0.0 if math.isnan(_rate(r)) else _rate(r) for r in bands["rate"]],
        text=band_texts(bands),
        textposition="outside",
        cliponaxis=False,
        marker=small_sample_marker(color, small),
        hovertemplate=(
            "Score %{x}: %{text}<br>(converted/leads"
            f"; {SMALL_MARK} fewer than {SMALL_SAMPLE})<extra>{label}</extra>"
        ),
    )


def _rate(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
