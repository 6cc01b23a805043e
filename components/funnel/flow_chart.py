"""Flows: a Sankey of how leads move between stages (skips and exits included)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.common.tables import count_column, render_table
from components.shell.analytics import Side
from domain.funnel.flows import EXIT_STAGES, FLOW_NODES, flow_links, furthest_stages

EXIT_COLOR = "#b5473a"
SKIP_COLOR = "rgba(224, 168, 57, 0.55)"
EXIT_LINK_COLOR = "rgba(181, 71, 58, 0.30)"
NEXT_LINK_COLOR = "rgba(42, 95, 168, 0.22)"
FLOW_START = "flow_start"
FLOW_STARTS = ("Suspect", "Lead", "MQL", "SQL")
START_HELP = (
    "The stages before this one are drawn as one node, so that the many leads that never "
    "got far do not dwarf the rest. Suspect draws every move."
)
OUTCOME_LABELS = {
    "stage": "Highest stage",
    "leads": "Leads",
    "open": "Still there",
    "lost": "Lost",
    "disqualified": "Disqualified",
    "recycled": "Recycled",
}


def build_sankey(links: pd.DataFrame, color: str, title: str | None = None) -> go.Figure:
    """A go.Sankey of `domain.funnel.flows.flow_links` output; only stages with flow are nodes."""
    used = set(links["source"]) | set(links["target"])
    collapsed = sorted(used - set(FLOW_NODES))  # "Before MQL": the stages before the start
    nodes = collapsed + [n for n in FLOW_NODES if n in used]
    position = {name: i for i, name in enumerate(nodes)}
    link_colors = {"next": NEXT_LINK_COLOR, "skip": SKIP_COLOR, "exit": EXIT_LINK_COLOR}
    notes = _notes(links)
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": nodes,
                "color": [_node_color(n, color) for n in nodes],
                "pad": 18,
                "thickness": 16,
                "hovertemplate": "%{label}: %{value:,} leads<extra></extra>",
            },
            link={
                "source": [position[s] for s in links["source"]],
                "target": [position[t] for t in links["target"]],
                "value": [int(v) for v in links["leads"]],
                "color": [link_colors[k] for k in links["kind"]],
                "customdata": notes,
                "hovertemplate": (
                    "%{source.label} → %{target.label}: %{value:,} leads"
                    " (%{customdata})<extra></extra>"
                ),
            },
        )
    )
    figure.update_layout(
        title={"text": title, "font": {"size": 14}} if title else None,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        height=420,
    )
    return figure


def _notes(links: pd.DataFrame) -> list[str]:
    """What each link is, for its hover: "skipped MQL", "to the next stage"..."""
    kinds = {"next": "to the next stage", "exit": "left the funnel"}
    return [
        f"skipped {s}" if s else kinds.get(kind, kind)
        for s, kind in zip(links["skipped"], links["kind"], strict=True)
    ]


def outcomes_table(sides: Sequence[Side]) -> pd.DataFrame:
    """`furthest_stages` per definition, one block of rows each (a `definition` column)."""
    parts = [furthest_stages(s.table).assign(definition=s.label) for s in sides]
    frame = pd.concat(parts, ignore_index=True)
    return frame[["definition", *OUTCOME_LABELS]]


def render_flows(sides: Sequence[Side]) -> None:
    start = st.segmented_control(
        "Start the flow at", FLOW_STARTS, default="MQL", key=FLOW_START,
        persist_state="session", help=START_HELP,
    ) or "MQL"  # fmt: skip
    columns = st.columns(len(sides)) if len(sides) > 1 else [st.container()]
    for column, side in zip(columns, sides, strict=True):
        links = flow_links(side.table, start)
        with column:
            if links.empty:
                st.caption(f"{side.label}: no lead in view got to {start} or beyond.")
                continue
            title = side.label if len(sides) > 1 else None
            st.plotly_chart(
                build_sankey(links, side.color, title),
                key=f"flow_sankey_{len(sides)}_{side is sides[0]}",
                width="stretch",
            )
    st.caption(
        "Blue links go to the next stage; amber links skip stages (e.g. a lead sales "
        "accepted without it becoming an MQL); red ones leave the funnel. A stage's node "
        "can hold fewer leads than its funnel bar: the funnel counts a lead at every stage "
        "up to its highest, the flow only where it has a date."
    )
    config = {k: count_column(v) if k != "stage" else v for k, v in OUTCOME_LABELS.items()}
    config["definition"] = "Definition" if len(sides) > 1 else None
    render_table(
        outcomes_table(sides), key="flow_outcomes", file_name="where-leads-end.csv",
        column_config=config,
    )  # fmt: skip


def _node_color(node: str, color: str) -> str:
    if node in EXIT_STAGES:
        return EXIT_COLOR
    return color if node in FLOW_NODES else "#9aa5b1"  # the collapsed early stages
