"""The widgets that edit the working draft: stage notes, sliders, BANT, rule tables.

Widgets take their values from session state (written by `draft_session`), never from a
`value=` argument, so loading another draft version simply rewrites the state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.lib.column_types import ColumnConfig

from components.common.literal import md
from components.definitions.definition_form import (
    CONVERSATION,
    ENGAGEMENT_EDITOR,
    FIT_EDITOR,
    HALF_LIFE,
    HALF_LIFE_RANGE,
    HAND_RAISERS,
    MANDATORY,
    MIN_BANT,
    NOTES,
    SLA_HOURS,
    SLA_RANGE,
    THRESHOLD,
    THRESHOLD_RANGE,
    slider_range,
)
from components.definitions.draft_session import Problems, Vocabulary
from domain.definitions.definition import BANT_FACTS, CONTENT_STAGES, MAX_NOTE, OPERATORS
from domain.definitions.describe import DESCRIBED_STAGES
from domain.definitions.rule_tables import ENGAGEMENT_COLUMNS, FIT_COLUMNS, Row

STAGE_TITLES = {
    "Lead": "Lead",
    "MQL": "MQL · marketing qualified",
    "SAL": "SAL · sales accepted",
    "SQL": "SQL · sales qualified",
}
PROBLEM = "problem"
VALUE_HELP = (
    "in / not in: values separated by commas · between: low, high · >= / <= / <: a number "
    "(or a date, 2024-01-31, on a date attribute) · yes/no: equals true or false · "
    "contains / ends with: text (case is ignored)"
)


Callback = Callable[[], None] | None


# Column widths (px) that fit the rule tables in the editing column at 1280 px wide (441 px
# beside the row markers), each wide enough for its header: an editable column's header
# takes 40 px besides its text (the pencil icon and padding), so "Points" and "Rule id"
# read "Pts" and "Id", with the full name in their help (tests/browser/test_layout).
FIT_WIDTHS = {"attribute": 92, "operator": 92, "value": 80, "points": 58, "label": 72, "id": 30}
ENGAGEMENT_WIDTHS = {
    "activity_type": 84, "content_stage": 70, "min_count": 80, "points": 58, "cap": 60,
    "window_days": 64, "label": 70, "id": 30,
}  # fmt: skip


@dataclass(frozen=True)
class StageCard:
    """One stage's card: the generated sentence and the agreed note are drawn separately."""

    sentence: DeltaGenerator
    note: DeltaGenerator


def layout_stage_cards() -> dict[str, StageCard]:
    cards = {}
    for column, stage in zip(st.columns(len(DESCRIBED_STAGES)), DESCRIBED_STAGES, strict=True):
        with column.container(border=True, height="stretch"):
            st.markdown(f"**{STAGE_TITLES[stage]}**")
            cards[stage] = StageCard(sentence=st.container(), note=st.container())
    return cards


def render_stage_note(stage: str, on_change: Callback = None) -> None:
    st.text_area(
        f"Agreed note on {stage}",
        key=NOTES[stage],
        placeholder="The words both teams agreed on (saved with the draft)",
        height=68,
        max_chars=MAX_NOTE,
        label_visibility="collapsed",
        on_change=on_change,
    )


def render_scoring_settings(activity_types: Sequence[str], on_change: Callback = None) -> None:
    state = st.session_state
    threshold = int(state.get(THRESHOLD, 60))
    low, high = slider_range(threshold, THRESHOLD_RANGE)
    st.slider("MQL threshold (points)", low, high, step=1, key=THRESHOLD, on_change=on_change)
    half_life = int(state.get(HALF_LIFE, 0))
    low, high = slider_range(half_life, HALF_LIFE_RANGE)
    st.slider(
        "Decay half-life (days)",
        low,
        high,
        step=1,
        key=HALF_LIFE,
        on_change=on_change,
        help="Engagement points halve every this many days without activity; 0 turns decay off.",
    )
    chosen = list(state.get(HAND_RAISERS) or ())
    st.multiselect(
        "Hand-raisers (an MQL at once)",
        sorted(set(activity_types) | set(chosen)),
        key=HAND_RAISERS,
        on_change=on_change,
        format_func=lambda a: a.replace("_", " "),
        placeholder="No hand-raiser actions",
    )


def render_sales_settings(on_change: Callback = None) -> None:
    sla = int(st.session_state.get(SLA_HOURS, 24))
    low, high = slider_range(sla, SLA_RANGE)
    st.slider(
        "Follow-up SLA (hours)",
        low,
        high,
        step=1,
        key=SLA_HOURS,
        on_change=on_change,
        help="Sales' first touch of a new MQL is due within this many hours.",
    )
    st.number_input(
        "BANT facts required for an SQL (K of 4)",
        min_value=0,
        max_value=4,
        step=1,
        key=MIN_BANT,
        on_change=on_change,
        help="Budget, Authority, Need, Timeline: how many a rep must confirm.",
    )
    st.caption("Always required:")
    for column, fact in zip(st.columns(len(BANT_FACTS)), BANT_FACTS, strict=True):
        column.toggle(fact.capitalize(), key=MANDATORY[fact], on_change=on_change)
    st.toggle("A real conversation is required", key=CONVERSATION, on_change=on_change)


def render_fit_table(
    rows: list[Row],
    problems: Problems,
    vocab: Vocabulary,
    on_change: Callback = None,
) -> None:
    frame = _frame(rows, FIT_COLUMNS, problems.fit or {}, numeric=("points",))
    attributes = sorted(set(vocab.attributes) | {str(a) for a in frame["attribute"].dropna()})
    st.data_editor(
        frame,
        key=FIT_EDITOR,
        on_change=on_change,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_order=_with_problems(
            ("attribute", "operator", "value", "points", "label", "id"), problems.fit
        ),
        placeholder="—",
        disabled=("id", PROBLEM),
        column_config={
            PROBLEM: _problem_column(),
            "attribute": st.column_config.SelectboxColumn(
                "Attribute", options=attributes, width=FIT_WIDTHS["attribute"]
            ),
            "operator": st.column_config.SelectboxColumn(
                "Operator", options=list(OPERATORS), width=FIT_WIDTHS["operator"]
            ),
            "value": st.column_config.TextColumn(
                "Value", help=VALUE_HELP, width=FIT_WIDTHS["value"]
            ),
            "points": _points_column(FIT_WIDTHS["points"]),
            "label": st.column_config.TextColumn("Label", width=FIT_WIDTHS["label"]),
            "id": _id_column(FIT_WIDTHS["id"]),
        },
    )
    _problem_list(problems.fit or {}, rows)


def render_engagement_table(
    rows: list[Row],
    problems: Problems,
    vocab: Vocabulary,
    on_change: Callback = None,
) -> None:
    numeric = ("min_count", "points", "cap", "window_days")
    frame = _frame(rows, ENGAGEMENT_COLUMNS, problems.engagement or {}, numeric=numeric)
    types = sorted(set(vocab.activity_types) | {str(a) for a in frame["activity_type"].dropna()})
    st.data_editor(
        frame,
        key=ENGAGEMENT_EDITOR,
        on_change=on_change,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_order=_with_problems(
            ("activity_type", "content_stage", *numeric, "label", "id"), problems.engagement
        ),
        placeholder="—",
        disabled=("id", PROBLEM),
        column_config={
            PROBLEM: _problem_column(),
            "activity_type": st.column_config.SelectboxColumn(
                "Activity", options=types, width=ENGAGEMENT_WIDTHS["activity_type"]
            ),
            "content_stage": st.column_config.SelectboxColumn(
                "Stage",
                options=list(CONTENT_STAGES),
                help="Content stage (empty: any content)",
                width=ENGAGEMENT_WIDTHS["content_stage"],
            ),
            "min_count": st.column_config.NumberColumn(
                "At least",
                format="%d",
                min_value=1,
                step=1,
                help="Give the points once, when the lead has at least this many such "
                "activities (in the window; counts do not decay). Empty: points per activity",
                width=ENGAGEMENT_WIDTHS["min_count"],
            ),
            "points": _points_column(ENGAGEMENT_WIDTHS["points"]),
            "cap": st.column_config.NumberColumn(
                "Cap",
                format="%g",
                help="Most points a per-activity rule can give (empty: no cap; none with "
                "'at least')",
                width=ENGAGEMENT_WIDTHS["cap"],
            ),
            "window_days": st.column_config.NumberColumn(
                "Days",
                format="%d",
                help="Window: only the last N days count (empty: all)",
                width=ENGAGEMENT_WIDTHS["window_days"],
            ),
            "label": st.column_config.TextColumn("Label", width=ENGAGEMENT_WIDTHS["label"]),
            "id": _id_column(ENGAGEMENT_WIDTHS["id"]),
        },
    )
    _problem_list(problems.engagement or {}, rows)


def _points_column(width: int) -> object:
    help_text = "Points: what the rule adds to the score (negative: takes away)"
    return st.column_config.NumberColumn("Pts", format="%g", help=help_text, width=width)


def _id_column(width: int) -> object:
    help_text = "Rule id: set when the rule is made; the diff and the audit name rules by it"
    return st.column_config.TextColumn("Id", help=help_text, width=width)


def _frame(
    rows: list[Row], columns: Sequence[str], problems: dict[int, str], numeric: Sequence[str]
) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns)).astype(object)
    for column in numeric:
        # Text typed into a number cell shows as empty; the problem column says why.
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in set(columns) - set(numeric):
        frame[column] = frame[column].astype("string")
    frame.insert(0, PROBLEM, [problems.get(i, "") for i in range(len(frame))])
    frame[PROBLEM] = frame[PROBLEM].astype("string")
    return frame


def _with_problems(columns: tuple[str, ...], problems: dict[int, str] | None) -> tuple[str, ...]:
    # The reason sits in the row's first cell, and only while some row has one.
    return (PROBLEM, *columns) if problems else columns


def _problem_column() -> ColumnConfig:
    return st.column_config.TextColumn("Problem", help="Why the row is not used", width="medium")


def _problem_list(problems: dict[int, str], rows: list[Row]) -> None:
    if not problems:
        return
    lines = [
        f"- Row {i + 1} ({md(rows[i].get('id'))}): {md(reason)}"
        for i, reason in sorted(problems.items())
    ]
    st.warning(
        "Not applied until fixed; the draft keeps each rule's last valid state:\n"
        + "\n".join(lines),
        icon=":material/rule:",
    )
