"""The live impact of the draft against the published definition: numbers and charts."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape

import pandas as pd
import streamlit as st

from components.common.literal import md
from components.common.vega import Spec, render_spec
from components.definitions.impact_charts import (
    build_histogram_spec,
    build_score_band_figure,
    build_workload_spec,
    render_figure,
)
from components.shell import state as app_state
from components.shell.identity import can, writer
from domain.admin.access import AccessDenied, Capability
from domain.common.csv_safety import safe_csv
from domain.common.numbers import count, percent, signed_count
from domain.funnel.impact import ImpactReport, Workload
from gateways import definitions as gateway
from gateways.definitions import MAX_PER_REP, MAX_REPS

DRAFT_MQL_COUNT = "draft_mql_count"  # stable hook: the draft's MQL count, plain digits
CAPACITY_REPS = "defs_capacity_reps"
CAPACITY_PER_REP = "defs_capacity_per_rep"
DEFAULT_PER_REP = 5
# Injected once per full run. The big number in the keyed container stays a plain
# paragraph (machine-readable); the other tiles are one HTML block styled like it. The
# page gives up most of Streamlit's 80 px side margins: on a 1280 px screen the eight
# engagement-rule columns and the impact charts need that room side by side.
STYLES = """<style>
[data-testid="stMainBlockContainer"]{padding-left:1.5rem !important;padding-right:1.5rem !important}
.st-key-draft_mql_count p{font-size:2.1rem;font-weight:600;line-height:1.15;margin:0}
.baton-tiles{display:grid;grid-template-columns:repeat(2,1fr);gap:1rem}
.baton-tile{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;padding:1rem}
.baton-tile .label,.baton-tile .note{color:rgba(49,51,63,.6);font-size:.875rem}
.baton-tile .value{font-size:2.1rem;font-weight:600;line-height:1.15;margin:.25rem 0}
</style>"""


def current_capacity(default_reps: int) -> float:
    """Reps x new MQLs a rep can work per week, as stored for everyone
    (see db.definitions.meeting_repo).

    The stored inputs are put into this session's widgets on every run, so a change on
    another screen (or page) shows here at once; before anyone set them, the defaults.
    """
    state = st.session_state
    stored = gateway.get_sales_capacity(app_state.get_engine_cached())
    if stored is None:
        state.setdefault(CAPACITY_REPS, max(default_reps, 1))
        state.setdefault(CAPACITY_PER_REP, DEFAULT_PER_REP)
    else:
        for key, value in zip((CAPACITY_REPS, CAPACITY_PER_REP), stored, strict=True):
            if state.get(key) != value:  # never rewritten once its widget is drawn this run
                state[key] = value
    return float(state[CAPACITY_REPS] or 0) * float(state[CAPACITY_PER_REP] or 0)


def capacity_inputs(default_reps: int, on_change: Callable[[], None] | None = None) -> None:
    current_capacity(default_reps)  # both inputs show the stored values
    left, right = st.columns(2)
    saved = partial(_save_capacity, on_change)
    left.number_input(
        "Sales reps", min_value=0, max_value=MAX_REPS, step=1, key=CAPACITY_REPS, on_change=saved
    )
    right.number_input(
        "New MQLs a rep can work per week",
        min_value=0,
        max_value=MAX_PER_REP,
        step=1,
        key=CAPACITY_PER_REP,
        on_change=saved,
    )


def _save_capacity(then: Callable[[], None] | None) -> None:
    state = st.session_state
    if not can(Capability.edit_draft):
        return  # the shared capacity is part of the draft's settings: editors set it
    try:
        gateway.save_sales_capacity(
            app_state.get_engine_cached(),
            actor=writer(),
            reps=int(state[CAPACITY_REPS] or 0),
            per_rep=int(state[CAPACITY_PER_REP] or 0),
        )
    except AccessDenied as exc:
        st.toast(md(str(exc)))
        return
    if then is not None:
        then()


def inject_styles() -> None:
    """Once per full run, outside the fragments: a new style element on every slider move
    would make the browser recompute the styles of the whole page."""
    st.html(STYLES)


@dataclass(frozen=True)
class ImpactView:
    """Everything the live part shows of an impact report, built before its first element
    is drawn: the elements then reach the browser together, and each batch of elements
    that arrives apart costs it a redraw of the page."""

    mql_count: str
    mql_note: str
    tiles: list[tuple[str, str, str]]
    stage_table: str
    report: ImpactReport
    histogram: Spec
    workload: Spec


def impact_view(report: ImpactReport, version: int | None) -> ImpactView:
    return ImpactView(
        mql_count=count(report.count("MQL")),
        mql_note=_versus(report, "MQL", version),
        tiles=tile_texts(report, version),
        stage_table=stage_table_markdown(report),
        report=report,
        histogram=build_histogram_spec(
            report.histogram, report.published_threshold, report.draft_threshold
        ),
        workload=build_workload_spec(report.workload.weekly, report.workload.capacity),
    )


def render_tiles(view: ImpactView) -> None:
    """Four tiles (2 x 2) in few elements: every element costs the browser time per move."""
    mql, sql = st.columns(2)
    with mql.container(border=True, height="stretch"):
        st.caption("MQLs under the draft")
        with st.container(key=DRAFT_MQL_COUNT):
            st.markdown(view.mql_count)
        st.caption(view.mql_note)
    sql.html(tiles_html(view.tiles[:1], columns=1))
    st.html(tiles_html(view.tiles[1:], columns=2))


def tile_texts(report: ImpactReport, version: int | None) -> list[tuple[str, str, str]]:
    """(label, value, note) of the SQL, stage-change and workload tiles."""
    load = report.workload
    return [
        ("SQLs under the draft", f"{count(report.count('SQL'))}", _versus(report, "SQL", version)),
        (
            "Leads that change stage",
            f"{count(report.moved)}",
            f"{count(report.moved_up)} move up · {count(report.moved_down)} move down",
        ),
        ("Expected new MQLs per week", f"{load.expected_draft:.0f}", _utilisation(load)),
    ]


def tiles_html(tiles: list[tuple[str, str, str]], columns: int) -> str:
    cells = "".join(
        f'<div class="baton-tile"><div class="label">{escape(label)}</div>'
        f'<div class="value">{escape(value)}</div><div class="note">{escape(note)}</div></div>'
        for label, value, note in tiles
    )
    style = f"grid-template-columns:repeat({columns},1fr)"
    return f'<div class="baton-tiles" style="{style}">{cells}</div>'


def stage_table_markdown(report: ImpactReport) -> str:
    """Stage counts as a markdown table: cheap to redraw on every slider move."""
    lines = ["| Stage | Published | Draft | Change |", "|:--|--:|--:|--:|"]
    for stage, published, draft, delta in report.stages.itertuples(index=False):
        change = f"**{signed_count(delta)}**" if delta else "0"
        lines.append(f"| {stage} | {count(published)} | {count(draft)} | {change} |")
    return "\n".join(lines)


def render_stage_table(view: ImpactView) -> None:
    st.markdown(view.stage_table)


def render_histogram(view: ImpactView) -> None:
    render_spec(view.histogram, key="defs_histogram")


def render_workload(view: ImpactView) -> None:
    render_spec(view.workload, key="defs_workload")


def render_score_bands(bands: pd.DataFrame, threshold_band: str) -> None:
    render_figure(build_score_band_figure(bands, threshold_band), key="defs_score_bands")


def render_changes(view: ImpactView) -> None:
    report = view.report
    if not report.moved:
        st.caption("No lead changes stage.")
        return
    row = st.container(horizontal=True, vertical_alignment="center")
    row.markdown(f"**{count(report.moved)} leads change stage** (highest stage reached).")
    row.download_button(
        "Download CSV",
        # Built on click: a slider move should not pay for a list nobody downloads.
        data=lambda: _csv(report.changes()),
        file_name="leads_changing_stage.csv",
        mime="text/csv",
        key="defs_download_changes",
        on_click="ignore",
        icon=":material/download:",
    )


def _versus(report: ImpactReport, stage: str, version: int | None) -> str:
    if version is None:
        return "nothing published yet"
    published = report.count(stage, "published")
    delta = report.count(stage) - published
    return f"published v{version}: {count(published)} · change {signed_count(delta)}"


def _utilisation(load: Workload) -> str:
    was = f"published {load.expected_published:.0f}"
    if math.isnan(load.utilisation):
        return f"{was} · set the sales capacity below"
    verdict = "over capacity" if load.utilisation > 1 else f"of {load.capacity:g} capacity"
    return f"{was} · {percent(load.utilisation)} {verdict}"


def _csv(changes: pd.DataFrame) -> str:
    return safe_csv(changes)
