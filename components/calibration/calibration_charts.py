"""Does the score predict? Conversion by score band, published and draft side by side.

`build_*` functions are pure (small frames in, a Vega-Lite spec out); the domain hands over
the per-band counts of `domain.calibration.quality.Calibration.bands` (band, leads, converted,
rate). Every bar shows the count behind it; small samples are drawn pale with a dashed
outline (and the ⚠ mark in their label), as on the conversion page, never dropped.

The bars run sideways, highest band on top: a label such as "25.0% · 1,234/12,345" then
always has room at the end of its bar at 12 px, where fourteen upright bars left too little.
Vega-Lite, not Plotly: the browser draws it several times cheaper.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from components.common.literal import CHART_TEXT_PX
from components.common.vega import DRAFT_COLOR, PUBLISHED_COLOR, Spec, svg_spec
from components.funnel.rate_charts import SMALL_MARK, rate_text
from domain.funnel.cohorts import SMALL_SAMPLE

OUTCOME_LABELS: dict[str, str] = {"sql": "Reached SQL", "won": "Won"}
SMALL_OPACITY = 0.45
BAR_ROW_PX = 22  # per bar: more than a 12 px label's line, so labels never touch
_LABEL_TITLE = f"Rate · converted/leads ({SMALL_MARK} fewer than {SMALL_SAMPLE})"


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


def band_rows(bands: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per definition and band: its rate (0 where nobody), label and sample size."""
    frames = [
        pd.DataFrame(
            {
                "band": [str(band) for band in frame["band"]],
                "order": range(len(frame)),
                "definition": label,
                "rate": [0.0 if math.isnan(_rate(r)) else _rate(r) for r in frame["rate"]],
                "label": band_texts(frame),
                "small": [int(n) < SMALL_SAMPLE for n in frame["leads"]],
            }
        )
        for label, frame in bands.items()
    ]
    columns = ["band", "order", "definition", "rate", "label", "small"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def build_band_spec(bands: Mapping[str, pd.DataFrame], outcome: str) -> Spec:
    """Grouped bars: per score band, the share of leads that reached `outcome`, one bar per
    definition ({"Published v3": frame, "Draft": frame}). Longer bars further up: the score
    separates."""
    rows = band_rows(bands)
    colors = definition_colors(list(bands))
    position = {
        "y": {
            "field": "band",
            "type": "nominal",
            "sort": {"field": "order", "op": "min", "order": "descending"},
            "title": "Score band",
        },
        "yOffset": {"field": "definition", "sort": list(colors)},
        "x": {
            "field": "rate",
            "type": "quantitative",
            "title": f"{OUTCOME_LABELS.get(outcome, outcome)} (share of leads)",
            "axis": {"format": ".0%"},
        },
    }
    small = {"test": "datum.small"}
    bars = {
        "mark": {"type": "bar", "cursor": "default"},
        "encoding": {
            **position,
            "color": {
                "field": "definition",
                "type": "nominal",
                "scale": {"domain": list(colors), "range": list(colors.values())},
                "legend": {"orient": "top", "title": None},
            },
            "opacity": {"condition": {**small, "value": SMALL_OPACITY}, "value": 1},
            "stroke": {"condition": {**small, "value": "#555555"}, "value": None},
            "strokeDash": {"condition": {**small, "value": [3, 2]}, "value": [1, 0]},
            "tooltip": [
                {"field": "band", "title": "Score"},
                {"field": "definition", "title": "Definition"},
                {"field": "label", "title": _LABEL_TITLE},
            ],
        },
    }
    labels = {
        "mark": {
            "type": "text", "align": "left", "baseline": "middle", "dx": 4,
            "fontSize": CHART_TEXT_PX, "color": "#31333f",
        },
        "encoding": {**position, "text": {"field": "label"}},
    }  # fmt: skip
    return svg_spec(
        {
            # A fixed step per bar: the plot grows with the bars, its labels never touch.
            "height": {"step": BAR_ROW_PX, "for": "offset"},
            "datasets": {"bands": rows},
            "data": {"name": "bands"},
            "layer": [bars, labels],
        }
    )


def _rate(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
