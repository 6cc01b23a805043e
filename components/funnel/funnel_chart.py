"""The lifecycle funnel: how many leads reached each stage, and what share moved on."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.common.literal import READABLE_BAR_TEXT
from domain.common.numbers import count, percent

FUNNEL_COLOR = "#2a5fa8"


def stage_labels(funnel_frame: pd.DataFrame) -> list[str]:
    """Per stage: the count, and the share of the stage before ("1,234 · 42.0% of previous")."""
    labels = []
    for leads, rate in zip(funnel_frame["leads"], funnel_frame["from_previous"], strict=True):
        share = "" if rate is None or math.isnan(rate) else f" · {percent(rate)} of previous"
        labels.append(f"{count(leads)}{share}")
    return labels


def build_funnel_figure(funnel_frame: pd.DataFrame) -> go.Figure:
    """A go.Funnel of `domain.funnel.metrics.funnel(...)` output.

    Columns: stage, leads, from_previous.
    """
    figure = go.Figure(
        go.Funnel(
            y=list(funnel_frame["stage"]),
            x=[int(v) for v in funnel_frame["leads"]],
            text=stage_labels(funnel_frame),
            textinfo="text",
            # Narrow late stages cannot hold their label inside; "auto" moves it outside.
            textposition="auto",
            marker={"color": FUNNEL_COLOR},
            connector={"fillcolor": "#dbe5f3"},
            hovertemplate="%{y}: %{x:,} leads<extra></extra>",
        )
    )
    figure.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=420,
        yaxis={"title": None},
        uniformtext=READABLE_BAR_TEXT,
    )
    return figure


def render_funnel(funnel_frame: pd.DataFrame, key: str = "funnel_chart") -> None:
    st.plotly_chart(build_funnel_figure(funnel_frame), key=key, width="stretch")
