"""The Data page's controls for custom attributes: their types, and the join of an
attributes file (an accounts file adding columns to existing leads)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from components.data.import_source import PreparedFile
from domain.importing import Mapping
from domain.importing.attribute_types import ATTRIBUTE_TYPES, infer_type
from domain.importing.mapping import JOIN_FIELDS
from gateways.data import load_attribute_types

_TYPE_SAMPLE = 1_000  # rows the page reads to show each custom column's type


def render_join(
    engine: Engine, key: str, revision: int, header: list[str], base: Mapping
) -> dict[str, str]:
    """Which lead field (or custom attribute) the file's rows name their leads by."""
    try:
        attributes = sorted(load_attribute_types(engine))
    except SQLAlchemyError:
        attributes = []
    targets = [*JOIN_FIELDS, *(a for a in attributes if a not in JOIN_FIELDS)]
    (field, column), *_ = [*base.join_on.items(), ("company", header[0])]
    left, right = st.columns(2)
    chosen = left.selectbox(
        "Add to the leads whose",
        targets,
        index=targets.index(field) if field in targets else 0,
        key=f"{key}_join_field_{revision}",
        help="A lead field or a custom attribute; matched ignoring case and spaces.",
    )
    matched = right.selectbox(
        "equals this file's column",
        header,
        index=header.index(column) if column in header else 0,
        key=f"{key}_join_column_{revision}",
    )
    st.caption(
        "Every other column is added to each matching lead as a custom attribute (re-importing "
        "updates it). No lead is created; rows matching no lead are counted in the report."
    )
    return {str(chosen): str(matched)}


def render_types(
    prepared: PreparedFile, revision: int, custom: list[str], base: Mapping, formats: dict[str, Any]
) -> dict[str, str]:
    """Each custom column's type, inferred from the first rows; the user may change it."""
    if not custom or prepared.source is None:
        return {}
    sample = prepared.source.preview(_TYPE_SAMPLE)
    inferred = {
        c: infer_type(
            sample[c],
            decimal_comma=prepared.source.decimal_comma,
            date_format=formats.get("date_format"),
            true_values=tuple(formats.get("true_values") or ()),
            false_values=tuple(formats.get("false_values") or ()),
        )
        for c in custom
    }
    frame = pd.DataFrame(
        {"attribute": custom, "type": [base.types.get(c, inferred[c]) for c in custom]}
    )
    key = prepared.upload.key
    edited = st.data_editor(
        frame,
        key=f"{key}_types_{revision}",
        hide_index=True,
        width="stretch",
        disabled=("attribute",),
        column_config={
            "attribute": st.column_config.TextColumn("Custom attribute"),
            "type": st.column_config.SelectboxColumn(
                "Type", options=list(ATTRIBUTE_TYPES), required=True
            ),
        },
    )
    st.caption(
        "Types are read from the values (number, date, yes/no, else text); a number gets "
        "range rules (>=, <, between) in the definitions. Change one if it was misread."
    )
    return {
        str(row["attribute"]): str(row["type"])
        for _, row in edited.iterrows()
        # Kept: a change made here, and any type a saved mapping set.
        if row["type"] != inferred[str(row["attribute"])] or row["attribute"] in base.types
    }


KEY_CHOICES = {
    "all_columns": "a hash of all their columns (only a row repeated whole is a repeat)",
    "row_number": "their line number in the file (re-import the same file unchanged)",
}


def render_key(key: str, revision: int, base: Mapping, fields: dict[str, str]) -> str | None:
    """How a leads file without an id column keys its rows (None: it has an id)."""
    if "external_id" in fields:
        return None
    email = "email" in fields
    choices = (["email"] if email else []) + list(KEY_CHOICES)
    labels = {"email": "their e-mail address (lower case)", **KEY_CHOICES}
    default = base.key if base.key in choices else choices[0]
    chosen = st.radio(
        "No id column: rows are keyed by",
        choices,
        index=choices.index(default),
        format_func=labels.__getitem__,
        key=f"{key}_lead_key_{revision}",
        help="The key decides which stored lead a row updates when a file is imported again.",
    )
    return None if chosen == "email" else str(chosen)
