"""Chart labels never overprint: threshold lines close together keep their labels apart."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as hs

from components.calibration.threshold_charts import MARK_ROW_PX, build_threshold_spec, mark_rows
from components.common.literal import CHART_TEXT_PX
from components.definitions.impact_charts import threshold_marks

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


@given(
    hs.integers(min_value=0, max_value=100),
    hs.integers(min_value=1, max_value=100).flatmap(lambda d: hs.sampled_from([d, -d])),
)
def test_the_two_threshold_labels_run_away_from_each_other(published, gap):
    draft = published + gap
    marks = threshold_marks(published, draft).set_index("kind")
    lower, higher = ("published", "draft") if gap > 0 else ("draft", "published")
    # The lower label ends at its line, the higher starts at its own: they cannot meet.
    assert (marks.loc[lower, "side"], marks.loc[higher, "side"]) == ("left", "right")
    assert marks.loc[lower, "x"] < marks.loc[higher, "x"]


def test_equal_thresholds_share_one_label():
    assert list(threshold_marks(60, 60)["label"]) == ["threshold (both) 60"]


def test_one_shared_label_runs_towards_the_middle_of_the_chart():
    # Near the right edge a label running right was cut off at 1280 px.
    assert list(threshold_marks(140, 140, middle=60)["side"]) == ["left"]
    assert list(threshold_marks(20, 20, middle=60)["side"]) == ["right"]


def test_close_threshold_marks_are_stacked_a_text_line_apart():
    marks = {"draft": 60.0, "published": 61.0, "best trade-off": 60.5, "fills capacity": None}
    rows = mark_rows(marks, middle=60.0)
    assert sorted(rows["row"]) == [0, 1, 2]  # one label row each
    spec = build_threshold_spec(CURVE, marks=marks)
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    offsets = sorted({layer["mark"]["y"] for layer in texts})
    # Every row sits above the plot (negative y), a text line plus clearance apart.
    assert all(y < 0 for y in offsets)
    assert all(b - a >= CHART_TEXT_PX + 4 for a, b in zip(offsets, offsets[1:], strict=False))
    assert {abs(b - a) for a, b in zip(offsets, offsets[1:], strict=False)} == {MARK_ROW_PX}
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"


def test_threshold_mark_labels_run_towards_the_middle():
    rows = mark_rows({"draft": 10.0, "best trade-off": 90.0}, middle=50.0).set_index("kind")
    assert rows.loc["draft", "side"] == "right" and rows.loc["best trade-off", "side"] == "left"
