"""The funnel page's funnel: a bar per stage and definition; clicking one lists its leads.

Clicking a bar (a Plotly point selection) picks the stage, and the definition when the
draft is shown beside published; the pills under the chart pick it without a mouse. The
list sits in the container `funnel_drilldown` and links every lead to its detail page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.common.literal import LEAD_PARAMETER, READABLE_BAR_TEXT, lead_link
from components.common.tables import count_column, number_column, rate_column, render_table
from components.funnel.funnel_chart import stage_labels
from components.shell.analytics import Side
from components.shell.identity import identity_query
from domain.common.numbers import count
from domain.engine.stages import FUNNEL_STAGES
from domain.funnel.metrics import funnel, reached, stage_moment

CHART_KEY = "funnel_chart"  # stable hooks for the browser tests
DRILLDOWN_KEY = "funnel_drilldown"
DRILL_STAGE = "funnel_drill_stage"
DRILL_SIDE = "funnel_drill_side"  # 0: published, 1: draft
DRILL_COLUMNS = {
    "lead": st.column_config.LinkColumn("Lead", display_text=rf"{LEAD_PARAMETER}=(.*)$"),
    "name": "Name",
    "company": "Company",
    "score": number_column("Score"),
    "highest_stage": "Highest stage",
    "stage": "Now",
    "reached_at": st.column_config.DatetimeColumn("Reached stage", format="YYYY-MM-DD"),
    "source": "Source",
    "segment": "Segment",
    "owner": "Owner",
}


def build_funnel_comparison(frames: Mapping[str, tuple[pd.DataFrame, str]]) -> go.Figure:
    """One go.Funnel trace per definition: {label: (metrics.funnel frame, colour)}.

    Each bar carries [label, stage] as customdata, so a click says what to list.
    """
    figure = go.Figure()
    # Side by side, one trace's connector band would paint over the other trace's bars.
    connector = {"fillcolor": "#dbe5f3", "visible": len(frames) < 2}
    for label, (frame, color) in frames.items():
        stages = list(frame["stage"])
        figure.add_trace(
            go.Funnel(
                name=label,
                y=stages,
                x=[int(v) for v in frame["leads"]],
                text=stage_labels(frame),
                textinfo="text",
                textposition="auto",
                marker={"color": color},
                connector=connector,
                customdata=[[label, stage] for stage in stages],
                hovertemplate="%{y}: %{x:,} leads · %{customdata[0]}<extra></extra>",
            )
        )
    figure.update_layout(
        funnelmode="group",
        margin={"l": 10, "r": 10, "t": 30 if len(frames) > 1 else 10, "b": 10},
        height=560 if len(frames) > 1 else 400,
        showlegend=len(frames) > 1,
        legend={"orientation": "h", "y": 1.06, "x": 0},
        yaxis={"title": None},
        uniformtext=READABLE_BAR_TEXT,
    )
    return figure


def funnel_numbers(sides: Sequence[Side]) -> pd.DataFrame:
    """Per stage: leads and the share of the stage before, per definition side by side."""
    out = pd.DataFrame({"stage": list(FUNNEL_STAGES)})
    for prefix, side in zip(("published", "draft"), sides, strict=False):
        frame = funnel(side.table)
        out[f"{prefix}_leads"] = frame["leads"].to_numpy()
        out[f"{prefix}_from_previous"] = frame["from_previous"].to_numpy()
    if len(sides) > 1:
        out["draft_change"] = out["draft_leads"] - out["published_leads"]
    return out


def drilldown_rows(side: Side, stage: str, other: Side | None = None) -> pd.DataFrame:
    """The leads in view that reached `stage`, best score first, with a link each; with
    `other`, their highest stage under it and whether they reach `stage` there too (the
    leads that do not, the difference the definition makes, come first)."""
    rows = side.table[reached(side.table, stage)]
    who = identity_query()
    out = pd.DataFrame(
        {
            "lead": [lead_link(e, who) for e in rows["external_id"]],
            "external_id": rows["external_id"],
            "name": rows["name"],
            "company": rows["company"],
            "score": rows["score"].round(1),
            "highest_stage": rows["highest_stage"].astype(str),
            "stage": rows["stage"].astype(str),
            "reached_at": stage_moment(rows, stage),
            "source": rows["source"],
            "segment": rows["segment"],
            "owner": rows["owner"],
        },
        index=rows.index,
    )
    order = ["score", "external_id"]
    if other is not None:
        theirs = other.full.reindex(rows.index)
        out["highest_other"] = theirs["highest_stage"].astype(str)
        out["reached_other"] = reached(theirs, stage).to_numpy()
        order.insert(0, "reached_other")  # what the other definition would change: first
    ascending = [True] * (len(order) - 2) + [False, True]
    out = out.sort_values(order, ascending=ascending, kind="stable")
    return out.reset_index(drop=True)


def render_funnel_drill(sides: Sequence[Side]) -> None:
    """The selectable funnel, the stage pills and the drill-down list."""
    frames = {side.label: (funnel(side.table), side.color) for side in sides}
    st.plotly_chart(
        build_funnel_comparison(frames),
        key=CHART_KEY,
        on_select=partial(_take_selection, len(sides)),
        selection_mode="points",
        width="stretch",
    )
    stage = st.pills(
        "List the leads that reached",
        FUNNEL_STAGES,
        key=DRILL_STAGE,
        persist_state="session",
        help="Or click a bar of the funnel.",
    )
    chosen = _chosen_side(sides)
    with st.container(key=DRILLDOWN_KEY):
        if stage is None:
            st.caption("Click a bar of the funnel (or pick a stage above) to list its leads.")
            return
        others = [s for s in sides if s is not chosen]
        render_drilldown(chosen, stage, others[0] if others else None)


def render_drilldown(side: Side, stage: str, other: Side | None) -> None:
    rows = drilldown_rows(side, stage, other)
    st.markdown(f"**{stage}: {count(len(rows))} leads** reached it under {side.label}")
    config: dict[str, object] = dict(DRILL_COLUMNS)
    config["external_id"] = None  # in the CSV; on screen the link shows it
    if other is not None:
        config["highest_other"] = f"Highest under {other.label}"
        config["reached_other"] = st.column_config.CheckboxColumn(
            f"{stage} under {other.label}",
            help=f"Unticked: only {side.label} makes this lead reach {stage} (listed first).",
        )
    render_table(
        rows,
        key="funnel_drilldown_table",
        file_name=f"leads-{stage.lower()}-{side.label.lower().replace(' ', '-')}.csv",
        column_config=config,
        height=min(38 + 35 * max(len(rows), 1), 420),
    )


def numbers_config(sides: Sequence[Side]) -> dict[str, object]:
    config: dict[str, object] = {"stage": "Stage"}
    for prefix, side in zip(("published", "draft"), sides, strict=False):
        config[f"{prefix}_leads"] = count_column(f"Leads · {side.label}")
        config[f"{prefix}_from_previous"] = rate_column(f"Of previous · {side.label}")
    config["draft_change"] = number_column("Draft − published", format="%+d")
    return config


def _chosen_side(sides: Sequence[Side]) -> Side:
    if len(sides) < 2:
        return sides[0]
    index = st.segmented_control(
        "Under",
        (0, 1),
        format_func=lambda i: sides[i].label,
        key=DRILL_SIDE,
        persist_state="session",
    )
    return sides[index or 0]


def _take_selection(n_sides: int) -> None:
    """on_select: the clicked bar picks the stage (and the definition) to list."""
    event = st.session_state.get(CHART_KEY)
    points = event.selection.points if event is not None else []
    if not points:
        return  # a click on empty space clears the selection; keep the list shown
    point = points[0]
    stage = point.get("y")
    if stage in FUNNEL_STAGES:
        st.session_state[DRILL_STAGE] = stage
    curve = int(point.get("curve_number", 0) or 0)
    if n_sides > 1 and curve in (0, 1):
        st.session_state[DRILL_SIDE] = curve
