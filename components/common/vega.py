"""Vega-Lite charts as every page draws them: the definitions' colours, SVG with padding
that keeps labels inside, and a keyed container to find the chart by."""

from __future__ import annotations

from typing import Any

import streamlit as st

Spec = dict[str, Any]  # a Vega-Lite spec
PUBLISHED_COLOR = "#9aa5b1"
DRAFT_COLOR = "#2a5fa8"
CAPACITY_COLOR = "#c0392b"
WON_COLOR = "#1e8449"


def svg_spec(spec: Spec) -> Spec:
    """`spec` drawn as SVG (its text stays checkable in the browser tests, whatever its
    number of marks) with padding that keeps every label inside the chart."""
    # Vega-Lite fits the axes into the chart, but the axis titles' boxes still hang a few
    # pixels out of its edges with the default padding of 5; 8 keeps them inside.
    padding = {"left": 8, "right": 8, "top": 5, "bottom": 8}
    return {**spec, "padding": padding, "usermeta": {"embedOptions": {"renderer": "svg"}}}


def render_spec(spec: Spec, key: str) -> None:
    """A Vega-Lite chart. Its spec stays the same from one draft to the next (everything
    that changes is in its named datasets), so the browser only swaps the data in: several
    times cheaper per slider move than a Plotly chart's redraw. The keyed container is
    the stable hook (a Vega-Lite chart without selections carries no key class)."""
    with st.container(key=key):
        st.vega_lite_chart(None, spec, width="stretch")
