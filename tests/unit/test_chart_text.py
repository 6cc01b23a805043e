"""Chart text stays readable on a shared screen: never auto-shrunk below 12 px."""

from __future__ import annotations

import pandas as pd

from components.common.heatmap import build_heatmaps
from components.common.literal import CHART_TEXT_PX
from components.follow_up.follow_up_charts import build_owner_heatmap
from components.funnel.funnel_chart import build_funnel_figure
from components.funnel.funnel_drill import build_funnel_comparison
from components.funnel.rate_charts import build_rate_bars
from components.funnel.velocity_charts import build_speed_bars


def test_heatmap_cell_text_has_a_fixed_readable_size():
    values = pd.DataFrame({"MQL": [0.5, 0.25]}, index=["<b>web</b>", "ads"])
    texts = values.map(lambda v: f"{v:.0%}")
    figure = build_heatmaps({"Published": (values, texts)}, x_title="step")
    assert CHART_TEXT_PX >= 12
    assert all(trace.textfont.size >= CHART_TEXT_PX for trace in figure.data)
    assert list(figure.data[0].y) == ["&lt;b&gt;web&lt;/b&gt;", "ads"]  # tags stay text


def test_the_owner_heatmap_text_is_readable_too():
    weeks = pd.to_datetime(["2026-01-05", "2026-01-12"])
    pivot = pd.DataFrame([[0.5, 1.0]], index=["Ann"], columns=weeks)
    assert build_owner_heatmap(pivot).data[0].textfont.size >= CHART_TEXT_PX


def test_bar_labels_are_hidden_rather_than_shrunk_below_12px():
    """Plotly shrank labels to fit narrow bars (8-9 px): now they hide (hover keeps them)."""
    funnel_frame = pd.DataFrame(
        {"stage": ["Lead", "MQL"], "leads": [1328, 403], "from_previous": [None, 0.303]}
    )
    figures = [
        build_funnel_figure(funnel_frame),
        build_funnel_comparison({}),
        build_rate_bars({}, [], "Source"),
        build_speed_bars({}, 24, "Owner"),
    ]
    for figure in figures:
        assert figure.layout.uniformtext.minsize >= CHART_TEXT_PX
        assert figure.layout.uniformtext.mode == "hide"
