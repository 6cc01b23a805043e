"""Chart labels never overprint: threshold lines close together keep their labels apart."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as hs

from components.impact_charts import build_histogram_figure
from components.literal import CHART_TEXT_PX
from components.threshold_charts import MARK_ROW_PX, build_threshold_figure

HISTOGRAM = pd.DataFrame(
    {"bin_start": [0, 50], "bin_end": [50, 100], "published": [3, 1], "draft": [2, 2]}
)
CURVE = pd.DataFrame(
    {
        "threshold": [50.0, 60.0, 70.0],
        "mqls": [30, 20, 10],
        "wins_captured": [9, 8, 5],
        "wins_captured_share": [0.9, 0.8, 0.5],
        "volume_share": [0.6, 0.4, 0.2],
        "mqls_per_week": [3.0, 2.0, 1.0],
    }
)


def _extent(note: object) -> str:
    """Which side of its line a label's text runs to."""
    return {"right": "left", "left": "right"}[note.xanchor]  # type: ignore[attr-defined]


@given(
    hs.integers(min_value=0, max_value=100),
    hs.integers(min_value=1, max_value=100).flatmap(lambda d: hs.sampled_from([d, -d])),
)
def test_the_two_threshold_labels_run_away_from_each_other(published, gap):
    draft = published + gap
    notes = {
        n.text.split()[0]: n
        for n in build_histogram_figure(HISTOGRAM, published, draft).layout.annotations
    }
    lower, higher = (
        (notes["published"], notes["draft"]) if gap > 0 else (notes["draft"], notes["published"])
    )
    # The lower label ends at its line, the higher starts at its own: they cannot meet.
    assert (_extent(lower), _extent(higher)) == ("left", "right")
    assert lower.x < higher.x


def test_equal_thresholds_share_one_label():
    notes = build_histogram_figure(HISTOGRAM, 60, 60).layout.annotations
    assert [n.text for n in notes] == ["threshold (both) 60"]


def test_close_threshold_marks_are_stacked_a_text_line_apart():
    marks = {"draft": 60.0, "published": 61.0, "best trade-off": 60.5, "fills capacity": None}
    figure = build_threshold_figure(CURVE, marks=marks)
    shifts = sorted(n.yshift or 0 for n in figure.layout.annotations)
    assert len(shifts) == 3
    assert all(b - a >= CHART_TEXT_PX + 4 for a, b in zip(shifts, shifts[1:], strict=False))
    assert {n.y for n in figure.layout.annotations} == {1}
    # The top margin holds every row.
    assert figure.layout.margin.t >= shifts[-1] + MARK_ROW_PX
