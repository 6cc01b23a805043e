"""The mapping editor of one uploaded file: what it holds, where to start from (a preset or
a saved mapping), the column of each Baton field, custom attributes, value formats.

The mapping shown is a base (kept in session state) plus the edits in the widgets. Picking
another kind or starting point replaces the base and bumps a revision that is part of the
widget keys, so the widgets start over from it; any other rerun keeps every edit.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from components.common.literal import md
from components.data.data_notices import notify
from components.data.import_attributes import render_join, render_key, render_types
from components.data.import_outcome_map import render_as_of, render_stage_map
from components.data.import_source import KIND_LABELS, PreparedFile
from components.shell.identity import writer
from domain.admin.access import AccessDenied
from domain.importing import (
    COMBINE,
    FIELDS,
    GENERIC,
    KINDS,
    PRESETS,
    Mapping,
    MappingError,
    suggest_mapping,
)
from gateways import data as gateway

NOT_MAPPED = "(not mapped)"
SAVED = "Saved: "


def kind_key(file_key: str) -> str:
    return f"{file_key}_kind"


def start_key(file_key: str) -> str:
    return f"{file_key}_start"


def editor_key(file_key: str) -> str:
    """The mapping table's widget key now (it changes when the base is replaced)."""
    return f"{file_key}_map_{_revision(file_key)}"


def chosen_kind(prepared: PreparedFile) -> str:
    return str(st.session_state.get(kind_key(prepared.upload.key)) or prepared.guessed_kind)


def render_mapping(engine: Engine, prepared: PreparedFile) -> Mapping | None:
    """Draw the mapping controls; the mapping they describe, or None after an error."""
    assert prepared.source is not None
    key, header = prepared.upload.key, prepared.source.header
    left, right = st.columns(2)
    left.selectbox(
        "This file holds",
        KINDS,
        index=KINDS.index(prepared.guessed_kind),
        format_func=KIND_LABELS.__getitem__,
        key=kind_key(key),
        on_change=_reset_base,
        args=(key,),
    )
    kind = chosen_kind(prepared)
    starts = _start_options(engine, kind, prepared.preset)
    right.selectbox(
        "Start from",
        starts,
        key=start_key(key),
        on_change=_reset_base,
        args=(key,),
        help="A preset for a known CRM export, a mapping saved earlier, or Generic "
        "(columns matched by name). Changing it replaces the mapping below.",
    )
    base = _base(engine, prepared, kind, starts)
    extra: dict[str, Any] = {}
    if kind == "attributes":
        extra["join_on"] = render_join(engine, key, _revision(key), header, base)
        fields: dict[str, str] = {}
    else:
        fields = _render_table(key, kind, header, base)
    ignore = _render_custom(key, kind, header, base, {**fields, **extra.get("join_on", {})})
    if kind == "outcomes":
        extra["stages"] = render_stage_map(key, prepared.source, fields, base, _revision(key))
    extra["as_of"] = render_as_of(key, kind, base, _revision(key))
    formats = _render_formats(key, base)
    if kind in ("leads", "attributes"):
        joined = extra.get("join_on", {})
        taken = Mapping(kind=kind, fields=fields, ignore=tuple(ignore), join_on=joined)
        custom = taken.custom_columns(header)
        extra["types"] = render_types(prepared, _revision(key), custom, base, formats)
    if kind == "leads":
        lead_key = render_key(key, _revision(key), base, fields)
        if lead_key:
            extra["key"] = lead_key
    try:
        return Mapping.from_json(
            {"kind": kind, "fields": fields, "ignore": ignore, **formats, **extra}
        )
    except MappingError as exc:
        st.error(f"This mapping cannot be used: {md(exc)}.", icon=":material/error:")
        return None


def render_save(engine: Engine, file_key: str, mapping: Mapping) -> None:
    """Save the mapping by name for the next export, or download it for the CLI."""
    name_col, save_col, file_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    name = name_col.text_input(
        "Save this mapping as…", key=f"{file_key}_save_name", placeholder="e.g. Our HubSpot"
    )
    if save_col.button("Save mapping", key=f"{file_key}_save", disabled=not name.strip()):
        try:
            gateway.save_mapping(engine, actor=writer(), name=name.strip(), mapping=mapping)
        except (MappingError, SQLAlchemyError, AccessDenied) as exc:
            st.error(f"The mapping was not saved: {md(exc)}", icon=":material/error:")
        else:
            notify(f"Mapping saved as “{name.strip()}”: pick it under **Start from** next time.")
            st.rerun()
    file_col.download_button(
        "Mapping file",
        data=mapping.to_json(),
        file_name=f"baton-mapping-{mapping.kind}.json",
        mime="application/json",
        key=f"{file_key}_mapping_json",
        icon=":material/download:",
        on_click="ignore",
        help="The same mapping as JSON, for `python cli.py import KIND FILE --mapping FILE`.",
    )


def _start_options(engine: Engine, kind: str, detected: str | None) -> list[str]:
    presets = [p for p in PRESETS if p != GENERIC and kind in PRESETS[p]]
    try:
        saved = [SAVED + name for name in gateway.list_mappings(engine, kind)]
    except SQLAlchemyError:
        saved = []
    if detected in presets:  # preselected: the first option is the default
        return [detected, *(p for p in presets if p != detected), GENERIC, *saved]
    return [GENERIC, *presets, *saved]


def _base(engine: Engine, prepared: PreparedFile, kind: str, starts: list[str]) -> Mapping:
    assert prepared.source is not None
    key, header = prepared.upload.key, prepared.source.header
    stored = st.session_state.get(f"{key}_base")
    if isinstance(stored, Mapping) and stored.kind == kind:
        return stored
    start = str(st.session_state.get(start_key(key)) or starts[0])
    base = suggest_mapping(kind, header, None if start == GENERIC else start)
    if start.startswith(SAVED):
        try:
            saved = gateway.load_mapping(engine, start.removeprefix(SAVED))
        except (LookupError, MappingError, SQLAlchemyError) as exc:
            st.error(f"The saved mapping cannot be used: {md(exc)}", icon=":material/error:")
        else:
            base = saved if saved.kind == kind else base
    st.session_state[f"{key}_base"] = base
    return base


def _reset_base(file_key: str) -> None:
    st.session_state.pop(f"{file_key}_base", None)
    st.session_state[f"{file_key}_rev"] = _revision(file_key) + 1


def _revision(file_key: str) -> int:
    return int(st.session_state.get(f"{file_key}_rev", 0))


def _render_table(key: str, kind: str, header: list[str], base: Mapping) -> dict[str, str]:
    combined = [v for v in base.fields.values() if v not in header]  # "First + Last"
    options = [NOT_MAPPED, *header, *combined]
    frame = pd.DataFrame(
        {
            "field": [s.name for s in FIELDS[kind]],
            "required": [s.required for s in FIELDS[kind]],
            "column": [base.fields.get(s.name, NOT_MAPPED) for s in FIELDS[kind]],
            "description": [s.description for s in FIELDS[kind]],
        }
    )
    edited = st.data_editor(
        frame,
        key=editor_key(key),
        hide_index=True,
        height=35 * (len(frame) + 1) + 3,  # every field visible, no inner scrolling
        width="stretch",
        disabled=("field", "required", "description"),
        column_config={
            "field": st.column_config.TextColumn("Baton field"),
            "required": st.column_config.CheckboxColumn("Required"),
            "column": st.column_config.SelectboxColumn(
                "CSV column", options=options, required=True, width="medium"
            ),
            "description": st.column_config.TextColumn("What it is", width="large"),
        },
    )
    st.caption(
        f"Pick the file's column for each Baton field. Fields left {NOT_MAPPED} are not "
        f"imported; a field may join columns with “{COMBINE.strip()}” (from a preset or a "
        "mapping file)."
    )
    return {
        str(row["field"]): str(row["column"])
        for _, row in edited.iterrows()
        if isinstance(row["column"], str) and row["column"] not in ("", NOT_MAPPED)
    }


def _render_custom(
    key: str, kind: str, header: list[str], base: Mapping, fields: dict[str, str]
) -> list[str]:
    mapped = Mapping(kind=kind, fields=fields).mapped_columns(header)
    unmapped = [c for c in header if c not in mapped]
    if kind not in ("leads", "attributes"):
        if unmapped:
            st.caption(
                f"Not imported ({KIND_LABELS[kind].split(' (')[0].lower()} keep no custom "
                f"attributes): {md(', '.join(unmapped))}."
            )
        return []
    ignore = st.multiselect(
        "Columns to ignore",
        header,
        default=[c for c in base.ignore if c in header],
        key=f"{key}_ignore_{_revision(key)}",
        placeholder="None: every column not mapped is kept",
        help="Columns that are not mapped become custom lead attributes under their "
        "column names, usable in fit rules at once. Ignore the ones you do not need.",
    )
    custom = [c for c in unmapped if c not in ignore]
    st.markdown(
        "Kept as **custom lead attributes** (pickable in the definitions' fit rules): "
        + (md(", ".join(custom)) if custom else "none")
    )
    return ignore


def _render_formats(key: str, base: Mapping) -> dict[str, Any]:
    revision = _revision(key)
    with st.expander("Dates and yes/no values"):
        date_format = st.text_input(
            "Date format",
            value=base.date_format or "",
            key=f"{key}_date_format_{revision}",
            placeholder="automatic: ISO 8601 and the common CRM formats",
            help="Only when automatic reading fails: a strftime format such as %d/%m/%Y.",
        )
        true_values = st.text_input(
            "Also true",
            value=", ".join(base.true_values),
            key=f"{key}_true_{revision}",
            placeholder="e.g. qualified, ok",
            help="Besides 1, yes, true (any case): comma-separated words that mean yes.",
        )
        false_values = st.text_input(
            "Also false",
            value=", ".join(base.false_values),
            key=f"{key}_false_{revision}",
            placeholder="e.g. unqualified",
            help="Besides 0, no, false (any case): comma-separated words that mean no.",
        )
    return {
        "date_format": date_format.strip() or None,
        "true_values": _words(true_values),
        "false_values": _words(false_values),
    }


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.split(",") if w.strip()]
