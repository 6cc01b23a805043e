"""The fields of each lead action's form, and the domain action they make.

Field keys are `<form key>_<field>`, so a new form key (after each success) starts empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from domain.definitions.definition import BANT_FACTS, SqlCriteria
from domain.follow_up.actions import (
    CHANNELS,
    OUTCOMES,
    Accept,
    Action,
    ActionError,
    Disqualify,
    LogTouch,
    Qualify,
    Reassign,
    Recycle,
)

DISQUALIFY_REASONS = ("no budget", "student", "competitor", "not reachable", "no decision")
RECYCLE_REASONS = ("bad timing", "not ready yet", "no response", "too early in research")
ANSWERS: dict[str, bool | None] = {"Yes": True, "No": False, "Not asked": None}


def render_fields(kind: str, form_key: str, criteria: SqlCriteria, owners: tuple[str, ...]) -> None:
    """The inputs of one action's form."""
    _FIELDS[kind](form_key, criteria, owners)


def build_action(kind: str, form_key: str, values: Mapping[str, Any]) -> Action:
    """The action the submitted form describes; ActionError says what is missing."""

    def value(name: str) -> Any:
        return values.get(f"{form_key}_{name}")

    if kind == "touch":
        return LogTouch(
            channel=value("channel") or "", outcome=value("outcome"), note=value("note")
        )
    if kind == "accept":
        return Accept()
    if kind == "qualify":
        answers = {fact: ANSWERS.get(value(fact) or "Not asked") for fact in BANT_FACTS}
        return Qualify(**answers, conversation=bool(value("conversation")))
    if kind == "disqualify":
        return Disqualify(reason=value("reason") or "")
    if kind == "recycle":
        return Recycle(reason=value("reason") or "")
    if kind == "reassign":
        return Reassign(owner=value("owner") or "")
    raise ActionError(f"unknown action {kind!r}")


def criteria_text(criteria: SqlCriteria) -> str:
    """The SQL bar in words, e.g. "at least 3 of 4 BANT answers yes, after a conversation"."""
    text = f"at least {criteria.min_bant} of 4 BANT answers yes"
    if criteria.mandatory:
        text += f" ({' and '.join(criteria.mandatory)} among them)"
    if criteria.require_conversation:
        text += ", after a real conversation"
    return text


def _touch(form_key: str, criteria: SqlCriteria, owners: tuple[str, ...]) -> None:
    left, right = st.columns(2)
    left.radio("Channel", CHANNELS, key=f"{form_key}_channel", horizontal=True)
    right.selectbox(
        "Outcome",
        OUTCOMES,
        index=None,
        key=f"{form_key}_outcome",
        placeholder="Pick or type",
        format_func=lambda o: str(o).replace("_", " "),
        accept_new_options=True,
    )
    st.text_input("Note", key=f"{form_key}_note", max_chars=500, placeholder="Optional")


def _accept(form_key: str, criteria: SqlCriteria, owners: tuple[str, ...]) -> None:
    st.caption("Accepting (SAL) says sales took the lead over and will qualify it.")


def _qualify(form_key: str, criteria: SqlCriteria, owners: tuple[str, ...]) -> None:
    st.caption(f"The shared definition makes a lead an SQL with {criteria_text(criteria)}.")
    for column, fact in zip(st.columns(4), BANT_FACTS, strict=True):
        column.radio(fact.capitalize(), tuple(ANSWERS), index=2, key=f"{form_key}_{fact}")
    st.checkbox(
        "I had a real conversation with them (a connected call or a meeting)",
        value=True,
        key=f"{form_key}_conversation",
    )


def _reason(options: tuple[str, ...]) -> Callable[[str, SqlCriteria, tuple[str, ...]], None]:
    def fields(form_key: str, criteria: SqlCriteria, owners: tuple[str, ...]) -> None:
        st.selectbox(
            "Reason",
            options,
            index=None,
            key=f"{form_key}_reason",
            placeholder="Pick or type why",
            accept_new_options=True,
        )

    return fields


def _reassign(form_key: str, criteria: SqlCriteria, owners: tuple[str, ...]) -> None:
    st.selectbox(
        "New owner",
        owners,
        index=None,
        key=f"{form_key}_owner",
        placeholder="Pick or type a name",
        accept_new_options=True,
    )


_FIELDS: dict[str, Callable[[str, SqlCriteria, tuple[str, ...]], None]] = {
    "touch": _touch,
    "accept": _accept,
    "qualify": _qualify,
    "disqualify": _reason(DISQUALIFY_REASONS),
    "recycle": _reason(RECYCLE_REASONS),
    "reassign": _reassign,
}
