"""Add a fit rule by picking an attribute: the operators of its type and its distribution.

A number or a date offers ranges (at least, below, between, at most), a yes/no attribute
is yes / is no, text is / is one of / is none of. Picking an attribute draws how its
values are spread (a histogram, months, or the top values), so the team sees what a rule
would catch before adding it. "Add rule" appends a row to the fit-rule table; the draft
session saves it like any table edit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pydantic import ValidationError

from components.common.literal import chart_text
from components.common.literal import md as literal
from components.definitions import draft_session as session
from domain.common.numbers import count
from domain.definitions.attribute_profile import (
    OPERATOR_LABELS,
    OPERATORS_BY_TYPE,
    Distribution,
    column_type,
    default_range,
    distribution,
    rule_for,
    top_values,
)
from domain.definitions.definition import FitRule
from domain.definitions.rule_tables import FIT_PREFIX
from domain.definitions.rule_values import format_value

PICK_ATTRIBUTE = "defs_pick_attribute"
PICK_ADD = "defs_pick_add"
PICK_CHART = "defs_pick_chart"
PICK_FLASH = "defs_pick_flash"
BAR_COLOR = "#4c78a8"


def pick_key(name: str, kind: str) -> str:
    """Widget keys carry the type, so picking another kind of attribute starts afresh."""
    return f"defs_pick_{name}_{kind.replace('/', '')}"


def build_distribution_figure(dist: Distribution, attribute: str) -> go.Figure:
    """Bars of lead counts per bin, month or value (text shown literally)."""
    horizontal = dist.kind == "text"
    labels, counts = [chart_text(label) for label in dist.labels], list(dist.counts)
    bar = go.Bar(
        x=counts if horizontal else labels,
        y=labels if horizontal else counts,
        orientation="h" if horizontal else "v",
        marker_color=BAR_COLOR,
        hovertemplate="%{y}: %{x:,} leads<extra></extra>"
        if horizontal
        else "%{x}: %{y:,} leads<extra></extra>",
    )
    figure = go.Figure(bar)
    figure.update_layout(
        height=240 if not horizontal else max(200, 22 * len(labels) + 60),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        showlegend=False,
        xaxis_type="category" if not horizontal else None,
        yaxis={"autorange": "reversed", "type": "category"} if horizontal else None,
    )
    return figure


def render_fit_picker(
    leads: pd.DataFrame, attributes: list[str], on_add: Callable[[], None]
) -> None:
    """The picker; `on_add` runs after a rule was added (the page reruns what shows it)."""
    attribute = st.selectbox(
        "Add a rule on",
        attributes,
        index=None,
        key=PICK_ATTRIBUTE,
        placeholder="Pick an attribute to see its values and add a rule",
    )
    flash = st.session_state.pop(PICK_FLASH, None)
    if flash:
        st.success(flash, icon=":material/check:")
    if attribute is None or attribute not in leads:
        return
    column = leads[attribute]
    kind = column_type(column)
    dist = distribution(column, kind)
    missing = f"; {count(dist.missing)} leads have no value" if dist.missing else ""
    st.caption(f"{literal(attribute)} is a **{kind}** attribute{missing}.")
    if dist.labels:
        figure = build_distribution_figure(dist, attribute)
        st.plotly_chart(figure, key=PICK_CHART, config={"displayModeBar": False})
    choice = st.selectbox(
        "Condition",
        OPERATORS_BY_TYPE[kind],
        format_func=OPERATOR_LABELS.__getitem__,
        key=pick_key("op", kind),
    )
    value = _value_input(column, kind, choice)
    points = st.number_input("Points", value=10.0, step=1.0, key=pick_key("points", kind))
    st.button(
        "Add rule",
        key=PICK_ADD,
        icon=":material/add:",
        disabled=value is None,
        on_click=_add,
        args=(attribute, kind, choice, value, points, on_add),
    )


def _value_input(column: pd.Series, kind: str, choice: str) -> Any:
    if kind == "yes/no":
        return True  # the choice says it all
    if kind == "number":
        return _number_input(column, kind, choice)
    if kind == "date":
        return _date_input(column, kind, choice)
    if choice in ("contains", "endswith"):
        text = st.text_input("Text", key=pick_key("text", kind)).strip()
        return text or None
    options = top_values(column)
    if choice == "equals":
        return st.selectbox(
            "Value", options, key=pick_key("one", kind), accept_new_options=True, index=None
        )
    chosen = st.multiselect("Values", options, key=pick_key("many", kind), accept_new_options=True)
    return tuple(chosen) or None


def _number_input(column: pd.Series, kind: str, choice: str) -> Any:
    low, high = default_range(column)
    if choice != "between":
        return st.number_input("Value", value=high, key=pick_key("number", kind))
    left, right = st.columns(2)
    return (
        left.number_input("From", value=low, key=pick_key("low", kind)),
        right.number_input("To", value=high, key=pick_key("high", kind)),
    )


def _date_input(column: pd.Series, kind: str, choice: str) -> Any:
    stamps = pd.to_datetime(column, utc=True).dropna()
    first = stamps.min().date() if len(stamps) else date.today()
    last = stamps.max().date() if len(stamps) else date.today()
    if choice != "between":
        return st.date_input("Date", value=last, key=pick_key("date", kind))
    picked = st.date_input("From – to", value=(first, last), key=pick_key("dates", kind))
    return tuple(picked) if isinstance(picked, tuple) and len(picked) == 2 else None


def _add(
    attribute: str, kind: str, choice: str, value: Any, points: float, on_add: Callable[[], None]
) -> None:
    operator, rule_value = rule_for(kind, choice, value)
    rows = st.session_state[session.FIT_ROWS]
    taken = {str(r.get("id")) for r in [*rows, *st.session_state[session.ENGAGEMENT_ROWS]]}
    rule_id = next(
        f"{FIT_PREFIX}-{n}" for n in range(1, len(taken) + 2) if f"{FIT_PREFIX}-{n}" not in taken
    )
    try:
        rule = FitRule(
            id=rule_id, attribute=attribute, operator=operator, value=rule_value, points=points
        )
    except ValidationError as exc:
        reason = literal(str(exc.errors()[0]["msg"]))
        st.session_state[PICK_FLASH] = f"The rule was not added: {reason}"
        return
    row = {
        "id": rule.id,
        "attribute": rule.attribute,
        "operator": rule.operator,
        "value": format_value(rule.value),
        "points": rule.points,
        "label": "",
    }
    st.session_state[session.FIT_ROWS] = [*rows, row]
    st.session_state[PICK_FLASH] = (
        f"Added the fit rule “{literal(rule.describe())}” ({points:+g} points) to the draft."
    )
    on_add()
